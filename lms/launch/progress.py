"""What xAPI and cmi5 content reported, folded into the attempt summaries "My learning" shows, and
cmi5's moveOn judged for every AU, block and course, with `satisfied` issued once each."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lms import db
from lms.accounts.models import User
from lms.launch import statements as lms_statements
from lms.launch import structure
from lms.launch.models import Cmi5Registration, LaunchSession
from lms.learning.models import Attempt, Enrolment
from lms.lrs.models import LaunchToken
from lms.packages.importer import package_root
from lms.packages.manifest import CMI5
from lms.packages.models import Course, Package
from lms.runtime.attempts import now
from lms.runtime.progress import iso_seconds
from lms.runtime.service import learner_agent
from lms.web.home import home_page

# Our AU may still write its resume state just after `terminated`; then its token stops.
TERMINATED_GRACE = timedelta(seconds=60)


@dataclass
class Facts:
    """What one activity's statements in a registration say."""

    initialized: bool = False
    completed: bool = False
    passed: bool = False
    failed: bool = False
    waived: bool = False
    score: float | None = None
    seconds: float = 0.0
    finished: bool = False

    def satisfies(self, move_on: str) -> bool:
        """cmi5's moveOn rule for one AU; a waived AU meets any of them."""
        done, success = self.completed or self.waived, self.passed or self.waived
        return {
            "Passed": success,
            "Completed": done,
            "CompletedAndPassed": done and success,
            "CompletedOrPassed": done or success,
            "NotApplicable": True,
        }.get(move_on, False)


def facts_of(statements: list[dict[str, Any]], activity_id: str) -> Facts:
    facts = Facts()
    for statement in statements:
        if (statement.get("object") or {}).get("id") != activity_id:
            continue
        verb = lms_statements.verb_name(statement)
        result = statement.get("result") or {}
        if verb == "initialized":
            facts.initialized, facts.finished = True, False
        elif verb == "completed":
            facts.completed = True
        elif verb in ("passed", "failed"):
            facts.passed = facts.passed or verb == "passed"
            facts.failed = facts.failed or verb == "failed"
            scaled = (result.get("score") or {}).get("scaled")
            if isinstance(scaled, int | float) and (verb == "passed" or not facts.passed):
                facts.score = float(scaled)
        elif verb == "waived":
            facts.waived = facts.finished = True  # nothing left to do: resume elsewhere
        elif verb in ("terminated", "abandoned"):
            facts.finished = True
            facts.seconds += iso_seconds(result.get("duration", ""))
    return facts


def summarise(attempt: Attempt, facts: Facts) -> None:
    """The attempt's summary in the SCORM runtime's vocabulary, so pages read every format alike."""
    attempt.completion = (
        "completed"
        if facts.completed or facts.waived
        else "incomplete"
        if facts.initialized
        else "not attempted"
    )
    attempt.success = (
        "passed" if facts.passed or facts.waived else "failed" if facts.failed else "unknown"
    )
    attempt.score_scaled = facts.score
    attempt.seconds = facts.seconds
    attempt.initialized = facts.initialized
    attempt.finished = facts.finished
    attempt.updated = now()


def evaluate(session: Session, registration: str, trigger_session: str | None = None) -> None:
    """Bring the summaries of one registration up to date; for cmi5 also record which sessions
    ended and issue `satisfied` for blocks and the course whose AUs all met their moveOn.
    `trigger_session` is the AU session whose statements triggered this, if any."""
    session.commit()
    session.connection(execution_options=db.WRITE)
    said = lms_statements.of_registration(registration)
    cmi5 = session.scalars(
        select(Cmi5Registration).where(Cmi5Registration.registration == registration)
    ).one_or_none()
    if cmi5 is None:
        attempt = session.scalars(
            select(Attempt).where(Attempt.registration == registration)
        ).one_or_none()
        if attempt is not None:
            summarise(attempt, facts_of(said, attempt.activity_iri))
        session.commit()
        return
    satisfied = _evaluate_cmi5(session, cmi5, said, trigger_session, home_page())
    session.commit()
    lms_statements.store_once(satisfied)


def _cmi5_package(session: Session, cmi5: Cmi5Registration) -> Package | None:
    """The course's newest cmi5 package, in the learner's enrolment language when there is one."""
    enrolment = session.scalars(
        select(Enrolment).where(
            Enrolment.user_id == cmi5.user_id, Enrolment.course_id == cmi5.course_id
        )
    ).one_or_none()
    packages = session.scalars(
        select(Package)
        .where(Package.course_id == cmi5.course_id, Package.format == CMI5)
        .order_by(Package.id.desc())
    ).all()
    language = enrolment.language if enrolment else None
    return next((p for p in packages if p.language == language), packages[0] if packages else None)


def _evaluate_cmi5(
    session: Session,
    cmi5: Cmi5Registration,
    said: list[dict[str, Any]],
    trigger_session: str | None,
    home: str,
) -> list[dict[str, Any]]:
    package = _cmi5_package(session, cmi5)
    course = session.get(Course, cmi5.course_id)
    user = session.get(User, cmi5.user_id)
    assert course is not None and user is not None
    if package is None:
        return []
    course_structure = structure.read(package_root(current_app.config["DATA_DIR"]) / package.folder)
    attempts = {
        a.activity_iri: a
        for a in session.scalars(
            select(Attempt).where(
                Attempt.user_id == cmi5.user_id, Attempt.course_id == cmi5.course_id
            )
        )
    }
    met: dict[str, bool] = {}
    for au in course_structure.aus.values():
        facts = facts_of(said, lms_statements.au_activity_id(home, au.id))
        met[au.id] = facts.satisfies(au.move_on)
        if au.id in attempts:
            summarise(attempts[au.id], facts)
    for launch in session.scalars(
        select(LaunchSession).where(
            LaunchSession.registration == cmi5.registration, LaunchSession.ended.is_(None)
        )
    ):
        if any(
            lms_statements.verb_name(s) == "terminated"
            and lms_statements.session_of(s) == launch.session_id
            for s in said
        ):
            launch.ended, launch.outcome = now(), "terminated"
            _expire_soon(session, launch.token_id)
    already = {s["object"]["id"] for s in said if lms_statements.verb_name(s) == "satisfied"}
    session_id = trigger_session or str(uuid.uuid4())
    agent = learner_agent(user, home)
    wanted = [
        (
            lms_statements.generated_id(home, "block", course.iri, block.id),
            block.id,
            lms_statements.CMI5 + "activitytype/block",
            all(met.get(au_id, False) for au_id in block.au_ids),
        )
        for block in course_structure.blocks
    ]
    wanted.append(
        (
            lms_statements.generated_id(home, "course", course.iri),
            course_structure.course_id,
            lms_statements.CMI5 + "activitytype/course",
            all(met.values()),
        )
    )
    return [
        lms_statements.lms_statement(
            "satisfied",
            agent,
            object_id,
            cmi5.registration,
            session_id,
            publisher_id,
            object_type=object_type,
            statement_id=lms_statements.once_id(cmi5.registration, object_id),
        )
        for object_id, publisher_id, object_type, done in wanted
        if done and object_id not in already
    ]


def _expire_soon(session: Session, token_id: str | None) -> None:
    """cmi5 9.3.8: after `terminated` the LMS waits a while, then refuses the session's
    statements: the token runs out TERMINATED_GRACE from now."""
    if token_id:
        session.execute(
            update(LaunchToken)
            .where(LaunchToken.token == token_id)
            .values(expires=datetime.now(UTC) + TERMINATED_GRACE)
        )


def on_statements(session: Session, registration: str, activity_id: str | None) -> None:
    """A launch token stored statements: judge its registration again, if it is one of ours."""
    launch = session.scalars(
        select(LaunchSession)
        .where(
            LaunchSession.registration == registration.lower(),
            LaunchSession.activity_id == (activity_id or ""),
        )
        .order_by(LaunchSession.id.desc())
        .limit(1)
    ).one_or_none()
    if launch is not None:
        evaluate(session, launch.registration, launch.session_id)
