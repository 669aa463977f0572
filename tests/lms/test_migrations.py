"""The Alembic migrations build the schema the models describe, and an upgrade keeps the data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text

from lms import create_app, db, models  # noqa: F401  (models: every table on Base.metadata)
from lms.lrs.auth import lms_authority
from lms.lrs.statement_queries import StatementQuery, Visibility, run_query
from lms.lrs.statements import StatementConflict, store_statements
from tests.fixtures.lrs_statements import ATTEMPTED, new_id, statement


def migrate(engine: Engine, revision: str, action: str = "upgrade") -> None:
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    migrate(engine, revision, "downgrade")


def test_the_migrated_schema_is_the_models_schema(database_url: str) -> None:
    engine = db.make_engine(database_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_a_statement_stored_before_0005_is_still_recognised_when_retried(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mafunzo.sqlite'}"
    engine = db.make_engine(url)
    migrate(engine, "0004")
    statement_id = new_id()
    sent = {**statement(), "id": statement_id}
    stored = {**sent, "stored": "2026-01-01T00:00:00.000Z", "timestamp": "2026-01-01T00:00:00.000Z"}
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO lrs_statements (statement_id, stored_us, verb_id, authority_key, "
                "voided, content_hash, statement) VALUES (:id, 0, :verb, 'a', false, 'x', :body)"
            ),
            {"id": statement_id, "verb": sent["verb"]["id"], "body": json.dumps(stored)},
        )
    migrate(engine, "head")
    engine.dispose()

    app = create_app({"TESTING": True, "DATA_DIR": tmp_path, "DATABASE_URL": url})
    with app.app_context():
        assert store_statements([sent], lms_authority()) == [statement_id]
        with pytest.raises(StatementConflict):
            store_statements([{**sent, "verb": {"id": ATTEMPTED}}], lms_authority())
        rows = db.session().execute(text("SELECT statement FROM lrs_statements")).scalars().all()
    assert [json.loads(row) for row in rows] == [stored]
    app.extensions["mafunzo.engine"].dispose()


def test_links_stored_before_0006_are_found_by_agent_and_activity_after_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mafunzo.sqlite'}"
    engine = db.make_engine(url)
    migrate(engine, "0005")
    sent = {**statement(), "id": new_id()}
    actor = f"mbox:{sent['actor']['mbox']}"
    old_links = [(actor, 1, "actor"), (f"activity:{sent['object']['id']}", 1, "object")]
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO lrs_statements (seq, statement_id, stored_us, verb_id, "
                "authority_key, voided, statement) VALUES (1, :id, 0, :verb, 'a', false, :body)"
            ),
            {"id": sent["id"], "verb": sent["verb"]["id"], "body": json.dumps(sent)},
        )
        connection.execute(
            text("INSERT INTO lrs_statement_links (ref, seq, role) VALUES (:ref, :seq, :role)"),
            [{"ref": ref, "seq": seq, "role": role} for ref, seq, role in old_links],
        )
    migrate(engine, "head")

    app = create_app({"TESTING": True, "DATA_DIR": tmp_path, "DATABASE_URL": url})
    with app.app_context():
        by_agent = run_query(StatementQuery(agent=actor), Visibility())
        by_activity = run_query(
            StatementQuery(activity=f"activity:{sent['object']['id']}"), Visibility()
        )
        store_statements([statement()], lms_authority())  # the same learner and activity again
        targets = db.session().execute(text("SELECT ref FROM lrs_link_targets")).scalars().all()
    app.extensions["mafunzo.engine"].dispose()
    assert [json.loads(s)["id"] for s in by_agent.statements] == [sent["id"]]
    assert [json.loads(s)["id"] for s in by_activity.statements] == [sent["id"]]
    assert sorted(targets).count(actor) == 1  # numbered once, reused by the new statement

    downgrade(engine, "0005")
    with engine.connect() as connection:
        back = connection.execute(text("SELECT ref, seq, role FROM lrs_statement_links")).all()
    engine.dispose()
    assert set(old_links) <= {tuple(row) for row in back}


def test_a_downgrade_below_0005_gives_back_the_hashes_the_code_before_it_compares(
    tmp_path: Path,
) -> None:
    """The code before 0005 compares a repeated id's hash with content_hash: left empty, every
    retry of a statement stored before the downgrade would be a 409."""
    url = f"sqlite:///{tmp_path / 'mafunzo.sqlite'}"
    sent = {
        "id": "0F7B3A2E-1C4D-4E5F-8A9B-0C1D2E3F4A5B",
        "actor": {
            "objectType": "Group",
            "name": "Pair",
            "member": [{"mbox": "mailto:kofi@example.org"}, {"mbox": "mailto:amina@example.org"}],
        },
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "done"}},
        "object": {"objectType": "Activity", "id": "https://learn.example.org/courses/nua/m-1"},
        "context": {"registration": "9B2F7F2E-5C1A-4B7E-8F3D-1A2B3C4D5E6F"},
    }
    timed = {**sent, "id": new_id(), "timestamp": "2026-03-01T12:00:00+02:00"}
    app = create_app({"TESTING": True, "DATA_DIR": tmp_path, "DATABASE_URL": url})
    with app.app_context():
        store_statements([sent, timed], lms_authority())
    app.extensions["mafunzo.engine"].dispose()
    engine = db.make_engine(url)
    downgrade(engine, "0004")
    with engine.connect() as connection:
        hashes = dict(
            connection.execute(text("SELECT statement_id, content_hash FROM lrs_statements")).all()
        )
    engine.dispose()
    # What comparison_hash, the code before 0005 (299fece^), gives for `sent` and `timed`.
    assert hashes == {
        sent["id"].lower(): "cc176efcac518ff12b842ab6cb9b8e0f401fbd06269ba3fe012837d98d1f055c",
        timed["id"]: "5134c2a0597121e8adb5f208cde13ee2ce447f0f3dd9097f4774ce87fc6a8067",
    }
