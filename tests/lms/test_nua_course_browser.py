"""End to end in headless Chromium with the NUA Crash Course as our packager builds it: register,
enrol, take a module and its quiz, close the page, resume on the same page, pass the final
assessment; My learning shows the pass and the LRS holds the statements in order."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from lms import db
from lms.learning.models import Attempt
from lms.packages.importer import import_package, package_root
from tests.fixtures.lms_learning import stored_statements, verbs
from tests.fixtures.waiting import eventually, my_learning_settles

pytestmark = pytest.mark.browser


class Sco:
    """The NUA SCO in the player's frame, answered from the package's own question data."""

    def __init__(self, page: Any, data: dict[str, Any]) -> None:
        self.page = page
        self.frame = page.frame_locator("#sco-frame")
        self.data = data

    def visible_page(self) -> int:
        section = self.frame.locator("section.page:not([hidden])")
        return int(section.get_attribute("data-page") or "-1")

    def go_to(self, index: int) -> None:
        while self.visible_page() < index:
            before = self.visible_page()
            self.frame.locator("button.next").click()
            self.page.wait_for_function(
                "(before) => { const f = document.getElementById('sco-frame').contentDocument;"
                " const s = f && f.querySelector('section.page:not([hidden])');"
                " return s && Number(s.dataset.page) !== before; }",
                arg=before,
            )

    def answer(self, question: dict[str, Any]) -> None:
        dom = question["dom"]
        if question["type"] in ("single", "multiple", "true-false"):
            for choice in question["correct"]:
                self.frame.locator(f"#{dom}-{choice}").check()
        elif question["type"] == "short":
            self.frame.locator(f"#{dom}-text").fill(question["correct"][0])
        else:
            pytest.fail(f"no way to answer a {question['type']} question here")
        self.frame.locator(f"#{dom} button.check").click()
        self.frame.locator(f"#{dom} .feedback:not(:empty)").wait_for()

    def answer_page(self, index: int) -> int:
        questions = [q for q in self.data["questions"] if q["page"] == index]
        for question in questions:
            self.answer(question)
        return len(questions)


def registration_of(app: Flask) -> str:
    with app.app_context():
        attempt = db.session().scalars(select(Attempt)).one()
        return attempt.registration


def test_the_nua_course_taken_to_a_pass_with_a_resume(
    lms: Flask, scorm_packages: dict[tuple[str, str], Path], lms_server: str, browser: Any
) -> None:
    with lms.app_context():
        package = import_package(
            db.session(), lms.config["DATA_DIR"], scorm_packages[("scorm2004", "single")]
        )
        folder = package.folder
    index = (package_root(lms.config["DATA_DIR"]) / folder / "index.html").read_text()
    found = re.search(r'id="mafunzo-data">(.*?)</script>', index, re.S)
    assert found
    data = json.loads(found.group(1))
    first_module, final = data["modules"][0], data["modules"][-1]
    quiz_page = first_module["pages"][1] - 1

    context = browser.new_context(viewport={"width": 1000, "height": 900})
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{lms_server}/account/register")
        page.fill("input[name=email]", "kofi@example.org")
        page.fill("input[name=password]", "a long passphrase")
        page.fill("input[name=name]", "Kofi")
        page.fill("input[name=country]", "GH")
        page.click("button[type=submit]")
        page.wait_for_url(f"{lms_server}/")
        page.click("button:text-is('Enrol')")
        page.click("a.button:text-is('Start')")
        sco = Sco(page, data)
        sco.frame.locator(".pager .progress:not(:empty)").wait_for()
        sco.go_to(quiz_page)
        assert sco.answer_page(quiz_page) > 0
        sco.go_to(quiz_page + 1)  # the first page of the second module
        registration = registration_of(lms)
        page.close(run_before_unload=True)
        eventually(
            lambda: "suspended" in verbs(stored_statements(lms, registration)),
            "the session's last commit reached the LRS",
        )

        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{lms_server}/my-learning")
        page.click("a.button:text-is('Resume')")
        sco = Sco(page, data)
        sco.frame.locator(".pager .progress:not(:empty)").wait_for()
        assert sco.visible_page() == quiz_page + 1
        first, last = final["pages"]
        for number in range(first, last):
            sco.go_to(number)
            sco.answer_page(number)
        assert sco.frame.locator("button.next").inner_text() == "Finish"
        sco.frame.locator("button.next").click()
        sco.frame.locator("#notice").get_by_text("passed").wait_for()
        page.goto(f"{lms_server}/my-learning")  # leaving the player ends the SCO session
        eventually(
            lambda: "terminated" in verbs(stored_statements(lms, registration)),
            "the SCO terminated",
        )
        my_learning_settles(page, lms_server, ("passed", "100%"))
    finally:
        context.close()
    assert errors == []

    statements = stored_statements(lms, registration)
    said = verbs(statements)
    assert said[0] == "initialized" and said[-1] == "terminated"
    assert said.index("suspended") < said.index("resumed") < said.index("passed")
    answered = len(
        [q for q in data["questions"] if q["page"] == quiz_page or first <= q["page"] < last]
    )
    assert said.count("responded") == answered
    passed = statements[said.index("passed")]
    assert passed["object"]["id"] == data["course"]  # the single SCO teaches the whole course
    assert passed["result"]["success"] is True
    assert passed["result"]["score"]["scaled"] == 1.0
