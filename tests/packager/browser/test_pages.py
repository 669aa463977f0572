"""The rendered pages in Chromium: narrow screens, visible focus, links between module SCOs."""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import Any

import pytest

from packager.formats import scorm2004
from packager.loader import load_course
from tests.fixtures.scorm import SAMPLE_COURSE, TINY_COURSE
from tests.packager.browser.test_scorm_runtime import LAUNCHER, RECORDER

pytestmark = pytest.mark.browser


def unzip(files: dict[str, bytes], target: Any) -> None:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    with zipfile.ZipFile(buffer) as archive:
        archive.extractall(target)


@pytest.fixture(scope="module")
def site(static_site: Any) -> Any:
    for name, root in (("pages-sample", SAMPLE_COURSE), ("pages-tiny", TINY_COURSE)):
        course, diagnostics = load_course(root)
        assert course is not None, diagnostics
        for layout in ("single", "per-module"):
            unzip(scorm2004.package_files(course, layout), static_site.root / name / layout)
    (static_site.root / "pages-launcher.html").write_text(
        LAUNCHER.format(recorder=RECORDER.read_text())
    )
    return static_site


@pytest.fixture
def narrow(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    yield context.new_page()
    context.close()


def test_every_page_of_the_sample_course_fits_320_pixels(narrow: Any, site: Any) -> None:
    narrow.goto(site.url("pages-sample/single/index.html"))
    count = narrow.locator("section.page").count()
    assert count > 10
    for index in range(count):
        visible = narrow.locator("section.page:not([hidden])")
        assert visible.get_attribute("data-page") == str(index)
        assert narrow.evaluate("document.documentElement.scrollWidth") <= 320
        if index < count - 1:
            narrow.locator("button.next").click()


def test_keyboard_focus_is_visible(narrow: Any, site: Any) -> None:
    narrow.goto(site.url("pages-tiny/single/index.html"))
    for _ in range(3):
        narrow.keyboard.press("Tab")
        style = narrow.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; }"
        )
        assert style[1] != "none" and style[2] != "0px", style


def test_the_table_of_contents_opens_from_its_button_on_a_phone(narrow: Any, site: Any) -> None:
    narrow.goto(site.url("pages-tiny/single/index.html"))
    toggle = narrow.locator("button.toc-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not narrow.locator("#toc").is_visible()
    toggle.focus()
    narrow.keyboard.press("Enter")
    assert narrow.locator("#toc").is_visible()
    narrow.locator("#toc a", has_text="Words").focus()
    narrow.keyboard.press("Enter")
    assert narrow.locator("section.page:not([hidden]) h1").inner_text() == "Words"
    assert not narrow.locator("#toc").is_visible()


def test_a_link_to_another_module_sco_asks_the_lms_to_go_there(browser: Any, site: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(site.url("pages-launcher.html"))
        page.evaluate("startSco('2004', 'pages-tiny/per-module/basics.html', {})")
        frame = page.frame_locator("iframe")
        link = frame.locator("section.page:not([hidden]) a", has_text="quiz")
        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("window.recorder.state() === 'terminated'")
        values = page.evaluate("recorder.values")
        assert values["adl.nav.request"] == "{target=item-quiz}choice"
        assert page.evaluate("recorder.calls.at(-1).method") == "Terminate"
    finally:
        context.close()


def test_hiding_the_tab_commits_without_ending_the_session(browser: Any, site: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(site.url("pages-launcher.html"))
        page.evaluate("startSco('2004', 'pages-tiny/single/index.html', {})")
        page.frame_locator("iframe").locator(".pager .progress:not(:empty)").wait_for()
        page.evaluate("recorder.calls.push({method: '(tab hidden)', args: [], error: '0'})")
        page.frames[1].evaluate(
            "() => { Object.defineProperty(document, 'visibilityState', {value: 'hidden'});"
            " document.dispatchEvent(new Event('visibilitychange')); }"
        )
        calls = page.evaluate("recorder.calls.map(c => c.method)")
        after = calls[calls.index("(tab hidden)") :]
        assert "Commit" in after and "Terminate" not in after
        assert page.evaluate("recorder.state()") == "running"
    finally:
        context.close()
