"""Durability: a statement the LRS answered 200 for survives the production server being killed
(SIGKILL, no chance to flush) in the middle of a load."""

from __future__ import annotations

import base64
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from lms import create_app
from lms.lrs.auth import create_credential
from tests.fixtures.lrs_statements import statement
from tests.fixtures.postgres import free_port

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


def start_gunicorn(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MAFUNZO_DATA_DIR": str(data_dir)}
    env.pop("MAFUNZO_DATABASE_URL", None)
    process = subprocess.Popen(
        [
            GUNICORN,
            "--workers",
            "2",
            "--preload",
            "--bind",
            f"127.0.0.1:{port}",
            "lms:create_app()",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so SIGKILL reaches master and workers
    )
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/xapi/about")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def kill_group(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.fixture
def server_dir(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    data_dir = tmp_path / "instance"
    app = create_app({"DATA_DIR": data_dir})
    with app.app_context():
        key, secret = create_credential("load", ("all",))
    app.extensions["mafunzo.engine"].dispose()
    token = base64.b64encode(f"{key}:{secret}".encode()).decode()
    headers = {
        "Authorization": f"Basic {token}",
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
    }
    yield data_dir, headers


def post_until_refused(port: int, headers: dict[str, str], acknowledged: list[str]) -> None:
    """Keep POSTing statements with our own ids; remember every id the server answered 200 for."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    while True:
        ids = [str(uuid.uuid4()) for _ in range(5)]
        body = json.dumps([statement(id=statement_id) for statement_id in ids])
        try:
            connection.request("POST", "/xapi/statements", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            return
        if response.status == 200:
            acknowledged.extend(ids)


def stored_ids(port: int, headers: dict[str, str]) -> set[str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    found: set[str] = set()
    path = "/xapi/statements?limit=0"
    while path:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        assert response.status == 200
        page = json.loads(response.read())
        found.update(s["id"] for s in page["statements"])
        path = page["more"]
    return found


def test_every_acknowledged_statement_survives_sigkill(server_dir) -> None:  # type: ignore[no-untyped-def]
    data_dir, headers = server_dir
    port = free_port()
    server = start_gunicorn(data_dir, port)
    acknowledged: list[str] = []
    clients = [
        threading.Thread(target=post_until_refused, args=(port, headers, acknowledged))
        for _ in range(4)
    ]
    try:
        for client in clients:
            client.start()
        while len(acknowledged) < 1000 and any(client.is_alive() for client in clients):
            time.sleep(0.01)
    finally:
        kill_group(server)
    for client in clients:
        client.join()
    assert len(acknowledged) >= 1000

    server = start_gunicorn(data_dir, port)
    try:
        missing = set(acknowledged) - stored_ids(port, headers)
    finally:
        kill_group(server)
    assert not missing, f"{len(missing)} acknowledged statements were lost"
