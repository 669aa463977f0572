"""One SQLAlchemy engine per app and one session per request, on SQLite or PostgreSQL alike."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from lms import sqlite_checkpoints

MIGRATIONS = Path(__file__).parent / "migrations"


class Base(DeclarativeBase):
    pass


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        database = engine.url.database
        if database and database != ":memory:":
            # Per connection, so that each forked worker starts its own checkpoint thread.
            event.listen(engine, "connect", lambda *_: sqlite_checkpoints.watch(database))
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets readers run beside one writer; NORMAL sync in WAL mode survives a killed process.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # lms.sqlite_checkpoints folds the log back into the database outside the write lock; a
    # commit does it only as a backstop, past 64,000 pages (256 MB), and a log that grew that far
    # is cut back to 64 MB once it restarts.
    cursor.execute("PRAGMA wal_autocheckpoint=64000")
    cursor.execute("PRAGMA journal_size_limit=67108864")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # SQLAlchemy emits BEGIN itself (see _sqlite_begin) instead of the driver's implicit one.
    dbapi_connection.isolation_level = None


WRITE = {"sqlite_write": True}


def _sqlite_begin(connection: Connection) -> None:
    """A transaction that will write takes the write lock at BEGIN (IMMEDIATE): upgrading a read
    transaction later fails at once with "database is locked" when another writer got there
    first, whereas BEGIN IMMEDIATE waits its turn for up to the busy timeout."""
    immediate = connection.get_execution_options().get("sqlite_write")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# Values per IN list: PostgreSQL takes at most 65,535 parameters in one query.
IN_CHUNK = 10_000


def select_in(connection: Connection, sql: str, values: Sequence[Any]) -> list[Any]:
    """Rows of driver SQL whose `{}` is an IN list of `values`, in as many queries as it takes."""
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    rows: list[Any] = []
    for start in range(0, len(values), IN_CHUNK):
        chunk = tuple(values[start : start + IN_CHUNK])
        rows += connection.exec_driver_sql(
            sql.format(", ".join([marker] * len(chunk))), chunk
        ).all()
    return rows


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    # Imported here: Alembic costs a second and a half, which every `mafunzo build` would pay.
    from alembic import command
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["mafunzo.engine"] = engine
    app.extensions["mafunzo.sessions"] = sessionmaker(engine, expire_on_commit=False)
    if app.config.get("AUTO_MIGRATE", True):
        upgrade(engine)
        # No connection may outlive this in the pool: `gunicorn --preload` forks workers next.
        engine.dispose()
    app.teardown_appcontext(_close_session)


@contextmanager
def write_lock() -> Iterator[None]:
    """Queue SQLite writers (threads and worker processes alike) on a file lock.

    SQLite's own busy handler makes a waiting writer sleep and poll, in steps of up to 100 ms, so
    under concurrent writes most time goes to sleeping; a blocking flock() wakes the next writer
    the moment the previous one commits. PostgreSQL needs no such help.
    """
    database = engine().url.database if engine().dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with open(database + "-writelock", "a+b") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def write_session() -> Session:
    """A session of its own for a write that must commit on its own, e.g. storing statements.

    On SQLite it takes the write lock when it begins; the caller closes it.
    """
    new = current_app.extensions["mafunzo.sessions"]()
    new.connection(execution_options=WRITE)
    return new


def begin_write(db_session: Session) -> None:
    """End the session's transaction and start one that holds the write lock from BEGIN: on
    SQLite, upgrading a read transaction fails at once when another writer committed first."""
    db_session.commit()
    db_session.connection(execution_options=WRITE)


def session() -> Session:
    """The request's session; views and services share it, the teardown closes it."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["mafunzo.sessions"]()
    return g.db_session


def engine() -> Engine:
    return current_app.extensions["mafunzo.engine"]


def _close_session(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
