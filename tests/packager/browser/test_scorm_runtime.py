"""A SCO of our making in headless Chromium, against a recording LMS that enforces the data model.

The learner is played with the keyboard only. The recording API (recording_api.js) refuses a value
of the wrong type or vocabulary, a read-only or write-only element, and interaction elements out of
order, with each standard's error code; the tests then read its call log.
"""

from __future__ import annotations

import json
import re
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from packager.formats import scorm12, scorm2004
from packager.formats.reproducible_zip import zip_bytes_to
from packager.loader import load_course
from tests.fixtures.scorm import TINY_COURSE

pytestmark = pytest.mark.browser

RECORDER = Path(__file__).with_name("recording_api.js")
VERSIONS = {"1.2": ("scorm12", scorm12), "2004": ("scorm2004", scorm2004)}
LAUNCHER = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Recording LMS</title>
<style>iframe {{ width: 100%; height: 90vh; border: 0; }}</style></head>
<body><script>{recorder}</script></body></html>
"""


@pytest.fixture(scope="module")
def site(static_site: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Both packages of the tiny course, unzipped under the site, and the launcher page."""
    course, diagnostics = load_course(TINY_COURSE)
    assert course is not None, diagnostics
    for folder, module in VERSIONS.values():
        package = tmp_path_factory.mktemp(folder) / "package.zip"
        zip_bytes_to(package, module.package_files(course, "single"))
        with zipfile.ZipFile(BytesIO(package.read_bytes())) as archive:
            archive.extractall(static_site.root / folder)
    launcher = LAUNCHER.format(recorder=RECORDER.read_text())
    (static_site.root / "launcher.html").write_text(launcher)
    return static_site


@pytest.fixture
def page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 800, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []


def page_data(site: Any, folder: str) -> dict[str, Any]:
    text = (site.root / folder / "index.html").read_text()
    found = re.search(r'<script type="application/json" id="mafunzo-data">(.*?)</script>', text)
    return json.loads(found.group(1))


class Learner:
    """Plays the SCO with the keyboard: focus a control, press a key, as a keyboard user does."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.frame = page.frame_locator("iframe")

    def press(self, selector: str, key: str = "Enter") -> None:
        self.frame.locator(selector).focus()
        self.page.keyboard.press(key)

    def type(self, selector: str, text: str) -> None:
        self.frame.locator(selector).focus()
        self.page.keyboard.type(text)

    def title(self) -> str:
        return self.frame.locator("section.page:not([hidden]) h1").inner_text()

    def next(self) -> None:
        self.press("button.next")

    def check(self, question: str) -> str:
        self.press(f"#{question} button.check")
        return self.frame.locator(f"#{question} .feedback").inner_text()


def launch(page: Any, site: Any, version: str, initial: dict[str, str]) -> Learner:
    page.goto(site.url("launcher.html"))
    folder = VERSIONS[version][0]
    page.evaluate(
        "([v, src, init]) => startSco(v, src, init)", [version, f"{folder}/index.html", initial]
    )
    learner = Learner(page)
    learner.frame.locator(".pager .progress:not(:empty)").wait_for()
    return learner


def finish(page: Any) -> dict[str, Any]:
    page.evaluate("endSco()")
    page.wait_for_function("window.recorder.state() === 'terminated'")
    return page.evaluate(
        "({calls: recorder.calls, values: recorder.values, interactions: recorder.interactions})"
    )


NAMES = {
    "1.2": {
        "init": "LMSInitialize",
        "finish": "LMSFinish",
        "set": "LMSSetValue",
        "commit": "LMSCommit",
        "location": "cmi.core.lesson_location",
        "exit": "cmi.core.exit",
        "time": "cmi.core.session_time",
        "entry": "cmi.core.entry",
    },
    "2004": {
        "init": "Initialize",
        "finish": "Terminate",
        "set": "SetValue",
        "commit": "Commit",
        "location": "cmi.location",
        "exit": "cmi.exit",
        "time": "cmi.session_time",
        "entry": "cmi.entry",
    },
}
FRESH = {
    "1.2": {"cmi.core.lesson_status": "not attempted", "cmi.core.entry": "ab-initio"},
    "2004": {
        "cmi.completion_status": "not attempted",
        "cmi.success_status": "unknown",
        "cmi.entry": "ab-initio",
    },
}


def assert_clean_session(calls: list[dict[str, Any]], version: str, state_length: int) -> None:
    names = NAMES[version]
    methods = [c["method"] for c in calls]
    assert methods[0] == names["init"] and calls[0]["result"] == "true"
    assert methods.count(names["init"]) == 1 and methods.count(names["finish"]) == 1
    assert methods[-1] == names["finish"] and calls[-1]["result"] == "true"
    refused = [c for c in calls if c["error"] != "0" and not c["method"].startswith("(")]
    assert refused == []
    hidden = methods.index("(page hidden)")
    assert names["commit"] in methods[hidden:]
    for call in calls:
        if call["method"] == names["set"] and call["args"][0] == "cmi.suspend_data":
            assert len(call["args"][1]) == state_length


def interactions_from(values: list[dict[str, Any]], start: int) -> dict[str, dict[str, Any]]:
    return {i["id"].rsplit("#", 1)[1]: i for i in values[start:]}


EXPECTED = {
    "1.2": {
        "sky": ("true-false", "f", "correct", ["f"]),
        "capital": ("choice", "b", "correct", ["b"]),
        "primes": ("choice", "a,c", "correct", ["a,c"]),
        "host": ("fill-in", "Lima " * 11 + "Lima", "wrong", ["Quito", "San Francisco de Quito"]),
        "years": ("matching", "a.a,b.b,c.c", "correct", ["a.a,b.b,c.c"]),
        "sequence": ("sequencing", "a,b,c", "correct", ["a,b,c"]),
    },
    "2004": {
        "sky": ("true-false", "false", "correct", ["false"]),
        "capital": ("choice", "b", "correct", ["b"]),
        "primes": ("choice", "a[,]c", "correct", ["a[,]c"]),
        "host": (
            "fill-in",
            "Lima " * 11 + "Lima",
            "incorrect",
            ["{case_matters=false}Quito", "{case_matters=false}San Francisco de Quito"],
        ),
        "years": ("matching", "a[.]a[,]b[.]b[,]c[.]c", "correct", ["a[.]a[,]b[.]b[,]c[.]c"]),
        "sequence": ("sequencing", "a[,]b[,]c", "correct", ["a[,]b[,]c"]),
    },
}


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_learner_plays_the_sco_to_a_pass_across_two_sessions(
    page: Any, site: Any, version: str
) -> None:
    folder = VERSIONS[version][0]
    data = page_data(site, folder)
    names = NAMES[version]
    # first session: read, practise, answer two assessment questions, leave on page 5
    learner = launch(page, site, version, FRESH[version])
    assert learner.title() == "Basics"
    learner.next()
    learner.next()
    assert learner.title() == "Practice"
    learner.press("#basics--q-sky-false", "Space")
    assert learner.check("basics--q-sky").startswith("Correct")
    learner.next()
    learner.next()
    assert learner.title() == "Choices"
    learner.press("#quiz--q-capital-b", "Space")
    assert "Yes." in learner.check("quiz--q-capital")
    learner.press("#quiz--q-primes-a", "Space")
    learner.press("#quiz--q-primes-c", "Space")
    learner.check("quiz--q-primes")
    first = finish(page)
    assert_clean_session(first["calls"], version, data["stateLength"])
    values = first["values"]
    assert values[names["location"]] == "4"
    assert values[names["exit"]] == "suspend"
    assert values[names["time"]]
    assert len(first["interactions"]) == 3
    status = "cmi.core.lesson_status" if version == "1.2" else "cmi.completion_status"
    assert values[status] == "incomplete"

    # second session: the LMS hands back what it stored; the learner is where they left
    stored = {
        k: v for k, v in values.items() if k in (status, "cmi.suspend_data", names["location"])
    }
    stored.update({names["entry"]: "resume", "cmi.interactions._count": "3"})
    learner = launch(page, site, version, stored)
    assert learner.title() == "Choices"
    capital = learner.frame.locator("#quiz--q-capital-b")
    assert capital.is_checked() and capital.is_disabled()
    assert learner.frame.locator("#quiz--q-primes-a").is_checked()
    assert learner.frame.locator("#quiz--q-primes-c").is_checked()
    assert not learner.frame.locator("#quiz--q-primes-b").is_checked()
    assert (
        "Nairobi has been the capital"
        in learner.frame.locator("#quiz--q-capital .feedback").inner_text()
    )
    learner.next()
    learner.type("#quiz--q-host-text", "Lima " * 15)  # longer than the field takes
    learner.page.keyboard.press("Enter")
    assert learner.frame.locator("#quiz--q-host .feedback").inner_text().startswith("Incorrect")
    learner.next()
    for source, year in (("a", "1976"), ("b", "1996"), ("c", "2016")):
        learner.type(f"#quiz--q-years-{source}", year)
    assert learner.check("quiz--q-years").startswith("Correct")
    for item, position in (("a", "1"), ("b", "2"), ("c", "3")):
        learner.type(f"#quiz--q-sequence-{item}", position)
    assert learner.check("quiz--q-sequence").startswith("Correct")
    assert learner.frame.locator("button.next").inner_text() == "Finish"
    learner.next()
    notice = learner.frame.locator("#notice").inner_text()
    assert "83%" in notice and "passed" in notice
    second = finish(page)
    assert_clean_session(second["calls"], version, data["stateLength"])
    values = second["values"]
    if version == "1.2":
        assert values["cmi.core.lesson_status"] == "passed"
        assert (values["cmi.core.score.raw"], values["cmi.core.score.min"]) == ("83.3333", "0")
        assert values["cmi.core.score.max"] == "100"
        assert values["cmi.core.exit"] == ""
    else:
        assert values["cmi.completion_status"] == "completed"
        assert values["cmi.success_status"] == "passed"
        assert values["cmi.score.scaled"] == "0.8333"
        assert values["cmi.progress_measure"] == "1"
        assert values["cmi.exit"] == "normal"

    recorded = interactions_from(first["interactions"], 0)
    recorded.update(interactions_from(second["interactions"], 3))
    html = lxml.html.parse(str(site.root / folder / "index.html")).getroot()
    legends = {
        question: " ".join(
            html.xpath(f'//form[contains(@id, "-q-{question}")]//legend')[0].text_content().split()
        )
        for question in EXPECTED[version]
    }
    assert set(recorded) == set(EXPECTED[version])
    ids = data["runtime"]["interactionIds"]
    for question, (kind, response, result, patterns) in EXPECTED[version].items():
        interaction = recorded[question]
        iri = next(iri for iri in ids if iri.endswith(f"#{question}"))
        assert interaction["id"] == ids[iri] == iri  # ASCII IRIs are their own URI
        assert (interaction["type"], interaction["response"]) == (kind, response)
        assert (interaction["result"], interaction["patterns"]) == (result, patterns)
        assert float(interaction["weighting"]) == (2.0 if question == "primes" else 1.0)
        assert interaction["latency"]
        assert interaction["time" if version == "1.2" else "timestamp"]
        if version == "2004":  # 1.2 has no description
            assert interaction["description"] == "{lang=en}" + legends[question]
        else:
            assert "description" not in interaction


def test_without_an_lms_the_sco_says_so_and_still_works(page: Any, site: Any) -> None:
    page.goto(site.url("scorm2004/index.html"))
    notice = page.locator("#notice")
    assert "No learning platform was found" in notice.inner_text()
    page.locator("button.next").focus()
    page.keyboard.press("Enter")
    assert page.locator("section.page:not([hidden]) h1").inner_text() == "A picture"
    assert page.evaluate("document.activeElement.tagName") == "H1"
