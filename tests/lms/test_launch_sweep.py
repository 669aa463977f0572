"""Launch sessions the learner left without a word (tab closed, never back): the sweep closes
them from cron (`mafunzo sessions sweep`) and when a manager opens the course report, with one
cmi5 `abandoned` each (cmi5 9.3.6, duration per 9.5.4.2), and their tokens stop working."""

from __future__ import annotations

import csv
import io
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import delete, select, update

from lms import db
from lms.launch import service
from lms.launch.models import LaunchSession
from lms.lrs.validation import parse_timestamp
from lms.packages.importer import import_package
from lms.runtime.attempts import now
from tests.fixtures.launch_packages import CMI5, INTRO, QUIZ, AuSession, xapi_headers
from tests.fixtures.lms_learning import Learner, stored_statements, verbs

SESSION = CMI5 + "context/extensions/sessionid"
HOME = "http://localhost:5000/"
IDLE = timedelta(hours=4)
BRIEF = 0.00001  # hours: 36 ms, an idle timeout a test can wait out


@pytest.fixture
def course(lms: Flask, handmade_cmi5_zip: Path) -> int:
    with lms.app_context():
        return import_package(db.session(), lms.config["DATA_DIR"], handmade_cmi5_zip).course_id


@pytest.fixture
def amina(lms: Flask, course: int) -> Learner:
    learner = Learner(lms, "amina@example.org")
    learner.enrol(course, "en")
    return learner


def left_open(learner: Learner, course: int, au_id: str = INTRO, seconds: int = 90) -> AuSession:
    """A learner starts an AU, works `seconds` by the AU's clock, and closes the tab."""
    au = AuSession(learner, course, au_id)
    au.fetch()
    said = stored_statements(learner.app, au.registration)
    launched = [s for s in said if s["verb"]["id"].endswith("/launched")][-1]
    start = parse_timestamp(launched["timestamp"])
    au.send("initialized", timestamp=_iso(start + timedelta(seconds=1)))
    au.send("experienced", timestamp=_iso(start + timedelta(seconds=seconds)))
    return au


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def a_moment_later() -> datetime:
    """A time strictly between what happened before and what happens after (stored in ms)."""
    time.sleep(0.01)
    moment = now()
    time.sleep(0.01)
    return moment


def sweep(app: Flask, at: datetime, idle: timedelta = IDLE) -> list[tuple[str, str]]:
    """Sweep as cron would, `at` standing for the hour the sweep runs; (session id, outcome)."""
    with app.app_context():
        closed = service.sweep(db.session(), HOME, idle, at=at)
        return [(launch.session_id, launch.outcome) for launch in closed]


def abandoned_of(app: Flask, registration: str) -> list[dict[str, Any]]:
    return [
        s for s in stored_statements(app, registration) if s["verb"]["id"].endswith("/abandoned")
    ]


def test_a_silent_session_gets_one_abandoned_and_a_recent_one_is_left_alone(
    lms: Flask, course: int, amina: Learner, make_learner: Any
) -> None:
    left = left_open(amina, course)
    left_session = left.session_id
    cutoff = a_moment_later()
    boris = make_learner("boris@example.org")
    boris.enrol(course, "en")
    recent = AuSession(boris, course, QUIZ)
    recent.fetch()
    recent.send("initialized")

    # Four hours after `cutoff`: Amina's AU has said nothing since; Boris's spoke since.
    assert sweep(lms, cutoff + IDLE) == [(left_session, "abandoned")]
    [abandoned] = abandoned_of(lms, left.registration)
    assert abandoned["object"]["id"] == left.params["activityId"]
    assert abandoned["actor"] == left.actor
    assert abandoned["context"]["registration"] == left.registration
    assert abandoned["context"]["extensions"][SESSION] == left_session
    assert {"objectType": "Activity", "id": INTRO} in abandoned["context"]["contextActivities"][
        "grouping"
    ]
    # From `launched` to the AU's last statement, by their timestamps (cmi5 9.5.4.2).
    assert abandoned["result"] == {"duration": "PT0H1M30S"}
    assert parse_timestamp(abandoned["timestamp"]) >= parse_timestamp(
        stored_statements(lms, left.registration)[-2]["timestamp"]
    )
    # The session is over: its token no longer reaches the LRS; Boris's still does.
    left.send("completed", {"completion": True, "duration": "PT1S"}, status=401)
    recent.send("completed", {"completion": True, "duration": "PT1S"})
    assert "abandoned" not in verbs(stored_statements(lms, recent.registration))

    # Sweeping again, even much later, records nothing more for Amina's session.
    assert sweep(lms, cutoff + IDLE) == []
    assert len(abandoned_of(lms, left.registration)) == 1
    # Her next launch finds nothing open to abandon either.
    AuSession(amina, course, QUIZ)
    assert verbs(stored_statements(lms, left.registration)).count("abandoned") == 1


def test_terminated_sessions_are_not_abandoned(lms: Flask, course: int, amina: Learner) -> None:
    au = AuSession(amina, course, INTRO)
    au.fetch()
    au.send("initialized")
    au.send("terminated", {"duration": "PT5S"})
    later = a_moment_later() + IDLE
    assert sweep(lms, later) == []  # ended when `terminated` arrived
    # One whose `terminated` the LMS had not yet judged is closed as terminated, silently.
    with lms.app_context():
        db.session().execute(update(LaunchSession).values(ended=None, outcome=""))
        db.session().commit()
    assert sweep(lms, later) == [(au.session_id, "terminated")]
    assert "abandoned" not in verbs(stored_statements(lms, au.registration))


def test_a_session_whose_token_ran_out_is_over(lms: Flask, course: int, amina: Learner) -> None:
    from lms.lrs.models import LaunchToken

    au = left_open(amina, course)
    # Launched over eight hours ago and busy until a moment ago: its token has run out, so the
    # AU cannot say anything more, however recently it spoke.
    with lms.app_context():
        launch = db.session().scalars(select(LaunchSession)).one()
        launch.launched -= timedelta(hours=9)
        db.session().execute(update(LaunchToken).values(expires=datetime.now(UTC) - timedelta(1)))
        db.session().commit()
    assert sweep(lms, now()) == [(au.session_id, "abandoned")]


def test_the_course_report_closes_silent_sessions(
    lms: Flask, course: int, amina: Learner, make_learner: Any
) -> None:
    manager = make_learner("maria@example.org", role="manager")
    left = left_open(amina, course)

    def amina_in_the_report() -> dict[str, str]:
        answer = manager.client.get(f"/manage/courses/{course}/report?format=csv")
        assert answer.status_code == 200
        rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
        return next(row for row in rows if row["email"] == "amina@example.org")

    # Within the idle timeout the session stays open: no time counted yet.
    assert amina_in_the_report()["time_spent_seconds"] == "0"
    assert abandoned_of(lms, left.registration) == []
    # Past it (here: a timeout of 36 ms), opening the report closes it first.
    lms.config["LAUNCH_IDLE_HOURS"] = BRIEF
    time.sleep(0.1)
    row = amina_in_the_report()
    assert (row["status"], row["time_spent_seconds"]) == ("in progress", "90")
    assert len(abandoned_of(lms, left.registration)) == 1
    page = manager.client.get(f"/manage/courses/{course}/report").get_data(as_text=True)
    assert "Amina" in page
    assert len(abandoned_of(lms, left.registration)) == 1


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_two_sweeps_at_once_abandon_a_session_once(app: Flask, handmade_cmi5_zip: Path) -> None:
    """Two gunicorn workers (or cron and a manager's report) sweeping at the same moment."""
    with app.app_context():
        course = import_package(db.session(), app.config["DATA_DIR"], handmade_cmi5_zip).course_id
    learner = Learner(app, "amina@example.org")
    learner.enrol(course, "en")
    left = left_open(learner, course)
    later = a_moment_later() + IDLE
    start = threading.Barrier(2)
    results: list[list[tuple[str, str]]] = []

    def run() -> None:
        start.wait()
        results.append(sweep(app, later))

    workers = [threading.Thread(target=run) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(results, key=len) == [[], [(left.session_id, "abandoned")]]
    assert len(abandoned_of(app, left.registration)) == 1


def test_closing_a_session_another_request_closed_meanwhile_adds_nothing(
    lms: Flask, course: int, amina: Learner
) -> None:
    """Two workers that both read the session as open before either closed it."""
    left = left_open(amina, course)
    with lms.app_context():
        maker = lms.extensions["mafunzo.sessions"]
        one, two = maker(), maker()
        seen_by_one = one.scalars(select(LaunchSession)).one()
        seen_by_two = two.scalars(select(LaunchSession)).one()
        assert [s.outcome for s in service.close_sessions(one, [seen_by_one], HOME)] == [
            "abandoned"
        ]
        assert service.close_sessions(two, [seen_by_two], HOME) == []
        one.close()
        two.close()
    assert len(abandoned_of(lms, left.registration)) == 1


def test_the_cli_sweeps_and_says_what_it_did(
    lms: Flask, course: int, amina: Learner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lms.commands import sessions_sweep

    left = left_open(amina, course)
    monkeypatch.setenv("MAFUNZO_DATA_DIR", str(lms.config["DATA_DIR"]))
    monkeypatch.setenv("MAFUNZO_DATABASE_URL", lms.config["DATABASE_URL"])
    kept = CliRunner().invoke(sessions_sweep, [])
    assert kept.exit_code == 0, kept.output
    assert kept.output == "0 session(s) closed (silent for more than 4 hours)\n"
    time.sleep(0.1)
    closed = CliRunner().invoke(sessions_sweep, ["--idle-hours", str(BRIEF)])
    assert closed.exit_code == 0, closed.output
    first, last = closed.output.splitlines()
    assert first.startswith(
        f"abandoned: cmi5 session {left.session_id} of amina@example.org in "
        "https://example.org/courses/handmade, launched "
    )
    assert last == "1 session(s) closed (silent for more than 1e-05 hours)"
    assert len(abandoned_of(lms, left.registration)) == 1


@pytest.mark.parametrize("hours", ["0", "-1", "nan", "inf", "soon"])
def test_the_cli_refuses_a_timeout_that_would_close_active_sessions(
    lms: Flask, course: int, amina: Learner, monkeypatch: pytest.MonkeyPatch, hours: str
) -> None:
    from lms.commands import sessions_sweep

    au = left_open(amina, course)
    monkeypatch.setenv("MAFUNZO_DATA_DIR", str(lms.config["DATA_DIR"]))
    monkeypatch.setenv("MAFUNZO_DATABASE_URL", lms.config["DATABASE_URL"])
    refused = CliRunner().invoke(sessions_sweep, ["--idle-hours", hours])
    assert refused.exit_code == 2, refused.output  # click's usage error
    assert f"Invalid value for '--idle-hours': '{hours}' is not a number of hours above 0" in (
        refused.output
    )
    au.send("completed", {"completion": True, "duration": "PT1S"})  # still open


@pytest.mark.parametrize("hours", ["0", "-4", "four"])
def test_a_timeout_setting_that_would_close_active_sessions_stops_start_up(
    lms: Flask, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], hours: str
) -> None:
    """The `mafunzo` command (and `gunicorn --preload`) says which setting is wrong, without a
    traceback; the sweep itself refuses a timeout of nothing whoever sets it."""
    import sys

    from lms.cli import main

    monkeypatch.setenv("MAFUNZO_DATA_DIR", str(lms.config["DATA_DIR"]))
    monkeypatch.setenv("MAFUNZO_DATABASE_URL", lms.config["DATABASE_URL"])
    monkeypatch.setenv("MAFUNZO_LAUNCH_IDLE_HOURS", hours)
    monkeypatch.setattr(sys, "argv", ["mafunzo", "sessions", "sweep"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == (
        f"Error: MAFUNZO_LAUNCH_IDLE_HOURS: '{hours}' is not a number of hours above 0 and at "
        "most 8760"
    )
    assert capsys.readouterr().err == ""  # nothing else, no traceback
    with pytest.raises(ValueError, match="above 0"):
        sweep(lms, now(), idle=timedelta(0))


def test_a_silent_tincan_launch_expires_without_a_statement(
    lms: Flask, handmade_tincan_zip: Path, amina: Learner
) -> None:
    from urllib.parse import parse_qs, urlsplit

    with lms.app_context():
        tincan = import_package(db.session(), lms.config["DATA_DIR"], handmade_tincan_zip)
    amina.enrol(tincan.course_id, "en")
    sent = amina.client.get(f"/courses/{tincan.course_id}/launch")
    params = {k: v[0] for k, v in parse_qs(urlsplit(sent.headers["Location"]).query).items()}
    token = params["auth"].removeprefix("Basic ")
    assert amina.client.get("/xapi/statements", headers=xapi_headers(token)).status_code == 200
    closed = sweep(lms, a_moment_later() + IDLE)
    assert [outcome for _, outcome in closed] == ["expired"]
    assert amina.client.get("/xapi/statements", headers=xapi_headers(token)).status_code == 401
    assert stored_statements(lms, params["registration"]) == []


@pytest.mark.parametrize("speaks", ["statement", "state"])
def test_a_session_launched_long_ago_that_still_speaks_is_left_open(
    lms: Flask, course: int, amina: Learner, speaks: str
) -> None:
    """Only silence closes a session: an AU launched hours ago that sent a statement or wrote
    to the State API within the idle timeout keeps its token."""
    au = left_open(amina, course)
    with lms.app_context():
        db.session().scalars(select(LaunchSession)).one().launched -= timedelta(hours=5)
        db.session().commit()
    if speaks == "statement":
        au.send("progressed", {"extensions": {CMI5 + "result/extensions/progress": 50}})
    else:
        answer = amina.app.test_client().put(
            "/xapi/activities/state",
            query_string={
                "stateId": "bookmark",
                "activityId": au.params["activityId"],
                "agent": au.params["actor"],
                "registration": au.registration,
            },
            json={"page": 7},
            headers=xapi_headers(au.token),
        )
        assert answer.status_code == 204, answer.get_data(as_text=True)
    assert sweep(lms, now()) == []
    au.send("completed", {"completion": True, "duration": "PT1S"})  # its token still works


def test_a_session_closed_while_its_token_is_fetched_keeps_no_token(
    lms: Flask, course: int, amina: Learner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The AU's fetch claimed the session, then another request closed it (a double-clicked
    Start, a sweep) before the fetch stored the token: the token is deleted, not handed out."""
    au = AuSession(amina, course, INTRO)
    issued: list[str] = []
    issue = service.issue_launch_token

    def issue_then_close(*args: Any) -> str:
        issued.append(issue(*args))
        other = lms.extensions["mafunzo.sessions"]()
        try:
            [launch] = other.scalars(select(LaunchSession)).all()
            assert service.close_sessions(other, [launch], HOME) == [launch]
        finally:
            other.close()
        return issued[-1]

    monkeypatch.setattr(service, "issue_launch_token", issue_then_close)
    answer = au.fetch()
    assert answer["error-code"] == "1" and "auth-token" not in answer
    [token] = issued
    assert amina.client.get("/xapi/statements", headers=xapi_headers(token)).status_code == 401


def test_a_token_fetched_while_its_session_is_closed_is_revoked(
    lms: Flask, course: int, amina: Learner
) -> None:
    """Another request read the session open, before the AU fetched its token, and marks it
    ended after: the token it did not see at first stops working all the same."""
    au = AuSession(amina, course, INTRO)
    with lms.app_context():
        other = lms.extensions["mafunzo.sessions"]()
        [seen_before_the_fetch] = other.scalars(select(LaunchSession)).all()
        au.fetch()
        assert au.token
        closed = service.close_sessions(other, [seen_before_the_fetch], HOME)
        other.close()
    assert [launch.outcome for launch in closed] == ["abandoned"]
    assert amina.client.get("/xapi/statements", headers=xapi_headers(au.token)).status_code == 401


@pytest.mark.parametrize("token", ["run out", "deleted as run out"])
def test_a_session_whose_token_ran_out_is_over_whatever_the_idle_timeout(
    lms: Flask, course: int, amina: Learner, token: str
) -> None:
    """A timeout longer than a token lasts: the AU cannot speak since its token ran out, so
    its session is over however recently it was launched."""
    from lms.lrs.models import LaunchToken

    au = left_open(amina, course)
    with lms.app_context():
        db.session().scalars(select(LaunchSession)).one().launched -= timedelta(hours=9)
        if token == "run out":
            expired = datetime.now(UTC) - timedelta(minutes=1)
            db.session().execute(update(LaunchToken).values(expires=expired))
        else:
            db.session().execute(delete(LaunchToken))
        db.session().commit()
    assert sweep(lms, now(), idle=timedelta(hours=12)) == [(au.session_id, "abandoned")]


def test_a_satisfied_made_on_closing_belongs_to_the_closed_session(
    lms: Flask, course: int, amina: Learner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quiz's statements met the block's moveOn but were not judged when they arrived (the
    worker stopped): closing its session judges them, and `satisfied` carries its session id."""
    from lms.launch import progress

    intro = AuSession(amina, course, INTRO)
    intro.fetch()
    intro.send("completed", {"completion": True, "duration": "PT1S"})
    intro.send("terminated", {"duration": "PT30S"})
    quiz = AuSession(amina, course, QUIZ)
    quiz.fetch()
    with monkeypatch.context() as unjudged:
        unjudged.setattr(progress, "on_statements", lambda *args: None)
        quiz.send("completed", {"completion": True, "duration": "PT1S"})
        quiz.send("passed", {"success": True, "score": {"scaled": 0.9}, "duration": "PT2S"})
    assert "satisfied" not in verbs(stored_statements(lms, quiz.registration))
    assert sweep(lms, a_moment_later() + IDLE) == [(quiz.session_id, "abandoned")]
    [block] = [
        s
        for s in stored_statements(lms, quiz.registration)
        if s["verb"]["id"].endswith("/satisfied")
    ]
    assert block["context"]["extensions"][SESSION] == quiz.session_id


@pytest.mark.parametrize("page", ["report", "waive"])
def test_a_sweep_that_fails_on_the_way_leaves_the_page_working(
    lms: Flask,
    course: int,
    amina: Learner,
    make_learner: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    page: str,
) -> None:
    """The course report and the waiver page sweep first; when that fails (here: the database
    stayed locked for longer than SQLite waits) the manager still gets the page, and the log
    says why the sessions stayed open."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    manager = make_learner("maria@example.org", role="manager")
    au = left_open(amina, course)
    lms.config["LAUNCH_IDLE_HOURS"] = BRIEF
    time.sleep(0.1)

    def locked(*args: Any) -> list[LaunchSession]:
        raise OperationalError(
            "BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked")
        )

    monkeypatch.setattr(service, "close_sessions", locked)
    with caplog.at_level("WARNING"):
        answer = manager.client.get(f"/manage/courses/{course}/{page}")
    assert answer.status_code == 200
    assert "Amina" in answer.get_data(as_text=True)
    [warning] = [r for r in caplog.records if r.levelname == "WARNING"]
    assert f"sessions of course {course} were left open" in warning.getMessage()
    assert "database is locked" in warning.getMessage()
    assert abandoned_of(lms, au.registration) == []
    monkeypatch.undo()
    assert manager.client.get(f"/manage/courses/{course}/{page}").status_code == 200
    assert len(abandoned_of(lms, au.registration)) == 1  # the next one closes them
