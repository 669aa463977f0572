"""A real xAPI client, `tincan.RemoteLRS`, talking to the LRS over HTTP on loopback with nothing
but the endpoint and a credential."""

from __future__ import annotations

from tincan import (
    Activity,
    ActivityDefinition,
    Agent,
    LanguageMap,
    RemoteLRS,
    StateDocument,
    Statement,
    Verb,
)

from tests.fixtures.lrs_statements import COMPLETED, COURSE


def make_statement(email: str, module: str) -> Statement:
    return Statement(
        actor=Agent(name="Amina", mbox=f"mailto:{email}"),
        verb=Verb(id=COMPLETED, display=LanguageMap({"en-US": "completed"})),
        object=Activity(
            id=f"{COURSE}/{module}",
            definition=ActivityDefinition(name=LanguageMap({"en-US": module})),
        ),
    )


def test_tincan_saves_queries_pages_and_reads_statements(live_server, lrs_credentials) -> None:  # type: ignore[no-untyped-def]
    key, secret = lrs_credentials("all")
    remote = RemoteLRS(endpoint=live_server.xapi, username=key, password=secret)

    saved = remote.save_statement(make_statement("amina@example.org", "module-1"))
    assert saved.success, saved.data
    statement_id = saved.content.id
    batch = remote.save_statements(
        [make_statement("amina@example.org", f"module-{n}") for n in range(2, 6)]
    )
    assert batch.success, batch.data

    fetched = remote.retrieve_statement(statement_id)
    assert fetched.success
    assert fetched.content.object.id == f"{COURSE}/module-1"
    assert fetched.content.authority is not None

    first = remote.query_statements({"agent": Agent(mbox="mailto:amina@example.org"), "limit": 2})
    assert first.success, first.data
    seen = [s.id for s in first.content.statements]
    more = first.content.more
    while more:
        page = remote.more_statements(more)
        assert page.success, page.data
        seen += [s.id for s in page.content.statements]
        more = page.content.more
    assert len(seen) == 5 and len(set(seen)) == 5
    assert str(statement_id) in {str(s) for s in seen}


def test_tincan_keeps_and_reads_back_state(live_server, lrs_credentials) -> None:  # type: ignore[no-untyped-def]
    key, secret = lrs_credentials("all")
    remote = RemoteLRS(endpoint=live_server.xapi, username=key, password=secret)
    agent = Agent(mbox="mailto:amina@example.org")
    activity = Activity(id=f"{COURSE}/module-1")
    # tincan's save_state leaves out the registration, so the document is kept without one.
    document = StateDocument(
        id="bookmark",
        agent=agent,
        activity=activity,
        content='{"page": 7}',
        content_type="application/json",
    )
    assert remote.save_state(document).success
    back = remote.retrieve_state(activity, agent, "bookmark")
    assert back.success
    assert bytes(back.content.content) == b'{"page": 7}'


def test_tincan_with_a_wrong_secret_is_refused(live_server, lrs_credentials) -> None:  # type: ignore[no-untyped-def]
    key, _secret = lrs_credentials("all")
    remote = RemoteLRS(endpoint=live_server.xapi, username=key, password="wrong")
    response = remote.save_statement(make_statement("amina@example.org", "module-1"))
    assert not response.success
    assert response.response.status == 401
