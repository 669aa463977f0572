"""TinCan launches of an xAPI package from another tool: the launch URL's parameters, a token that
reaches only its learner and registration (tried over real HTTP with tincan.RemoteLRS), and
"My learning" from what the content reported."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from sqlalchemy import select
from tincan import Activity, Agent, Context, RemoteLRS, Result, Statement, Verb

from lms import db
from lms.accounts.models import User
from lms.learning.models import Attempt
from lms.packages.importer import import_package
from tests.fixtures.launch_packages import TINCAN_COURSE, xapi_headers
from tests.fixtures.lms_learning import Learner

VERB = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture
def course(lms: Flask, handmade_tincan_zip: Path) -> int:
    with lms.app_context():
        return import_package(db.session(), lms.config["DATA_DIR"], handmade_tincan_zip).course_id


def launch(learner: Learner, course: int) -> dict[str, str]:
    learner.enrol(course, "en")
    response = learner.client.get(f"/courses/{course}/play")  # My learning's Start link
    assert response.status_code == 302
    response = learner.client.get(response.headers["Location"])
    assert response.status_code == 302, response.get_data(as_text=True)
    url = urlsplit(response.headers["Location"])
    assert url.path.endswith("/index.html")
    return {key: values[0] for key, values in parse_qs(url.query).items()}


def test_the_launch_url_carries_the_tincan_parameters(
    lms: Flask, course: int, learner: Learner
) -> None:
    params = launch(learner, course)
    assert set(params) == {"endpoint", "auth", "actor", "registration", "activity_id"}
    assert params["endpoint"] == "http://localhost/xapi/"
    assert params["auth"].startswith("Basic ")
    assert params["activity_id"] == TINCAN_COURSE
    with lms.app_context():
        user = db.session().scalars(select(User)).one()
        attempt = db.session().scalars(select(Attempt)).one()
        assert params["registration"] == attempt.registration
        assert json.loads(params["actor"]) == {
            "objectType": "Agent",
            "name": user.name,
            "account": {"homePage": "http://localhost:5000/", "name": user.public_id},
        }
    # Launching again continues the same registration, so the content resumes its state.
    again = learner.client.get(f"/courses/{course}/launch")
    assert parse_qs(urlsplit(again.headers["Location"]).query)["registration"] == [
        params["registration"]
    ]


def statement(actor: dict[str, Any], verb: str, registration: str, **result: Any) -> Statement:
    return Statement(
        id=str(uuid.uuid4()),
        actor=Agent.from_json(json.dumps(actor)),
        verb=Verb(id=VERB + verb),
        object=Activity(id=TINCAN_COURSE),
        context=Context(registration=registration),
        result=Result(**result) if result else None,
    )


def test_the_token_reads_and_writes_only_its_learner_over_http(
    lms: Flask, lms_server: str, course: int, learner: Learner, make_learner: Any
) -> None:
    boris = make_learner("boris@example.org")
    theirs = launch(boris, course)
    params = launch(learner, course)
    lrs = RemoteLRS(endpoint=lms_server + "/xapi/", auth=params["auth"], version="1.0.3")
    actor = json.loads(params["actor"])
    stored = lrs.save_statement(statement(actor, "initialized", params["registration"]))
    assert stored.success, stored.data
    # Not as another learner, not in another registration.
    other = json.loads(theirs["actor"])
    assert (
        lrs.save_statement(statement(other, "initialized", params["registration"])).response.status
        == 403
    )
    assert (
        lrs.save_statement(statement(actor, "initialized", theirs["registration"])).response.status
        == 403
    )
    # Boris's own statement, then what Amina's token can see: only hers.
    boris_lrs = RemoteLRS(endpoint=lms_server + "/xapi/", auth=theirs["auth"], version="1.0.3")
    assert boris_lrs.save_statement(statement(other, "initialized", theirs["registration"])).success
    found = lrs.query_statements({"activity": Activity(id=TINCAN_COURSE)})
    assert found.success
    assert [s.actor.account.name for s in found.content.statements] == [actor["account"]["name"]]
    # The State API: her own documents only.
    state = lrs.save_state(_state(actor, params["registration"], "bookmark", "page-3"))
    assert state.success
    refused = lrs.retrieve_state(
        activity=Activity(id=TINCAN_COURSE),
        agent=Agent.from_json(json.dumps(other)),
        state_id="bookmark",
        registration=theirs["registration"],
    )
    assert refused.response.status == 403


def _state(actor: dict[str, Any], registration: str, state_id: str, content: str) -> Any:
    from tincan import StateDocument

    return StateDocument(
        activity=Activity(id=TINCAN_COURSE),
        agent=Agent.from_json(json.dumps(actor)),
        registration=registration,
        id=state_id,
        content=content,
    )


def test_my_learning_follows_what_the_content_reported(
    lms: Flask, course: int, learner: Learner
) -> None:
    params = launch(learner, course)
    actor = json.loads(params["actor"])
    client = lms.test_client()

    def send(verb: str, result: dict[str, Any] | None = None) -> None:
        body: dict[str, Any] = {
            "actor": actor,
            "verb": {"id": VERB + verb},
            "object": {"id": TINCAN_COURSE},
            "context": {"registration": params["registration"]},
        }
        if result:
            body["result"] = result
        answer = client.post("/xapi/statements", json=body, headers=xapi_headers(params["auth"]))
        assert answer.status_code == 200, answer.get_data(as_text=True)

    send("initialized")
    page = learner.client.get("/my-learning").get_data(as_text=True)
    assert '<dd class="status">in progress</dd>' in page
    send("passed", {"success": True, "score": {"scaled": 0.75}, "duration": "PT3M"})
    send("terminated", {"duration": "PT5M"})
    page = learner.client.get("/my-learning").get_data(as_text=True)
    assert '<dd class="status">passed</dd>' in page
    assert '<dd class="score">75%</dd>' in page
    assert "5 min 0 s" in page  # time spent: the terminated session's duration


def test_a_package_with_nothing_to_launch_says_so(
    lms: Flask, learner: Learner, tmp_path: Path
) -> None:
    from tests.fixtures.launch_packages import TINCAN_XML
    from tests.fixtures.scorm_packages import write_zip

    xml = TINCAN_XML.replace('      <launch lang="en">index.html</launch>\n', "")
    package = write_zip(tmp_path / "no-launch.zip", {"tincan.xml": xml})
    with lms.app_context():
        course = import_package(db.session(), lms.config["DATA_DIR"], package).course_id
    learner.enrol(course, "en")
    answer = learner.client.get(f"/courses/{course}/launch")
    assert answer.status_code == 404
    assert "no file to launch" in answer.get_data(as_text=True)
