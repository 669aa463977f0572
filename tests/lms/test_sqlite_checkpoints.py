"""While the LMS runs on SQLite, what it writes reaches the database file itself, not only the
write-ahead log, without any commit doing the copying (lms.sqlite_checkpoints)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from flask import Flask

from lms import sqlite_checkpoints
from lms.lrs.auth import lms_authority
from lms.lrs.statements import store_statements
from tests.fixtures.lrs_statements import statement
from tests.fixtures.waiting import eventually


def rows_in_the_database_file_alone(database: Path, copy: Path) -> int:
    """Statements a backup of just the main file would hold (its -wal left behind)."""
    shutil.copyfile(database, copy)
    with sqlite3.connect(copy) as connection:
        return connection.execute("SELECT count(*) FROM lrs_statements").fetchone()[0]


def test_statements_reach_the_database_file_while_the_lms_keeps_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lms import create_app

    monkeypatch.setattr(sqlite_checkpoints, "INTERVAL_SECONDS", 0.05)
    app: Flask = create_app({"TESTING": True, "DATA_DIR": tmp_path, "SECRET_KEY": "test"})
    database = tmp_path / "mafunzo.sqlite"
    with app.app_context():
        for _ in range(3):
            store_statements([statement() for _ in range(100)], lms_authority())
        assert (tmp_path / "mafunzo.sqlite-wal").stat().st_size > 0  # the LMS is still open
        eventually(
            lambda: rows_in_the_database_file_alone(database, tmp_path / "copy.sqlite") == 300,
            "the log was folded into the database file",
            within=10,
        )
    app.extensions["mafunzo.engine"].dispose()


def test_a_database_deleted_meanwhile_is_forgotten_not_created_again(tmp_path: Path) -> None:
    database = tmp_path / "gone.sqlite"
    sqlite3.connect(database).close()
    assert sqlite_checkpoints.checkpoint(str(database)) is True
    database.unlink()
    assert sqlite_checkpoints.checkpoint(str(database)) is False
    assert not database.exists()


def test_a_fork_waits_for_the_checkpoint_in_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`gunicorn --preload` forks its workers from a process whose checkpoint thread runs (the
    migrations connected). A worker forked in the middle of a checkpoint would start with the
    SQLite mutexes that thread held locked, and hang at its first query."""
    import os
    import threading
    import time
    import warnings

    checkpointing, finished = threading.Event(), []

    def slow_checkpoint(database: str) -> bool:
        checkpointing.set()
        time.sleep(0.5)
        finished.append(time.monotonic())
        return True

    monkeypatch.setattr(sqlite_checkpoints, "checkpoint", slow_checkpoint)
    monkeypatch.setattr(sqlite_checkpoints, "INTERVAL_SECONDS", 0.01)
    sqlite_checkpoints.watch(str(tmp_path / "watched.sqlite"))
    assert checkpointing.wait(timeout=10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Python 3.12: fork with threads
        child = os.fork()
    if child == 0:
        os._exit(0)
    forked = time.monotonic()
    os.waitpid(child, 0)
    assert finished and finished[0] <= forked


def test_a_file_that_is_not_a_database_does_not_stop_the_checkpoints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One thread checkpoints every database of the process: a watched file that is not (or no
    longer) a database, say a backup being copied over it, must not end that thread."""
    import threading
    import time

    monkeypatch.setattr(sqlite_checkpoints, "INTERVAL_SECONDS", 0.01)
    garbage = tmp_path / "copied-over.sqlite"
    garbage.write_bytes(b"not a database " * 100)
    assert sqlite_checkpoints.checkpoint(str(garbage)) is True  # watched until it is deleted
    sqlite_checkpoints.watch(str(garbage))
    time.sleep(0.2)
    assert any(thread.name == "sqlite-checkpoints" for thread in threading.enumerate())


@pytest.mark.parametrize("folder", ["course#1", "what?", "100%"])
def test_a_database_whose_path_holds_uri_characters_is_checkpointed(
    tmp_path: Path, folder: str
) -> None:
    """The thread opens the database as a file: URI (mode=rw), where #, ? and % mean something."""
    database = tmp_path / folder / "mafunzo.sqlite"
    database.parent.mkdir()
    writer = sqlite3.connect(database)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE lrs_statements (seq INTEGER PRIMARY KEY)")
    writer.executemany("INSERT INTO lrs_statements VALUES (?)", [(n,) for n in range(50)])
    writer.commit()
    assert sqlite_checkpoints.checkpoint(str(database)) is True
    assert rows_in_the_database_file_alone(database, tmp_path / "copy.sqlite") == 50
    writer.close()


def test_a_failing_checkpoint_is_logged_and_the_next_one_still_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from lms import create_app

    real = sqlite_checkpoints.checkpoint
    failures = []

    def flaky(database: str) -> bool:
        if not failures:
            failures.append(database)
            raise OSError("the disk hiccuped")
        return real(database)

    monkeypatch.setattr(sqlite_checkpoints, "INTERVAL_SECONDS", 0.05)
    monkeypatch.setattr(sqlite_checkpoints, "checkpoint", flaky)
    app: Flask = create_app({"TESTING": True, "DATA_DIR": tmp_path, "SECRET_KEY": "test"})
    database = tmp_path / "mafunzo.sqlite"
    with app.app_context():
        store_statements([statement() for _ in range(100)], lms_authority())
        eventually(
            lambda: rows_in_the_database_file_alone(database, tmp_path / "copy.sqlite") == 100,
            "the checkpoint after the failed one folded the log in",
            within=10,
        )
    app.extensions["mafunzo.engine"].dispose()
    assert failures and "the disk hiccuped" in caplog.text
