"""LRS benchmark over real HTTP on loopback against the production set-up (gunicorn).

Fills a fresh LRS with `--statements` statements in batches of 100, measuring throughput at
concurrency 1 and 8, then single-statement POSTs, then the query mix, and prints a Markdown
table for docs/benchmarks.md. Run: `.venv/bin/python bench/lrs.py --statements 100000`.

The Python client shares the machine's two cores with the server. `--client wrk` (or `both`)
measures the writes with wrk, a load generator in C that needs almost no CPU, after the fill and
the queries: 10 s each of POSTs of 100 and of 1 statement at 1 and 8 connections. The
statements carry no id, so the LRS assigns fresh ones and every request stores new rows (checked
by counting them). wrk is not a Python dependency and
only this benchmark uses it: install it with `apt-get install -y wrk` (Debian package `wrk`).
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import random
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from sqlalchemy import Engine, text  # noqa: E402

from lms import create_app  # noqa: E402
from lms.lrs.auth import create_credential  # noqa: E402

COURSE = "https://learn.example.org/courses/nua"
VERBS = [
    "http://adlnet.gov/expapi/verbs/" + verb
    for verb in (
        "launched",
        "initialized",
        "attempted",
        "answered",
        "completed",
        "passed",
        "failed",
        "experienced",
        "progressed",
        "terminated",
    )
]


@dataclass
class World:
    """Learners, activities and registrations the statements are drawn from."""

    learners: int = 2000
    modules: int = 20
    questions: int = 25

    def __post_init__(self) -> None:
        rng = random.Random(7)
        self.registrations = [
            str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(self.learners)
        ]

    def statement(self, rng: random.Random) -> dict:
        learner = rng.randrange(self.learners)
        module = f"{COURSE}/module-{rng.randrange(self.modules)}"
        question = f"{module}#q{rng.randrange(self.questions)}"
        verb = rng.choice(VERBS)
        return {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "actor": {
                "objectType": "Agent",
                "name": f"Learner {learner}",
                "account": {"homePage": "https://learn.example.org", "name": f"u{learner}"},
            },
            "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[1]}},
            "object": {
                "objectType": "Activity",
                "id": question,
                "definition": {
                    "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                    "interactionType": "choice",
                },
            },
            "result": {
                "success": rng.random() < 0.7,
                "score": {"scaled": round(rng.random(), 2)},
                "duration": f"PT{rng.randrange(1, 600)}S",
            },
            "context": {
                "registration": self.registrations[learner],
                "contextActivities": {"parent": [{"id": module}], "grouping": [{"id": COURSE}]},
                "platform": "Mafunzo",
                "language": "en",
            },
            "timestamp": datetime.now(UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
        }


class Server:
    def __init__(
        self, data_dir: Path, port: int, workers: int, threads: int, database_url: str | None
    ) -> None:
        self.port = port
        env = {**os.environ, "MAFUNZO_DATA_DIR": str(data_dir)}
        if database_url:
            env["MAFUNZO_DATABASE_URL"] = database_url
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "--workers",
                str(workers),
                "--preload",
                "--worker-class",
                "gthread" if threads > 1 else "sync",
                "--threads",
                str(threads),
                "--bind",
                f"127.0.0.1:{port}",
                "--backlog",
                "2048",
                "lms:create_app()",
            ],
            env=env,
            cwd=PROJECT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(600):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                connection.request("GET", "/xapi/about")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("gunicorn did not start")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the gunicorn master and its workers so far."""
        pids = [self.process.pid]
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait()


@dataclass
class Result:
    name: str
    requests: int
    statements: int
    seconds: float
    latencies: list[float]
    cpu: float

    def row(self) -> str:
        latencies = sorted(self.latencies)
        p50 = latencies[len(latencies) // 2] * 1000
        p95 = latencies[int(len(latencies) * 0.95)] * 1000
        rate = self.statements / self.seconds if self.statements else self.requests / self.seconds
        unit = "statements/s" if self.statements else "queries/s"
        # What the server's own CPU time allows on this machine's cores when nothing else runs.
        # Under one clock tick of CPU (a handful of requests) there is nothing to divide by.
        capacity = (self.statements or self.requests) / max(self.cpu, 0.01) * (os.cpu_count() or 1)
        return (
            f"| {self.name} | {self.requests:,} | {rate:,.0f} {unit} | "
            f"{p50:.1f} ms | {p95:.1f} ms | {self.cpu:.1f} s | {capacity:,.0f} {unit} |"
        )


def run_load(
    name: str,
    server: Server,
    headers: dict[str, str],
    requests: list[tuple[str, str, bytes]],
    concurrency: int,
    statements_per_request: int,
) -> Result:
    """Send the prepared requests from `concurrency` threads, each on one keep-alive connection."""
    latencies: list[float] = []
    failures: list[str] = []
    position = iter(range(len(requests)))
    lock = threading.Lock()

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while True:
            with lock:
                index = next(position, None)
            if index is None:
                break
            method, path, body = requests[index]
            started = time.perf_counter()
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                failures.append(f"{method} {path[:80]} -> {response.status}")
        with lock:
            latencies.extend(mine)

    port = server.port
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    cpu_before = server.cpu_seconds()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu = server.cpu_seconds() - cpu_before
    if failures:
        raise RuntimeError(f"{len(failures)} requests failed, e.g. {failures[0]}")
    return Result(
        name, len(requests), len(requests) * statements_per_request, elapsed, latencies, cpu
    )


def posts(
    world: World, rng: random.Random, count: int, batch: int
) -> Iterator[tuple[str, str, bytes]]:
    for _ in range(count):
        body = [world.statement(rng) for _ in range(batch)]
        yield "POST", "/xapi/statements", json.dumps(body if batch > 1 else body[0]).encode()


def queries(
    world: World, rng: random.Random, count: int, since_pool: list[str], limit: int
) -> dict[str, list[tuple[str, str, bytes]]]:
    def make(params: Callable[[], dict[str, str]]) -> list[tuple[str, str, bytes]]:
        return [
            ("GET", "/xapi/statements?" + urlencode({**params(), "limit": limit}), b"")
            for _ in range(count)
        ]

    def agent() -> str:
        learner = rng.randrange(world.learners)
        return json.dumps(
            {"account": {"homePage": "https://learn.example.org", "name": f"u{learner}"}}
        )

    return {
        "agent + verb": make(lambda: {"agent": agent(), "verb": rng.choice(VERBS)}),
        "activity + related_activities": make(
            lambda: {
                "activity": f"{COURSE}/module-{rng.randrange(world.modules)}",
                "related_activities": "true",
            }
        ),
        "registration": make(lambda: {"registration": rng.choice(world.registrations)}),
        "since": make(lambda: {"since": rng.choice(since_pool)}),
    }


# Each wrk thread reads the prepared bodies (one JSON text a line) and cycles through them.
WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Authorization"] = %(authorization)s
wrk.headers["X-Experience-API-Version"] = "1.0.3"
wrk.headers["Content-Type"] = "application/json"
local requests = {}
local position = 0
function init(args)
  for body in io.lines(%(bodies)s) do
    requests[#requests + 1] = wrk.format(nil, nil, nil, body)
  end
end
function request()
  position = position %% #requests + 1
  return requests[position]
end
"""
WRK_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


@dataclass
class WrkResult:
    name: str
    requests: int
    statements: int
    seconds: float
    stored: int  # rows counted, including requests cut off by the end of the run
    percentiles: dict[str, float]  # wrk's 50/75/90/99 %, in ms
    cpu: float
    client_cpu: float
    other_cpu: float  # everything else the machine ran meanwhile: how quiet it was

    def row(self) -> str:
        rate = self.statements / self.seconds
        capacity = self.statements / max(self.cpu, 0.01) * (os.cpu_count() or 1)
        p = self.percentiles
        return (
            f"| {self.name} | {self.requests:,} | {self.stored:,} | {rate:,.0f} statements/s "
            f"| {p['50']:.1f} ms | {p['90']:.1f} ms | {p['99']:.1f} ms | {self.cpu:.1f} s | "
            f"{self.client_cpu:.1f} s | {self.other_cpu:.1f} s | {capacity:,.0f} statements/s |"
        )


def machine_cpu_seconds() -> float:
    """CPU time all processes of the machine have used since boot (from /proc/stat)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    busy = sum(int(value) for index, value in enumerate(fields[:8]) if index not in (3, 4))
    return busy / os.sysconf("SC_CLK_TCK")


def stored_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM lrs_statements")).scalar_one()


def run_wrk(
    server: Server,
    engine: Engine,
    authorization: str,
    bodies: list[str],
    batch: int,
    connections: int,
    seconds: int,
    work_dir: Path,
) -> WrkResult:
    """POST the bodies over `connections` keep-alive connections for `seconds`; check that every
    answered request stored `batch` new statements."""
    bodies_file = work_dir / f"bodies-{batch}.jsonl"
    bodies_file.write_text("\n".join(bodies) + "\n")
    script = work_dir / "post.lua"
    script.write_text(
        WRK_SCRIPT
        % {"authorization": json.dumps(authorization), "bodies": json.dumps(str(bodies_file))}
    )
    command = [
        "wrk",
        f"-t{min(connections, 2)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(script),
        f"http://127.0.0.1:{server.port}/xapi/statements",
    ]
    rows_before = stored_count(engine)
    cpu_before = server.cpu_seconds()
    machine_before = machine_cpu_seconds()
    client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    time.sleep(1)  # requests still in flight when wrk stopped finish on the server
    cpu = server.cpu_seconds() - cpu_before
    machine = machine_cpu_seconds() - machine_before
    stored = stored_count(engine) - rows_before
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError("wrk saw failed requests:\n" + output)
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s),", output)
    if not done:
        raise RuntimeError("unexpected wrk output:\n" + output)
    requests = int(done.group(1))
    elapsed = float(done.group(2)) * WRK_UNITS[done.group(3)] / 1000
    percentiles = {
        match.group(1): float(match.group(2)) * WRK_UNITS[match.group(3)]
        for match in re.finditer(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    }
    # Requests cut off by the end of the run may still have been stored, at most one per connection.
    if not requests * batch <= stored <= (requests + connections) * batch:
        raise RuntimeError(f"{requests} requests of {batch} answered, but {stored} rows stored")
    client_cpu = (client_after.ru_utime + client_after.ru_stime) - (
        client_before.ru_utime + client_before.ru_stime
    )
    kind = "batch of 100" if batch > 1 else "single statement"
    return WrkResult(
        f"POST {kind}, {connections} connection{'s' if connections > 1 else ''}",
        requests,
        requests * batch,
        elapsed,
        stored,
        percentiles,
        cpu,
        client_cpu,
        max(0.0, machine - cpu - client_cpu),
    )


def wrk_bodies(world: World, rng: random.Random, count: int, batch: int) -> list[str]:
    """Statements like the fill's but without an id, so each POST stores new statements."""

    def statement() -> dict:
        made = world.statement(rng)
        del made["id"]
        return made

    return [
        json.dumps([statement() for _ in range(batch)] if batch > 1 else statement())
        for _ in range(count)
    ]


def database_size(data_dir: Path, engine: Engine) -> int:
    """The SQLite file after folding the write-ahead log back into it, or PostgreSQL's own
    figure for the database (tables, indexes and their free space)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            return connection.execute(
                text("SELECT pg_database_size(current_database())")
            ).scalar_one()
    with sqlite3.connect(data_dir / "mafunzo.sqlite", timeout=30) as connection:
        # Busy (1) while a background checkpoint of this process runs: wait for it to finish.
        while connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]:
            time.sleep(0.1)
    return sum(path.stat().st_size for path in data_dir.glob("mafunzo.sqlite*"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=100_000)
    # The production set-up of docs/admin.md: two sync workers per core (see there for why).
    parser.add_argument("--server-workers", type=int, default=4)
    parser.add_argument("--server-threads", type=int, default=1, help="1 = sync workers")
    parser.add_argument("--singles", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--database-url", help="a postgresql:// URL; default SQLite")
    parser.add_argument("--keep", type=Path, help="data folder to reuse/keep (default: temporary)")
    parser.add_argument(
        "--client",
        choices=("python", "wrk", "both"),
        default="python",
        help="who sends the single POSTs and the write measurements after the fill (see above)",
    )
    parser.add_argument("--wrk-seconds", type=int, default=10)
    args = parser.parse_args()

    data_dir = args.keep or Path(tempfile.mkdtemp(prefix="mafunzo-bench-"))
    app = create_app(
        {"DATA_DIR": data_dir, **({"DATABASE_URL": args.database_url} if args.database_url else {})}
    )
    with app.app_context():
        key, secret = create_credential("bench", ("all",))
    engine = app.extensions["mafunzo.engine"]
    engine.dispose()
    authorization = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
    headers = {
        "Authorization": authorization,
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
    }
    port = 18000 + os.getpid() % 1000
    server = Server(data_dir, port, args.server_workers, args.server_threads, args.database_url)
    load_start = f"{os.getloadavg()[0]:.1f}"
    world = World()
    rng = random.Random(1)
    results: list[Result] = []
    wrk_results: list[WrkResult] = []
    try:
        batches = args.statements // 100
        first = max(1, batches // 10)
        print(f"filling {args.statements:,} statements...", file=sys.stderr)
        results.append(
            run_load(
                "POST batch of 100, concurrency 1",
                server,
                headers,
                list(posts(world, rng, first, 100)),
                1,
                100,
            )
        )
        rest = batches - first
        chunk = 1000
        timings = []
        while rest > 0:
            take = min(chunk, rest)
            timings.append(
                run_load(
                    "POST batch of 100, concurrency 8",
                    server,
                    headers,
                    list(posts(world, rng, take, 100)),
                    8,
                    100,
                )
            )
            rest -= take
            print(f"  {args.statements - rest * 100:,} stored", file=sys.stderr)
        if timings:
            results.append(
                Result(
                    "POST batch of 100, concurrency 8",
                    sum(t.requests for t in timings),
                    sum(t.statements for t in timings),
                    sum(t.seconds for t in timings),
                    [lat for t in timings for lat in t.latencies],
                    sum(t.cpu for t in timings),
                )
            )
        for concurrency in (1, 8) if args.client != "wrk" else ():
            results.append(
                run_load(
                    f"POST single statement, concurrency {concurrency}",
                    server,
                    headers,
                    list(posts(world, rng, args.singles, 1)),
                    concurrency,
                    1,
                )
            )
        if engine.dialect.name == "postgresql":
            # Fresh statistics, as autovacuum gathers a while after a bulk load: planned on the
            # empty tables' figures, related_activities queries took 40 ms instead of 2.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as analyze:
                analyze.execute(text("ANALYZE"))
        connection = http.client.HTTPConnection("127.0.0.1", port)
        connection.request("GET", "/xapi/statements?limit=200&ascending=true", headers=headers)
        oldest = json.loads(connection.getresponse().read())["statements"]
        since_pool = [s["stored"] for s in oldest] or [datetime.now(UTC).isoformat()]
        for name, requests in queries(world, rng, args.queries, since_pool, args.limit).items():
            results.append(
                run_load(
                    f"GET {name} (limit {args.limit}), concurrency 1",
                    server,
                    headers,
                    requests,
                    1,
                    0,
                )
            )
        if args.client != "python":
            with tempfile.TemporaryDirectory(prefix="mafunzo-wrk-") as work:
                for batch, count in ((100, 50), (1, 2000)):
                    bodies = wrk_bodies(world, rng, count, batch)
                    for connections in (1, 8):
                        print(f"  wrk: batch {batch}, {connections} connections", file=sys.stderr)
                        wrk_results.append(
                            run_wrk(
                                server,
                                engine,
                                authorization,
                                bodies,
                                batch,
                                connections,
                                args.wrk_seconds,
                                Path(work),
                            )
                        )
        stored_total = stored_count(engine)
    finally:
        server.stop()
    engine.dispose()
    size = database_size(data_dir, engine)
    print(
        f"\nStored: {stored_total:,} statements; server: gunicorn, {args.server_workers} "
        f"workers x {args.server_threads} threads, "
        f"{'PostgreSQL' if args.database_url else 'SQLite (WAL)'}.\n"
    )
    print(
        f"Load average (1 min) of the machine at the start and end: {load_start} / "
        f"{os.getloadavg()[0]:.1f}.\n"
    )
    print("| measurement | requests | throughput | p50 | p95 | server CPU | CPU-bound capacity |")
    print("|---|---|---|---|---|---|---|")
    for result in results:
        print(result.row())
    if wrk_results:
        print(
            f"\nWrites with wrk ({args.wrk_seconds} s each, statements without an id; wrk "
            "reports the 50/90/99th latency percentiles; client CPU is wrk's; other CPU is what "
            "the rest of the machine used meanwhile):\n"
        )
        print(
            "| measurement | requests | rows stored | throughput | p50 | p90 | p99 | server CPU "
            "| client CPU | other CPU | CPU-bound capacity |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for result in wrk_results:
            print(result.row())
    print(
        f"\nDatabase size: {size / 1e6:,.0f} MB for {stored_total:,} statements "
        f"= {size / stored_total * 1e6 / 1e9:,.2f} GB per million."
    )
    if not args.keep:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
