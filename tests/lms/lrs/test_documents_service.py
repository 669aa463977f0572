"""The document rules as a service, on a real SQLite file: what views rely on before HTTP."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from lms.db import Base
from lms.lrs import documents
from lms.lrs.documents import Context, Preconditions
from lms.lrs.documents_activities import (
    ActivityDefinition,
    activity_object,
    record_activity_definitions,
)
from lms.lrs.documents_agents import AgentKeyError, agent_key, person_object

ACTIVITY = "https://learn.unhabitat.example/courses/nua-crash-course/what-is-the-nua"
NO_HEADERS = Preconditions()
JSON = "application/json"


@pytest.fixture
def session(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'documents.sqlite'}")
    Base.metadata.create_all(
        engine, tables=[documents.Document.__table__, ActivityDefinition.__table__]
    )
    with Session(engine) as session:
        yield session
    engine.dispose()


def profile() -> Context:
    return Context.activity_profile(ACTIVITY)


def test_put_then_get_returns_the_bytes_content_type_and_sha1_etag(session):
    etag = documents.put(session, profile(), "p", b"\x00raw", "image/png", NO_HEADERS)
    stored = documents.get(session, profile(), "p")
    assert (stored.body, stored.content_type) == (b"\x00raw", "image/png")
    assert stored.etag == etag == documents.etag_of(b"\x00raw")


def test_get_of_a_missing_document_is_not_found(session):
    with pytest.raises(documents.DocumentNotFound):
        documents.get(session, profile(), "nothing")


def test_profile_put_over_an_existing_document_needs_a_precondition(session):
    documents.put(session, profile(), "p", b"one", "text/plain", NO_HEADERS)
    with pytest.raises(documents.DocumentConflict, match="If-Match"):
        documents.put(session, profile(), "p", b"two", "text/plain", NO_HEADERS)
    assert documents.get(session, profile(), "p").body == b"one"


def test_state_put_over_an_existing_document_needs_no_precondition(session):
    state = Context.state(ACTIVITY, "mbox:mailto:amina@example.org", None)
    documents.put(session, state, "s", b"one", "text/plain", NO_HEADERS)
    documents.put(session, state, "s", b"two", "text/plain", NO_HEADERS)
    assert documents.get(session, state, "s").body == b"two"


def test_if_match_with_a_stale_etag_fails_and_keeps_the_document(session):
    first = documents.put(session, profile(), "p", b"one", "text/plain", NO_HEADERS)
    documents.put(session, profile(), "p", b"two", "text/plain", Preconditions({first}, None))
    with pytest.raises(documents.PreconditionFailed):
        documents.put(session, profile(), "p", b"three", "text/plain", Preconditions({first}))
    assert documents.get(session, profile(), "p").body == b"two"


def test_if_none_match_star_only_creates(session):
    create_only = Preconditions.from_headers(None, "*")
    documents.put(session, profile(), "p", b"one", "text/plain", create_only)
    with pytest.raises(documents.PreconditionFailed):
        documents.put(session, profile(), "p", b"two", "text/plain", create_only)


def test_if_match_on_an_absent_document_fails(session):
    with pytest.raises(documents.PreconditionFailed, match="does not exist"):
        documents.put(
            session, profile(), "p", b"x", "text/plain", Preconditions.from_headers("*", None)
        )


def test_etag_headers_are_read_quoted_weak_or_listed():
    parsed = Preconditions.from_headers('"a", W/"b"', None)
    assert parsed.if_match == {"a", "b"}


def test_post_merges_top_level_properties(session):
    documents.post(session, profile(), "p", b'{"x":"foo","y":{"a":1}}', JSON, NO_HEADERS)
    documents.post(session, profile(), "p", b'{"x":"bash","y":{"b":2}}', JSON, NO_HEADERS)
    merged = json.loads(documents.get(session, profile(), "p").body)
    assert merged == {"x": "bash", "y": {"b": 2}}


@pytest.mark.parametrize(
    ("stored_type", "stored", "posted_type", "posted"),
    [
        ("text/plain", b"hello", JSON, b"{}"),
        (JSON, b"{}", "text/plain", b"hello"),
        (JSON, b"[1]", JSON, b"{}"),
        (JSON, b"{}", JSON, b"[1]"),
    ],
)
def test_post_refuses_to_merge_anything_but_two_json_objects(
    session, stored_type, stored, posted_type, posted
):
    documents.put(session, profile(), "p", stored, stored_type, NO_HEADERS)
    with pytest.raises(documents.BadDocumentRequest):
        documents.post(session, profile(), "p", posted, posted_type, NO_HEADERS)
    assert documents.get(session, profile(), "p").body == stored


def test_json_that_does_not_parse_is_refused(session):
    with pytest.raises(documents.BadDocumentRequest, match="not JSON"):
        documents.put(
            session, profile(), "p", b"{oops", "application/json; charset=utf-8", NO_HEADERS
        )


def test_list_ids_since_is_exclusive_and_reports_the_newest_change(session):
    documents.put(session, profile(), "a", b"1", "text/plain", NO_HEADERS)
    first_update = documents.get(session, profile(), "a").updated
    documents.put(session, profile(), "b", b"2", "text/plain", NO_HEADERS)
    ids, newest = documents.list_ids(session, profile())
    assert ids == ["a", "b"]
    assert newest == documents.get(session, profile(), "b").updated
    later_ids, _ = documents.list_ids(session, profile(), since=first_update)
    assert "a" not in later_ids
    none_ids, none_newest = documents.list_ids(session, profile(), first_update + timedelta(days=1))
    assert (none_ids, none_newest) == ([], None)


def test_delete_all_removes_one_context_only(session):
    mine = Context.state(ACTIVITY, "mbox:mailto:amina@example.org", None)
    registered = Context.state(
        ACTIVITY, "mbox:mailto:amina@example.org", "A" * 8 + "-0000-4000-8000-" + "0" * 12
    )
    for context in (mine, registered):
        documents.put(session, context, "s", b"x", "text/plain", NO_HEADERS)
    documents.delete_all(session, mine)
    assert documents.list_ids(session, mine)[0] == []
    assert documents.list_ids(session, registered)[0] == ["s"]


def test_agent_key_ignores_names_and_refuses_two_identifiers():
    assert agent_key({"name": "Amina", "mbox": "mailto:a@example.org"}) == agent_key(
        {"mbox": "mailto:a@example.org"}
    )
    with pytest.raises(AgentKeyError):
        agent_key({"mbox": "mailto:a@example.org", "openid": "https://a.example.org"})


def test_person_carries_the_given_agent_as_arrays():
    person = person_object({"name": "Amina", "account": {"homePage": "https://x", "name": "7"}})
    assert person == {
        "objectType": "Person",
        "name": ["Amina"],
        "account": [{"homePage": "https://x", "name": "7"}],
    }


def test_definitions_merge_language_maps_across_statements(session):
    def statement(language: str, name: str) -> dict:
        return {
            "object": {"id": ACTIVITY, "definition": {"name": {language: name}, "type": "t"}},
            "context": {"contextActivities": {"parent": {"id": ACTIVITY + "/parent"}}},
        }

    record_activity_definitions(session, [statement("en", "What is the NUA?")])
    record_activity_definitions(session, [statement("fr", "Qu'est-ce que le NUA ?")])
    session.commit()
    assert activity_object(session, ACTIVITY)["definition"]["name"] == {
        "en": "What is the NUA?",
        "fr": "Qu'est-ce que le NUA ?",
    }
    assert activity_object(session, ACTIVITY + "/parent") == {
        "objectType": "Activity",
        "id": ACTIVITY + "/parent",
    }


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)
JSON_OBJECTS = st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=5)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stored=JSON_OBJECTS, posted=JSON_OBJECTS)
def test_post_of_any_json_object_is_a_shallow_merge(session, stored, posted):
    document_id = uuid.uuid4().hex
    documents.put(session, profile(), document_id, json.dumps(stored).encode(), JSON, NO_HEADERS)
    documents.post(session, profile(), document_id, json.dumps(posted).encode(), JSON, NO_HEADERS)
    assert json.loads(documents.get(session, profile(), document_id).body) == {**stored, **posted}
