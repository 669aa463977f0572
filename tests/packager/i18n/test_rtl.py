"""An Arabic package in headless Chromium reads right to left and its navigation mirrors."""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import Any

import pytest

from packager.build import course_in_language
from packager.formats import scorm2004
from packager.formats.reproducible_zip import zip_bytes_to
from packager.loader import load_course
from tests.fixtures.scorm import SAMPLE_COURSE

pytestmark = pytest.mark.browser

BOXES = """() => {
  const box = (selector) => document.querySelector(selector).getBoundingClientRect();
  const toc = box('#toc'), main = box('#main'), title = box('.course-title');
  return {
    direction: getComputedStyle(document.documentElement).direction,
    mainDirection: getComputedStyle(document.querySelector('#main')).direction,
    width: document.documentElement.clientWidth,
    toc: [toc.left, toc.right], main: [main.left, main.right], title: [title.left, title.right],
  };
}"""


@pytest.fixture(scope="module")
def site(static_site: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The sample course's SCORM 2004 package in English and in Arabic, unzipped on the site."""
    course, diagnostics = load_course(SAMPLE_COURSE)
    assert course is not None, diagnostics
    for language in ("en", "ar"):
        package = tmp_path_factory.mktemp(f"rtl-{language}") / "package.zip"
        files = scorm2004.package_files(course_in_language(course, language), "single")
        zip_bytes_to(package, files)
        with zipfile.ZipFile(BytesIO(package.read_bytes())) as archive:
            archive.extractall(static_site.root / f"rtl-{language}")
    return static_site


@pytest.fixture
def page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    yield context.new_page()
    context.close()


def _layout(page: Any, site: Any, language: str) -> dict[str, Any]:
    page.goto(site.url(f"rtl-{language}/index.html"))
    assert page.locator("html").get_attribute("lang") == language
    return page.evaluate(BOXES)


def test_an_arabic_package_reads_right_to_left_with_the_contents_on_the_right(
    page: Any, site: Any
) -> None:
    arabic = _layout(page, site, "ar")
    assert (arabic["direction"], arabic["mainDirection"]) == ("rtl", "rtl")
    toc_left, toc_right = arabic["toc"]
    assert toc_left >= arabic["main"][1], arabic  # the contents sit beside the text, on its right
    assert arabic["width"] - toc_right < toc_left, arabic  # ...against the right-hand edge
    title_left, title_right = arabic["title"]
    assert arabic["width"] - title_right < title_left, arabic  # the banner starts on the right


def test_the_same_page_in_english_keeps_the_contents_on_the_left(page: Any, site: Any) -> None:
    english = _layout(page, site, "en")
    assert english["direction"] == "ltr"
    assert english["toc"][1] <= english["main"][0], english
