"""Checkpoints of SQLite's write-ahead log in a background thread, outside the write lock.

SQLite's automatic checkpoint runs inside whichever commit crosses the threshold, while that
connection still holds the write lock, so every writer queued behind it waits for the page copies
and the fsync: at 100,000 statements that was 40 % of the time the LRS spent holding the lock. A
PASSIVE checkpoint never blocks writers, so one thread per process folds the log back into the
database file every second instead; the automatic checkpoint stays as a backstop at a threshold
this thread keeps the log well below.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import quote

INTERVAL_SECONDS = 1.0

logger = logging.getLogger(__name__)

_databases: set[str] = set()
_lock = threading.Lock()
_running_in: int | None = None  # the process whose thread runs: a forked worker starts its own
# Held by the thread while it is inside SQLite. `gunicorn --preload` forks workers from a process
# whose thread runs (the migrations connected): a fork waits for the checkpoint in progress, as a
# child would otherwise start with the SQLite mutexes (and `_lock`) that thread held, locked.
_checkpointing = threading.Lock()


def _before_fork() -> None:
    _checkpointing.acquire()
    _lock.acquire()


def _after_fork() -> None:
    _lock.release()
    _checkpointing.release()


os.register_at_fork(before=_before_fork, after_in_parent=_after_fork, after_in_child=_after_fork)


def watch(database: str) -> None:
    """Checkpoint `database` (a file path) every second from now on, in this process."""
    global _running_in
    with _lock:
        _databases.add(database)
        if _running_in != os.getpid():
            _running_in = os.getpid()
            threading.Thread(target=_run, name="sqlite-checkpoints", daemon=True).start()


def _run() -> None:
    while True:
        time.sleep(INTERVAL_SECONDS)
        with _lock:
            databases = list(_databases)
        for database in databases:
            try:
                with _checkpointing:
                    kept = checkpoint(database)
            except Exception:  # nothing restarts this thread: it must not end
                logger.warning("checkpoint of %s failed; trying again", database, exc_info=True)
                continue
            if not kept:
                with _lock:
                    _databases.discard(database)


def checkpoint(database: str) -> bool:
    """Copy what the log holds into the database file without waiting for or blocking anyone.
    False when the database is gone (a test's temporary file), so it is no longer watched."""
    if not Path(database).exists():
        return False
    try:
        # mode=rw: never create a database that was deleted in between. Quoted: in a URI, a # or
        # ? in the path would end it there (and drop mode=rw), a % would start an escape.
        connection = sqlite3.connect(f"file:{quote(database)}?mode=rw", uri=True, timeout=0)
    except sqlite3.Error:
        return False
    try:
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.OperationalError:
        pass  # another process is checkpointing right now: its work counts for us too
    except sqlite3.DatabaseError:
        pass  # not a database (now): one file must not end the thread that serves them all
    finally:
        connection.close()
    return True
