"""The runtime endpoint: SCORM error codes, malformed requests, retries, and who may use it."""

from __future__ import annotations

import json

import pytest
from flask import Flask

from tests.fixtures.lms_learning import Learner, stored_statements, verbs

# (calls, the failing call's SCORM 2004 error code); the failing call is the last one.
ERRORS_2004 = [
    ([["SetValue", "cmi.location", "x"]], 132),
    ([["Commit", ""]], 142),
    ([["Terminate", ""]], 112),
    ([["Initialize", ""], ["Initialize", ""]], 103),
    ([["Initialize", ""], ["Terminate", ""], ["Initialize", ""]], 104),
    ([["Initialize", ""], ["Terminate", ""], ["Terminate", ""]], 113),
    ([["Initialize", ""], ["Terminate", ""], ["SetValue", "cmi.location", "x"]], 133),
    ([["Initialize", ""], ["Terminate", ""], ["Commit", ""]], 143),
    ([["Initialize", "x"]], 201),
    ([["Initialize", ""], ["SetValue", "", "x"]], 351),
    ([["Initialize", ""], ["SetValue", "cmi.bogus", "x"]], 401),
    ([["Initialize", ""], ["SetValue", "adl.data.0.id", "x"]], 402),
    ([["Initialize", ""], ["SetValue", "cmi.learner_id", "x"]], 404),
    ([["Initialize", ""], ["SetValue", "cmi.exit", "later"]], 406),
    ([["Initialize", ""], ["SetValue", "cmi.score.scaled", "2"]], 407),
    ([["Initialize", ""], ["SetValue", "cmi.objectives.0.score.raw", "1"]], 408),
]
# GetValue errors do not abort a commit: the answer carries them.
GET_ERRORS_2004 = [
    ([["GetValue", "cmi.location"]], 122),
    ([["Initialize", ""], ["Terminate", ""], ["GetValue", "cmi.location"]], 123),
    ([["Initialize", ""], ["GetValue", ""]], 301),
    ([["Initialize", ""], ["GetValue", "cmi.location"]], 403),
    ([["Initialize", ""], ["GetValue", "cmi.exit"]], 405),
]


@pytest.fixture
def quiz(courses: dict[str, int], learner: Learner):  # type: ignore[no-untyped-def]
    learner.enrol(courses["course"])
    return learner.launch(courses["course"], "quiz")


@pytest.mark.parametrize(("calls", "code"), ERRORS_2004)
def test_each_scorm2004_error_code_refuses_the_commit_and_stores_nothing(
    lms: Flask, quiz, calls: list[list[str]], code: int
) -> None:  # type: ignore[no-untyped-def]
    answer = quiz.send(*calls)
    assert answer.status_code == 400
    assert answer.json["results"][-1]["error"] == code
    assert f"SCORM error {code}" in answer.json["message"]
    state = quiz.learner.client.get(f"/runtime/{quiz.registration}").json
    assert state["state"] == "not initialized"
    assert stored_statements(lms, quiz.registration) == []


@pytest.mark.parametrize(("calls", "code"), GET_ERRORS_2004)
def test_get_value_errors_are_answered(
    quiz,
    calls: list[list[str]],  # type: ignore[no-untyped-def]
    code: int,
) -> None:
    answer = quiz.send(*calls)
    assert answer.status_code == 200
    assert answer.json["results"][-1] == {"method": "GetValue", "result": "", "error": code}


ERRORS_12 = [
    ([["SetValue", "cmi.core.lesson_location", "x"]], 301),
    ([["Initialize", ""], ["Initialize", ""]], 101),
    ([["Initialize", "x"]], 201),
    ([["Initialize", ""], ["SetValue", "cmi.core._children", "x"]], 402),
    ([["Initialize", ""], ["SetValue", "cmi.core.student_id", "x"]], 403),
    ([["Initialize", ""], ["SetValue", "cmi.core.lesson_status", "done"]], 405),
    ([["Initialize", ""], ["SetValue", "cmi.core.made_up", "x"]], 401),
]
GET_ERRORS_12 = [
    ([["Initialize", ""], ["GetValue", "cmi.core.student_id._children"]], 202),
    ([["Initialize", ""], ["GetValue", "cmi.core._count"]], 203),
    ([["Initialize", ""], ["GetValue", "cmi.core.exit"]], 404),
]


@pytest.mark.parametrize(
    ("calls", "code", "status"),
    [
        *((calls, code, 400) for calls, code in ERRORS_12),
        *((calls, code, 200) for calls, code in GET_ERRORS_12),
    ],
)
def test_each_scorm12_error_code(
    courses: dict[str, int], learner: Learner, calls: list[list[str]], code: int, status: int
) -> None:
    learner.enrol(courses["course"], language="fr")
    answer = learner.launch(courses["course"]).send(*calls)
    assert answer.status_code == status
    assert answer.json["results"][-1]["error"] == code


def test_a_retried_commit_is_stored_once(lms: Flask, quiz) -> None:  # type: ignore[no-untyped-def]
    calls = (["Initialize", ""], ["SetValue", "cmi.score.scaled", "0.5"], ["Commit", ""])
    assert quiz.send(*calls, seq=1).status_code == 200
    assert quiz.send(*calls, seq=1).status_code == 200
    assert verbs(stored_statements(lms, quiz.registration)) == ["initialized", "scored", "failed"]


def test_a_beacon_carrying_batches_already_stored_adds_only_the_new_ones(lms: Flask, quiz) -> None:  # type: ignore[no-untyped-def]
    quiz.send(["Initialize", ""], seq=1)
    body = {
        "csrf": quiz.config["csrf"],
        "session": quiz.config["session"],
        "batches": [
            {"seq": 1, "time": "2026-01-02T10:00:00Z", "calls": [["Initialize", ""]]},
            {
                "seq": 2,
                "time": "2026-01-02T10:01:00Z",
                "final": True,
                "calls": [["SetValue", "cmi.exit", "suspend"], ["Commit", ""]],
            },
        ],
    }
    answer = quiz.learner.client.post(quiz.config["commitUrl"], data=json.dumps(body))
    assert answer.status_code == 200
    assert verbs(stored_statements(lms, quiz.registration)) == ["initialized", "suspended"]


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        '{"batches": []}',
        '{"batches": [{"seq": 0, "calls": []}]}',
        '{"batches": [{"seq": 1, "calls": [["Dance", ""]]}]}',
        '{"batches": [{"seq": 1, "calls": [["SetValue", "cmi.location"]]}]}',
    ],
)
def test_malformed_requests_are_400_with_a_message(quiz, body: str) -> None:  # type: ignore[no-untyped-def]
    if body.startswith("{"):
        data = json.loads(body)
        data["csrf"] = quiz.config["csrf"]
        data["session"] = quiz.config["session"]
        body = json.dumps(data)
    answer = quiz.learner.client.post(quiz.config["commitUrl"], data=body)
    assert answer.status_code == 400
    assert answer.json["message"]


def test_a_commit_without_the_csrf_token_is_refused(lms: Flask, quiz) -> None:  # type: ignore[no-untyped-def]
    answer = quiz.send(["Initialize", ""], csrf="forged")
    assert answer.status_code == 400 and "CSRF" in answer.json["message"]
    assert stored_statements(lms, quiz.registration) == []


def test_another_learner_can_neither_read_nor_write_my_attempt(
    lms: Flask, quiz, make_learner
) -> None:  # type: ignore[no-untyped-def]
    quiz.send(["Initialize", ""], ["SetValue", "cmi.suspend_data", "secret"], ["Commit", ""])
    intruder: Learner = make_learner("mallory@example.org")
    assert intruder.client.get(f"/runtime/{quiz.registration}").status_code == 404
    token = intruder.csrf()
    body = {
        "csrf": token,
        "batches": [{"seq": 9, "calls": [["SetValue", "cmi.suspend_data", "overwritten"]]}],
    }
    answer = intruder.client.post(quiz.config["commitUrl"], data=json.dumps(body))
    assert answer.status_code == 404
    mine = quiz.learner.client.get(f"/runtime/{quiz.registration}").json
    assert mine["values"]["cmi.suspend_data"] == "secret"
    history = intruder.client.get("/my-record").get_data(as_text=True)
    assert "Nothing yet." in history
    assert "initialized" in quiz.learner.client.get("/my-record").get_data(as_text=True)


def test_the_runtime_needs_a_logged_in_learner(lms: Flask, quiz) -> None:  # type: ignore[no-untyped-def]
    anonymous = lms.test_client()
    assert anonymous.post(quiz.config["commitUrl"], data="{}").status_code == 401
    assert anonymous.get(f"/runtime/{quiz.registration}").status_code == 302


def test_a_late_beacon_of_a_closed_page_cannot_touch_the_reopened_lesson(
    courses: dict[str, int],
    quiz,  # type: ignore[no-untyped-def]
) -> None:
    quiz.send(["Initialize", ""], ["SetValue", "cmi.location", "p2"], ["Commit", ""])
    reopened = quiz.learner.launch(courses["course"], "quiz")
    assert reopened.registration == quiz.registration
    assert reopened.config["session"] == quiz.config["session"] + 1
    late = quiz.send(["SetValue", "cmi.location", "p9"], ["Commit", ""], final=True)
    assert late.status_code == 409 and "opened again" in late.json["message"]
    assert reopened.send(["Initialize", ""]).status_code == 200
    state = quiz.learner.client.get(f"/runtime/{quiz.registration}").json
    assert state["values"]["cmi.location"] == "p2"
