"""Communication / Concurrency for statements: many clients storing the same statement id at
once over real HTTP, as retries from flaky networks do."""

from __future__ import annotations

import http.client
import json
import threading
from urllib.parse import urlsplit

from tests.fixtures.lrs_statements import ATTEMPTED, COMPLETED, new_id, statement

CLIENTS = 8


def put_all(
    live_server, headers: dict[str, str], statement_id: str, bodies: list[dict]
) -> list[int]:  # type: ignore[no-untyped-def]
    """PUT each body from its own thread and connection, all released at the same moment."""
    address = urlsplit(live_server.url)
    start = threading.Barrier(len(bodies))
    statuses = [0] * len(bodies)

    def client(index: int, body: dict) -> None:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        start.wait()
        connection.request(
            "PUT",
            f"/xapi/statements?statementId={statement_id}",
            body=json.dumps(body),
            headers={**headers, "Content-Type": "application/json"},
        )
        statuses[index] = connection.getresponse().status

    threads = [threading.Thread(target=client, args=item) for item in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_the_same_statement_put_concurrently_is_stored_once(
    live_server, client, lrs_headers
) -> None:  # type: ignore[no-untyped-def]
    headers = lrs_headers("all")
    statement_id = new_id()
    statuses = put_all(live_server, headers, statement_id, [statement()] * CLIENTS)
    assert statuses == [204] * CLIENTS
    listed = client.get("/xapi/statements", headers=headers).get_json()["statements"]
    assert [s["id"] for s in listed] == [statement_id]


def test_different_statements_put_concurrently_under_one_id_keep_exactly_one(
    live_server, client, lrs_headers
) -> None:  # type: ignore[no-untyped-def]
    headers = lrs_headers("all")
    statement_id = new_id()
    bodies = [statement(verb=COMPLETED if n % 2 else ATTEMPTED) for n in range(CLIENTS)]
    statuses = put_all(live_server, headers, statement_id, bodies)
    assert sorted(set(statuses)) == [204, 409]
    stored = client.get(
        "/xapi/statements", query_string={"statementId": statement_id}, headers=headers
    ).get_json()
    winners = [b for b, s in zip(bodies, statuses, strict=True) if s == 204]
    assert {b["verb"]["id"] for b in winners} == {stored["verb"]["id"]}
