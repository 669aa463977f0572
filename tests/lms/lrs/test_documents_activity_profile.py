"""Activity Profile Resource (xAPI Communication 2.7, 3.1): documents about an activity."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from tests.fixtures.lrs_documents import ACTIVITY, quoted_sha1

JSON = "application/json"
TEXT = "text/plain"


@pytest.fixture
def profile(resource):
    return resource("/xapi/activities/profile", activityId=ACTIVITY)


def test_put_then_get_returns_bytes_type_etag_and_last_modified(profile):
    body = "Nouvel Agenda urbain — données".encode()
    assert (
        profile("PUT", body, content_type="text/plain; charset=utf-8", profileId="p").status_code
        == 204
    )
    got = profile("GET", profileId="p")
    assert got.data == body
    assert got.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert got.headers["ETag"] == quoted_sha1(body)
    assert "Last-Modified" in got.headers


def test_a_document_sent_without_a_content_type_comes_back_as_octet_stream(profile):
    profile("PUT", b"\x00\x01", profileId="p")
    assert profile("GET", profileId="p").headers["Content-Type"] == "application/octet-stream"


def test_put_over_an_existing_document_without_a_precondition_is_409(profile):
    profile("PUT", b"one", content_type=TEXT, profileId="p")
    conflict = profile("PUT", b"two", content_type=TEXT, profileId="p")
    assert conflict.status_code == 409
    assert "If-Match" in conflict.get_json()["error"]["message"]
    assert profile("GET", profileId="p").data == b"one"


def test_put_with_the_current_etag_replaces_the_document(profile):
    profile("PUT", b"one", content_type=TEXT, profileId="p")
    etag = profile("GET", profileId="p").headers["ETag"]
    assert (
        profile(
            "PUT", b"two", content_type=TEXT, profileId="p", headers={"If-Match": etag}
        ).status_code
        == 204
    )
    assert profile("GET", profileId="p").data == b"two"


def test_put_with_a_stale_etag_is_412_and_changes_nothing(profile):
    profile("PUT", b"one", content_type=TEXT, profileId="p")
    stale = profile("GET", profileId="p").headers["ETag"]
    profile("PUT", b"two", content_type=TEXT, profileId="p", headers={"If-Match": stale})
    refused = profile(
        "PUT", b"three", content_type=TEXT, profileId="p", headers={"If-Match": stale}
    )
    assert refused.status_code == 412
    assert profile("GET", profileId="p").data == b"two"


def test_if_none_match_star_creates_but_never_overwrites(profile):
    create_only = {"If-None-Match": "*"}
    assert (
        profile("PUT", b"one", content_type=TEXT, profileId="p", headers=create_only).status_code
        == 204
    )
    assert (
        profile("PUT", b"two", content_type=TEXT, profileId="p", headers=create_only).status_code
        == 412
    )
    assert profile("GET", profileId="p").data == b"one"


def test_if_match_on_a_document_that_does_not_exist_is_412(profile):
    answer = profile(
        "PUT", b"x", content_type=TEXT, profileId="p", headers={"If-Match": quoted_sha1(b"x")}
    )
    assert answer.status_code == 412
    assert profile("GET", profileId="p").status_code == 404


def test_post_merges_without_concurrency_headers(profile):
    profile("POST", json.dumps({"a": 1, "b": 1}), content_type=JSON, profileId="p")
    assert (
        profile("POST", json.dumps({"b": 2}), content_type=JSON, profileId="p").status_code == 204
    )
    assert profile("GET", profileId="p").get_json() == {"a": 1, "b": 2}


def test_post_with_a_stale_etag_is_412(profile):
    profile("POST", b"{}", content_type=JSON, profileId="p")
    stale = {"If-Match": quoted_sha1(b"something else")}
    assert (
        profile("POST", b'{"a": 1}', content_type=JSON, profileId="p", headers=stale).status_code
        == 412
    )
    assert profile("GET", profileId="p").get_json() == {}


def test_post_onto_a_non_json_document_is_400(profile):
    profile("PUT", b"plain", content_type=TEXT, profileId="p")
    assert profile("POST", b'{"a": 1}', content_type=JSON, profileId="p").status_code == 400


def test_ids_with_and_without_since(profile):
    profile("PUT", b"1", content_type=TEXT, profileId="first")
    between = datetime.now(UTC).isoformat()
    profile("PUT", b"2", content_type=TEXT, profileId="second")
    assert sorted(profile("GET").get_json()) == ["first", "second"]
    assert profile("GET", since=between).get_json() == ["second"]
    other = "https://learn.unhabitat.example/courses/nua-crash-course/social-inclusion"
    assert profile("GET", activityId=other).get_json() == []


def test_delete_respects_if_match_and_needs_a_profile_id(profile):
    profile("PUT", b"x", content_type=TEXT, profileId="p")
    assert (
        profile("DELETE", profileId="p", headers={"If-Match": quoted_sha1(b"y")}).status_code == 412
    )
    assert profile("DELETE").status_code == 400
    assert profile("GET", profileId="p").status_code == 200
    assert (
        profile("DELETE", profileId="p", headers={"If-Match": quoted_sha1(b"x")}).status_code == 204
    )
    assert profile("GET", profileId="p").status_code == 404


@pytest.mark.parametrize(
    ("params", "complaint"),
    [
        ({"activityId": None}, "activityId"),
        ({"activityId": "what-is-the-nua"}, "activityId"),
        ({"agent": '{"mbox": "mailto:a@example.org"}'}, "agent"),
        ({"since": "2024-13-01T00:00:00Z"}, "since"),
    ],
)
def test_malformed_parameters_are_400(profile, params, complaint):
    answer = profile("GET", **params)
    assert answer.status_code == 400
    assert complaint in answer.get_json()["error"]["message"]


def test_the_profile_scope_is_needed(resource):
    def as_(*scopes):
        return resource("/xapi/activities/profile", scopes=scopes, activityId=ACTIVITY)

    assert as_("state")("GET", profileId="p").status_code == 403
    assert as_("profile")("PUT", b"x", content_type=TEXT, profileId="p").status_code == 204
    assert as_("all/read")("GET", profileId="p").status_code == 200
    assert as_("all/read")("DELETE", profileId="p").status_code == 403


def test_a_launch_token_may_read_but_not_change_a_shared_activity_profile(resource, launch_headers):
    resource("/xapi/activities/profile", activityId=ACTIVITY)(
        "PUT", b"x", content_type=TEXT, profileId="p"
    )
    learner = resource(
        "/xapi/activities/profile",
        headers=launch_headers({"mbox": "mailto:amina@example.org"}),
        activityId=ACTIVITY,
    )
    assert learner("GET", profileId="p").data == b"x"
    etag = quoted_sha1(b"x")
    assert (
        learner(
            "PUT", b"y", content_type=TEXT, profileId="p", headers={"If-Match": etag}
        ).status_code
        == 403
    )
    assert learner("DELETE", profileId="p").status_code == 403


def test_of_concurrent_writers_holding_the_same_etag_exactly_one_wins(app, lrs_headers):
    headers = lrs_headers()
    query = {"activityId": ACTIVITY, "profileId": "shared"}
    first = app.test_client().put(
        "/xapi/activities/profile", query_string=query, data=b"v0", headers=headers
    )
    etag = first.headers["ETag"]
    bodies = [f"writer {number}".encode() for number in range(6)]

    def write(body: bytes) -> int:
        answer = app.test_client().put(
            "/xapi/activities/profile",
            query_string=query,
            data=body,
            headers={**headers, "If-Match": etag},
        )
        return answer.status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(write, bodies))
    assert sorted(statuses) == [204] + [412] * 5
    winner = bodies[statuses.index(204)]
    final = app.test_client().get("/xapi/activities/profile", query_string=query, headers=headers)
    assert final.data == winner
