"""LMS benchmark over real HTTP on loopback against the production set-up (gunicorn).

1. Runtime commits: `--learners` simulated learners at once, each launched in the player, each
   committing a typical batch (location, suspend_data, score, an interaction, session time)
   every `--think` seconds (jittered) for `--seconds`; latency of each commit round trip.
2. The same learners committing back to back (no think time): the commit capacity.
3. The catalog page (anonymous) and "My learning" (logged in) at concurrency 8.

Prints Markdown for the `## LMS` section of docs/benchmarks.md.
Run: `.venv/bin/python bench/lms.py` (about two minutes).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from lms import create_app, db  # noqa: E402
from lms.accounts import service as accounts  # noqa: E402
from lms.learning import service as learning  # noqa: E402
from lms.packages.importer import import_package  # noqa: E402
from tests.fixtures.scorm_packages import scorm2004_files, write_zip  # noqa: E402

FAST_HASH = "pbkdf2:sha256:1000"
PASSWORD = "benchmark password"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_CONFIG = re.compile(r'id="player-config">(.*?)</script>', re.S)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """gunicorn serving `lms:create_app()` as docs/admin.md sets it up."""

    def __init__(self, data_dir: Path, workers: int, threads: int) -> None:
        self.port = free_port()
        env = {**os.environ, "MAFUNZO_DATA_DIR": str(data_dir)}
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--worker-class",
                "gthread",
                "--preload",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--backlog",
                "2048",
                "lms:create_app()",
            ],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


class Browser:
    """One learner's HTTP connection with its session cookie."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        sent = dict(headers or {})
        if self.cookie:
            sent["Cookie"] = self.cookie
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
        except (ConnectionError, http.client.RemoteDisconnected):
            # The server closed an idle keep-alive connection: open a new one, as browsers do.
            self.connection.close()
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
        text = response.read().decode()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, text, dict(response.getheaders())

    def log_in(self, email: str) -> None:
        _, page, _ = self.request("GET", "/account/login")
        token = _CSRF.search(page)
        assert token
        body = f"csrf_token={token.group(1)}&email={email}&password={PASSWORD.replace(' ', '+')}"
        status, _, _ = self.request(
            "POST", "/account/login", body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert status == 302, status


@dataclass
class Player:
    browser: Browser
    commit_url: str
    csrf: str
    session: int
    seq: int = 0
    latencies: list[float] = field(default_factory=list)

    def commit(self, calls: list[list[str]]) -> None:
        self.seq += 1
        body = json.dumps(
            {
                "csrf": self.csrf,
                "session": self.session,
                "batches": [
                    {
                        "seq": self.seq,
                        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        "calls": calls,
                    }
                ],
            }
        )
        started = time.perf_counter()
        status, text, _ = self.browser.request(
            "POST", self.commit_url, body, {"Content-Type": "text/plain"}
        )
        self.latencies.append(time.perf_counter() - started)
        assert status == 200, text


def typical_batch(player: Player) -> list[list[str]]:
    n = player.seq
    return [
        ["SetValue", "cmi.location", f"page-{n}"],
        ["SetValue", "cmi.suspend_data", "x" * 400 + str(n)],
        ["SetValue", "cmi.progress_measure", f"{min(n, 10) / 10:g}"],
        ["SetValue", f"cmi.interactions.{n - 1}.id", f"urn:bench:q{n}"],
        ["SetValue", f"cmi.interactions.{n - 1}.type", "choice"],
        ["SetValue", f"cmi.interactions.{n - 1}.learner_response", "a[,]b"],
        ["SetValue", f"cmi.interactions.{n - 1}.result", "correct"],
        ["SetValue", "cmi.session_time", f"PT{n}S"],
        ["Commit", ""],
    ]


def prepare(data_dir: Path, learners: int) -> int:
    app = create_app({"DATA_DIR": data_dir})
    with app.app_context():
        session = db.session()
        package = write_zip(data_dir / "bench.zip", scorm2004_files())
        course_id = import_package(session, data_dir, package).course_id
        for index in range(learners):
            user = accounts.register(
                session,
                email=f"learner{index}@example.org",
                password=PASSWORD,
                name=f"Learner {index}",
                country=random.choice(["KE", "FR", "CN", "BR"]),
                hash_method=FAST_HASH,
            )
            learning.enrol(session, user, course_id, "en")
    app.extensions["mafunzo.engine"].dispose()
    return course_id


def launch(port: int, index: int, course_id: int) -> Player:
    browser = Browser(port)
    browser.log_in(f"learner{index}@example.org")
    status, page, _ = browser.request("GET", f"/courses/{course_id}/play?sco=quiz")
    assert status == 200, page
    found = _CONFIG.search(page)
    assert found
    config = json.loads(found.group(1))
    player = Player(browser, config["commitUrl"], config["csrf"], config["session"])
    player.commit([["Initialize", ""], ["SetValue", "cmi.exit", "suspend"], ["Commit", ""]])
    player.latencies.clear()
    return player


def run_parallel(players: list[Player], work) -> float:  # type: ignore[no-untyped-def]
    start = threading.Barrier(len(players) + 1)

    def body(player: Player) -> None:
        start.wait()
        work(player)

    threads = [threading.Thread(target=body, args=(p,)) for p in players]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def row(name: str, latencies: list[float], wall: float) -> str:
    p50, p95, p99 = (percentile(latencies, share) * 1000 for share in (0.5, 0.95, 0.99))
    return (
        f"| {name} | {len(latencies)} | {len(latencies) / wall:.0f}/s | {p50:.1f} ms | "
        f"{p95:.1f} ms | {p99:.1f} ms |"
    )


def page_load(
    port: int, path: str, email: str | None, seconds: float, concurrency: int
) -> tuple[list[float], float]:
    latencies: list[float] = []
    lock = threading.Lock()
    browsers = []
    for _ in range(concurrency):
        browser = Browser(port)
        if email:
            browser.log_in(email)
        browsers.append(browser)
    deadline = time.perf_counter() + seconds

    def work(browser: Browser) -> None:
        mine = []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            status, _, _ = browser.request("GET", path)
            mine.append(time.perf_counter() - started)
            assert status == 200
        with lock:
            latencies.extend(mine)

    began = time.perf_counter()
    threads = [threading.Thread(target=work, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--think", type=float, default=10.0, help="seconds between commits")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="mafunzo-bench-lms-"))
    try:
        course_id = prepare(data_dir, args.learners)
        server = Server(data_dir, args.workers, args.threads)
        try:
            players = [launch(server.port, index, course_id) for index in range(args.learners)]

            def paced(player: Player) -> None:
                time.sleep(random.uniform(0, args.think))
                deadline = time.perf_counter() + args.seconds
                while time.perf_counter() < deadline:
                    player.commit(typical_batch(player))
                    time.sleep(random.uniform(0.5, 1.5) * args.think)

            wall = run_parallel(players, paced)
            paced_latencies = [x for p in players for x in p.latencies]
            for player in players:
                player.latencies.clear()

            def flat_out(player: Player) -> None:
                for _ in range(5):
                    player.commit(typical_batch(player))

            flat_wall = run_parallel(players, flat_out)
            flat_latencies = [x for p in players for x in p.latencies]
            catalog, catalog_wall = page_load(server.port, "/", None, 10, 8)
            mine, mine_wall = page_load(server.port, "/my-learning", "learner0@example.org", 10, 8)
        finally:
            server.stop()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)

    print(
        f"Command: `.venv/bin/python bench/lms.py --learners {args.learners} --think "
        f"{args.think:g} --seconds {args.seconds:g}`; gunicorn {args.workers} workers x "
        f"{args.threads} threads (gthread), SQLite (WAL), client and server on this "
        f"{os.cpu_count()}-core machine. Load average at the end: "
        f"{os.getloadavg()[0]:.1f}.\n"
    )
    print("| measurement | requests | throughput | p50 | p95 | p99 |")
    print("|---|---|---|---|---|---|")
    print(
        row(
            f"runtime commit, {args.learners} learners, one commit each every ~{args.think:g} s",
            paced_latencies,
            wall,
        )
    )
    print(row(f"runtime commit, {args.learners} learners back to back", flat_latencies, flat_wall))
    print(row("catalog page, 8 clients", catalog, catalog_wall))
    print(row("My learning page, 8 clients", mine, mine_wall))


if __name__ == "__main__":
    main()
