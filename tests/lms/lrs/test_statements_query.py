"""Statement Resource GET: every filter, paging with `more`, formats, headers (xAPI Part Three,
"Statement Resource" and "Filter Conditions for StatementRefs")."""

from __future__ import annotations

import base64
import json
import time

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

MODULE_1 = COURSE + "/module-1"
MODULE_2 = COURSE + "/module-2"


def test_results_come_newest_first_unless_ascending(lrs: Lrs) -> None:
    ids = [lrs.post(statement()).get_json()[0] for _ in range(3)]
    assert lrs.query_ids() == ids[::-1]
    assert lrs.query_ids(ascending="true") == ids


def test_agent_matches_actor_and_object_only_without_related_agents(lrs: Lrs) -> None:
    as_actor = lrs.post(statement(actor="bo")).get_json()[0]
    as_object = lrs.post(statement(object=learner("bo"))).get_json()[0]
    as_instructor = lrs.post(statement(context={"instructor": learner("bo")})).get_json()[0]
    lrs.post(statement(actor="cy"))
    assert set(lrs.query_ids(agent=learner("bo"))) == {as_actor, as_object}
    assert set(lrs.query_ids(agent=learner("bo"), related_agents="true")) == {
        as_actor,
        as_object,
        as_instructor,
    }


def test_agent_is_matched_by_identifier_not_by_name(lrs: Lrs) -> None:
    [statement_id] = lrs.post(statement(actor="bo")).get_json()
    assert lrs.query_ids(agent={"mbox": "mailto:bo@example.org", "name": "Other"}) == [statement_id]


def test_activity_matches_the_object_and_related_activities_the_context(lrs: Lrs) -> None:
    as_object = lrs.post(statement(activity=MODULE_1)).get_json()[0]
    as_parent = lrs.post(
        statement(
            activity=MODULE_1 + "#q1",
            context={"contextActivities": {"parent": [{"id": MODULE_1}]}},
        )
    ).get_json()[0]
    lrs.post(statement(activity=MODULE_2))
    assert lrs.query_ids(activity=MODULE_1) == [as_object]
    assert set(lrs.query_ids(activity=MODULE_1, related_activities="true")) == {
        as_object,
        as_parent,
    }


def test_verb_and_registration_filters_combine(lrs: Lrs) -> None:
    registration = new_id()
    wanted = lrs.post(statement(context={"registration": registration})).get_json()[0]
    lrs.post(statement(verb=ATTEMPTED, context={"registration": registration}))
    lrs.post(statement())
    assert lrs.query_ids(verb=COMPLETED, registration=registration) == [wanted]


def test_since_is_exclusive_and_until_inclusive_on_stored(lrs: Lrs) -> None:
    [first] = lrs.post(statement()).get_json()
    first_stored = lrs.get(statementId=first).get_json()["stored"]
    time.sleep(0.005)
    [second] = lrs.post(statement()).get_json()
    assert lrs.query_ids(since=first_stored) == [second]
    assert lrs.query_ids(until=first_stored) == [first]


def test_more_pages_through_everything_once_even_while_new_statements_arrive(lrs: Lrs) -> None:
    ids = lrs.post([statement() for _ in range(7)]).get_json()
    response = lrs.get(limit=3).get_json()
    seen = [s["id"] for s in response["statements"]]
    lrs.post(statement(actor="late"))
    while response["more"]:
        assert response["more"].startswith("/xapi/")
        page = lrs.client.get(response["more"], headers=lrs.headers)
        assert page.status_code == 200
        response = page.get_json()
        assert len(response["statements"]) <= 3
        seen += [s["id"] for s in response["statements"]]
    assert seen == ids[::-1]


def test_limit_zero_means_the_server_maximum(lrs: Lrs) -> None:
    lrs.post([statement() for _ in range(5)])
    assert len(lrs.query_ids(limit=0)) == 5


def test_voided_statements_are_left_out_of_queries_but_the_voiding_one_is_not(lrs: Lrs) -> None:
    [target] = lrs.post(statement(actor="bo")).get_json()
    [voiding] = lrs.post(
        statement(verb=VOIDED, object={"objectType": "StatementRef", "id": target})
    ).get_json()
    assert lrs.query_ids() == [voiding]


def test_a_statement_ref_meets_the_filters_its_target_meets(lrs: Lrs) -> None:
    [target] = lrs.post(statement(actor="bo", activity=MODULE_2)).get_json()
    [referring] = lrs.post(
        statement(actor="cy", object={"objectType": "StatementRef", "id": target})
    ).get_json()
    assert set(lrs.query_ids(activity=MODULE_2)) == {target, referring}


def test_a_statement_ref_to_a_statement_of_the_same_batch_meets_its_filters(lrs: Lrs) -> None:
    target_id = new_id()
    target = statement(id=target_id, actor="bo", activity=MODULE_2)
    referring = statement(actor="cy", object={"objectType": "StatementRef", "id": target_id})
    ids = lrs.post([target, referring]).get_json()
    assert set(lrs.query_ids(activity=MODULE_2)) == set(ids)
    assert set(lrs.query_ids(agent=json.dumps(learner("bo")))) == set(ids)


def test_format_ids_keeps_only_identifiers(lrs: Lrs) -> None:
    lrs.post(
        statement(object={"id": MODULE_1, "definition": {"name": {"en": "Module 1"}}}),
    )
    [found] = lrs.get(format="ids").get_json()["statements"]
    assert found["actor"] == {"objectType": "Agent", "mbox": "mailto:amina@example.org"}
    assert found["verb"] == {"id": COMPLETED}
    assert found["object"] == {"objectType": "Activity", "id": MODULE_1}


def test_format_canonical_keeps_the_language_the_client_prefers(lrs: Lrs) -> None:
    lrs.post(
        statement(
            verb=COMPLETED,
            object={"id": MODULE_1, "definition": {"name": {"en": "Module", "fr": "Module FR"}}},
        )
        | {"verb": {"id": COMPLETED, "display": {"en-US": "completed", "fr-FR": "terminé"}}}
    )
    response = lrs.get(format="canonical", headers={"Accept-Language": "fr-FR, en;q=0.5"})
    [found] = response.get_json()["statements"]
    assert found["verb"]["display"] == {"fr-FR": "terminé"}
    assert found["object"]["definition"]["name"] == {"fr": "Module FR"}


def test_statement_id_cannot_be_combined_with_query_filters(lrs: Lrs) -> None:
    [statement_id] = lrs.post(statement()).get_json()
    response = lrs.get(statementId=statement_id, verb=COMPLETED)
    assert response.status_code == 400


def test_unknown_and_malformed_parameters_are_400_with_a_reason(lrs: Lrs) -> None:
    for params in (
        {"colour": "blue"},
        {"agent": "not json"},
        {"agent": {"name": "no identifier"}},
        {"verb": "completed"},
        {"since": "yesterday"},
        {"limit": "-1"},
        {"ascending": "maybe"},
        {"format": "pretty"},
        {"registration": "not-a-uuid"},
    ):
        response = lrs.get(**params)
        assert response.status_code == 400, params
        assert response.get_json()["error"]["message"]


def test_unknown_statement_is_404(lrs: Lrs) -> None:
    assert lrs.get(statementId=new_id()).status_code == 404


def test_get_answers_last_modified_and_consistent_through(lrs: Lrs) -> None:
    [statement_id] = lrs.post(statement()).get_json()
    single = lrs.get(statementId=statement_id)
    assert single.headers["Last-Modified"]
    page = lrs.get()
    stored = single.get_json()["stored"]
    assert page.headers["X-Experience-API-Consistent-Through"] >= stored


def test_head_answers_the_headers_without_a_body(lrs: Lrs) -> None:
    [statement_id] = lrs.post(statement()).get_json()
    response = lrs.client.head(
        "/xapi/statements", query_string={"statementId": statement_id}, headers=lrs.headers
    )
    assert response.status_code == 200
    assert response.data == b""
    assert response.headers["X-Experience-API-Version"] == "1.0.3"


def test_xapi_2_context_agents_are_found_with_related_agents(client, lrs_headers) -> None:  # type: ignore[no-untyped-def]
    lrs = Lrs(client, lrs_headers("all", version="2.0.0"))
    context = {"contextAgents": [{"objectType": "contextAgent", "agent": learner("tutor")}]}
    response = lrs.post(statement(context=context))
    assert response.status_code == 200, response.get_data(as_text=True)
    [statement_id] = response.get_json()
    assert lrs.query_ids(agent=learner("tutor")) == []
    assert lrs.query_ids(agent=learner("tutor"), related_agents="true") == [statement_id]


def test_edited_more_links_and_malformed_ids_are_400_not_500(lrs: Lrs) -> None:
    edited = (
        b'{"limit": "ten"}',
        b'{"limit": -5}',
        b'{"verb": ["http://example.org/v"]}',
        b'{"after": 100000000000000000000000000000}',
        b'{"since_us": -100000000000000000000000000000}',
        b'{"format": "zzz"}',
        b'{"after": 5, "colour": 1}',
        b"[1]",
        b"{" * 3000,
    )
    for cursor in edited:
        token = base64.urlsafe_b64encode(cursor).decode()
        response = lrs.client.get(f"/xapi/statements/more/{token}", headers=lrs.headers)
        assert response.status_code == 400, cursor[:20]
    assert lrs.get(statementId="not-a-uuid").status_code == 400
    assert lrs.get(agent="[" * 5000).status_code == 400
