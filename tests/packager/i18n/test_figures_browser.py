"""The sample course's figures in Chromium: in every language the translated labels stay inside
their boxes, and Arabic labels run right to left."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from packager.i18n.figures import figures_used
from packager.i18n.translate import load_translation
from packager.loader import load_course
from packager.model import Course
from tests.fixtures.scorm import SAMPLE_COURSE
from tests.packager.i18n.figure_fit import misfits, open_svg

pytestmark = pytest.mark.browser

TARGETS = ("ar", "zh", "fr", "es", "ru")
DIRECTIONS = """() => [...document.querySelectorAll('text')]
  .filter(t => t.textContent.trim()).map(t => getComputedStyle(t).direction)"""


@pytest.fixture(scope="module")
def course() -> Course:
    loaded, diagnostics = load_course(SAMPLE_COURSE)
    assert loaded is not None, diagnostics
    return loaded


@pytest.fixture(scope="module")
def page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 420, "height": 520})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("language", TARGETS)
def test_every_translated_figure_keeps_its_labels_in_their_boxes(
    course: Course, page: Any, language: str, tmp_path: Path
) -> None:
    translated = dict(load_translation(course, language).course.media_overrides)
    assert set(translated) == set(figures_used(course))  # every figure has words to translate
    problems = {
        figure: found
        for figure, svg in translated.items()
        if (found := misfits(page, (course.root / figure).read_bytes(), svg))
    }
    assert problems == {}
    if language in ("ar", "zh"):  # kept for a person to look at when this test fails
        open_svg(page, translated["media/06-localising-cycle.svg"])
        page.screenshot(path=str(tmp_path / f"{language}-localising-cycle.png"))


def test_arabic_labels_run_right_to_left(course: Course, page: Any) -> None:
    translated = dict(load_translation(course, "ar").course.media_overrides)
    open_svg(page, translated["media/06-localising-cycle.svg"])
    directions = page.evaluate(DIRECTIONS)
    assert directions and set(directions) == {"rtl"}
    open_svg(
        page,
        dict(load_translation(course, "zh").course.media_overrides)[
            "media/06-localising-cycle.svg"
        ],
    )
    assert set(page.evaluate(DIRECTIONS)) == {"ltr"}


def test_the_fit_check_sees_labels_that_leave_their_shapes(course: Course, page: Any) -> None:
    english = (course.root / "media/04-three-pronged.svg").read_bytes()
    too_long = english.replace(b"A well-planned city", "Хорошо спланированный город".encode())
    too_long = too_long.replace(b">The rules<", b">The rules of the city<")
    problems = misfits(page, english, too_long)
    assert problems[0] == "label 0 leaves the polygon it is drawn in"  # the roof
    assert problems[1].startswith("label 8: ")  # "The rules" in its pillar
    assert problems[1].endswith("its shape spans x=28..138")
    assert misfits(page, english, english) == []
