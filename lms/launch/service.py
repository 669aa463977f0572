"""Launching xAPI (TinCan) packages and cmi5 AUs for a learner, as each standard asks of an LMS.

xAPI: the launch URL carries endpoint, a short-lived launch token for the learner and attempt,
the learner's agent, the registration and the activity id. cmi5: the course registration is one
per learner and course; before each launch the LMS closes sessions left open (`abandoned`), writes
`LMS.LaunchData` and the learner preferences, records `launched`, and hands out a one-time fetch
URL for the session's token. What the content reports is read back into the attempt summaries
that "My learning" and reports show (see lms.launch.progress).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from lms import db
from lms.accounts.models import User
from lms.launch import progress, structure
from lms.launch import statements as lms_statements
from lms.launch.models import Cmi5Registration, LaunchSession
from lms.learning.models import Attempt
from lms.lrs import documents
from lms.lrs.auth import issue_launch_token
from lms.lrs.documents_agents import agent_key
from lms.lrs.models import LaunchToken
from lms.lrs.validation import parse_timestamp
from lms.packages.manifest import CMI5, XAPI
from lms.packages.models import Package, Sco
from lms.runtime import attempts
from lms.runtime.attempts import now
from lms.runtime.progress import iso_duration
from lms.runtime.service import learner_agent
from lms.wording import N_, PersonError

LAUNCHED_FORMATS = frozenset({CMI5, XAPI})
MODES = ("Normal", "Browse", "Review")
# A TinCan launch has no end the LMS can see, so its token simply runs out; a cmi5 token is
# revoked as soon as its session ends (terminated, abandoned) and runs out at the latest here.
XAPI_TOKEN_TTL = timedelta(hours=4)
CMI5_TOKEN_TTL = timedelta(hours=8)
LAUNCH_DATA = "LMS.LaunchData"
PREFERENCES = "cmi5LearnerPreferences"


class LaunchError(PersonError):
    """A launch or waiver that cannot be done; the message says why."""


@dataclass(frozen=True)
class Urls:
    """Where the learner's browser reaches the LMS: made by the view from the request."""

    endpoint: str  # the LRS's xAPI root
    content: str  # the package's launch file, absolute
    fetch: str = ""  # the fetch URL, "{session}" and "{secret}" filled in here
    returned: str = ""  # the return URL, "{session}" filled in here


@dataclass(frozen=True)
class Launch:
    url: str
    session: LaunchSession


def attempt_for(session: Session, user_id: int, course_id: int, sco: Sco) -> Attempt:
    """The learner's one attempt at an xAPI package or cmi5 AU (cmi5 keeps all progress in the
    course registration; a TinCan launch resumes from the State API of the same registration)."""
    return attempts.for_launch(session, user_id, course_id, sco, policy="never")


def _with_query(url: str, params: dict[str, str]) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(params)


def _token_id(token: str) -> str:
    return base64.b64decode(token).decode().partition(":")[0]


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# -- xAPI (TinCan) -----------------------------------------------------------------------------


def launch_xapi(session: Session, user: User, sco: Sco, urls: Urls, home_page: str) -> Launch:
    db.begin_write(session)
    attempt = attempt_for(session, user.id, sco.package.course_id, sco)
    agent = learner_agent(user, home_page)
    launch = LaunchSession(
        session_id=str(uuid.uuid4()),
        format=XAPI,
        registration=attempt.registration,
        user_id=user.id,
        course_id=attempt.course_id,
        attempt_id=attempt.id,
        activity_id=sco.activity_iri,
        launch_mode="Normal",
        fetch_hash=None,
        fetched=True,
        launched=now(),
        ended=None,
        outcome="",
    )
    session.add(launch)
    attempt.updated = now()
    session.commit()
    token = issue_launch_token(agent, attempt.registration, sco.activity_iri, XAPI_TOKEN_TTL)
    launch.token_id = _token_id(token)
    session.commit()
    url = _with_query(
        urls.content,
        {
            "endpoint": urls.endpoint,
            "auth": "Basic " + token,
            "actor": json.dumps(agent, separators=(",", ":")),
            "registration": attempt.registration,
            "activity_id": sco.activity_iri,
        },
    )
    return Launch(url, launch)


# -- cmi5 ----------------------------------------------------------------------------------------


def registration_for(session: Session, user_id: int, course_id: int) -> Cmi5Registration:
    found = session.scalars(
        select(Cmi5Registration).where(
            Cmi5Registration.user_id == user_id, Cmi5Registration.course_id == course_id
        )
    ).one_or_none()
    if found is None:
        found = Cmi5Registration(
            registration=str(uuid.uuid4()), user_id=user_id, course_id=course_id, created=now()
        )
        session.add(found)
        session.flush()
    return found


def launch_cmi5(
    session: Session,
    user: User,
    sco: Sco,
    package: Package,
    package_folder: Path,
    urls: Urls,
    home_page: str,
    mode: str = "Normal",
) -> Launch:
    if mode not in MODES:
        raise LaunchError(
            N_("The launch mode must be one of %(modes)s, not “%(mode)s”."),
            modes=", ".join(MODES),
            mode=mode,
        )
    au = structure.read(package_folder).aus.get(sco.identifier)
    if au is None:
        raise LaunchError(N_("This AU is not in the package's cmi5.xml."))
    agent = learner_agent(user, home_page)
    db.begin_write(session)
    registration = registration_for(session, user.id, package.course_id).registration
    abandon_open(session, registration, home_page)
    db.begin_write(session)
    attempt = attempt_for(session, user.id, package.course_id, sco)
    activity_id = lms_statements.au_activity_id(home_page, au.id)
    session_id = str(uuid.uuid4())
    secret = secrets.token_urlsafe(24)
    launch = LaunchSession(
        session_id=session_id,
        format=CMI5,
        registration=registration,
        user_id=user.id,
        course_id=package.course_id,
        attempt_id=attempt.id,
        activity_id=activity_id,
        launch_mode=mode,
        fetch_hash=_hash(secret),
        fetched=False,
        launched=now(),
        ended=None,
        outcome="",
    )
    session.add(launch)
    attempt.updated = now()
    session.commit()
    return_url = urls.returned.replace("{session}", session_id)
    launch_data: dict[str, Any] = {
        "contextTemplate": {
            "contextActivities": {"grouping": [{"objectType": "Activity", "id": au.id}]},
            "extensions": {lms_statements.SESSION_ID: session_id},
        },
        "launchMode": mode,
        "moveOn": au.move_on,
        "returnURL": return_url,
    }
    if au.mastery_score is not None:
        launch_data["masteryScore"] = au.mastery_score
    if au.launch_parameters:
        launch_data["launchParameters"] = au.launch_parameters
    if au.entitlement_key:
        launch_data["entitlementKey"] = {"courseStructure": au.entitlement_key}
    key = agent_key(agent)
    db.begin_write(session)
    documents.put(
        session,
        documents.Context.state(activity_id, key, registration),
        LAUNCH_DATA,
        json.dumps(launch_data).encode(),
        documents.JSON_TYPE,
        documents.Preconditions(),
    )
    languages = list(dict.fromkeys([user.preferred_language, package.language]))
    db.begin_write(session)
    documents.post(
        session,
        documents.Context.agent_profile(key),
        PREFERENCES,
        json.dumps({"languagePreference": ",".join(languages), "audioPreference": "on"}).encode(),
        documents.JSON_TYPE,
        documents.Preconditions(),
    )
    extensions: dict[str, Any] = {
        lms_statements.EXTENSIONS["launchmode"]: mode,
        lms_statements.EXTENSIONS["launchurl"]: urls.content,
        lms_statements.EXTENSIONS["moveon"]: au.move_on,
    }
    if au.mastery_score is not None:
        extensions[lms_statements.EXTENSIONS["masteryscore"]] = au.mastery_score
    if au.launch_parameters:
        extensions[lms_statements.EXTENSIONS["launchparameters"]] = au.launch_parameters
    lms_statements.store(
        [
            lms_statements.lms_statement(
                "launched",
                agent,
                activity_id,
                registration,
                session_id,
                au.id,
                extensions=extensions,
            )
        ]
    )
    progress.evaluate(session, registration, session_id)  # NotApplicable AUs are met at once
    url = _with_query(
        urls.content,
        {
            "endpoint": urls.endpoint,
            "fetch": urls.fetch.replace("{session}", session_id).replace("{secret}", secret),
            "actor": json.dumps(agent, separators=(",", ":")),
            "registration": registration,
            "activityId": activity_id,
        },
    )
    return Launch(url, launch)


def fetch_token(session: Session, session_id: str, secret: str, home_page: str) -> dict[str, str]:
    """The cmi5 fetch URL's answer: the session's token the first time, an error after that."""
    launch = session.scalars(
        select(LaunchSession).where(LaunchSession.session_id == session_id)
    ).one_or_none()
    if (
        launch is None
        or launch.fetch_hash is None
        or not hmac.compare_digest(launch.fetch_hash, _hash(secret))
    ):
        return {"error-code": "2", "error-text": "This fetch URL is not one the LMS issued."}
    if launch.fetched or launch.ended is not None:
        return {
            "error-code": "1",
            "error-text": "The authorization token of this session was returned already, or "
            "the session has ended: launch the AU again from the LMS.",
        }
    db.begin_write(session)
    claimed = session.execute(
        update(LaunchSession)
        .where(LaunchSession.id == launch.id, LaunchSession.fetched.is_(False))
        .values(fetched=True)
    )
    session.commit()
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return {"error-code": "1", "error-text": "The authorization token was returned already."}
    user = session.get(User, launch.user_id)
    assert user is not None
    agent = learner_agent(user, home_page)
    token = issue_launch_token(agent, launch.registration, launch.activity_id, CMI5_TOKEN_TTL)
    db.begin_write(session)  # the read above must not be upgraded: another writer may have won
    launch.token_id = _token_id(token)
    session.commit()
    return {"auth-token": token}


def abandon_open(session: Session, registration: str, home_page: str) -> None:
    """Close the registration's sessions still open: terminated ones are recorded as ended, the
    others get an `abandoned` statement, and their tokens stop working."""
    open_sessions = session.scalars(
        select(LaunchSession).where(
            LaunchSession.registration == registration, LaunchSession.ended.is_(None)
        )
    ).all()
    if not open_sessions:
        return
    said = lms_statements.of_registration(registration)
    db.begin_write(session)
    abandoned = []
    for launch in open_sessions:
        own = [s for s in said if lms_statements.session_of(s) == launch.session_id]
        if any(lms_statements.verb_name(s) == "terminated" for s in own):
            launch.outcome = "terminated"
        else:
            launch.outcome = "abandoned"
            abandoned.append(_abandoned(session, launch, own, home_page))
        launch.ended = now()
        if launch.token_id:
            session.execute(delete(LaunchToken).where(LaunchToken.token == launch.token_id))
    session.commit()
    lms_statements.store(abandoned)


def _abandoned(
    session: Session, launch: LaunchSession, own: list[dict[str, Any]], home_page: str
) -> dict[str, Any]:
    """cmi5's duration for an abandoned session: from launch to the AU's last statement."""
    launched = next((s for s in own if lms_statements.verb_name(s) == "launched"), None)
    last = own[-1] if own else None
    seconds = 0.0
    if launched is not None and last is not None:
        seconds = max(
            0.0,
            (
                parse_timestamp(last["timestamp"]) - parse_timestamp(launched["timestamp"])
            ).total_seconds(),
        )
    user = session.get(User, launch.user_id)
    assert user is not None
    publisher = _publisher_id(session, launch)
    return lms_statements.lms_statement(
        "abandoned",
        learner_agent(user, home_page),
        launch.activity_id,
        launch.registration,
        launch.session_id,
        publisher,
        result={"duration": iso_duration(seconds)},
    )


def _publisher_id(session: Session, launch: LaunchSession) -> str:
    attempt = session.get(Attempt, launch.attempt_id)
    assert attempt is not None
    return attempt.activity_iri


def end_session(session: Session, session_id: str, user_id: int) -> LaunchSession | None:
    """The learner is back from the AU: bring the summaries up to date; a terminated session's
    token stops working now."""
    launch = session.scalars(
        select(LaunchSession).where(
            LaunchSession.session_id == session_id, LaunchSession.user_id == user_id
        )
    ).one_or_none()
    if launch is None:
        return None
    progress.evaluate(session, launch.registration, launch.session_id)
    if launch.ended is not None and launch.token_id:
        db.begin_write(session)
        session.execute(delete(LaunchToken).where(LaunchToken.token == launch.token_id))
        session.commit()
    return launch


def waive(
    session: Session,
    learner_id: int,
    package: Package,
    package_folder: Path,
    au_id: str,
    reason: str,
    home_page: str,
) -> None:
    """A manager waives one AU for a learner: a `waived` statement in a session of its own."""
    if reason not in lms_statements.WAIVER_REASONS:
        raise LaunchError(
            N_("The reason must be one of: %(reasons)s."),
            reasons=", ".join(lms_statements.WAIVER_REASONS),
        )
    au = structure.read(package_folder).aus.get(au_id)
    sco = next((s for s in package.scos if s.identifier == au_id), None)
    if au is None or sco is None:
        raise LaunchError(N_("That AU is not in this course's cmi5 package."))
    learner = session.get(User, learner_id)
    if learner is None:
        raise LaunchError(N_("There is no such learner."))
    db.begin_write(session)
    registration = registration_for(session, learner.id, package.course_id).registration
    activity_id = lms_statements.au_activity_id(home_page, au.id)
    already = [
        s
        for s in lms_statements.of_registration(registration)
        if lms_statements.verb_name(s) == "waived" and s["object"]["id"] == activity_id
    ]
    if already:
        raise LaunchError(N_("This AU is waived for this learner already."))
    attempt_for(session, learner.id, package.course_id, sco)
    session.commit()
    session_id = str(uuid.uuid4())
    lms_statements.store(
        [
            lms_statements.lms_statement(
                "waived",
                learner_agent(learner, home_page),
                activity_id,
                registration,
                session_id,
                au.id,
                result={
                    "success": True,
                    "completion": True,
                    "extensions": {lms_statements.REASON: reason},
                },
                moveon=True,
            )
        ]
    )
    progress.evaluate(session, registration, session_id)
