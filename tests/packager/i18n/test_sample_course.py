"""The sample course is a deliverable in six languages: complete, clean, and built from them."""

from __future__ import annotations

import pytest

from packager.i18n.catalog import po_path, translations_dir
from packager.i18n.check import check_file
from packager.i18n.translate import load_translation
from packager.loader import load_course
from packager.model import Course
from tests.fixtures.scorm import SAMPLE_COURSE

TARGETS = ("ar", "zh", "fr", "ru", "es")


@pytest.fixture(scope="module")
def course() -> Course:
    loaded, diagnostics = load_course(SAMPLE_COURSE)
    assert loaded is not None, diagnostics
    assert set(loaded.languages) == {"en", *TARGETS}
    return loaded


@pytest.mark.parametrize("language", TARGETS)
def test_every_language_is_complete_and_passes_the_checks(course, language: str) -> None:
    translated = load_translation(course, language)
    assert translated.completeness.complete, translated.completeness
    assert translated.course.title != course.title
    path = po_path(translations_dir(course.root), course.slug, language)
    assert check_file(path, language) == []
