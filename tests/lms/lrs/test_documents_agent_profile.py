"""Agent Profile Resource (xAPI Communication 2.6, 3.1): documents about a learner."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.fixtures.lrs_documents import AMINA, BORIS, quoted_sha1

JSON = "application/json"
TEXT = "text/plain"
PREFERENCES = {"languagePreference": "fr-FR,en-US", "audioPreference": "on"}


@pytest.fixture
def profile(resource):
    return resource("/xapi/agents/profile", agent=AMINA)


def test_learner_preferences_round_trip(profile):
    body = json.dumps(PREFERENCES).encode()
    assert (
        profile("PUT", body, content_type=JSON, profileId="cmi5LearnerPreferences").status_code
        == 204
    )
    got = profile("GET", profileId="cmi5LearnerPreferences")
    assert got.get_json() == PREFERENCES
    assert got.headers["ETag"] == quoted_sha1(body)
    assert got.headers["Content-Type"] == JSON


def test_each_agent_has_its_own_documents(profile):
    profile("PUT", b"amina", content_type=TEXT, profileId="p")
    profile("PUT", b"boris", content_type=TEXT, profileId="p", agent=BORIS)
    assert profile("GET", profileId="p").data == b"amina"
    assert profile("GET", profileId="p", agent=BORIS).data == b"boris"
    assert profile("GET", profileId="p", agent={"mbox": AMINA["mbox"]}).data == b"amina"


def test_put_over_an_existing_document_needs_if_match(profile):
    profile("PUT", b"one", content_type=TEXT, profileId="p")
    assert profile("PUT", b"two", content_type=TEXT, profileId="p").status_code == 409
    etag = profile("GET", profileId="p").headers["ETag"]
    assert (
        profile(
            "PUT", b"two", content_type=TEXT, profileId="p", headers={"If-Match": etag}
        ).status_code
        == 204
    )
    assert (
        profile(
            "PUT", b"3", content_type=TEXT, profileId="p", headers={"If-Match": etag}
        ).status_code
        == 412
    )
    assert profile("GET", profileId="p").data == b"two"


def test_post_merges_json(profile):
    profile("POST", json.dumps(PREFERENCES), content_type=JSON, profileId="p")
    profile("POST", json.dumps({"audioPreference": "off"}), content_type=JSON, profileId="p")
    assert profile("GET", profileId="p").get_json() == {**PREFERENCES, "audioPreference": "off"}


def test_ids_since(profile):
    profile("PUT", b"1", content_type=TEXT, profileId="first")
    between = datetime.now(UTC).isoformat()
    profile("PUT", b"2", content_type=TEXT, profileId="second")
    assert sorted(profile("GET").get_json()) == ["first", "second"]
    assert profile("GET", since=between).get_json() == ["second"]
    assert profile("GET", agent=BORIS).get_json() == []


def test_a_group_is_not_an_agent_here(profile):
    group = {"objectType": "Group", "mbox": "mailto:team@example.org", "member": []}
    answer = profile("GET", profileId="p", agent=group)
    assert answer.status_code == 400
    assert "agent" in answer.get_json()["error"]["message"]


def test_an_unknown_parameter_is_400(profile):
    assert profile("GET", profileId="p", activityId="https://x.example/a").status_code == 400


def test_a_launch_token_reaches_only_its_learners_profile(resource, launch_headers):
    token = launch_headers(AMINA)
    mine = resource("/xapi/agents/profile", headers=token, agent=AMINA)
    assert mine("PUT", b"{}", content_type=JSON, profileId="p").status_code == 204
    assert mine("GET", profileId="p").status_code == 200
    theirs = resource("/xapi/agents/profile", headers=token, agent=BORIS)
    assert theirs("GET", profileId="p").status_code == 403
    assert theirs("GET").status_code == 403
    assert theirs("PUT", b"{}", content_type=JSON, profileId="p").status_code == 403
