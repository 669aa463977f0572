"""A hand-written SCORM 1.2 package played through the runtime API, as our adapter would."""

from __future__ import annotations

from flask import Flask

from tests.fixtures.lms_learning import Learner, stored_statements, verbs
from tests.fixtures.scorm_packages import COURSE_IRI


def test_a_scorm12_sco_is_played_to_a_pass_with_its_history_in_the_lrs(
    lms: Flask, courses: dict[str, int], learner: Learner
) -> None:
    learner.enrol(courses["course"], language="fr")
    launch = learner.launch(courses["course"])
    assert launch.config["version"] == "1.2"
    assert launch.values["cmi.core.student_name"] == "Amina"
    assert launch.values["cmi.core.entry"] == "ab-initio"
    assert launch.values["cmi.launch_data"] == "seed=42"
    assert launch.values["cmi.student_data.mastery_score"] == "80"
    assert "sco/index.html?mode=quiz" in launch.page

    answer = launch.send(
        ["Initialize", ""],
        ["SetValue", "cmi.interactions.0.id", "q1"],
        ["SetValue", "cmi.interactions.0.type", "choice"],
        ["SetValue", "cmi.interactions.0.student_response", "b,c"],
        ["SetValue", "cmi.interactions.0.correct_responses.0.pattern", "{b,c}"],
        ["SetValue", "cmi.interactions.0.result", "correct"],
        ["SetValue", "cmi.interactions.0.latency", "0000:00:12.5"],
        ["SetValue", "cmi.core.score.raw", "85"],
        ["SetValue", "cmi.core.lesson_status", "completed"],
        ["SetValue", "cmi.core.session_time", "0000:05:00"],
        ["Commit", ""],
    )
    assert answer.status_code == 200, answer.json
    assert launch.send(["Terminate", ""]).status_code == 200

    statements = stored_statements(lms, launch.registration)
    assert verbs(statements) == [
        "initialized",
        "responded",
        "scored",
        "completed",
        "passed",
        "terminated",
    ]
    responded = statements[1]
    assert responded["object"]["id"] == f"{COURSE_IRI}/item1/interactions/q1"
    # 1.2's "b,c" is written in the xAPI format, as a 2004 or xAPI course would have it
    assert responded["result"] == {"response": "b[,]c", "success": True, "duration": "PT0H0M12.5S"}
    assert responded["object"]["definition"]["correctResponsesPattern"] == ["b[,]c"]
    assert responded["context"]["contextActivities"]["parent"][0]["id"] == f"{COURSE_IRI}/item1"
    passed = statements[4]
    assert passed["result"]["success"] is True and passed["result"]["score"]["raw"] == 85
    grouping = [a["id"] for a in statements[0]["context"]["contextActivities"]["grouping"]]
    assert grouping == [f"{COURSE_IRI}/item1?attemptId={launch.registration}", COURSE_IRI]
    assert statements[-1]["result"]["duration"] == "PT0H5M0S"

    page = learner.client.get("/my-learning").get_data(as_text=True)
    assert 'class="status">passed<' in page
    assert 'class="score">85%<' in page


def test_below_the_mastery_score_the_lms_records_failed(
    lms: Flask, courses: dict[str, int], learner: Learner
) -> None:
    learner.enrol(courses["course"], language="fr")
    launch = learner.launch(courses["course"])
    launch.send(
        ["Initialize", ""],
        ["SetValue", "cmi.core.score.raw", "40"],
        ["SetValue", "cmi.core.lesson_status", "completed"],
        ["Terminate", ""],
    )
    assert verbs(stored_statements(lms, launch.registration))[-2:] == ["failed", "terminated"]


def test_scorm12_objectives_are_reported_too(
    lms: Flask, courses: dict[str, int], learner: Learner
) -> None:
    learner.enrol(courses["course"], language="fr")
    launch = learner.launch(courses["course"])
    launch.send(
        ["Initialize", ""],
        ["SetValue", "cmi.objectives.0.id", "obj1"],
        ["SetValue", "cmi.objectives.0.score.raw", "90"],
        ["SetValue", "cmi.objectives.0.status", "passed"],
        ["Commit", ""],
    )
    statements = stored_statements(lms, launch.registration)
    assert verbs(statements) == ["initialized", "completed", "passed"]
    assert statements[2]["object"]["id"] == f"{COURSE_IRI}/item1/objectives/obj1"
    assert statements[2]["result"] == {"success": True, "score": {"scaled": 0.9}}
