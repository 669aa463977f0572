"""cmi5 launches as the spec asks of an LMS, with a hand-written three-AU package: launch URL,
LMS.LaunchData and learner preferences, `launched`, the one-time fetch URL, the token's reach,
`abandoned`, `waived` by a manager, moveOn and `satisfied`, and "My learning"."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from sqlalchemy import select

from lms import db
from lms.learning.models import Attempt
from lms.packages.importer import import_package
from lms.packages.models import Package
from tests.fixtures.launch_packages import (
    BLOCK,
    CMI5_AU,
    CMI5_XML,
    EXTRA,
    HANDMADE,
    INTRO,
    QUIZ,
    AuSession,
    xapi_headers,
)
from tests.fixtures.lms_learning import Learner, stored_statements, verbs
from tests.fixtures.scorm_packages import write_zip

CMI5 = "https://w3id.org/xapi/cmi5/"
SESSION = CMI5 + "context/extensions/sessionid"
VERB = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture
def course(lms: Flask, handmade_cmi5_zip: Path) -> int:
    with lms.app_context():
        return import_package(db.session(), lms.config["DATA_DIR"], handmade_cmi5_zip).course_id


@pytest.fixture
def amina(lms: Flask, course: int) -> Learner:
    learner = Learner(lms, "amina@example.org", language="fr")
    learner.enrol(course, "en")
    return learner


def statements_of(app: Flask, registration: str) -> list[dict[str, Any]]:
    return stored_statements(app, registration)


def test_the_launch_url_carries_the_cmi5_parameters(
    lms: Flask, course: int, amina: Learner
) -> None:
    au = AuSession(amina, course, QUIZ)
    assert urlsplit(au.url).path.endswith("/au.html")
    assert parse_qs(urlsplit(au.url).query)["name"] == ["quiz"]  # the AU's own query kept
    assert au.params["endpoint"] == "http://localhost/xapi/"
    assert au.params["fetch"].startswith("http://localhost/launch/fetch/")
    from lms.accounts.models import User

    with lms.app_context():
        amina_account = db.session().scalars(select(User)).one().public_id
    # The learner's agent as the LMS names her everywhere (SCORM statements too).
    assert au.actor == {
        "objectType": "Agent",
        "name": "Amina",
        "account": {"homePage": "http://localhost:5000/", "name": amina_account},
    }
    # cmi5: an LMS-generated activity id, not the publisher's; the same on every launch.
    assert au.params["activityId"] != QUIZ and au.params["activityId"].startswith("http")
    again = AuSession(amina, course, QUIZ)
    assert again.params["activityId"] == au.params["activityId"]
    # One registration per learner and course, shared by its AUs.
    other = AuSession(amina, course, INTRO)
    assert au.registration == again.registration == other.registration
    assert other.params["activityId"] != au.params["activityId"]


def test_launch_data_preferences_and_launched_are_written_before_launch(
    lms: Flask, course: int, amina: Learner
) -> None:
    au = AuSession(amina, course, QUIZ)
    au.fetch()
    data = au.launch_data()
    session_id = data["contextTemplate"]["extensions"][SESSION]
    assert data["contextTemplate"]["contextActivities"]["grouping"] == [
        {"objectType": "Activity", "id": QUIZ}
    ]
    assert data["launchMode"] == "Normal"
    assert data["moveOn"] == "CompletedAndPassed"
    assert data["masteryScore"] == 0.8
    assert data["launchParameters"] == "level=2"
    assert data["returnURL"] == f"http://localhost/launch/return/{session_id}"
    preferences = amina.client.get(
        "/xapi/agents/profile",
        query_string={"agent": au.params["actor"], "profileId": "cmi5LearnerPreferences"},
        headers=xapi_headers(au.token),
    ).get_json()
    assert preferences["languagePreference"].split(",")[0] == "fr"  # the account's language

    [launched] = statements_of(lms, au.registration)
    assert launched["verb"]["id"] == VERB + "launched"
    assert launched["object"]["id"] == au.params["activityId"]
    context = launched["context"]
    assert context["registration"] == au.registration
    assert context["extensions"][SESSION] == session_id
    assert context["extensions"][CMI5 + "context/extensions/launchmode"] == "Normal"
    assert context["extensions"][CMI5 + "context/extensions/moveon"] == "CompletedAndPassed"
    assert context["extensions"][CMI5 + "context/extensions/masteryscore"] == 0.8
    assert context["extensions"][CMI5 + "context/extensions/launchparameters"] == "level=2"
    assert context["extensions"][CMI5 + "context/extensions/launchurl"].endswith(
        "/au.html?name=quiz"
    )
    assert {"objectType": "Activity", "id": QUIZ} in context["contextActivities"]["grouping"]


def test_a_browse_launch_says_so(lms: Flask, course: int, amina: Learner) -> None:
    au = AuSession(amina, course, INTRO, mode="Browse")
    au.fetch()
    assert au.launch_data()["launchMode"] == "Browse"
    bad = amina.client.get(f"/courses/{course}/launch", query_string={"mode": "Sideways"})
    assert bad.status_code == 400 and "Normal, Browse, Review" in bad.get_data(as_text=True)


def test_the_fetch_url_answers_once(lms: Flask, course: int, amina: Learner) -> None:
    au = AuSession(amina, course, INTRO)
    assert amina.app.test_client().get(au.fetch_path).status_code == 405  # POST only
    first = au.fetch()
    assert set(first) == {"auth-token"}
    second = au.fetch()
    assert second["error-code"] == "1" and "auth-token" not in second
    forged = amina.app.test_client().post(au.fetch_path[:-3] + "xyz")
    assert forged.status_code == 200 and forged.get_json()["error-code"] == "2"
    au.send("initialized")  # the first token still works


def test_the_token_reaches_only_its_learner(
    lms: Flask, course: int, amina: Learner, make_learner: Any
) -> None:
    boris = make_learner("boris@example.org")
    boris.enrol(course, "en")
    theirs = AuSession(boris, course, INTRO)
    theirs.fetch()
    au = AuSession(amina, course, INTRO)
    au.fetch()
    au.send("initialized")
    # Writing as someone else, or in another registration, is refused.
    forged = {
        "actor": theirs.actor,
        "verb": {"id": VERB + "initialized"},
        "object": {"id": au.params["activityId"]},
        "context": {"registration": au.registration},
    }
    au.post(forged, status=403)
    au.post({**forged, "actor": au.actor, "context": {"registration": theirs.registration}}, 403)
    # Reading another learner's LaunchData is refused; reading statements gives only hers.
    refused = amina.client.get(
        "/xapi/activities/state",
        query_string={
            "stateId": "LMS.LaunchData",
            "activityId": theirs.params["activityId"],
            "agent": theirs.params["actor"],
            "registration": theirs.registration,
        },
        headers=xapi_headers(au.token),
    )
    assert refused.status_code == 403
    seen = amina.client.get("/xapi/statements", headers=xapi_headers(au.token)).get_json()
    actors = {json.dumps(s["actor"], sort_keys=True) for s in seen["statements"]}
    assert actors == {json.dumps(au.actor, sort_keys=True)}
    assert len(seen["statements"]) == 2  # her launched and initialized, not Boris's launched


def test_a_session_left_open_is_abandoned_on_the_next_launch(
    lms: Flask, course: int, amina: Learner
) -> None:
    first = AuSession(amina, course, INTRO)
    first.fetch()
    first_session = first.launch_data()["contextTemplate"]["extensions"][SESSION]
    first.send("initialized")
    second = AuSession(amina, course, QUIZ)
    said = statements_of(lms, first.registration)
    assert verbs(said) == ["launched", "initialized", "abandoned", "launched"]
    abandoned = said[2]
    assert abandoned["object"]["id"] == first.params["activityId"]
    assert abandoned["context"]["extensions"][SESSION] == first_session
    assert abandoned["result"]["duration"].startswith("PT")
    assert {"objectType": "Activity", "id": INTRO} in abandoned["context"]["contextActivities"][
        "grouping"
    ]
    # Nothing more is recorded for the abandoned session.
    first.send("completed", {"completion": True, "duration": "PT1S"}, status=401)
    # A session that terminated is not abandoned.
    second.fetch()
    second.send("initialized")
    second.send("terminated", {"duration": "PT5S"})
    AuSession(amina, course, EXTRA)
    assert verbs(statements_of(lms, first.registration)).count("abandoned") == 1


def waive(manager: Learner, course: int, learner_id: int, au: str, reason: str) -> Any:
    token = manager.csrf(f"/manage/courses/{course}/waive")
    return manager.client.post(
        f"/manage/courses/{course}/waive",
        data={"csrf_token": token, "learner": str(learner_id), "au": au, "reason": reason},
    )


def user_id(app: Flask, email: str) -> int:
    from lms.accounts.models import User

    with app.app_context():
        return db.session().scalars(select(User.id).where(User.email == email)).one()


def test_move_on_waiver_and_satisfied(
    lms: Flask, course: int, amina: Learner, make_learner: Any
) -> None:
    manager = make_learner("maria@example.org", role="manager")
    amina_id = user_id(lms, "amina@example.org")
    intro = AuSession(amina, course, INTRO)
    intro.fetch()
    intro.send("initialized")
    intro.send("completed", {"completion": True, "duration": "PT1S"})
    intro.send("terminated", {"duration": "PT30S"})
    said = statements_of(lms, intro.registration)
    assert "satisfied" not in verbs(said)  # the quiz is still to do in the block

    quiz = AuSession(amina, course, QUIZ)
    quiz.fetch()
    quiz.send("initialized")
    quiz.send("completed", {"completion": True, "duration": "PT1S"})
    assert "satisfied" not in verbs(statements_of(lms, quiz.registration))  # and passed too
    quiz.send("passed", {"success": True, "score": {"scaled": 0.9}, "duration": "PT2S"})
    said = statements_of(lms, quiz.registration)
    [block] = [s for s in said if s["verb"]["id"].endswith("/satisfied")]
    assert block["object"]["definition"]["type"] == CMI5 + "activitytype/block"
    assert block["object"]["id"] not in (BLOCK, HANDMADE)
    assert {"objectType": "Activity", "id": BLOCK} in block["context"]["contextActivities"][
        "grouping"
    ]
    quiz_session = quiz.launch_data()["contextTemplate"]["extensions"][SESSION]
    assert block["context"]["extensions"][SESSION] == quiz_session
    quiz.send("terminated", {"duration": "PT40S"})

    # The waiver form: linked from the report, managers only, CSRF protected, a known reason,
    # once per AU.
    report = manager.client.get(f"/manage/courses/{course}/report").get_data(as_text=True)
    assert f'href="/manage/courses/{course}/waive"' in report
    assert amina.client.get(f"/manage/courses/{course}/waive").status_code == 403
    no_csrf = manager.client.post(
        f"/manage/courses/{course}/waive",
        data={"learner": str(amina_id), "au": EXTRA, "reason": "Administrative"},
    )
    assert no_csrf.status_code == 400
    assert waive(manager, course, amina_id, EXTRA, "Because").status_code == 400
    assert waive(manager, course, amina_id, EXTRA, "Tested Out").status_code == 302
    repeated = waive(manager, course, amina_id, EXTRA, "Tested Out")
    assert repeated.status_code == 400 and "already" in repeated.get_data(as_text=True)

    said = statements_of(lms, quiz.registration)
    [waived] = [s for s in said if s["verb"]["id"].endswith("/waived")]
    assert waived["result"]["success"] is True and waived["result"]["completion"] is True
    assert waived["result"]["extensions"][CMI5 + "result/extensions/reason"] == "Tested Out"
    categories = [a["id"] for a in waived["context"]["contextActivities"]["category"]]
    assert CMI5 + "context/categories/moveon" in categories
    waiver_session = waived["context"]["extensions"][SESSION]
    launched_sessions = {s["context"]["extensions"][SESSION] for s in said if s is not waived}
    assert waiver_session not in launched_sessions - {waiver_session}
    satisfied = [s for s in said if s["verb"]["id"].endswith("/satisfied")]
    assert len(satisfied) == 2  # the block, then the course; never twice
    course_satisfied = satisfied[1]
    assert course_satisfied["object"]["definition"]["type"] == CMI5 + "activitytype/course"
    assert course_satisfied["context"]["extensions"][SESSION] == waiver_session
    assert course_satisfied["object"]["id"] != HANDMADE

    page = amina.client.get("/my-learning").get_data(as_text=True)
    assert 'data-status="passed"' in page  # the page itself says it in French
    assert '<dd class="score">90%</dd>' in page


def test_attempt_summaries_follow_the_statements(lms: Flask, course: int, amina: Learner) -> None:
    quiz = AuSession(amina, course, QUIZ)
    quiz.fetch()
    quiz.send("initialized")
    quiz.send("failed", {"success": False, "score": {"scaled": 0.5}, "duration": "PT2S"})
    with lms.app_context():
        attempt = db.session().scalars(select(Attempt).where(Attempt.activity_iri == QUIZ)).one()
        assert (attempt.completion, attempt.success, attempt.score_scaled) == (
            "incomplete",
            "failed",
            0.5,
        )
    page = amina.client.get("/my-learning").get_data(as_text=True)
    assert 'data-status="failed"' in page


def test_mastery_score_is_imported(lms: Flask, course: int) -> None:
    with lms.app_context():
        package = db.session().scalars(select(Package)).one()
        scores = {sco.identifier: sco.mastery_score for sco in package.scos}
        assert scores == {INTRO: None, QUIZ: 0.8, EXTRA: None}


def test_not_applicable_aus_satisfy_the_course_at_once(lms: Flask, tmp_path: Path) -> None:
    xml = (
        CMI5_XML.replace('moveOn="Completed"', 'moveOn="NotApplicable"')
        .replace('moveOn="CompletedAndPassed"', 'moveOn="NotApplicable"')
        .replace('moveOn="Passed"', 'moveOn="NotApplicable"')
    )
    package = write_zip(tmp_path / "free.zip", {"cmi5.xml": xml, "au.html": CMI5_AU})
    with lms.app_context():
        course = import_package(db.session(), lms.config["DATA_DIR"], package).course_id
    learner = Learner(lms, "kofi@example.org")
    learner.enrol(course, "en")
    au = AuSession(learner, course, INTRO)
    said = statements_of(lms, au.registration)
    assert verbs(said) == ["launched", "satisfied", "satisfied"]  # the block, then the course
    assert {s["context"]["extensions"][SESSION] for s in said} == {
        said[0]["context"]["extensions"][SESSION]
    }
    AuSession(learner, course, EXTRA)
    assert verbs(statements_of(lms, au.registration)).count("satisfied") == 2  # never again


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_a_cmi5_course_to_satisfied_on_each_database(app: Flask, handmade_cmi5_zip: Path) -> None:
    with app.app_context():
        course = import_package(db.session(), app.config["DATA_DIR"], handmade_cmi5_zip).course_id
    learner = Learner(app, "amina@example.org")
    learner.enrol(course, "en")
    for au_id, verbs_sent in ((INTRO, ["completed"]), (QUIZ, ["completed", "passed"])):
        au = AuSession(learner, course, au_id)
        au.fetch()
        au.send("initialized")
        for verb in verbs_sent:
            result = {"completion": True} if verb == "completed" else {"success": True}
            au.send(verb, {**result, "duration": "PT1S"})
        au.send("terminated", {"duration": "PT9S"})
    AuSession(learner, course, EXTRA)  # nothing left open, so nothing abandoned
    said = verbs(statements_of(app, au.registration))
    assert said.count("satisfied") == 1 and "abandoned" not in said


def test_after_terminated_the_session_closes(
    lms: Flask, course: int, amina: Learner, make_learner: Any
) -> None:
    from datetime import UTC, datetime, timedelta

    from lms.lrs.models import LaunchToken

    au = AuSession(amina, course, INTRO)
    au.fetch()
    au.send("initialized")
    au.send("terminated", {"duration": "PT3S"})
    with lms.app_context():
        [token] = db.session().scalars(select(LaunchToken)).all()
        expires = token.expires if token.expires.tzinfo else token.expires.replace(tzinfo=UTC)
        assert expires <= datetime.now(UTC) + timedelta(seconds=61)  # refused a minute on
    session_id = au.template["extensions"][SESSION] if au.template else ""
    boris = make_learner("boris@example.org")
    assert boris.client.get(f"/launch/return/{session_id}").status_code == 404  # not his
    back = amina.client.get(f"/launch/return/{session_id}")
    assert back.status_code == 302 and back.headers["Location"].endswith("/my-learning")
    au.send("experienced", status=401)  # the learner is back: the session's token is gone


def test_concurrent_posts_to_the_fetch_url_get_one_token(
    lms: Flask, lms_server: str, course: int, amina: Learner
) -> None:
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    au = AuSession(amina, course, INTRO)

    def post(_: int) -> dict[str, Any]:
        request = urllib.request.Request(lms_server + au.fetch_path, data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status == 200
            return dict(json.loads(answer.read()))

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(post, range(6)))
    tokens = [a["auth-token"] for a in answers if "auth-token" in a]
    assert len(tokens) == 1
    assert sorted(a["error-code"] for a in answers if "error-code" in a) == ["1"] * 5


def test_statements_arriving_together_satisfy_once(
    lms: Flask, lms_server: str, course: int, amina: Learner
) -> None:
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    intro = AuSession(amina, course, INTRO)
    intro.fetch()
    intro.send("initialized")
    intro.send("completed", {"completion": True, "duration": "PT1S"})
    intro.send("terminated", {"duration": "PT2S"})
    quiz = AuSession(amina, course, QUIZ)
    quiz.fetch()
    quiz.send("initialized")
    template = quiz.template or {}

    def post(verb: str) -> int:
        result = {"completion": True} if verb == "completed" else {"success": True}
        body = {
            "id": str(uuid.uuid4()),
            "actor": quiz.actor,
            "verb": {"id": VERB + verb},
            "object": {"id": quiz.params["activityId"]},
            "result": {**result, "duration": "PT1S"},
            "context": {**template, "registration": quiz.registration},
        }
        request = urllib.request.Request(
            lms_server + "/xapi/statements",
            data=json.dumps(body).encode(),
            headers={**xapi_headers(quiz.token), "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return int(answer.status)

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert list(pool.map(post, ["completed", "passed"])) == [200, 200]
    said = verbs(statements_of(lms, quiz.registration))
    assert said.count("satisfied") == 1  # the block, whichever request judged it
