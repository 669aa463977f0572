"""Data / Statements: what the LRS sets on store, immutability, batches, voiding (xAPI 1.0.3 and
2.0, Part Two "Statement" and Part Three "Statement Resource")."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from lms.lrs.auth import lms_authority
from lms.lrs.statements import store_statements
from tests.fixtures.lrs_statements import (
    ATTEMPTED,
    COMPLETED,
    COURSE,
    VOIDED,
    Lrs,
    learner,
    new_id,
    statement,
)


def test_post_returns_the_ids_in_order_and_sets_id_stored_timestamp_authority(lrs: Lrs) -> None:
    given = new_id()
    response = lrs.post([statement(), statement(id=given.upper())])
    assert response.status_code == 200
    ids = response.get_json()
    assert ids[1] == given
    stored = lrs.get(statementId=ids[0]).get_json()
    assert stored["id"] == ids[0]
    assert stored["stored"].endswith("Z")
    assert stored["timestamp"] == stored["stored"]
    assert stored["authority"]["objectType"] == "Agent"
    assert stored["authority"]["name"] == "test client"
    assert stored["version"] == "1.0.0"


def test_ids_the_lrs_assigns_are_uuids_clients_accept_in_the_order_stored(lrs: Lrs) -> None:
    first = lrs.post([statement() for _ in range(3)]).get_json()
    time.sleep(0.002)
    second = lrs.post(statement()).get_json()
    ids = [uuid.UUID(value) for value in first + second]
    assert {value.version for value in ids} == {4}  # what xAPI clients check for
    assert {value.variant for value in ids} == {uuid.RFC_4122}
    # The first 48 bits are the milliseconds of the POST: a later request sorts later.
    assert max(value.int >> 80 for value in ids[:3]) < ids[3].int >> 80


def test_authority_sent_by_the_client_is_replaced_by_the_credentials_own(lrs: Lrs) -> None:
    forged = {"objectType": "Agent", "mbox": "mailto:boss@example.org"}
    [statement_id] = lrs.post(statement(authority=forged)).get_json()
    assert lrs.get(statementId=statement_id).get_json()["authority"] != forged


def test_timestamp_given_by_the_client_is_kept(lrs: Lrs) -> None:
    [statement_id] = lrs.post(statement(timestamp="2024-01-02T03:04:05.678+03:00")).get_json()
    stored = lrs.get(statementId=statement_id).get_json()
    assert stored["timestamp"] == "2024-01-02T03:04:05.678+03:00"


def test_put_stores_under_the_given_id_and_answers_204(lrs: Lrs) -> None:
    statement_id = new_id()
    response = lrs.put(statement(), statement_id)
    assert response.status_code == 204
    assert response.data == b""
    assert lrs.get(statementId=statement_id).get_json()["id"] == statement_id


def test_put_needs_statement_id_that_matches_the_body(lrs: Lrs) -> None:
    response = lrs.client.put("/xapi/statements", json=statement(), headers=lrs.headers)
    assert response.status_code == 400
    mismatch = lrs.put(statement(id=new_id()), new_id())
    assert mismatch.status_code == 400


def test_same_id_same_content_is_accepted_again_without_change(lrs: Lrs) -> None:
    statement_id = new_id()
    assert lrs.put(statement(), statement_id).status_code == 204
    first = lrs.get(statementId=statement_id).get_json()
    assert lrs.put(statement(), statement_id).status_code == 204
    assert lrs.post(statement(id=statement_id)).status_code == 200
    assert lrs.get(statementId=statement_id).get_json() == first
    assert lrs.query_ids() == [statement_id]


def test_same_id_different_content_is_409_and_changes_nothing(lrs: Lrs) -> None:
    statement_id = new_id()
    lrs.put(statement(), statement_id)
    response = lrs.put(statement(verb=ATTEMPTED), statement_id)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == 409
    assert lrs.get(statementId=statement_id).get_json()["verb"]["id"] != ATTEMPTED


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ({"timestamp": "2026-03-01T10:00:00Z"}, {"timestamp": "2026-03-01T12:00:00+02:00"}),
        (
            {"context": {"registration": "9b2f7f2e-5c1a-4b7e-8f3d-1a2b3c4d5e6f"}},
            {"context": {"registration": "9B2F7F2E-5C1A-4B7E-8F3D-1A2B3C4D5E6F"}},
        ),
        (
            {"actor": {"objectType": "Group", "member": [learner("amina"), learner("kofi")]}},
            {"actor": {"objectType": "Group", "member": [learner("kofi"), learner("amina")]}},
        ),
        ({"version": "1.0.3"}, {}),
        # Activity definitions and a verb's display are not part of the statement (xAPI 2.3.1).
        (
            {"object": {"id": COURSE, "definition": {"name": {"en": "Module one"}}}},
            {"object": {"id": COURSE, "definition": {"name": {"en": "Module 1"}}}},
        ),
        (
            {"context": {"contextActivities": {"parent": [{"id": COURSE}]}}},
            {
                "context": {
                    "contextActivities": {
                        "parent": [{"id": COURSE, "definition": {"name": {"en": "NUA"}}}]
                    }
                }
            },
        ),
        (
            {"verb": {"id": COMPLETED, "display": {"en-US": "completed"}}},
            {"verb": {"id": COMPLETED}},
        ),
    ],
    ids=[
        "timestamp-written-otherwise",
        "uuid-case",
        "member-order",
        "version",
        "activity-definition",
        "context-activity-definition",
        "verb-display",
    ],
)
def test_a_retry_written_differently_is_the_same_statement(
    lrs: Lrs, first: dict, again: dict
) -> None:
    statement_id = new_id()
    assert lrs.put({**statement(), **first}, statement_id).status_code == 204
    stored = lrs.get(statementId=statement_id).get_json()
    assert lrs.put({**statement(), **again}, statement_id).status_code == 204
    assert lrs.get(statementId=statement_id).get_json() == stored


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ({"timestamp": "2026-03-01T10:00:00Z"}, {}),
        ({}, {"timestamp": "2026-03-01T10:00:00Z"}),
        (
            {"result": {"extensions": {"https://example.org/x": True}}},
            {"result": {"extensions": {"https://example.org/x": 1}}},
        ),
        (
            {"result": {"extensions": {"https://example.org/x": 1}}},
            {"result": {"extensions": {"https://example.org/x": 1.5}}},
        ),
    ],
    ids=["timestamp-dropped", "timestamp-added", "true-is-not-1", "other-number"],
)
def test_a_retry_with_other_content_is_a_conflict(lrs: Lrs, first: dict, again: dict) -> None:
    statement_id = new_id()
    assert lrs.put(statement(**first), statement_id).status_code == 204
    assert lrs.put(statement(**again), statement_id).status_code == 409


def test_a_batch_with_one_invalid_statement_stores_nothing(lrs: Lrs) -> None:
    response = lrs.post([statement(), statement(), {"actor": statement()["actor"]}])
    assert response.status_code == 400
    assert "statements[2]" in response.get_json()["error"]["message"]
    assert lrs.query_ids() == []


def test_a_batch_with_one_conflicting_statement_stores_nothing(lrs: Lrs) -> None:
    taken = new_id()
    lrs.put(statement(), taken)
    response = lrs.post([statement(actor="bo"), statement(id=taken, verb=ATTEMPTED)])
    assert response.status_code == 409
    assert lrs.query_ids() == [taken]


def test_invalid_json_is_a_400_with_a_message_not_a_500(lrs: Lrs) -> None:
    response = lrs.client.post(
        "/xapi/statements",
        data=b'{"actor": ',
        content_type="application/json",
        headers=lrs.headers,
    )
    assert response.status_code == 400
    assert "JSON" in response.get_json()["error"]["message"]


def void(target: str) -> dict:
    return statement(verb=VOIDED, object={"objectType": "StatementRef", "id": target})


def test_voided_statement_is_only_found_by_voided_statement_id(lrs: Lrs) -> None:
    [target] = lrs.post(statement()).get_json()
    [voiding] = lrs.post(void(target)).get_json()
    assert lrs.get(statementId=target).status_code == 404
    assert lrs.get(voidedStatementId=target).get_json()["id"] == target
    assert lrs.get(voidedStatementId=voiding).status_code == 404
    assert lrs.query_ids() == [voiding]


def test_a_voiding_statement_cannot_be_voided(lrs: Lrs) -> None:
    [target] = lrs.post(statement()).get_json()
    [voiding] = lrs.post(void(target)).get_json()
    response = lrs.post(void(voiding))
    assert response.status_code == 400
    assert lrs.get(statementId=voiding).status_code == 200


def test_a_statement_that_refers_to_a_voided_one_is_still_returned(lrs: Lrs) -> None:
    [target] = lrs.post(statement()).get_json()
    [referring] = lrs.post(
        statement(verb=ATTEMPTED, object={"objectType": "StatementRef", "id": target})
    ).get_json()
    lrs.post(void(target))
    assert referring in lrs.query_ids()
    assert lrs.get(statementId=referring).status_code == 200


def test_a_statement_voided_before_it_arrives_is_stored_voided(lrs: Lrs) -> None:
    late = new_id()
    lrs.post(void(late))
    lrs.put(statement(), late)
    assert lrs.get(statementId=late).status_code == 404
    assert lrs.get(voidedStatementId=late).status_code == 200


@pytest.mark.parametrize("version", ["1.0.3", "2.0.0"])
def test_version_property_defaults_to_the_family_of_the_request(
    client, lrs_headers, version: str
) -> None:  # type: ignore[no-untyped-def]
    lrs = Lrs(client, lrs_headers("all", version=version))
    [statement_id] = lrs.post(statement()).get_json()
    stored = lrs.get(statementId=statement_id).get_json()
    assert stored["version"] == ("2.0.0" if version == "2.0.0" else "1.0.0")


def test_the_lms_stores_statements_in_process_without_http(app, lrs: Lrs) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        ids = store_statements([statement(), statement(actor="bo")], lms_authority())
    assert set(lrs.query_ids()) == set(ids)
    assert lrs.get(statementId=ids[0]).get_json()["authority"]["name"] == "Mafunzo LMS"


def test_a_nul_character_is_refused_on_every_database(lrs: Lrs) -> None:
    response = lrs.post(statement(result={"response": "before\u0000after"}))
    assert response.status_code == 400
    assert "U+0000" in response.get_json()["error"]["message"]
    harmless = lrs.post(statement(result={"response": "a backslash-u0000: \\u0000"}))
    assert harmless.status_code == 200


def test_statements_stored_in_the_callers_transaction_vanish_with_its_rollback(
    app, lrs: Lrs
) -> None:  # type: ignore[no-untyped-def]
    from lms import db

    with app.app_context():
        with db.write_lock():
            session = db.write_session()
            kept = store_statements([statement()], lms_authority(), session=session)
            session.commit()
            session.close()
        with db.write_lock():
            session = db.write_session()
            store_statements([statement(actor="bo")], lms_authority(), session=session)
            session.rollback()
            session.close()
    assert lrs.query_ids() == kept


def test_a_learner_first_seen_in_a_rolled_back_transaction_is_still_found_by_agent(
    app, lrs: Lrs
) -> None:  # type: ignore[no-untyped-def]
    """The number a new agent gets inside a transaction that rolls back is not remembered: the
    next statement about that agent numbers it again, and an agent query finds it."""
    from lms import db

    if app.extensions["mafunzo.engine"].dialect.name == "postgresql":
        pytest.skip("PostgreSQL never hands out a rolled-back number again: nothing to mix up")
    with app.app_context():
        store_statements([statement()], lms_authority())  # the authority and activity: known
        with db.write_lock():
            session = db.write_session()
            store_statements([statement(actor="bo")], lms_authority(), session=session)
            session.rollback()
            session.close()
        store_statements([statement(actor="cy")], lms_authority())  # takes the freed number
        kept = store_statements([statement(actor="bo")], lms_authority())
    assert lrs.query_ids(agent=json.dumps(learner("bo"))) == kept
    assert len(lrs.query_ids(agent=json.dumps(learner("cy")))) == 1


def test_a_transaction_meeting_a_learner_another_is_numbering_waits_and_reuses_the_number(
    app, lrs: Lrs
) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL: two transactions (in the caller's sessions) both store the first statements
    about a new learner. The second waits for the first to commit and links to the number the
    first gave, instead of failing on the unique digest. (SQLite queues writers on its lock.)"""
    import threading

    from sqlalchemy import text

    from lms import db
    from tests.fixtures.waiting import eventually

    if app.extensions["mafunzo.engine"].dialect.name != "postgresql":
        pytest.skip("SQLite writers never overlap: they queue on the write lock")
    failures: list[BaseException] = []

    def second_writer() -> None:
        with app.app_context():
            session = db.write_session()
            try:
                store_statements([statement(actor="bo")], lms_authority(), session=session)
                session.commit()
            except BaseException as error:  # reported by the assertion below
                failures.append(error)
                session.rollback()
            finally:
                session.close()

    with app.app_context():
        first = db.write_session()
        store_statements([statement(actor="bo")], lms_authority(), session=first)
        writer = threading.Thread(target=second_writer)
        writer.start()
        waiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        with db.engine().connect() as watcher:
            eventually(
                lambda: watcher.execute(text(waiting)).scalar_one() > 0,
                "the second writer waits for the first one's learner",
            )
        first.commit()
        first.close()
        writer.join(timeout=30)
    assert failures == []
    assert len(lrs.query_ids(agent=json.dumps(learner("bo")))) == 2


def test_a_batch_naming_more_learners_than_a_query_takes_parameters_is_stored(
    app,  # type: ignore[no-untyped-def]
    lrs: Lrs,
) -> None:
    """PostgreSQL takes at most 65,535 parameters in one query: the lookups of a batch's ids and
    its learners' numbers are split, not one IN list each."""
    if app.extensions["mafunzo.engine"].dialect.name != "postgresql":
        pytest.skip("SQLite builds differ in their limit (Debian's is 250,000); 66,000 is slow")
    batch = [statement(actor=f"learner{n}", id=new_id()) for n in range(66_000)]
    with app.app_context():
        ids = store_statements(batch, lms_authority())
        assert store_statements(batch[-2:], lms_authority()) == ids[-2:]  # retries: the same
    assert len(lrs.query_ids(agent=json.dumps(learner("learner65999")))) == 1
