"""xAPI and cmi5 packages of our making in headless Chromium, talking to our LRS over real HTTP.

The test plays the launching system: for TinCan it builds the launch URL with a credential made by
the LRS; for cmi5 it answers the fetch URL from a small loopback server, writes LMS.LaunchData and
the learner's preferences into the LRS and sends `launched` itself, as the cmi5 spec asks of an
LMS. The learner is played in the page; the statements are read back with tincan.RemoteLRS.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
import urllib.parse
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from tincan import Activity, Agent, RemoteLRS

from packager.formats import cmi5, xapi
from packager.formats.reproducible_zip import zip_bytes_to
from packager.loader import load_course
from tests.fixtures.lms_app import basic_auth
from tests.fixtures.scorm import TINY_COURSE

pytestmark = pytest.mark.browser
ON_SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

AMINA = {"objectType": "Agent", "name": "Amina", "mbox": "mailto:amina@example.org"}
CMI5_LEARNER = {
    "objectType": "Agent",
    "name": "Boris",
    "account": {"homePage": "https://lms.example.org", "name": "boris"},
}
VERB = "http://adlnet.gov/expapi/verbs/"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
COURSE = "https://learn.example.org/courses/tiny-course"
BASICS = f"{COURSE}/basics"
RESUME = "https://w3id.org/mafunzo/state/resume"
DEFINED = ("initialized", "completed", "passed", "failed", "terminated")
QUIZ = f"{COURSE}/quiz"


@pytest.fixture(scope="module")
def site(static_site: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The tiny course as an xAPI package (one document) and a cmi5 package, unzipped."""
    course, diagnostics = load_course(TINY_COURSE)
    assert course is not None, diagnostics
    for folder, files in (
        ("xapi", xapi.package_files(course, "single")),
        ("cmi5", cmi5.package_files(course, "single")),
    ):
        for name, content in files.items():
            target = static_site.root / folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    (static_site.root / "returned.html").write_text("<!DOCTYPE html><title>Back in the LMS</title>")
    return static_site


class FetchResponder(http.server.BaseHTTPRequestHandler):
    """The LMS's cmi5 fetch URL: the first POST gets the token, any later one error 1."""

    tokens: ClassVar[dict[str, str | None]] = {}
    posts: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.posts.append(self.path)
        token = self.tokens.get(self.path)
        self.tokens[self.path] = None
        body = {"auth-token": token} if token else {"error-code": "1", "error-text": "used"}
        raw = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def fetch_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FetchResponder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 800, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []


@pytest.fixture
def remote(live_server: Any, lrs_credentials: Callable[..., tuple[str, str]]) -> RemoteLRS:
    key, secret = lrs_credentials("all")
    return RemoteLRS(endpoint=live_server.xapi, username=key, password=secret)


class Learner:
    def __init__(self, page: Any) -> None:
        self.page = page
        page.locator(".pager .progress:not(:empty)").wait_for()

    def title(self) -> str:
        return self.page.locator("section.page:not([hidden]) h1").inner_text()

    def next(self) -> None:
        self.page.locator("button.next").click()

    def choose(self, *ids: str) -> None:
        for control in ids:
            self.page.locator(f"#{control}").check()

    def check(self, question: str) -> str:
        self.page.locator(f"#{question} button.check").click()
        return self.page.locator(f"#{question} .feedback").inner_text()

    def select(self, question: str, values: dict[str, str]) -> None:
        for key, value in values.items():
            self.page.locator(f"#{question}-{key}").select_option(value)

    def play_quiz(self) -> None:
        """From the quiz's Choices page to its end: 5 of 6 points, a pass at 75%."""
        assert self.title() == "Choices"
        self.choose("quiz--q-capital-b")
        assert self.check("quiz--q-capital").startswith("Correct")
        self.choose("quiz--q-primes-a", "quiz--q-primes-c")
        self.check("quiz--q-primes")
        self.next()
        self.page.locator("#quiz--q-host-text").fill("Lima")
        assert self.check("quiz--q-host").startswith("Incorrect")
        self.next()
        self.select("quiz--q-years", {"a": "a", "b": "b", "c": "c"})
        assert self.check("quiz--q-years").startswith("Correct")
        self.select("quiz--q-sequence", {"a": "1", "b": "2", "c": "3"})
        assert self.check("quiz--q-sequence").startswith("Correct")


def statements(remote: RemoteLRS, registration: str, until_verb: str, count: int = 1) -> list:
    """The registration's statements in stored order, once `until_verb` is there `count` times
    (the last ones travel with keepalive after the page is gone)."""
    deadline = time.monotonic() + 20
    while True:
        found = remote.query_statements(
            {"registration": registration, "ascending": True, "limit": 500}
        )
        assert found.success, found.data
        got = [json.loads(s.to_json()) for s in found.content.statements]
        done = sum(s["verb"]["id"] == VERB + until_verb for s in got) >= count
        if done or time.monotonic() > deadline:
            return got
        time.sleep(0.1)


def verbs(found: list[dict[str, Any]]) -> list[str]:
    return [s["verb"]["id"].removeprefix(VERB) for s in found]


def answered(found: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        s["object"]["id"].rsplit("#", 1)[1]: s
        for s in found
        if s["verb"]["id"] == VERB + "answered"
    }


@ON_SQLITE
def test_tincan_launch_plays_to_a_pass_across_two_sessions(
    page: Any, site: Any, app: Any, live_server: Any, remote: RemoteLRS
) -> None:
    registration = str(uuid.uuid4())
    token = launch_token(app, AMINA, registration, COURSE)
    url = (
        site.url("xapi/index.html")
        + "?"
        + urllib.parse.urlencode(
            {
                "endpoint": live_server.xapi,
                "auth": f"Basic {token}",
                "actor": json.dumps({"name": ["Amina"], "mbox": ["mailto:amina@example.org"]}),
                "registration": registration,
                "activity_id": COURSE,
            }
        )
    )
    # first session: the basics, one quiz answer, then the learner leaves
    page.goto(url)
    learner = Learner(page)
    assert learner.title() == "Basics"
    learner.next()
    learner.next()
    learner.choose("basics--q-sky-false")
    assert learner.check("basics--q-sky").startswith("Correct")
    learner.next()
    learner.next()
    assert learner.title() == "Choices"
    page.goto(site.url("returned.html"))
    first = statements(remote, registration, "terminated")
    assert verbs(first) == ["initialized"] + ["experienced"] * 3 + ["answered"] + [
        "experienced"
    ] * 2 + ["terminated"]

    # second session: back on the Choices page with the practice answer kept
    page.goto(url)
    learner = Learner(page)
    assert learner.title() == "Choices"
    page.goto(url)  # a reload is a new session too: nothing is reported twice
    learner = Learner(page)
    learner.play_quiz()
    learner.next()
    assert "passed" in page.locator("#notice").inner_text()
    page.goto(site.url("returned.html"))
    found = statements(remote, registration, "terminated", 3)
    second = found[len(first) :]
    names = verbs(second)
    assert names[0] == "initialized" and names[-1] == "terminated"
    assert names.count("passed") == 1 and names.count("completed") == 1
    assert "failed" not in names

    for statement in found:
        assert statement["actor"]["mbox"] == "mailto:amina@example.org"
        assert statement["context"]["registration"] == registration
        assert statement["context"]["language"] == "en"
    passed = next(s for s in found if s["verb"]["id"] == VERB + "passed")
    assert passed["object"]["id"] == COURSE
    assert passed["result"]["success"] is True
    assert passed["result"]["score"]["scaled"] == pytest.approx(5 / 6, abs=1e-4)
    terminated = [s for s in found if s["verb"]["id"] == VERB + "terminated"]
    assert all(s["result"]["duration"].startswith("PT") for s in terminated)

    answers = answered(found)
    assert set(answers) == {"sky", "capital", "primes", "host", "years", "sequence"}
    host = answers["host"]
    assert host["result"] == {
        "response": "Lima",
        "success": False,
        "duration": host["result"]["duration"],
    }
    assert host["object"]["definition"]["interactionType"] == "fill-in"
    assert host["object"]["definition"]["correctResponsesPattern"] == [
        "Quito",
        "San Francisco de Quito",
    ]
    primes = answers["primes"]
    assert primes["result"]["response"] == "a[,]c" and primes["result"]["success"] is True
    assert [c["id"] for c in primes["object"]["definition"]["choices"]] == ["a", "b", "c"]
    assert primes["object"]["definition"]["choices"][0]["description"] == {"en": "2"}
    assert answers["years"]["result"]["response"] == "a[.]a[,]b[.]b[,]c[.]c"
    assert primes["context"]["contextActivities"]["parent"][0]["id"] == COURSE
    page_views = [s for s in found if s["verb"]["id"] == VERB + "experienced"]
    assert page_views[0]["object"]["id"] == f"{BASICS}/basics"
    assert page_views[0]["object"]["definition"]["name"] == {"en": "Basics"}


def launch_token(app: Any, agent: dict[str, Any], registration: str, activity: str) -> str:
    """A short-lived token for one learner and registration, as the LMS issues at launch."""
    from lms.lrs.auth import issue_launch_token

    with app.app_context():
        return issue_launch_token(agent, registration, activity)


def cmi5_launch(
    app: Any,
    remote_root: str,
    fetch_server: str,
    lrs_credentials: Any,
    au: str,
    mode: str,
    registration: str,
    return_url: str,
) -> dict[str, str]:
    """What an LMS does before launching an AU: a credential, the fetch URL, LMS.LaunchData,
    the learner preferences and the `launched` statement. Returns the launch parameters."""
    key, secret = lrs_credentials("all")
    headers = {
        "Authorization": basic_auth(key, secret),
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
    }
    client = app.test_client()
    session_id = str(uuid.uuid4())
    template = {
        "contextActivities": {"grouping": [{"objectType": "Activity", "id": au}]},
        "extensions": {SESSION: session_id},
    }
    launch_data = {
        "contextTemplate": template,
        "launchMode": mode,
        "moveOn": "CompletedAndPassed" if au == QUIZ else "Completed",
        "returnURL": return_url,
        **({"masteryScore": 0.75} if au == QUIZ else {}),
    }
    agent = json.dumps(CMI5_LEARNER)
    state = client.put(
        "/xapi/activities/state?"
        + urllib.parse.urlencode(
            {
                "stateId": "LMS.LaunchData",
                "activityId": au,
                "agent": agent,
                "registration": registration,
            }
        ),
        data=json.dumps(launch_data),
        headers=headers,
    )
    assert state.status_code == 204, state.get_data(as_text=True)
    client.put(
        "/xapi/agents/profile?"
        + urllib.parse.urlencode({"agent": agent, "profileId": "cmi5LearnerPreferences"}),
        data=json.dumps({"languagePreference": "fr-FR,en-US"}),
        headers=headers,
    )
    launched = {
        "actor": CMI5_LEARNER,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/launched", "display": {"en-US": "launched"}},
        "object": {"objectType": "Activity", "id": au},
        "context": {
            **template,
            "registration": registration,
            "contextActivities": {
                **template["contextActivities"],
                "category": [{"id": CMI5_CATEGORY}],
            },
            "extensions": {
                SESSION: session_id,
                "https://w3id.org/xapi/cmi5/context/extensions/launchmode": mode,
                "https://w3id.org/xapi/cmi5/context/extensions/launchurl": "x",
                "https://w3id.org/xapi/cmi5/context/extensions/moveon": launch_data["moveOn"],
            },
        },
    }
    posted = client.post("/xapi/statements", data=json.dumps(launched), headers=headers)
    assert posted.status_code == 200, posted.get_data(as_text=True)
    fetch_path = f"/fetch/{uuid.uuid4()}"
    FetchResponder.tokens[fetch_path] = launch_token(app, CMI5_LEARNER, registration, au)
    return {
        "endpoint": remote_root,
        "fetch": fetch_server + fetch_path,
        "actor": agent,
        "registration": registration,
        "activityId": au,
    }


@ON_SQLITE
def test_cmi5_au_plays_to_a_pass_and_returns_to_the_lms(
    page: Any,
    site: Any,
    app: Any,
    live_server: Any,
    fetch_server: str,
    lrs_credentials: Any,
    remote: RemoteLRS,
) -> None:
    registration = str(uuid.uuid4())
    params = cmi5_launch(
        app,
        live_server.xapi,
        fetch_server,
        lrs_credentials,
        QUIZ,
        "Normal",
        registration,
        site.url("returned.html"),
    )
    page.goto(site.url("cmi5/quiz.html") + "?" + urllib.parse.urlencode(params))
    learner = Learner(page)
    assert page.locator("html").get_attribute("data-learner-languages") == "fr-FR en-US"
    assert learner.title() == "Quiz"
    learner.next()
    page.reload()  # the fetch URL answers once: the token kept for the session carries on
    learner = Learner(page)
    assert learner.title() == "Choices"
    learner.play_quiz()
    learner.next()  # Finish: back to the LMS once the LRS has it all
    page.wait_for_url(site.url("returned.html"))
    assert [p for p in FetchResponder.posts if p == urllib.parse.urlparse(params["fetch"]).path]

    found = statements(remote, registration, "terminated", 2)
    names = verbs(found)
    assert names[0] == "launched"
    defined = [
        n for n in names if n in ("initialized", "completed", "passed", "failed", "terminated")
    ]
    assert defined == [
        "initialized",
        "terminated",
        "initialized",
        "completed",
        "passed",
        "terminated",
    ]
    sessions = {s["context"]["extensions"][SESSION] for s in found}
    assert len(sessions) == 1
    for statement in found[1:]:
        context = statement["context"]
        assert statement["actor"]["account"]["name"] == "boris"
        assert context["registration"] == registration
        grouping = [a["id"] for a in context["contextActivities"]["grouping"]]
        assert QUIZ in grouping and COURSE in grouping
        categories = [a["id"] for a in context["contextActivities"].get("category", [])]
        verb = statement["verb"]["id"].removeprefix(VERB)
        if verb in ("answered", "experienced"):
            assert categories == []
            assert context["contextActivities"]["parent"][0]["id"] == QUIZ
        else:
            assert statement["object"]["id"] == QUIZ
            assert CMI5_CATEGORY in categories
            assert (MOVEON in categories) == (verb in ("completed", "passed"))
    passed = next(s for s in found if s["verb"]["id"] == VERB + "passed")
    assert passed["result"]["success"] is True
    assert passed["result"]["score"]["scaled"] == pytest.approx(5 / 6, abs=1e-4)
    assert passed["context"]["extensions"][MASTERY] == 0.75
    assert answered(found)["capital"]["result"]["success"] is True


@ON_SQLITE
@pytest.mark.parametrize("mode", ["Browse", "Review"])
def test_cmi5_browse_and_review_launches_report_no_completion(
    page: Any,
    site: Any,
    app: Any,
    live_server: Any,
    fetch_server: str,
    lrs_credentials: Any,
    remote: RemoteLRS,
    mode: str,
) -> None:
    registration = str(uuid.uuid4())
    params = cmi5_launch(
        app,
        live_server.xapi,
        fetch_server,
        lrs_credentials,
        BASICS,
        mode,
        registration,
        site.url("returned.html"),
    )
    page.goto(site.url("cmi5/basics.html") + "?" + urllib.parse.urlencode(params))
    learner = Learner(page)
    learner.next()
    learner.next()
    learner.choose("basics--q-sky-false")
    learner.check("basics--q-sky")
    learner.next()  # Finish on the last page of the AU
    page.wait_for_url(site.url("returned.html"))
    names = verbs(statements(remote, registration, "terminated"))
    assert names[:2] == ["launched", "initialized"] and names[-1] == "terminated"
    assert "answered" in names
    assert not {"completed", "passed", "failed"} & set(names)
    kept = remote.retrieve_state_ids(
        Activity(id=BASICS), Agent.from_json(json.dumps(CMI5_LEARNER)), registration=registration
    )
    assert kept.success
    assert sorted(kept.content) == (
        ["LMS.LaunchData"] if mode == "Review" else ["LMS.LaunchData", RESUME]
    )


def test_without_a_launch_the_package_says_there_is_no_lms(page: Any, site: Any) -> None:
    page.goto(site.url("cmi5/basics.html"))
    Learner(page)
    assert "No learning platform" in page.locator("#notice").inner_text()


def test_package_files_are_plain_zips_of_the_documents(tmp_path: Path) -> None:
    course, _ = load_course(TINY_COURSE)
    assert course is not None
    target = tmp_path / "tiny-cmi5.zip"
    zip_bytes_to(target, cmi5.package_files(course, "single"))
    with zipfile.ZipFile(target) as archive:
        assert {"cmi5.xml", "basics.html", "quiz.html", "cmi5-runtime.js"} <= set(
            archive.namelist()
        )


@ON_SQLITE
def test_statements_made_offline_arrive_in_order_once_back_online(
    page: Any, site: Any, app: Any, live_server: Any, remote: RemoteLRS
) -> None:
    registration = str(uuid.uuid4())
    url = (
        site.url("xapi/index.html")
        + "?"
        + urllib.parse.urlencode(
            {
                "endpoint": live_server.xapi,
                "auth": f"Basic {launch_token(app, AMINA, registration, COURSE)}",
                "actor": json.dumps(AMINA),
                "registration": registration,
            }
        )
    )
    page.goto(url)
    learner = Learner(page)
    page.context.set_offline(True)
    learner.next()
    learner.next()
    learner.choose("basics--q-sky-true")
    assert learner.check("basics--q-sky").startswith("Incorrect")
    assert page.evaluate("navigator.onLine") is False
    page.context.set_offline(False)
    learner.next()
    page.goto(site.url("returned.html"))
    found = statements(remote, registration, "terminated")
    assert verbs(found) == ["initialized"] + ["experienced"] * 3 + ["answered"] + [
        "experienced",
        "terminated",
    ]
    assert len({s["id"] for s in found}) == len(found)
    assert answered(found)["sky"]["result"]["success"] is False
