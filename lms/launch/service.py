"""Launching xAPI (TinCan) packages and cmi5 AUs for a learner, as each standard asks of an LMS.

xAPI: the launch URL carries endpoint, a short-lived launch token for the learner and attempt,
the learner's agent, the registration and the activity id. cmi5: the course registration is one
per learner and course; before each launch the LMS closes sessions left open (`abandoned`), writes
`LMS.LaunchData` and the learner preferences, records `launched`, and hands out a one-time fetch
URL for the session's token. What the content reports is read back into the attempt summaries
that "My learning" and reports show (see lms.launch.progress). A session whose content fell
silent (the learner closed the tab and never came back) is closed by `sweep`, from cron
(`mafunzo sessions sweep`) and whenever a manager opens the course's report.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import current_app
from sqlalchemy import and_, delete, exists, or_, select, update
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
    token_id = _token_id(token)
    # The session may have been closed since the claim (a second launch abandoning it, a sweep):
    # the token goes to a session still open, or nowhere. close_sessions revokes the token of a
    # session it marks ended after reading it again, so one of the two always deletes it.
    db.begin_write(session)  # the read above must not be upgraded: another writer may have won
    attached = session.execute(
        update(LaunchSession)
        .where(LaunchSession.id == launch.id, LaunchSession.ended.is_(None))
        .values(token_id=token_id)
    )
    still_open = attached.rowcount == 1  # type: ignore[attr-defined]
    if not still_open:
        session.execute(delete(LaunchToken).where(LaunchToken.token == token_id))
    session.commit()
    if not still_open:
        return {
            "error-code": "1",
            "error-text": "The session has ended: launch the AU again from the LMS.",
        }
    return {"auth-token": token}


def abandon_open(session: Session, registration: str, home_page: str) -> None:
    """Before a new launch: close the registration's sessions still open (see close_sessions)."""
    close_sessions(
        session,
        session.scalars(
            select(LaunchSession).where(
                LaunchSession.registration == registration, LaunchSession.ended.is_(None)
            )
        ).all(),
        home_page,
    )


def idle_timeout() -> timedelta:
    """How long an AU may say nothing before its session counts as abandoned
    (`LAUNCH_IDLE_HOURS`, from MAFUNZO_LAUNCH_IDLE_HOURS)."""
    return timedelta(hours=current_app.config["LAUNCH_IDLE_HOURS"])


def sweep(
    session: Session,
    home_page: str,
    idle: timedelta,
    course_id: int | None = None,
    at: datetime | None = None,
) -> list[LaunchSession]:
    """Close every open session (of one course, or all) whose AU has been silent longer than
    `idle`, or whose token has run out, as on the learner's next launch; returns those closed.

    Cheap when there is nothing to do: one query on the open sessions launched before the cutoff
    or holding a token no longer valid (run out, or deleted as run out).
    """
    if idle <= timedelta(0):
        raise ValueError(f"the idle timeout must be above 0, not {idle}: all would be closed")
    clock = at or now()
    cutoff = clock - idle
    token_valid = exists().where(
        LaunchToken.token == LaunchSession.token_id, LaunchToken.expires > clock.replace(tzinfo=UTC)
    )
    query = select(LaunchSession).where(
        LaunchSession.ended.is_(None),
        or_(
            LaunchSession.launched <= cutoff,
            and_(LaunchSession.token_id.is_not(None), ~token_valid),
        ),
    )
    if course_id is not None:
        query = query.where(LaunchSession.course_id == course_id)
    candidates = session.scalars(query.order_by(LaunchSession.id)).all()
    said: dict[str, list[dict[str, Any]]] = {}
    over = []
    for launch in candidates:
        if launch.registration not in said:
            said[launch.registration] = lms_statements.of_registration(launch.registration)
        own = _own(launch, said[launch.registration])
        if _last_heard(session, launch, own, home_page) <= cutoff or _token_gone(
            session, launch, clock
        ):
            over.append(launch)
    return close_sessions(session, over, home_page)


def sweep_before_report(session: Session, home_page: str, course_id: int) -> None:
    """The sweep a page runs before it shows a course's progress (the report, the waivers), so
    that it is right where no cron sweeps. It never breaks the page: if it fails, or gives up
    waiting for the database's write lock, that is logged and the page shows what is stored;
    the next page or `mafunzo sessions sweep` closes those sessions."""
    try:
        sweep(session, home_page, idle_timeout(), course_id=course_id)
    except Exception as error:  # the page matters more than closing sessions now
        session.rollback()
        current_app.logger.warning(
            "Idle launch sessions of course %s were left open for now, the sweep failed: %s: %s",
            course_id,
            type(error).__name__,
            error,
            exc_info=True,
        )


def close_sessions(
    session: Session, launches: Sequence[LaunchSession], home_page: str
) -> list[LaunchSession]:
    """The one way the LMS ends sessions the AU did not end with the learner's return: their
    tokens stop working, then a cmi5 session without `terminated` gets its one `abandoned`
    (cmi5 9.3.6), each is marked ended with its outcome, and progress is judged again.

    Safe when two requests or sweeps close the same session at once: the `abandoned` statement's
    id is fixed by the session, so the LRS keeps one, and only one of them marks it ended. Returns
    the sessions this call marked ended.
    """
    launches = [launch for launch in launches if launch.ended is None]
    if not launches:
        return []
    db.begin_write(session)
    for launch in launches:
        if launch.token_id:
            session.execute(delete(LaunchToken).where(LaunchToken.token == launch.token_id))
        # A fetch URL not used yet answers "expired" from now on.
        session.execute(
            update(LaunchSession)
            .where(LaunchSession.id == launch.id, LaunchSession.fetched.is_(False))
            .values(fetched=True)
        )
    session.commit()
    # Read after the tokens are gone: nothing more can arrive for these sessions.
    registrations = dict.fromkeys(launch.registration for launch in launches)
    said = {r: lms_statements.of_registration(r) for r in registrations}
    outcomes: dict[int, str] = {}
    for launch in launches:
        own = _own(launch, said[launch.registration])
        verbs = {lms_statements.verb_name(s) for s in own}
        if launch.format != CMI5:
            outcomes[launch.id] = "expired"  # TinCan has no session to abandon: no statement
        elif "terminated" in verbs:
            outcomes[launch.id] = "terminated"
        else:
            outcomes[launch.id] = "abandoned"
            if "abandoned" not in verbs:
                lms_statements.store_once([_abandoned(session, launch, own, home_page)])
    db.begin_write(session)
    closed = []
    for launch in launches:
        marked = session.execute(
            update(LaunchSession)
            .where(LaunchSession.id == launch.id, LaunchSession.ended.is_(None))
            .values(ended=now(), outcome=outcomes[launch.id])
        )
        if marked.rowcount == 1:  # type: ignore[attr-defined]
            closed.append(launch)
    # Read again: a fetch URL claimed before the first step may have attached its token since
    # (from now on fetch_token attaches none to these sessions).
    late_tokens = session.scalars(
        select(LaunchSession.token_id).where(
            LaunchSession.id.in_([launch.id for launch in launches]),
            LaunchSession.token_id.is_not(None),
        )
    ).all()
    session.execute(delete(LaunchToken).where(LaunchToken.token.in_(late_tokens)))
    session.commit()
    for launch in closed:
        session.refresh(launch)
    # A `satisfied` this judgement makes belongs to the session whose end completed the moveOn.
    last_closed = {launch.registration: launch.session_id for launch in closed}
    for registration, session_id in last_closed.items():
        progress.evaluate(session, registration, session_id)
    return closed


def _own(launch: LaunchSession, said: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The statements of one launch: a cmi5 session's by its session id; a TinCan launch has
    none, so all of its registration's (one attempt's)."""
    if launch.format != CMI5:
        return said
    return [s for s in said if lms_statements.session_of(s) == launch.session_id]


def _last_heard(
    session: Session, launch: LaunchSession, own: list[dict[str, Any]], home_page: str
) -> datetime:
    """When the AU last said anything: the launch, its newest statement as the LRS stored it,
    or its newest write to the State API (cmi5 9.3.6 watches both)."""
    heard = [launch.launched]
    heard += [documents.naive_utc(parse_timestamp(s["stored"])) for s in own if "stored" in s]
    user = session.get(User, launch.user_id)
    if user is not None:
        context = documents.Context.state(
            launch.activity_id, agent_key(learner_agent(user, home_page)), launch.registration
        )
        _ids, written = documents.list_ids(session, context)
        if written is not None:
            heard.append(documents.naive_utc(written))
    return max(heard)


def _token_gone(session: Session, launch: LaunchSession, clock: datetime) -> bool:
    """The session's token has run out (or was deleted as run out): the AU cannot speak again."""
    if not launch.token_id:
        return False
    token = session.get(LaunchToken, launch.token_id)
    return token is None or documents.naive_utc(token.expires) <= clock


def _abandoned(
    session: Session, launch: LaunchSession, own: list[dict[str, Any]], home_page: str
) -> dict[str, Any]:
    """cmi5 9.5.4.2: the duration runs from `launched` to the last statement the AU made. Stamped
    now, when the LMS found the session over, but never before the session's own statements
    (cmi5 orders a session by timestamp, and a learner's clock may run ahead)."""
    launched, by_au = None, []
    for statement in own:
        if not isinstance(statement.get("timestamp"), str):
            continue
        verb = lms_statements.verb_name(statement)
        if verb == "launched" and launched is None:
            launched = parse_timestamp(statement["timestamp"])
        elif verb not in lms_statements.LMS_VERBS:
            by_au.append(parse_timestamp(statement["timestamp"]))
    seconds = 0.0
    if launched is not None and by_au:
        seconds = max(0.0, (max(by_au) - launched).total_seconds())
    user = session.get(User, launch.user_id)
    assert user is not None
    statement = lms_statements.lms_statement(
        "abandoned",
        learner_agent(user, home_page),
        launch.activity_id,
        launch.registration,
        launch.session_id,
        _publisher_id(session, launch),
        result={"duration": iso_duration(seconds)},
        statement_id=lms_statements.once_id(launch.registration, f"abandoned {launch.session_id}"),
    )
    latest = max([*by_au, *([launched] if launched else [])], default=None)
    if latest is not None and latest > parse_timestamp(statement["timestamp"]):
        statement["timestamp"] = latest.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return statement


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
