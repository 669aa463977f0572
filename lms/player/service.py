"""Starting a SCORM SCO for a learner: which SCO, which attempt, and the values it begins with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from lms import db
from lms.accounts.models import User
from lms.learning import service as learning
from lms.learning.models import Enrolment
from lms.packages.models import Package, Sco
from lms.runtime import attempts
from lms.runtime.service import Launch, Runtime


@dataclass(frozen=True)
class ScoLaunch:
    scos: list[Sco]
    position: int
    launch: Launch

    @property
    def sco(self) -> Sco:
        return self.scos[self.position]


def launch_sco(
    session: Session,
    user: User,
    enrolment: Enrolment,
    package: Package,
    wanted: str | None,
    policy: str,
    home_page: str,
) -> ScoLaunch:
    """The SCO asked for (else where the learner resumes, else the first) in its current or a new
    attempt. The write lock is taken first so that two launches at once wait, not fail."""
    scos = list(package.scos)
    wanted = wanted or learning.course_progress(session, enrolment).resume_sco
    position = next((i for i, sco in enumerate(scos) if sco.identifier == wanted), 0)
    db.begin_write(session)
    attempt = attempts.for_launch(
        session,
        user.id,
        enrolment.course_id,
        scos[position],
        policy,
        timed_out=lambda previous: Runtime(session, user, previous, home_page).time_is_up(),
    )
    if not scos[position].is_sco:
        attempts.mark_asset_seen(attempt)
    enrolment.last_access = attempts.now()
    return ScoLaunch(scos, position, Runtime(session, user, attempt, home_page).launch())


def time_limit_config(launch: Launch) -> dict[str, Any] | None:
    """What the player does about the SCO's time limit: in how many seconds the time is up, and
    whether it then ends the session and tells the learner; None when nothing is to be done."""
    limit = launch.time_limit
    if limit is None or not limit.acts:
        return None
    return {
        "remaining": round(launch.remaining_seconds, 2),
        "exits": limit.exits,
        "tells": limit.tells,
        "seconds": limit.seconds,
    }
