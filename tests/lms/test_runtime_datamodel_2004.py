"""The SCORM 2004 data model answers every call as the RTE book says, error code by error code."""

from __future__ import annotations

import pytest

from lms.runtime.datamodel import Session
from lms.runtime.scorm2004 import VERSION


def running(**values: str) -> Session:
    session = Session(VERSION, values={"cmi.learner_id": "u1", "cmi.learner_name": "Ada", **values})
    assert session.initialize("") == "true"
    return session


def test_call_order_errors() -> None:
    session = Session(VERSION)
    assert session.get_value("cmi.location") == "" and session.get_last_error() == "122"
    assert session.set_value("cmi.location", "p1") == "false"
    assert session.get_last_error() == "132"
    assert session.commit("") == "false" and session.get_last_error() == "142"
    assert session.terminate("") == "false" and session.get_last_error() == "112"
    assert session.initialize("x") == "false" and session.get_last_error() == "201"
    assert session.initialize("") == "true" and session.get_last_error() == "0"
    assert session.initialize("") == "false" and session.get_last_error() == "103"
    assert session.commit("x") == "false" and session.get_last_error() == "201"
    assert session.commit("") == "true"
    assert session.terminate("") == "true"
    assert session.terminate("") == "false" and session.get_last_error() == "113"
    assert session.get_value("cmi.mode") == "" and session.get_last_error() == "123"
    assert session.set_value("cmi.location", "x") == "false"
    assert session.get_last_error() == "133"
    assert session.commit("") == "false" and session.get_last_error() == "143"
    assert session.initialize("") == "false" and session.get_last_error() == "104"


@pytest.mark.parametrize(
    ("element", "code"),
    [
        ("", "301"),
        ("cmi.nonsense", "401"),
        ("adl.data._count", "402"),
        ("cmi.location", "403"),
        ("cmi.suspend_data", "403"),
        ("cmi.score.raw", "403"),
        ("cmi.exit", "405"),
        ("cmi.session_time", "405"),
        ("cmi.location._children", "301"),
        ("cmi.location._count", "301"),
        ("cmi.interactions.0.id", "301"),
        ("cmi.objectives.0.objectives._count", "401"),
    ],
)
def test_get_value_errors(element: str, code: str) -> None:
    session = running()
    assert session.get_value(element) == ""
    assert session.get_last_error() == code
    assert session.get_error_string(code) != ""


@pytest.mark.parametrize(
    ("element", "value"),
    [
        ("cmi._version", "1.0"),
        ("cmi.completion_status", "unknown"),
        ("cmi.success_status", "unknown"),
        ("cmi.mode", "normal"),
        ("cmi.credit", "credit"),
        ("cmi.entry", ""),
        ("cmi.learner_id", "u1"),
        ("cmi.learner_name", "Ada"),
        ("cmi.total_time", "PT0S"),
        ("cmi.interactions._count", "0"),
        ("cmi.score._children", "scaled,raw,min,max"),
        ("cmi.learner_preference.audio_captioning", "0"),
    ],
)
def test_defaults_and_keywords(element: str, value: str) -> None:
    session = running()
    assert session.get_value(element) == value
    assert session.get_last_error() == "0"


@pytest.mark.parametrize(
    ("element", "value", "code"),
    [
        ("", "x", "351"),
        ("cmi.nonsense", "x", "401"),
        ("adl.data.0.store", "x", "402"),
        ("cmi.learner_id", "me", "404"),
        ("cmi.interactions._count", "3", "404"),
        ("cmi._version", "2", "404"),
        ("cmi.completion_status", "done", "406"),
        ("cmi.exit", "later", "406"),
        ("cmi.exit", "timeout", "406"),  # RTE 4.2.12 spells it time-out, as 1.2 does
        ("cmi.session_time", "20 minutes", "406"),
        ("cmi.session_time", "PT", "406"),
        ("cmi.score.raw", "ten", "406"),
        ("cmi.score.scaled", "1.5", "407"),
        ("cmi.progress_measure", "-0.1", "407"),
        ("cmi.learner_preference.audio_level", "-1", "407"),
        ("cmi.interactions.1.id", "q1", "351"),
        ("cmi.interactions.0.type", "choice", "408"),
        ("cmi.objectives.0.score.raw", "5", "408"),
        ("cmi.suspend_data", "x" * 64001, "406"),
        ("cmi.location", "x" * 1001, "406"),
        ("cmi.interactions.0.id", "", "406"),
    ],
)
def test_set_value_errors(element: str, value: str, code: str) -> None:
    session = running()
    assert session.set_value(element, value) == "false"
    assert session.get_last_error() == code


def test_interactions_are_added_in_order_with_typed_responses() -> None:
    session = running()
    assert session.set_value("cmi.interactions.0.id", "urn:q:1") == "true"
    assert session.set_value("cmi.interactions.0.learner_response", "a") == "false"
    assert session.get_last_error() == "408"  # the type must come first
    assert session.set_value("cmi.interactions.0.type", "choice") == "true"
    assert session.set_value("cmi.interactions.0.learner_response", "a[,]c") == "true"
    assert session.set_value("cmi.interactions.0.correct_responses.0.pattern", "a[,]b") == "true"
    assert session.set_value("cmi.interactions.0.result", "incorrect") == "true"
    assert session.set_value("cmi.interactions.0.latency", "PT12.5S") == "true"
    assert session.set_value("cmi.interactions.0.timestamp", "2026-11-24T10:00:00Z") == "true"
    assert session.set_value("cmi.interactions.0.objectives.0.id", "obj-1") == "true"
    assert session.set_value("cmi.interactions.0.objectives.1.id", "obj-1") == "false"
    assert session.get_last_error() == "351"  # objective ids are unique within an interaction
    assert session.get_value("cmi.interactions._count") == "1"
    assert session.get_value("cmi.interactions.0.correct_responses._count") == "1"
    assert session.get_value("cmi.interactions.0.learner_response") == "a[,]c"
    assert session.set_value("cmi.interactions.1.id", "urn:q:2") == "true"
    assert session.set_value("cmi.interactions.1.type", "true-false") == "true"
    assert session.set_value("cmi.interactions.1.learner_response", "yes") == "false"
    assert session.get_last_error() == "406"
    assert session.set_value("cmi.interactions.1.type", "numeric") == "true"
    assert session.set_value("cmi.interactions.1.correct_responses.0.pattern", "1[:]5") == "true"


@pytest.mark.parametrize("value", ["time-out", "suspend", "logout", "normal", ""])
def test_every_exit_of_the_vocabulary_is_taken(value: str) -> None:
    session = running()
    assert session.set_value("cmi.exit", value) == "true"
    assert session.get_last_error() == "0"


def test_objective_ids_are_unique_and_fixed_once_set() -> None:
    session = running()
    assert session.set_value("cmi.objectives.0.id", "o1") == "true"
    assert session.set_value("cmi.objectives.1.id", "o1") == "false"
    assert session.get_last_error() == "351"
    assert session.set_value("cmi.objectives.0.id", "o2") == "false"
    assert session.get_value("cmi.objectives.0.success_status") == "unknown"


def test_statuses_are_evaluated_from_threshold_and_passing_score() -> None:
    session = running(**{"cmi.completion_threshold": "0.8", "cmi.scaled_passing_score": "0.7"})
    assert session.get_value("cmi.completion_status") == "unknown"
    session.set_value("cmi.completion_status", "completed")
    session.set_value("cmi.progress_measure", "0.5")
    assert session.get_value("cmi.completion_status") == "incomplete"
    session.set_value("cmi.score.scaled", "0.75")
    session.set_value("cmi.success_status", "failed")
    assert session.get_value("cmi.success_status") == "passed"


def test_state_survives_a_round_trip_through_its_document() -> None:
    session = running()
    session.set_value("cmi.suspend_data", "abc")
    session.set_value("cmi.interactions.0.id", "q")
    restored = Session(VERSION)
    restored.load(session.to_document())
    restored.initialize("")
    assert restored.get_value("cmi.suspend_data") == "abc"
    assert restored.get_value("cmi.interactions._count") == "1"


def test_client_rules_are_plain_json() -> None:
    import json

    rules = json.loads(json.dumps(VERSION.client_rules()))
    assert rules["rules"]["cmi.exit"][0] == "wo"
    assert rules["errors"]["type_mismatch"] == 406
