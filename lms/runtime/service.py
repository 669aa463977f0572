"""The runtime service: prepare a launch, replay a SCO's API calls, keep the attempt's data in
the LRS State API and write what happened as xAPI statements."""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms import db
from lms.accounts.models import User
from lms.learning.models import Attempt, Enrolment
from lms.lrs import documents
from lms.lrs.documents_agents import agent_key
from lms.packages.models import Course, Package, Sco
from lms.runtime import datamodel, progress, scorm12, scorm2004, time_limit
from lms.runtime.attempts import now
from lms.runtime.xapi import AttemptContext

VERSIONS = {"scorm12": scorm12.VERSION, "scorm2004": scorm2004.VERSION}
STATE_ID = "https://w3id.org/xapi/scorm/attempt-state"
WRITE_ATTEMPTS = 3
# Commits of one process queue here rather than in SQLite's busy handler, which sleeps in steps
# of up to 100 ms and so turns a short wait for the write lock into a long latency tail.
_WRITERS = threading.Lock()
METHODS = {
    "Initialize": "initialize",
    "Terminate": "terminate",
    "Commit": "commit",
    "GetValue": "get_value",
    "SetValue": "set_value",
}


class RuntimeRequestError(ValueError):
    """A malformed request to the runtime endpoint (not a SCORM error): answered 400."""


class SessionEnded(RuntimeRequestError):
    """Calls of a SCO session that a later launch replaced (the lesson was opened again, or a
    beacon of a closed page arrived late): answered 409, never replayed onto the new session."""


class TimeLimitReached(RuntimeRequestError):
    """Calls of a SCO session that the time limit ended (an `exit` time limit action): answered
    409; what the SCO sent until the session ended is stored."""


def learner_agent(user: User, home_page: str) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "name": user.name,
        "account": {"homePage": home_page, "name": user.public_id},
    }


@dataclass
class AttemptState:
    """The document kept in the State API for one attempt."""

    version: str
    values: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    state: str = "not initialized"
    session: int = 0
    seq: int = 0
    base_seconds: float = 0.0
    completion: str = "not attempted"
    success: str = "unknown"
    scaled: float | None = None
    suspended_in: int = 0  # the SCO session whose suspension was recorded
    started: str = ""  # when the current SCO session was launched (server clock, UTC)
    seen: str = ""  # when the current SCO session last stored a commit
    used_before: float = 0.0  # the learner's time in the attempt's earlier sessions
    ended_by: str = ""  # "time-limit" when the time limit ended the attempt

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass
class Launch:
    attempt: Attempt
    version: datamodel.Version
    values: dict[str, str]
    counts: dict[str, int]
    session: int
    time_limit: time_limit.TimeLimit | None = None
    remaining_seconds: float = 0.0  # of the time limit, at launch


class Runtime:
    """One attempt's runtime, bound to the request's database session."""

    def __init__(self, session: Session, user: User, attempt: Attempt, home_page: str) -> None:
        self.db = session
        self.user = user
        self.attempt = attempt
        self.sco, self.package, self.course = session.execute(
            select(Sco, Package, Course)
            .join(Package, Package.id == Sco.package_id)
            .join(Course, Course.id == Package.course_id)
            .where(Sco.id == attempt.sco_id)
        ).one()
        self.version = VERSIONS[self.package.format]
        self.time_limit = time_limit.of(self.sco.max_time_allowed, self.sco.time_limit_action)
        self.ended_by = ""  # set by `run` when the commit ended the attempt (the time limit)
        self.agent = learner_agent(user, home_page)
        self.context = documents.Context.state(
            self.sco.activity_iri, agent_key(self.agent), attempt.registration
        )
        self.xapi = AttemptContext(
            actor=self.agent,
            registration=attempt.registration,
            course_iri=self.course.iri,
            course_title=self.course.title,
            sco_iri=self.sco.activity_iri,
            sco_title=self.sco.title,
            language=self.package.language,
        )

    # -- storage ---------------------------------------------------------------------------------
    def load(self) -> AttemptState | None:
        stored = self._stored()
        return AttemptState(**json.loads(stored.body)) if stored is not None else None

    def _stored(self) -> documents.StoredDocument | None:
        try:
            return documents.get(self.db, self.context, STATE_ID)
        except documents.DocumentNotFound:
            return None

    def save(
        self, state: AttemptState, preconditions: documents.Preconditions | None = None
    ) -> None:
        """Store the state document; commits the request's session with it."""
        documents.put(
            self.db,
            self.context,
            STATE_ID,
            state.to_json(),
            documents.JSON_TYPE,
            preconditions or documents.Preconditions(),
        )

    # -- launch -----------------------------------------------------------------------------------
    def launch(self) -> Launch:
        """Start a new SCO session of this attempt: fold the last session's time into the total,
        set `entry`, and answer the values the SCO may read."""
        state = self.load() or AttemptState(
            version=self.version.name, values=self._initial_values()
        )
        suspended = self.attempt.suspended
        moment = now()
        if state.session:  # a later session of the same attempt
            state.used_before = self._used_seconds(state, state.values, state.counts, state.seen)
            state.base_seconds += self._session_seconds(state)
            for element in (
                "cmi.exit",
                "cmi.session_time",
                "cmi.core.exit",
                "cmi.core.session_time",
                "adl.nav.request",
            ):
                state.values.pop(element, None)
        state.session += 1
        state.seq = 0
        state.state = "not initialized"
        state.started = state.seen = moment.isoformat()
        entry = "resume" if suspended else ("ab-initio" if state.session == 1 else "")
        self._set_lms_values(state, entry)
        self.save(state)
        limit = self.time_limit
        return Launch(
            self.attempt,
            self.version,
            self._readable(state),
            state.counts,
            state.session,
            limit,
            limit.remaining(self._earlier_seconds(state)) if limit else 0.0,
        )

    def time_is_up(self) -> bool:
        """Whether the time limit ended this attempt (the LMS did, or the SCO left with exit
        `time-out`), or would have had its last session told the server: either way the attempt
        is over (SCORM: after a time-out, a new attempt)."""
        state = self.load()
        if state is None or not state.session:
            return False
        left_with = progress.read(self.version, state.values, {}).exit
        if state.ended_by or left_with == time_limit.TIME_OUT:
            return True
        limit = self.time_limit
        used = self._used_seconds(state, state.values, state.counts, state.seen)
        return limit is not None and limit.exits and limit.reached(used)

    def _earlier_seconds(self, state: AttemptState) -> float:
        """The learner's time in the attempt's sessions before the current one."""
        return max(state.used_before, state.base_seconds)

    def _used_seconds(
        self, state: AttemptState, values: dict[str, str], counts: dict[str, int], until: str
    ) -> float:
        """The learner's time in the attempt until `until` (ISO, server clock) of the current
        session, as the time limit counts it."""
        reported = progress.read(self.version, values, counts).session_seconds
        moment = datetime.fromisoformat(until) if until else now()
        return self._earlier_seconds(state) + time_limit.session_seconds(
            state.started, moment, reported
        )

    def _initial_values(self) -> dict[str, str]:
        sco = self.sco
        assert sco is not None
        if self.version.name == "1.2":
            values = {
                "cmi.core.student_id": self.user.public_id,
                "cmi.core.student_name": self.user.name,
                "cmi.launch_data": sco.launch_data,
                "cmi.student_data.max_time_allowed": sco.max_time_allowed,
                "cmi.student_data.time_limit_action": sco.time_limit_action,
            }
            if sco.mastery_score is not None:
                values["cmi.student_data.mastery_score"] = f"{sco.mastery_score * 100:g}"
            return values
        values = {"cmi.learner_id": self.user.public_id, "cmi.learner_name": self.user.name}
        optional = {
            "cmi.launch_data": sco.launch_data,
            "cmi.max_time_allowed": sco.max_time_allowed,
            "cmi.time_limit_action": sco.time_limit_action,
            "cmi.completion_threshold": _number_text(sco.completion_threshold),
            "cmi.scaled_passing_score": _number_text(sco.mastery_score),
        }
        values.update({key: value for key, value in optional.items() if value})
        return values

    def _set_lms_values(self, state: AttemptState, entry: str) -> None:
        if self.version.name == "1.2":
            state.values.update(
                {
                    "cmi.core.entry": entry,
                    "cmi.core.credit": "credit",
                    "cmi.core.lesson_mode": "normal",
                    "cmi.core.total_time": progress.timespan(state.base_seconds),
                }
            )
        else:
            state.values.update(
                {
                    "cmi.entry": entry,
                    "cmi.credit": "credit",
                    "cmi.mode": "normal",
                    "cmi.total_time": progress.iso_duration(state.base_seconds),
                }
            )

    def _session_seconds(self, state: AttemptState) -> float:
        return progress.read(self.version, state.values, state.counts).session_seconds

    def _readable(self, state: AttemptState) -> dict[str, str]:
        readable = {
            element: value
            for element, value in state.values.items()
            if self.version.rules.get(datamodel.pattern_of(element)[0]) is not None
            and self.version.rules[datamodel.pattern_of(element)[0]].access != datamodel.WO
        }
        return readable

    # -- calls ------------------------------------------------------------------------------------
    def run(self, session: int, batches: list[Batch]) -> tuple[bool, list[dict[str, Any]]]:
        """Replay the SCO's calls, batch by batch (one batch per Commit); batches already stored
        (a retry, or a beacon racing a request) are skipped. All or nothing: when a call that
        writes fails, nothing is stored and the answer says which call and why."""
        for _ in range(WRITE_ATTEMPTS):
            try:
                return self._run_once(session, batches)
            except documents.PreconditionFailed:
                self.db.rollback()  # another request stored this attempt meanwhile: replay
        raise RuntimeRequestError("this attempt kept changing while the commit ran; try again")

    def _run_once(self, session: int, batches: list[Batch]) -> tuple[bool, list[dict[str, Any]]]:
        self.ended_by = ""
        stored = self._stored()
        if stored is None:
            raise RuntimeRequestError("this attempt was never launched")
        state = AttemptState(**json.loads(stored.body))
        if session != state.session:
            raise SessionEnded(
                "this lesson was opened again since this page loaded; its data is kept by the "
                "newer page"
            )
        if state.ended_by == time_limit.ENDED_BY:
            raise TimeLimitReached(
                "the time allowed for this lesson is over: its session has ended and takes no "
                "more data"
            )
        arrived = now()
        api = datamodel.Session(
            self.version, values=dict(state.values), counts=dict(state.counts), state=state.state
        )
        results: list[dict[str, Any]] = []
        statements: list[dict[str, Any]] = []
        outcomes: list[tuple[progress.Progress, list[str]]] = []
        base_seq = state.seq
        fresh: list[Batch] = []
        for batch in batches:  # sorted by seq
            if batch.seq > (fresh[-1].seq if fresh else state.seq):
                fresh.append(batch)
        ending = any(
            batch.final or any(method == "Terminate" for method, _ in batch.calls)
            for batch in fresh
        )
        for batch in fresh:
            before = progress.read(self.version, api.values, api.counts)
            events = []
            was_terminated = api.state == "terminated"
            for method, arguments in batch.calls:
                answer = getattr(api, METHODS[method])(*arguments)
                results.append({"method": method, "result": answer, "error": api.last_error})
                if api.last_error and method != "GetValue":
                    return False, results
                if method in ("Initialize", "Terminate"):
                    events.append(method)
            # The time limit is checked where the session ends: at the SCO's Terminate, else
            # after the last call of this commit.
            if not was_terminated and (batch is fresh[-1] or "Terminate" in events):
                self._check_time_limit(state, api, events, ending, arrived)
            if self.version.name == "1.2" and "Terminate" in events:
                self._apply_mastery_score(api)
            after = progress.read(self.version, api.values, api.counts)
            statements += self._statements(state, batch, events, before, after, api)
            outcomes.append((after, events))
            state.seq = batch.seq
        if state.seq == base_seq:
            return True, results
        state.seen = arrived.isoformat()
        # End this session's read transaction before the LRS writes on its own connection
        # (SQLite cannot upgrade a read snapshot that another writer has moved past).
        self.db.commit()
        with _WRITERS if self.db.get_bind().dialect.name == "sqlite" else contextlib.nullcontext():
            if statements:
                self._store(statements)
            db.begin_write(self.db)
            for after, events in outcomes:
                self._summarize(state, after, events)
            state.values, state.counts, state.state = api.values, api.counts, api.state
            self.save(state, documents.Preconditions(if_match=frozenset({stored.etag})))
        return True, results

    def _check_time_limit(
        self,
        state: AttemptState,
        api: datamodel.Session,
        events: list[str],
        ending: bool,
        arrived: datetime,
    ) -> None:
        """End the SCO session when this commit comes after the time limit of an `exit` action:
        what the SCO sent is kept, the session is terminated with exit `time-out`, which ends the
        attempt (SCORM 2004 then processes Exit All, whatever navigation the SCO asked for), and
        later commits are refused."""
        limit = self.time_limit
        if limit is None:
            return
        used = self._used_seconds(state, api.values, api.counts, arrived.isoformat())
        if not limit.ends_session(used, ending):
            return
        api.values["cmi.core.exit" if self.version.name == "1.2" else "cmi.exit"] = (
            time_limit.TIME_OUT
        )
        if api.state == "running" and "Terminate" not in events:
            events.append("Terminate")
        api.state = "terminated"
        state.ended_by = self.ended_by = time_limit.ENDED_BY

    def _store(self, statements: list[dict[str, Any]]) -> None:
        from lms.lrs.auth import lms_authority
        from lms.lrs.statements import StatementConflict, store_statements

        # Only a racing request replaying the same batch makes the same ids; whichever stored
        # first holds the same events.
        with contextlib.suppress(StatementConflict):
            store_statements(statements, lms_authority())

    def _apply_mastery_score(self, api: datamodel.Session) -> None:
        """SCORM 1.2: with a mastery score and credit, the LMS decides passed or failed."""
        mastery = api.values.get("cmi.student_data.mastery_score")
        raw = api.values.get("cmi.core.score.raw")
        if mastery and raw and api.values.get("cmi.core.credit", "credit") == "credit":
            api.values["cmi.core.lesson_status"] = (
                "passed" if float(raw) >= float(mastery) else "failed"
            )

    def _summarize(self, state: AttemptState, after: progress.Progress, events: list[str]) -> None:
        attempt = self.attempt
        attempt.completion, attempt.success = after.completion, after.success
        attempt.score_scaled = after.scaled
        attempt.progress = after.progress_measure
        attempt.seconds = state.base_seconds + after.session_seconds
        attempt.suspended = after.exit == "suspend"
        attempt.initialized = attempt.initialized or "Initialize" in events
        if "Terminate" in events:
            attempt.finished = after.exit != "suspend"
        attempt.updated = now()
        enrolment = (
            self.db.query(Enrolment)
            .filter_by(user_id=attempt.user_id, course_id=attempt.course_id)
            .first()
        )
        if enrolment is not None:
            enrolment.last_access = attempt.updated

    # -- statements ------------------------------------------------------------------------------
    def _statements(
        self,
        state: AttemptState,
        batch: Batch,
        events: list[str],
        before: progress.Progress,
        after: progress.Progress,
        api: datamodel.Session,
    ) -> list[dict[str, Any]]:
        stamp = batch.timestamp
        key = f"{state.session}:{batch.seq}:"
        made: list[dict[str, Any]] = []

        def add(
            verb: str, result: dict[str, Any] | None = None, activity: dict[str, Any] | None = None
        ) -> None:
            made.append(self.xapi.statement(verb, key + str(len(made)), stamp, result, activity))

        if "Initialize" in events:
            resumed = api.values.get("cmi.entry", api.values.get("cmi.core.entry")) == "resume"
            add("resumed" if resumed else "initialized")
        old = {(item.id, item.response) for item in before.interactions}
        for item in after.interactions:
            if item.response is not None and (item.id, item.response) not in old:
                result: dict[str, Any] = {"response": item.response}
                if item.result in ("correct", "incorrect", "wrong"):
                    result["success"] = item.result == "correct"
                if item.latency_seconds is not None:
                    result["duration"] = progress.iso_duration(item.latency_seconds)
                add(
                    "responded",
                    result,
                    self.xapi.interaction(item.id, item.type, item.patterns, item.description),
                )
        earlier = {objective.id: objective for objective in before.objectives}
        for objective in after.objectives:
            previous = earlier.get(objective.id)
            activity = self.xapi.objective(objective.id)
            if objective.completion == "completed" and (
                previous is None or previous.completion != "completed"
            ):
                add("completed", {"completion": True}, activity)
            if objective.success in ("passed", "failed") and (
                previous is None or previous.success != objective.success
            ):
                result = {"success": objective.success == "passed"}
                if objective.scaled is not None and -1 <= objective.scaled <= 1:
                    result["score"] = {"scaled": round(objective.scaled, 4)}
                add(objective.success, result, activity)
        score = after.score()
        if score and score != before.score():
            add("scored", {"score": score})
        if after.completion == "completed" and before.completion != "completed":
            add("completed", {"completion": True})
        if after.success in ("passed", "failed") and after.success != before.success:
            add(
                after.success,
                {"success": after.success == "passed", **({"score": score} if score else {})},
            )
        session_ends = "Terminate" in events or batch.final
        if after.exit == "suspend" and session_ends and state.suspended_in != state.session:
            state.suspended_in = state.session
            add("suspended", self._overall(after, state))
        if "Terminate" in events:
            add("terminated", self._overall(after, state))
        return made

    def _overall(self, after: progress.Progress, state: AttemptState) -> dict[str, Any]:
        result: dict[str, Any] = {
            "duration": progress.iso_duration(state.base_seconds + after.session_seconds)
        }
        if after.success in ("passed", "failed"):
            result["success"] = after.success == "passed"
        if after.completion in ("completed", "incomplete"):
            result["completion"] = after.completion == "completed"
        if after.score():
            result["score"] = after.score()
        return result


@dataclass(frozen=True)
class Batch:
    """The calls a SCO made between two commits, numbered from 1 in each SCO session."""

    seq: int
    timestamp: str
    calls: list[tuple[str, list[str]]]
    final: bool = False  # sent as the page was hidden: the SCO session may end here


def parse_session(body: Any) -> int:
    """The SCO session (one per launch) the batches belong to."""
    session = body.get("session") if isinstance(body, dict) else None
    if not isinstance(session, int) or isinstance(session, bool) or session < 1:
        raise RuntimeRequestError("the body needs the player's session number (a positive integer)")
    return session


def parse_batches(body: Any) -> list[Batch]:
    """`{"batches": [{"seq": 1, "time": ISO 8601, "calls": [[method, args...], ...],
    "final": false}, ...]}`."""
    raw = body.get("batches") if isinstance(body, dict) else None
    if not isinstance(raw, list) or not raw:
        raise RuntimeRequestError(
            'expected {"batches": [{"seq": n, "time": "...", "calls": '
            "[[method, arguments...], ...]}, ...]}"
        )
    batches = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("seq"), int) or item["seq"] < 1:
            raise RuntimeRequestError("each batch needs a positive integer seq")
        if not isinstance(item.get("calls"), list):
            raise RuntimeRequestError("each batch needs a list of calls")
        batches.append(
            Batch(
                item["seq"],
                _timestamp(item.get("time")),
                [_parse_call(call) for call in item["calls"]],
                item.get("final") is True,
            )
        )
    return sorted(batches, key=lambda batch: batch.seq)


def _timestamp(value: Any) -> str:
    """The client's time of the commit (so a replayed batch makes identical statements), or now
    when it sends none or nonsense; never in the future."""
    now_utc = datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        if moment.tzinfo is None or moment > now_utc:
            raise ValueError(value)
    except ValueError:
        moment = now_utc
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse_call(call: Any) -> tuple[str, list[str]]:
    if not isinstance(call, list) or not call or call[0] not in METHODS:
        raise RuntimeRequestError(
            f"each call must be [method, arguments...] with a method among "
            f"{', '.join(METHODS)}; got {call!r}"
        )
    method, arguments = call[0], call[1:]
    expected = 2 if method == "SetValue" else 1
    if len(arguments) != expected or not all(isinstance(arg, str) for arg in arguments):
        raise RuntimeRequestError(
            f"{method} takes {expected} string argument(s); got {arguments!r}"
        )
    return method, arguments


def _number_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
