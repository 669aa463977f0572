"""Communication / Authentication and authorization: Basic credentials, scopes, launch tokens,
and the administrator's `mafunzo lrs credentials` commands."""

from __future__ import annotations

import base64

import pytest
from click.testing import CliRunner

from lms.cli import cli
from lms.lrs.auth import issue_launch_token, revoke_credential
from tests.fixtures.lms_app import basic_auth
from tests.fixtures.lrs_statements import COMPLETED, VOIDED, Lrs, learner, new_id, statement

VERSION = {"X-Experience-API-Version": "1.0.3"}


def test_no_credentials_is_401_with_www_authenticate(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/xapi/statements", headers=VERSION)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].lower().startswith("basic")
    assert response.get_json()["error"]["code"] == 401


def test_wrong_secret_and_unknown_key_are_401(client, lrs_headers) -> None:  # type: ignore[no-untyped-def]
    good = lrs_headers("all")["Authorization"]
    key = base64.b64decode(good.split()[1]).decode().split(":")[0]
    for auth in (basic_auth(key, "wrong"), basic_auth("nobody", "x"), "Digest abc"):
        response = client.get("/xapi/statements", headers={**VERSION, "Authorization": auth})
        assert response.status_code == 401, auth


def test_a_revoked_credential_is_401_at_once(app, client, lrs_headers) -> None:  # type: ignore[no-untyped-def]
    headers = lrs_headers("all")
    assert client.get("/xapi/statements", headers=headers).status_code == 200
    key = base64.b64decode(headers["Authorization"].split()[1]).decode().split(":")[0]
    with app.app_context():
        assert revoke_credential(key)
    assert client.get("/xapi/statements", headers=headers).status_code == 401


def test_a_missing_scope_is_403(client, lrs_headers) -> None:  # type: ignore[no-untyped-def]
    reader = Lrs(client, lrs_headers("statements/read"))
    assert reader.post(statement()).status_code == 403
    writer = Lrs(client, lrs_headers("statements/write"))
    assert writer.get().status_code == 403
    assert writer.post(statement()).status_code == 200


def test_read_mine_sees_only_what_its_own_credential_stored(client, lrs_headers) -> None:  # type: ignore[no-untyped-def]
    mine = Lrs(client, lrs_headers("statements/write", "statements/read/mine"))
    other = Lrs(client, lrs_headers("all"))
    [own] = mine.post(statement()).get_json()
    [theirs] = other.post(statement()).get_json()
    assert mine.query_ids() == [own]
    assert mine.get(statementId=theirs).status_code == 404
    assert set(other.query_ids()) == {own, theirs}


def _launch(app, agent, registration, ttl=600):  # type: ignore[no-untyped-def]
    with app.app_context():
        token = issue_launch_token(agent, registration, "https://learn.example.org/c", ttl)
    return {**VERSION, "Authorization": f"Basic {token}"}


def test_a_launch_token_writes_and_reads_only_its_learners_statements(
    app, client, lrs_headers
) -> None:  # type: ignore[no-untyped-def]
    registration = new_id()
    token = Lrs(client, _launch(app, learner("amina"), registration))
    admin = Lrs(client, lrs_headers("all"))
    context = {"registration": registration}
    [own] = token.post(statement(actor="amina", context=context)).get_json()
    [someone_else] = admin.post(statement(actor="bo", context=context)).get_json()
    assert token.query_ids() == [own]
    assert token.query_ids(agent=learner("bo")) == []
    assert token.get(statementId=someone_else).status_code == 404
    forged = token.post(statement(actor="bo", context=context))
    assert forged.status_code == 403
    other_registration = token.post(statement(actor="amina", context={"registration": new_id()}))
    assert other_registration.status_code == 403


def test_a_launch_token_voids_only_its_learners_statements(app, client, lrs_headers) -> None:  # type: ignore[no-untyped-def]
    registration = new_id()
    context = {"registration": registration}
    token = Lrs(client, _launch(app, learner("amina"), registration))
    admin = Lrs(client, lrs_headers("all"))
    [victims] = admin.post(statement(actor="bo", context=context)).get_json()
    [own_elsewhere] = admin.post(
        statement(actor="amina", context={"registration": new_id()})
    ).get_json()
    [own] = token.post(statement(actor="amina", context=context)).get_json()

    def void(target: str):  # type: ignore[no-untyped-def]
        reference = {"objectType": "StatementRef", "id": target}
        return token.post(statement(actor="amina", verb=VOIDED, object=reference, context=context))

    for target in (victims, own_elsewhere, new_id()):
        refused = void(target)
        assert refused.status_code == 403, target
        assert "own statements" in refused.get_json()["error"]["message"]
    assert set(admin.query_ids(verb=COMPLETED)) == {victims, own_elsewhere, own}
    assert void(own).status_code == 200
    assert set(admin.query_ids(verb=COMPLETED)) == {victims, own_elsewhere}


def test_a_launch_token_works_as_bearer_and_not_after_it_expires(app, client) -> None:  # type: ignore[no-untyped-def]
    live = _launch(app, learner("amina"), None)
    bearer = {**VERSION, "Authorization": "Bearer " + live["Authorization"].split()[1]}
    assert client.get("/xapi/statements", headers=bearer).status_code == 200
    expired = _launch(app, learner("amina"), None, ttl=-1)
    assert client.get("/xapi/statements", headers=expired).status_code == 401


@pytest.fixture
def cli_env(tmp_path, monkeypatch) -> CliRunner:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MAFUNZO_DATA_DIR", str(tmp_path / "instance"))
    monkeypatch.delenv("MAFUNZO_DATABASE_URL", raising=False)
    return CliRunner()


def test_credentials_command_creates_lists_and_revokes(cli_env: CliRunner) -> None:
    created = cli_env.invoke(
        cli,
        ["lrs", "credentials", "create", "--name", "Moodle", "--scope", "statements/write"],
    )
    assert created.exit_code == 0, created.output
    key = created.output.split("key: ")[1].split()[0]
    assert "secret: " in created.output
    listed = cli_env.invoke(cli, ["lrs", "credentials", "list"])
    assert key in listed.output and "Moodle" in listed.output and "active" in listed.output
    assert cli_env.invoke(cli, ["lrs", "credentials", "revoke", key]).exit_code == 0
    assert "revoked" in cli_env.invoke(cli, ["lrs", "credentials", "list"]).output
    again = cli_env.invoke(cli, ["lrs", "credentials", "revoke", key])
    assert again.exit_code == 1
    assert "no active credential" in again.output


def test_credentials_command_rejects_an_unknown_scope(cli_env: CliRunner) -> None:
    result = cli_env.invoke(
        cli, ["lrs", "credentials", "create", "--name", "x", "--scope", "everything"]
    )
    assert result.exit_code == 2
    assert "unknown scope everything" in result.output
