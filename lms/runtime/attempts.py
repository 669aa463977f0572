"""Which attempt a launch continues or starts, under the configurable new-attempt rule."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.learning.models import Attempt
from lms.packages.models import Sco

# after-completion: a finished attempt that was completed starts a new one on the next launch;
# an unfinished or incomplete one is continued. always: every finished attempt starts a new one.
# never: the learner keeps one attempt per SCO.
POLICIES = ("after-completion", "always", "never")


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def latest(session: Session, user_id: int, course_id: int, activity_iri: str) -> Attempt | None:
    return session.scalars(
        select(Attempt)
        .where(
            Attempt.user_id == user_id,
            Attempt.course_id == course_id,
            Attempt.activity_iri == activity_iri,
        )
        .order_by(Attempt.number.desc())
        .limit(1)
    ).one_or_none()


def needs_new_attempt(previous: Attempt | None, policy: str, timed_out: bool = False) -> bool:
    """`timed_out`: the time limit ended the previous attempt (SCORM: exit `time-out`), which
    makes the next launch a new attempt whatever its completion, unless the policy is never."""
    if previous is None:
        return True
    if policy == "never":
        return False
    if timed_out:
        return True
    if not previous.finished or previous.suspended:
        return False
    if policy == "always":
        return True
    return previous.completion == "completed" or previous.success == "passed"


def for_launch(
    session: Session,
    user_id: int,
    course_id: int,
    sco: Sco,
    policy: str,
    timed_out: Callable[[Attempt], bool] = lambda _attempt: False,
) -> Attempt:
    """The attempt this launch plays: the learner's current one or a new one. `timed_out` tells
    whether the time limit ended an attempt (it reads the attempt's runtime data)."""
    previous = latest(session, user_id, course_id, sco.activity_iri)
    ended = previous is not None and policy != "never" and timed_out(previous)
    if not needs_new_attempt(previous, policy, ended):
        assert previous is not None
        previous.package_id, previous.sco_id = sco.package_id, sco.id
        return previous
    attempt = Attempt(
        registration=str(uuid4()),
        user_id=user_id,
        course_id=course_id,
        activity_iri=sco.activity_iri,
        package_id=sco.package_id,
        sco_id=sco.id,
        number=(previous.number + 1) if previous else 1,
        completion="not attempted",
        success="unknown",
        seconds=0.0,
        suspended=False,
        initialized=False,
        finished=False,
        created=now(),
        updated=now(),
    )
    session.add(attempt)
    session.flush()
    return attempt


def mark_asset_seen(attempt: Attempt) -> None:
    """An asset has no API to report through: launching it completes it (SCORM CAM)."""
    attempt.completion = "completed"
    attempt.finished = True
    attempt.updated = now()
