"""Activities, Agents and About resources (xAPI Communication 2.4, 2.5, 2.8)."""

from __future__ import annotations

import secrets

import pytest

from lms import db
from lms.lrs.documents_activities import record_activity_definitions
from tests.fixtures.lrs_documents import ACTIVITY, AMINA, BORIS, quoted_sha1

MODULE = ACTIVITY
COURSE = "https://learn.unhabitat.example/courses/nua-crash-course"


def experienced(language: str, name: str) -> dict:
    return {
        "actor": AMINA,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {
            "objectType": "Activity",
            "id": MODULE,
            "definition": {
                "name": {language: name},
                "type": "http://adlnet.gov/expapi/activities/module",
            },
        },
        "context": {"contextActivities": {"parent": [{"id": COURSE}]}},
    }


@pytest.fixture
def activities(resource):
    return resource("/xapi/activities")


@pytest.fixture
def agents(resource):
    return resource("/xapi/agents")


def test_an_unknown_activity_is_still_an_activity_object(activities):
    answer = activities("GET", activityId=COURSE + "/never-seen")
    assert answer.status_code == 200
    assert answer.headers["ETag"] == quoted_sha1(answer.data)
    assert answer.get_json() == {"objectType": "Activity", "id": COURSE + "/never-seen"}


def test_an_activity_carries_the_definition_merged_from_statements(app, activities):
    with app.app_context():
        session = db.session()
        record_activity_definitions(session, [experienced("en", "What is the NUA?")])
        record_activity_definitions(session, [experienced("fr", "Qu'est-ce que le NUA ?")])
        session.commit()
    answer = activities("GET", activityId=MODULE).get_json()
    assert answer["definition"]["name"] == {
        "en": "What is the NUA?",
        "fr": "Qu'est-ce que le NUA ?",
    }
    assert answer["definition"]["type"] == "http://adlnet.gov/expapi/activities/module"
    assert activities("GET", activityId=COURSE).get_json() == {
        "objectType": "Activity",
        "id": COURSE,
    }


def test_an_activity_iri_of_any_length_keeps_its_definition(app, activities):
    # PostgreSQL cannot index a row of more than a few kilobytes; random text does not compress.
    long_iri = COURSE + "/" + secrets.token_hex(2500)
    statement = experienced("en", "Long")
    statement["object"]["id"] = long_iri
    with app.app_context():
        session = db.session()
        record_activity_definitions(session, [statement])
        session.commit()
    answer = activities("GET", activityId=long_iri).get_json()
    assert answer["definition"]["name"] == {"en": "Long"}


@pytest.mark.parametrize(
    "params", [{}, {"activityId": "module-1"}, {"activityId": MODULE, "x": "1"}]
)
def test_activities_refuses_a_missing_or_malformed_activity_id(activities, params):
    assert activities("GET", **params).status_code == 400


def test_activities_needs_a_reading_scope(resource):
    assert (
        resource("/xapi/activities", scopes=("statements/write",))(
            "GET", activityId=MODULE
        ).status_code
        == 403
    )
    assert (
        resource("/xapi/activities", scopes=("statements/read",))(
            "GET", activityId=MODULE
        ).status_code
        == 200
    )


def test_agents_answers_a_person_built_from_the_agent(agents):
    answer = agents("GET", agent=AMINA)
    assert answer.status_code == 200
    assert answer.get_json() == {"objectType": "Person", "name": ["Amina"], "mbox": [AMINA["mbox"]]}
    assert agents("GET", agent=BORIS).get_json() == {
        "objectType": "Person",
        "account": [BORIS["account"]],
    }


@pytest.mark.parametrize(
    "agent",
    [
        None,
        "not json",
        {"name": "no identifier"},
        {"objectType": "Group", "mbox": "mailto:g@example.org"},
    ],
)
def test_agents_refuses_what_is_not_one_identified_agent(agents, agent):
    answer = agents("GET", agent=agent)
    assert answer.status_code == 400
    assert "agent" in answer.get_json()["error"]["message"]


def test_about_lists_every_version_and_extensions_without_credentials(client):
    answer = client.get("/xapi/about", headers={"X-Experience-API-Version": "1.0.3"})
    assert answer.status_code == 200
    about = answer.get_json()
    assert about["version"] == ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "2.0.0"]
    assert isinstance(about["extensions"], dict)
    assert set(about) == {"version", "extensions"}
    assert answer.headers["X-Experience-API-Version"] == "1.0.3"


def test_about_answers_a_2_0_client_in_2_0(client):
    answer = client.get("/xapi/about", headers={"X-Experience-API-Version": "2.0.0"})
    assert answer.headers["X-Experience-API-Version"] == "2.0.0"


def test_about_does_not_reject_a_request_without_a_version_header(client):
    answer = client.get("/xapi/about")
    assert answer.status_code == 200
    assert answer.headers["X-Experience-API-Version"]
