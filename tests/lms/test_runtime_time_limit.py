"""SCORM time limits: the arithmetic (ISO 8601 durations, SCORM 1.2 timespans, the actions), and
the server ending a session whose time is up, whatever the browser does."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask

from lms.runtime import progress, service, time_limit
from lms.runtime.time_limit import TimeLimit
from tests.fixtures.lms_learning import Learner, import_course, stored_statements, verbs
from tests.fixtures.scorm_packages import SCORM12_MANIFEST, scorm12_files

HOUR = 3600.0


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("PT1H30M", 5400.0),
        ("PT2S", 2.0),
        ("PT0.5S", 0.5),
        ("P1DT2H", 93600.0),
        ("PT90M", 5400.0),
        ("0001:30:00", 5400.0),
        ("00:30:00", 1800.0),
        ("00:00:02.5", 2.5),
        (" PT1H ", 3600.0),
    ],
)
def test_a_limit_reads_as_iso_8601_or_as_a_scorm12_timespan(text: str, seconds: float) -> None:
    assert progress.duration_seconds(text) == seconds


@pytest.mark.parametrize("text", ["", "P", "PT", "P1DT", "1:30", "30 minutes", "PT1H2", "00:3:00"])
def test_anything_else_is_no_duration(text: str) -> None:
    assert progress.duration_seconds(text) is None


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("exit,message", "exit,message"),
        ("Exit, Message", "exit,message"),
        ("exit,no  message", "exit,no message"),
        (" continue , no message ", "continue,no message"),
        ("continue,message", "continue,message"),
        ("", "continue,no message"),
        ("stop", "continue,no message"),
    ],
)
def test_the_action_is_read_in_the_scorm_vocabulary(text: str, action: str) -> None:
    assert time_limit.parse_action(text) == action


def test_a_sco_without_a_duration_or_with_zero_has_no_limit() -> None:
    assert time_limit.of("", "exit,message") is None
    assert time_limit.of("PT0S", "exit,message") is None
    assert time_limit.of("0000:00:00", "exit,message") is None
    assert time_limit.of("soon", "exit,message") is None
    assert time_limit.of("00:30:00", "") == TimeLimit(1800.0, "continue,no message")


def test_what_each_action_does() -> None:
    assert [
        (limit.exits, limit.tells, limit.acts)
        for limit in (TimeLimit(60, action) for action in time_limit.ACTIONS)
    ] == [(True, True, True), (True, False, True), (False, True, True), (False, False, False)]


def test_the_time_left_and_when_a_commit_ends_the_session() -> None:
    limit = TimeLimit(60, "exit,no message")
    assert (limit.remaining(45), limit.remaining(75)) == (15, 0)
    assert not limit.ends_session(59.9, ending=True)
    assert limit.ends_session(60, ending=True)
    # A commit that is not the last of the session gets the grace the player's exit needs.
    assert not limit.ends_session(60 + time_limit.GRACE_SECONDS - 1, ending=False)
    assert limit.ends_session(60 + time_limit.GRACE_SECONDS, ending=False)
    assert not TimeLimit(60, "continue,message").ends_session(600, ending=True)


def test_a_session_counts_the_clock_or_the_scos_report_whichever_is_longer() -> None:
    launched = datetime(2026, 1, 2, 10, 0, 0)
    later = launched + timedelta(seconds=90)
    assert time_limit.session_seconds(launched.isoformat(), later, 30.0) == 90.0
    assert time_limit.session_seconds(launched.isoformat(), later, 120.0) == 120.0
    assert time_limit.session_seconds("", later, 30.0) == 30.0


# -- the server ---------------------------------------------------------------------------------


class Clock:
    """The runtime's clock, moved by the test instead of waited for."""

    def __init__(self) -> None:
        self.moment = datetime(2026, 1, 2, 10, 0, 0)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr(service, "now", moved)
    return moved


def _state(learner: Learner, registration: str) -> dict:  # type: ignore[type-arg]
    return learner.client.get(f"/runtime/{registration}").json  # type: ignore[no-any-return]


ANSWER = [
    ["SetValue", "cmi.interactions.0.id", "urn:example:q1"],
    ["SetValue", "cmi.interactions.0.type", "true-false"],
    ["SetValue", "cmi.interactions.0.learner_response", "true"],
]


def test_the_player_is_told_the_time_left_and_what_to_do(
    courses: dict[str, int], learner: Learner, clock: Clock
) -> None:
    learner.enrol(courses["course"])
    quiz = learner.launch(courses["course"], "quiz")  # PT1H, exit,message
    assert quiz.config["timeLimit"] == {
        "remaining": HOUR,
        "exits": True,
        "tells": True,
        "seconds": HOUR,
    }
    assert "this lesson allows 1 hour" in quiz.page
    assert learner.launch(courses["course"], "intro").config["timeLimit"] is None


def test_a_commit_after_the_limit_is_stored_and_ends_the_attempt_with_a_time_out(
    lms: Flask, courses: dict[str, int], learner: Learner, clock: Clock
) -> None:
    learner.enrol(courses["course"])
    quiz = learner.launch(courses["course"], "quiz")
    assert quiz.send(["Initialize", ""], ["SetValue", "cmi.location", "p2"]).status_code == 200
    clock.advance(HOUR + 1)
    # The SCO's last words, sent as the player unloads it: kept, though the time is up; its
    # exit=suspend and its navigation request give way to the time-out (SCORM: Exit All).
    late = quiz.send(
        *ANSWER,
        ["SetValue", "cmi.exit", "suspend"],
        ["SetValue", "adl.nav.request", "continue"],
        ["Terminate", ""],
    )
    assert late.status_code == 200, late.json
    assert late.json["ended"] == "time-limit"
    state = _state(learner, quiz.registration)
    assert state["state"] == "terminated"
    assert state["values"]["cmi.exit"] == "time-out"
    assert state["values"]["cmi.interactions.0.learner_response"] == "true"
    assert verbs(stored_statements(lms, quiz.registration)) == [
        "initialized",
        "responded",
        "terminated",
    ]

    # Anything later is refused, clearly, and stores nothing.
    refused = quiz.send(["Initialize", ""], ["SetValue", "cmi.location", "p9"])
    assert refused.status_code == 409
    assert refused.json["ended"] == "time-limit"
    assert "time allowed" in refused.json["message"]
    assert _state(learner, quiz.registration)["values"]["cmi.location"] == "p2"

    # A timed-out attempt is over: the next launch starts a new one, with all the time again.
    again = learner.launch(courses["course"], "quiz")
    assert again.registration != quiz.registration
    assert again.values["cmi.entry"] == "ab-initio"
    assert again.config["timeLimit"]["remaining"] == HOUR


def test_a_sco_that_never_terminates_is_ended_by_its_closing_page(
    lms: Flask, courses: dict[str, int], learner: Learner, clock: Clock
) -> None:
    learner.enrol(courses["course"])
    quiz = learner.launch(courses["course"], "quiz")
    quiz.send(["Initialize", ""])
    clock.advance(HOUR + 0.5)
    answer = quiz.send(*ANSWER, final=True)  # the player's own end of the session
    assert answer.json["ended"] == "time-limit"
    assert _state(learner, quiz.registration)["values"]["cmi.exit"] == "time-out"
    assert verbs(stored_statements(lms, quiz.registration))[-1] == "terminated"


def test_a_commit_just_after_the_limit_waits_for_the_players_exit_then_ends(
    courses: dict[str, int], learner: Learner, clock: Clock
) -> None:
    learner.enrol(courses["course"])
    quiz = learner.launch(courses["course"], "quiz")
    quiz.send(["Initialize", ""])
    clock.advance(HOUR + 2)
    early = quiz.send(["SetValue", "cmi.location", "p3"], ["Commit", ""])
    assert early.status_code == 200 and "ended" not in early.json
    clock.advance(time_limit.GRACE_SECONDS)
    assert quiz.send(["SetValue", "cmi.location", "p4"]).json["ended"] == "time-limit"
    assert _state(learner, quiz.registration)["values"]["cmi.location"] == "p4"


def test_an_attempt_whose_time_ran_out_without_its_end_reaching_the_server_is_not_continued(
    courses: dict[str, int], learner: Learner, clock: Clock
) -> None:
    learner.enrol(courses["course"])
    quiz = learner.launch(courses["course"], "quiz")
    quiz.send(["Initialize", ""], ["SetValue", "cmi.exit", "suspend"])
    clock.advance(HOUR + 5)
    assert "ended" not in quiz.send(["SetValue", "cmi.location", "p3"]).json  # then the page died
    clock.advance(600)
    again = learner.launch(courses["course"], "quiz")
    assert again.registration != quiz.registration
    assert again.config["timeLimit"]["remaining"] == HOUR


def test_a_sco_that_leaves_with_a_time_out_itself_ends_its_attempt(
    courses: dict[str, int], learner: Learner, clock: Clock
) -> None:
    learner.enrol(courses["course"])
    quiz = learner.launch(courses["course"], "quiz")
    left = quiz.send(["Initialize", ""], ["SetValue", "cmi.exit", "time-out"], ["Terminate", ""])
    assert left.status_code == 200
    assert learner.launch(courses["course"], "quiz").registration != quiz.registration


def test_the_time_counts_over_every_session_of_the_attempt(
    courses: dict[str, int], learner: Learner, clock: Clock
) -> None:
    learner.enrol(courses["course"])
    first = learner.launch(courses["course"], "quiz")
    first.send(["Initialize", ""], ["SetValue", "cmi.exit", "suspend"])
    clock.advance(1200)
    first.send(["Terminate", ""], final=True)
    clock.advance(5000)  # away: not counted
    second = learner.launch(courses["course"], "quiz")
    assert second.registration == first.registration
    assert second.config["timeLimit"]["remaining"] == HOUR - 1200
    second.send(["Initialize", ""])
    clock.advance(HOUR - 1200)
    assert second.send(["Terminate", ""]).json["ended"] == "time-limit"


def test_a_continue_action_never_ends_a_session(
    courses: dict[str, int], learner: Learner, clock: Clock
) -> None:
    learner.enrol(courses["course"], language="fr")  # SCORM 1.2: 00:30:00, continue,message
    lesson = learner.launch(courses["course"])
    assert lesson.config["timeLimit"] == {
        "remaining": 1800.0,
        "exits": False,
        "tells": True,
        "seconds": 1800.0,
    }
    lesson.send(["Initialize", ""])
    clock.advance(3 * HOUR)
    answer = lesson.send(["SetValue", "cmi.core.lesson_location", "2"], ["Terminate", ""])
    assert answer.status_code == 200 and "ended" not in answer.json
    assert _state(learner, lesson.registration)["values"].get("cmi.core.exit", "") == ""


def test_a_scorm12_exit_action_ends_with_a_time_out_and_the_mastery_score(
    lms: Flask, learner: Learner, clock: Clock, tmp_path: Path
) -> None:
    manifest = SCORM12_MANIFEST.replace("continue,message", "exit,no message")
    course_id = import_course(lms, tmp_path / "limited-scorm12-fr.zip", scorm12_files(manifest))
    learner.enrol(course_id, language="fr")
    lesson = learner.launch(course_id)
    assert lesson.config["timeLimit"]["tells"] is False
    # No message: the alert stays hidden unless the server refused the lesson's last data.
    assert re.search(r'<div id="time-up"[^>]*\shidden>', lesson.page)
    lesson.send(["Initialize", ""], ["SetValue", "cmi.core.score.raw", "85"])
    clock.advance(1800)
    assert lesson.send(final=True).json["ended"] == "time-limit"
    values = _state(learner, lesson.registration)["values"]
    assert values["cmi.core.exit"] == "time-out"
    assert values["cmi.core.lesson_status"] == "passed"  # mastery score 80, as at LMSFinish
