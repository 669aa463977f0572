"""The languages a package names: the build reads the translations once and hands the result to
the formats, which read no source and no .po file themselves."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

from packager.build import complete_translations
from packager.course_texts import CourseTexts, package_language
from packager.i18n.catalog import read_catalog, write_catalog
from packager.loader import load_course
from packager.model import Course
from tests.fixtures.i18n import Workspace, run_cli
from tests.fixtures.scorm import TINY_COURSE


def in_language(course: Course, language: str, title: str) -> Course:
    return replace(course, language=language, title=title)


def test_a_package_names_its_own_language_first_then_the_others_by_tag() -> None:
    english, _ = load_course(TINY_COURSE)
    french = in_language(english, "fr", "Petit cours")
    arabic = in_language(english, "ar", "دورة صغيرة")
    texts = CourseTexts((english, french, arabic))
    assert list(texts.for_package(french)) == ["fr", "ar", "en"]
    assert list(texts.for_package(english)) == ["en", "ar", "fr"]


def test_the_package_course_stands_for_its_language_even_when_partly_translated() -> None:
    english, _ = load_course(TINY_COURSE)
    finished = CourseTexts((english, in_language(english, "fr", "Petit cours")))
    partial = in_language(english, "fr", "Petit cours (en partie)")
    assert finished.for_package(partial)["fr"] is partial


def test_the_build_keeps_the_source_and_every_finished_translation_only(
    workspace: Workspace,
) -> None:
    run_cli("i18n", "update", workspace.course, "--lang", "ru", "--lang", "fr")
    catalog = read_catalog(workspace.po("ru"))
    for message in catalog:
        if message.id:
            message.string = f"[ru] {message.id}"
    write_catalog(workspace.po("ru"), catalog)  # fr.po stays untranslated
    course, _ = load_course(workspace.course)
    found = complete_translations(course).courses
    assert [package_language(c) for c in found] == ["en", "ru"]
    assert found[0] is course
    assert found[1].title == f"[ru] {course.title}"


def test_format_modules_import_neither_the_loader_nor_i18n() -> None:
    script = (
        "import sys\n"
        "import packager.formats.cmi5, packager.formats.scorm12\n"
        "import packager.formats.scorm2004, packager.formats.xapi\n"
        "print(' '.join(m for m in sys.modules"
        " if m == 'packager.loader' or m.startswith('packager.i18n')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == []
