"""xAPI and cmi5 packages played from the LMS in headless Chromium: the sample course as our
packager builds it, to a pass, with "My learning" showing what it shows for the SCORM version
(passed, 100%); and a third-party-style cmi5 package whose AU does the handshake itself. The
statements are read back over HTTP with tincan.RemoteLRS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from tincan import RemoteLRS

from lms import db
from lms.accounts.models import User
from lms.launch.models import Cmi5Registration
from lms.learning.models import Attempt
from lms.lrs.auth import create_credential
from lms.packages.importer import import_package
from tests.fixtures.launch_packages import EXTRA, INTRO, QUIZ
from tests.fixtures.lms_learning import Learner, stored_statements, verbs
from tests.fixtures.waiting import eventually, my_learning, my_learning_settles

pytestmark = pytest.mark.browser

CMI5 = "https://w3id.org/xapi/cmi5/"
SESSION = CMI5 + "context/extensions/sessionid"
MASTERY = CMI5 + "context/extensions/masteryscore"


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def register_and_enrol(page: Any, server: str, email: str) -> None:
    page.goto(f"{server}/account/register")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "a long passphrase")
    page.fill("input[name=name]", email.split("@")[0].title())
    page.fill("input[name=country]", "KE")
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/")
    page.click("button:text-is('Enrol')")


def start_or_resume(page: Any, server: str) -> None:
    page.goto(f"{server}/my-learning")
    page.click(".course-progress a.button")


def remote_lrs(app: Flask, server: str) -> RemoteLRS:
    with app.app_context():
        key, secret = create_credential("report reader", ("all/read",))
    return RemoteLRS(endpoint=server + "/xapi/", username=key, password=secret, version="1.0.3")


def read_back(lrs: RemoteLRS, registration: str) -> list[Any]:
    """Every statement of a registration, oldest first, through the LRS's HTTP API."""
    found = lrs.query_statements({"registration": registration, "ascending": True, "limit": 500})
    assert found.success, found.data
    return list(found.content.statements)


class Lesson:
    """A page of our packager's content, answered from the page's own question data."""

    def __init__(self, page: Any) -> None:
        self.page = page
        page.locator(".pager .progress:not(:empty)").wait_for()
        self.data = page.evaluate("JSON.parse(document.getElementById('mafunzo-data').textContent)")

    def visible_page(self) -> int:
        section = self.page.locator("section.page:not([hidden])")
        return int(section.get_attribute("data-page") or "-1")

    def answer_page(self) -> None:
        for question in self.data["questions"]:
            if question["page"] != self.visible_page():
                continue
            dom = question["dom"]
            if question["type"] in ("single", "multiple", "true-false"):
                for choice in question["correct"]:
                    self.page.locator(f"#{dom}-{choice}").check()
            elif question["type"] == "short":
                self.page.locator(f"#{dom}-text").fill(question["correct"][0])
            else:
                pytest.fail(f"no way to answer a {question['type']} question here")
            self.page.locator(f"#{dom} button.check").click()
            self.page.locator(f"#{dom} .feedback:not(:empty)").wait_for()

    def next(self) -> None:
        before = self.visible_page()
        self.page.locator("button.next").click()
        self.page.wait_for_function(
            "(before) => { const s = document.querySelector('section.page:not([hidden])');"
            " return s && Number(s.dataset.page) !== before; }",
            arg=before,
        )

    def go_to(self, number: int) -> None:
        while self.visible_page() < number:
            self.next()

    def finish(self) -> None:
        """Every page of the document in turn, every question answered right, then Finish."""
        self.answer_page()
        while self.page.locator("button.next").inner_text() != "Finish":
            self.next()
            self.answer_page()
        self.page.locator("button.next").click()


def registration_of(app: Flask) -> str:
    with app.app_context():
        return db.session().scalars(select(Cmi5Registration.registration)).one()


def test_the_sample_course_as_cmi5_to_a_pass(
    lms: Flask,
    lms_server: str,
    sample_launch_packages: dict[str, Path],
    tab: Any,
) -> None:
    with lms.app_context():
        package = import_package(
            db.session(), lms.config["DATA_DIR"], sample_launch_packages["cmi5"]
        )
        aus = [sco.identifier for sco in package.scos]
        course_id = package.course_id
    register_and_enrol(tab, lms_server, "kofi@example.org")
    start_or_resume(tab, lms_server)
    Lesson(tab).finish()  # the first module, its quiz and all
    tab.wait_for_url(f"{lms_server}/my-learning")  # the AU went back to the returnURL
    eventually(lambda: my_learning(tab, lms_server)[0] == "in progress", "the AU counted")

    # The modules in between are waived by a manager; the final assessment is left.
    manager = Learner(lms, "maria@example.org", role="manager")
    with lms.app_context():
        kofi = db.session().scalars(select(User.id).where(User.email == "kofi@example.org")).one()
    for au in aus[1:-1]:
        token = manager.csrf(f"/manage/courses/{course_id}/waive")
        waived = manager.client.post(
            f"/manage/courses/{course_id}/waive",
            data={"csrf_token": token, "learner": str(kofi), "au": au, "reason": "Tested Out"},
        )
        assert waived.status_code == 302

    start_or_resume(tab, lms_server)
    lesson = Lesson(tab)
    assert lesson.data["modules"][0]["assessment"] is True  # resumed on the first AU left
    lesson.finish()
    tab.wait_for_url(f"{lms_server}/my-learning")
    my_learning_settles(tab, lms_server, ("passed", "100%"))  # as for the SCORM version

    registration = registration_of(lms)
    said = read_back(remote_lrs(lms, lms_server), registration)
    names = [s.verb.id.rsplit("/", 1)[-1] for s in said]
    assert names[0] == "launched" and names[1] == "initialized"
    assert names.count("waived") == len(aus) - 2
    assert names.count("satisfied") == 1 and names[-1] == "terminated"
    final_session = said[-1].context.extensions[SESSION]
    final = [s for s in said if s.context.extensions.get(SESSION) == final_session]
    final_names = [s.verb.id.rsplit("/", 1)[-1] for s in final]
    assert final_names[0] == "launched" and final_names[1] == "initialized"
    # Satisfied (the course) follows the later of completed and passed, within the session.
    met = max(final_names.index("completed"), final_names.index("passed"))
    assert final_names[met + 1] == "satisfied" and final_names[-1] == "terminated"
    passed = final[final_names.index("passed")]
    assert passed.result.success is True and passed.result.score.scaled == 1.0
    assert passed.context.extensions[MASTERY] == final[0].context.extensions[MASTERY]
    assert str(passed.context.registration) == registration
    assert passed.context.context_activities.grouping[0].id == aus[-1]  # the publisher's AU id


def test_the_sample_course_as_xapi_to_a_pass(
    lms: Flask,
    lms_server: str,
    sample_launch_packages: dict[str, Path],
    tab: Any,
) -> None:
    with lms.app_context():
        import_package(db.session(), lms.config["DATA_DIR"], sample_launch_packages["xapi"])
    register_and_enrol(tab, lms_server, "kofi@example.org")
    start_or_resume(tab, lms_server)
    lesson = Lesson(tab)
    first, final = lesson.data["modules"][0], lesson.data["modules"][-1]
    lesson.go_to(first["pages"][1] - 1)
    lesson.answer_page()
    lesson.go_to(final["pages"][0])
    lesson.finish()
    tab.locator("#notice").get_by_text("passed").wait_for()
    with lms.app_context():
        registration = db.session().scalars(select(Attempt.registration)).one()
    eventually(
        lambda: "passed" in verbs(stored_statements(lms, registration)), "the pass reached the LRS"
    )
    my_learning_settles(tab, lms_server, ("passed", "100%"))  # leaving the page ends it
    eventually(
        lambda: "terminated" in verbs(stored_statements(lms, registration)), "the session ended"
    )
    said = read_back(remote_lrs(lms, lms_server), registration)
    names = [s.verb.id.rsplit("/", 1)[-1] for s in said]
    assert names[0] == "initialized" and names[-1] == "terminated"
    passed = said[names.index("passed")]
    assert passed.object.id == lesson.data["course"]
    assert passed.result.score.scaled == 1.0
    assert str(passed.context.registration) == registration


def test_a_third_party_cmi5_package_plays_through(
    lms: Flask, lms_server: str, handmade_cmi5_zip: Path, tab: Any
) -> None:
    with lms.app_context():
        import_package(db.session(), lms.config["DATA_DIR"], handmade_cmi5_zip)
    register_and_enrol(tab, lms_server, "amina@example.org")
    plays = {INTRO: ["complete"], QUIZ: ["complete", "pass"], EXTRA: ["pass"]}
    for au, buttons in plays.items():
        start_or_resume(tab, lms_server)
        tab.locator("#status").get_by_text("ready Normal").wait_for()
        assert f"name={au.rsplit('/', 1)[-1]}" in tab.url
        for button in buttons:
            tab.click(f"#{button}")
            tab.locator("#status").get_by_text(
                f"{button}d" if button == "complete" else "passed"
            ).wait_for()
        tab.click("#exit")
        tab.wait_for_url(f"{lms_server}/my-learning")
    my_learning_settles(tab, lms_server, ("passed", "90%"))
    said = read_back(remote_lrs(lms, lms_server), registration_of(lms))
    names = [s.verb.id.rsplit("/", 1)[-1] for s in said]
    assert names.count("launched") == 3 and names.count("terminated") == 3
    assert names.count("satisfied") == 2 and "abandoned" not in names
    # The course is satisfied once the extra AU's pass has arrived; the AU's session ends last
    # (its `terminated` may reach the LRS before or after the LMS's `satisfied`).
    last_pass = len(names) - 1 - names[::-1].index("passed")
    assert names[last_pass + 1 :].count("satisfied") == 1
    assert names[-1] in ("terminated", "satisfied") and "terminated" in names[last_pass + 1 :]
