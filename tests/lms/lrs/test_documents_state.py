"""State Resource (xAPI Communication 2.2, 2.3, 3.1): what content sees when it saves its state."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

import pytest

from tests.fixtures.lrs_documents import ACTIVITY, AMINA, BORIS, REGISTRATION, quoted_sha1

JSON = "application/json"


@pytest.fixture
def state(resource):
    return resource("/xapi/activities/state", activityId=ACTIVITY, agent=AMINA)


def test_put_then_get_returns_the_document_as_stored(state):
    body = b"\x89PNG\r\n\x1a\n binary bookmark"
    assert state("PUT", body, content_type="image/png", stateId="bookmark").status_code == 204
    got = state("GET", stateId="bookmark")
    assert got.status_code == 200
    assert got.data == body
    assert got.headers["Content-Type"] == "image/png"
    assert got.headers["ETag"] == quoted_sha1(body)
    modified = parsedate_to_datetime(got.headers["Last-Modified"])
    assert abs((datetime.now(UTC) - modified).total_seconds()) < 3600


def test_head_answers_the_headers_without_the_document(state):
    state("PUT", b"{}", content_type=JSON, stateId="s")
    head = state("HEAD", stateId="s")
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["ETag"] == quoted_sha1(b"{}")


def test_a_missing_document_is_404_with_a_json_message(state):
    missing = state("GET", stateId="never-saved")
    assert missing.status_code == 404
    assert "never-saved" in missing.get_json()["error"]["message"]


def test_put_overwrites_without_concurrency_headers(state):
    state("PUT", b"one", content_type="text/plain", stateId="s")
    assert state("PUT", b"two", content_type="text/plain", stateId="s").status_code == 204
    assert state("GET", stateId="s").data == b"two"


def test_if_match_and_if_none_match_are_honoured(state):
    state("PUT", b"one", content_type="text/plain", stateId="s")
    stale = quoted_sha1(b"older")
    refused = state(
        "PUT", b"two", content_type="text/plain", stateId="s", headers={"If-Match": stale}
    )
    assert refused.status_code == 412
    exists = state(
        "PUT", b"two", content_type="text/plain", stateId="s", headers={"If-None-Match": "*"}
    )
    assert exists.status_code == 412
    assert state("GET", stateId="s").data == b"one"
    current = state("GET", stateId="s").headers["ETag"]
    ok = state("PUT", b"two", content_type="text/plain", stateId="s", headers={"If-Match": current})
    assert ok.status_code == 204
    assert ok.headers["ETag"] == quoted_sha1(b"two")


def test_post_merges_json_objects_one_level_deep(state):
    state(
        "POST", json.dumps({"x": "foo", "y": "bar", "o": {"a": 1}}), content_type=JSON, stateId="s"
    )
    merged = state(
        "POST", json.dumps({"x": "bash", "z": "faz", "o": {"b": 2}}), content_type=JSON, stateId="s"
    )
    assert merged.status_code == 204
    assert state("GET", stateId="s").get_json() == {
        "x": "bash",
        "y": "bar",
        "z": "faz",
        "o": {"b": 2},
    }


def test_post_of_something_else_than_a_json_object_onto_json_is_400_and_changes_nothing(state):
    state("PUT", b'{"x": 1}', content_type=JSON, stateId="s")
    assert state("POST", b"abc", content_type="text/plain", stateId="s").status_code == 400
    assert state("POST", b"[1, 2]", content_type=JSON, stateId="s").status_code == 400
    assert state("GET", stateId="s").get_json() == {"x": 1}


def test_post_onto_a_non_json_document_is_400(state):
    state("PUT", b"plain", content_type="text/plain", stateId="s")
    assert state("POST", b'{"x": 1}', content_type=JSON, stateId="s").status_code == 400
    assert state("GET", stateId="s").data == b"plain"


def test_post_of_a_new_document_stores_it_as_a_put_would(state):
    assert state("POST", b"hello", content_type="text/plain", stateId="s").status_code == 204
    assert state("GET", stateId="s").data == b"hello"


def test_body_declared_json_that_is_not_json_is_400(state):
    assert state("PUT", b"{not json", content_type=JSON, stateId="s").status_code == 400
    assert state("POST", b"{not json", content_type=JSON, stateId="s").status_code == 400
    assert state("GET", stateId="s").status_code == 404


def test_registrations_keep_separate_documents(state):
    state("PUT", b"with", content_type="text/plain", stateId="s", registration=REGISTRATION)
    state("PUT", b"without", content_type="text/plain", stateId="s")
    assert state("GET", stateId="s", registration=REGISTRATION.upper()).data == b"with"
    assert state("GET", stateId="s").data == b"without"


def test_the_agent_is_known_by_its_identifier_not_its_name(state):
    state("PUT", b"x", content_type="text/plain", stateId="s")
    renamed = {"mbox": AMINA["mbox"], "name": "Amina M."}
    assert state("GET", stateId="s", agent=renamed).data == b"x"
    assert state("GET", stateId="s", agent=BORIS).status_code == 404


def test_ids_since_a_moment_are_the_documents_changed_after_it(state):
    state("PUT", b"1", content_type="text/plain", stateId="first")
    between = datetime.now(UTC).isoformat()
    state("PUT", b"2", content_type="text/plain", stateId="second")
    everything = state("GET")
    assert everything.status_code == 200
    assert sorted(everything.get_json()) == ["first", "second"]
    assert everything.headers["ETag"].startswith('"')
    assert "Last-Modified" in everything.headers
    assert state("GET", since=between).get_json() == ["second"]
    assert state("GET", since="2999-01-01T00:00:00Z").get_json() == []


def test_ids_are_per_registration(state):
    state("PUT", b"1", content_type="text/plain", stateId="a", registration=REGISTRATION)
    state("PUT", b"2", content_type="text/plain", stateId="b")
    assert state("GET", registration=REGISTRATION).get_json() == ["a"]


def test_delete_one_then_all_of_a_context(state):
    for state_id in ("a", "b", "c"):
        state("PUT", b"x", content_type="text/plain", stateId=state_id)
    state("PUT", b"x", content_type="text/plain", stateId="a", registration=REGISTRATION)
    state("PUT", b"x", content_type="text/plain", stateId="a", agent=BORIS)
    assert state("DELETE", stateId="a").status_code == 204
    assert state("GET", stateId="a").status_code == 404
    assert state("DELETE").status_code == 204
    assert state("GET").get_json() == []
    assert state("GET", registration=REGISTRATION).get_json() == ["a"]
    assert state("GET", agent=BORIS).get_json() == ["a"]


def test_delete_with_a_stale_etag_is_refused(state):
    state("PUT", b"x", content_type="text/plain", stateId="s")
    assert state("DELETE", stateId="s", headers={"If-Match": quoted_sha1(b"y")}).status_code == 412
    assert state("GET", stateId="s").status_code == 200


@pytest.mark.parametrize(
    ("params", "complaint"),
    [
        ({"activityId": None}, "activityId"),
        ({"activityId": "not an iri"}, "activityId"),
        ({"agent": None}, "agent"),
        ({"agent": "{oops"}, "agent"),
        ({"agent": {"mbox": "mailto:a@example.org", "openid": "https://a.example.org"}}, "agent"),
        ({"agent": {"objectType": "Group", "mbox": "mailto:g@example.org", "member": []}}, "agent"),
        ({"registration": "not-a-uuid"}, "registration"),
        ({"since": "yesterday"}, "since"),
        ({"stateid": "s"}, "stateid"),
        ({"stateId": "s", "since": "2024-01-01T00:00:00Z"}, "since"),
    ],
)
def test_malformed_parameters_are_400_naming_the_parameter(state, params, complaint):
    answer = state("GET", **params)
    assert answer.status_code == 400
    assert complaint in answer.get_json()["error"]["message"]


def test_put_needs_a_state_id(state):
    assert state("PUT", b"x", content_type="text/plain").status_code == 400


def test_credentials_decide_who_may_read_and_write(resource, client):
    def as_(*scopes):
        return resource("/xapi/activities/state", scopes=scopes, activityId=ACTIVITY, agent=AMINA)

    assert as_("state")("PUT", b"x", content_type="text/plain", stateId="s").status_code == 204
    assert as_("statements/write")("GET", stateId="s").status_code == 403
    assert as_("all/read")("GET", stateId="s").status_code == 200
    assert as_("all/read")("PUT", b"y", content_type="text/plain", stateId="s").status_code == 403
    anonymous = resource(
        "/xapi/activities/state",
        headers={"X-Experience-API-Version": "1.0.3"},
        activityId=ACTIVITY,
        agent=AMINA,
    )
    assert anonymous("GET", stateId="s").status_code == 401


def test_a_launch_token_reaches_only_its_learners_state(resource, launch_headers):
    token = launch_headers(AMINA, REGISTRATION)
    mine = resource("/xapi/activities/state", headers=token, activityId=ACTIVITY, agent=AMINA)
    assert (
        mine(
            "PUT", b"x", content_type="text/plain", stateId="s", registration=REGISTRATION
        ).status_code
        == 204
    )
    assert mine("GET", stateId="s", registration=REGISTRATION).data == b"x"
    other_learner = resource(
        "/xapi/activities/state", headers=token, activityId=ACTIVITY, agent=BORIS
    )
    assert other_learner("GET", stateId="s").status_code == 403
    assert other_learner("PUT", b"x", content_type="text/plain", stateId="s").status_code == 403
    assert other_learner("DELETE").status_code == 403
    other_registration = "0b0b0b0b-0000-4000-8000-000000000000"
    assert mine("GET", stateId="s", registration=other_registration).status_code == 403


def test_alternate_request_syntax_stores_a_state_document(client, lrs_headers):
    headers = lrs_headers()
    form = {
        "activityId": ACTIVITY,
        "agent": json.dumps(AMINA),
        "stateId": "s",
        "Authorization": headers["Authorization"],
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": JSON,
        "content": '{"page": 3}',
    }
    posted = client.post(
        "/xapi/activities/state?method=PUT",
        data=urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    assert posted.status_code == 204
    got = client.get(
        "/xapi/activities/state",
        query_string={"activityId": ACTIVITY, "agent": json.dumps(AMINA), "stateId": "s"},
        headers=headers,
    )
    assert got.get_json() == {"page": 3}


def test_identifiers_of_any_length_are_kept(resource):
    # PostgreSQL cannot index a row of more than a few kilobytes; random text does not compress.
    long_activity = ACTIVITY + "/" + secrets.token_hex(2500)
    long_id = secrets.token_hex(2500)
    state = resource("/xapi/activities/state", activityId=long_activity, agent=AMINA)
    assert state("PUT", b"x", content_type="text/plain", stateId=long_id).status_code == 204
    assert state("GET", stateId=long_id).data == b"x"
    assert state("GET").get_json() == [long_id]
