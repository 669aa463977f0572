"""A hand-written multi-SCO SCORM 2004 package: every SCO played, resumed, and passed."""

from __future__ import annotations

from flask import Flask

from tests.fixtures.lms_learning import Learner, stored_statements, verbs
from tests.fixtures.scorm_packages import COURSE_IRI


def finish(launch_, *calls: list[str]) -> None:
    assert launch_.send(["Initialize", ""], *calls, ["Terminate", ""]).status_code == 200


def test_each_sco_gets_its_manifest_settings(courses: dict[str, int], learner: Learner) -> None:
    learner.enrol(courses["course"])
    intro = learner.launch(courses["course"])
    assert intro.config["version"] == "2004"
    assert intro.config["previous"] is None and "sco=rivers" in intro.config["next"]
    rivers = learner.launch(courses["course"], "rivers")
    assert rivers.values["cmi.launch_data"] == "river-data"
    assert rivers.values["cmi.completion_threshold"] == "0.5"
    quiz = learner.launch(courses["course"], "quiz")
    assert quiz.values["cmi.scaled_passing_score"] == "0.7"
    assert (quiz.values["cmi.max_time_allowed"], quiz.values["cmi.time_limit_action"]) == (
        "PT1H",
        "exit,message",
    )
    assert quiz.config["next"] is None
    assert quiz.values["adl.nav.request_valid.continue"] == "false"
    assert quiz.values["adl.nav.request_valid.previous"] == "true"
    assert "sco=intro" in quiz.config["choices"]["intro"]
    assert "Final quiz" in quiz.page and "Contents" in quiz.page


def test_a_learner_resumes_where_they_left_off(
    lms: Flask, courses: dict[str, int], learner: Learner
) -> None:
    learner.enrol(courses["course"])
    first = learner.launch(courses["course"], "rivers")
    first.send(
        ["Initialize", ""],
        ["SetValue", "cmi.location", "page-3"],
        ["SetValue", "cmi.suspend_data", "answers=a,b"],
        ["SetValue", "cmi.progress_measure", "0.3"],
        ["SetValue", "cmi.exit", "suspend"],
        ["SetValue", "cmi.session_time", "PT2M"],
        ["Commit", ""],
    )
    first.send(final=True)  # the page is closed without Terminate (the adapter's beacon)
    page = learner.client.get("/my-learning").get_data(as_text=True)
    assert "sco=rivers" in page and "Resume" in page
    again = learner.launch(courses["course"])
    assert again.registration == first.registration
    assert again.values["cmi.entry"] == "resume"
    assert again.values["cmi.location"] == "page-3"
    assert again.values["cmi.suspend_data"] == "answers=a,b"
    assert again.values["cmi.total_time"] == "PT0H2M0S"
    again.send(["Initialize", ""])
    assert verbs(stored_statements(lms, first.registration)) == [
        "initialized",
        "suspended",
        "resumed",
    ]


def test_the_whole_course_to_a_pass(lms: Flask, courses: dict[str, int], learner: Learner) -> None:
    learner.enrol(courses["course"])
    finish(
        learner.launch(courses["course"], "intro"),
        ["SetValue", "cmi.completion_status", "completed"],
    )
    finish(learner.launch(courses["course"], "rivers"), ["SetValue", "cmi.progress_measure", "0.6"])
    quiz = learner.launch(courses["course"], "quiz")
    finish(
        quiz,
        ["SetValue", "cmi.interactions.0.id", f"{COURSE_IRI}/quiz#q1"],
        ["SetValue", "cmi.interactions.0.type", "true-false"],
        ["SetValue", "cmi.interactions.0.learner_response", "true"],
        ["SetValue", "cmi.interactions.0.correct_responses.0.pattern", "true"],
        ["SetValue", "cmi.interactions.0.result", "correct"],
        ["SetValue", "cmi.score.scaled", "0.8"],
        ["SetValue", "cmi.score.raw", "8"],
        ["SetValue", "cmi.score.min", "0"],
        ["SetValue", "cmi.score.max", "10"],
        ["SetValue", "cmi.completion_status", "completed"],
    )
    statements = stored_statements(lms, quiz.registration)
    assert verbs(statements) == [
        "initialized",
        "responded",
        "scored",
        "completed",
        "passed",
        "terminated",
    ]
    responded = statements[1]
    assert responded["object"]["id"] == f"{COURSE_IRI}/quiz#q1"
    assert responded["object"]["definition"]["interactionType"] == "true-false"
    assert responded["object"]["definition"]["correctResponsesPattern"] == ["true"]
    assert statements[4]["result"]["score"] == {"scaled": 0.8, "raw": 8.0, "min": 0.0, "max": 10.0}
    page = learner.client.get("/my-learning").get_data(as_text=True)
    assert 'class="status">passed<' in page


def test_a_new_attempt_starts_after_completion_and_keeps_the_old_one(
    courses: dict[str, int], learner: Learner
) -> None:
    learner.enrol(courses["course"])
    first = learner.launch(courses["course"], "intro")
    finish(first, ["SetValue", "cmi.completion_status", "completed"])
    second = learner.launch(courses["course"], "intro")
    assert second.registration != first.registration
    assert second.values["cmi.entry"] == "ab-initio"
    old = learner.client.get(f"/runtime/{first.registration}").json
    assert old is not None and old["values"]["cmi.completion_status"] == "completed"


def test_an_unfinished_incomplete_attempt_is_continued(
    courses: dict[str, int], learner: Learner
) -> None:
    learner.enrol(courses["course"])
    first = learner.launch(courses["course"], "intro")
    finish(
        first,
        ["SetValue", "cmi.completion_status", "incomplete"],
        ["SetValue", "cmi.exit", "normal"],
    )
    again = learner.launch(courses["course"], "intro")
    assert again.registration == first.registration
    assert again.values["cmi.entry"] == ""


def test_objectives_are_reported_as_objective_activities(
    lms: Flask, courses: dict[str, int], learner: Learner
) -> None:
    learner.enrol(courses["course"])
    quiz = learner.launch(courses["course"], "quiz")
    finish(
        quiz,
        ["SetValue", "cmi.objectives.0.id", "rivers-safety"],
        ["SetValue", "cmi.objectives.0.score.scaled", "0.75"],
        ["SetValue", "cmi.objectives.0.success_status", "passed"],
        ["SetValue", "cmi.objectives.0.completion_status", "completed"],
    )
    statements = stored_statements(lms, quiz.registration)
    assert verbs(statements) == ["initialized", "completed", "passed", "terminated"]
    objective = statements[2]
    assert objective["object"]["id"] == f"{COURSE_IRI}/quiz/objectives/rivers-safety"
    assert objective["object"]["definition"]["type"].endswith("/objective")
    assert objective["result"] == {"success": True, "score": {"scaled": 0.75}}
    assert objective["context"]["contextActivities"]["parent"][0]["id"] == f"{COURSE_IRI}/quiz"
