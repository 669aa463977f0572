"""One build: load and check the course, put it in each language, render and package each format.

Steps are separate so each has one home: the loader checks, `course_in_language` translates (the
i18n step plugs in there), `complete_translations` gathers the languages every package's language
maps name, a format module renders with its runtime and packages. Only this module reads sources
and translations; a format is handed what it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from babel.messages.pofile import PoFileError

from packager.course_texts import CourseTexts
from packager.diagnostics import Diagnostic, Severity, display_path
from packager.formats import cmi5, scorm12, scorm2004, xapi
from packager.formats.reproducible_zip import zip_bytes_to
from packager.formats.scorm_common import LAYOUTS, PackagingError
from packager.i18n.catalog import CatalogError, po_path, translations_dir
from packager.i18n.translate import Translated, load_translation
from packager.loader import load_course
from packager.model import Course

# Each format turns a course into the files of its package; the build zips them.
Packager = Callable[[Course, str, CourseTexts], dict[str, bytes]]

FORMATS: dict[str, Packager] = {
    "scorm12": scorm12.package_files,
    "scorm2004": scorm2004.package_files,
    "xapi": xapi.package_files,
    "cmi5": cmi5.package_files,
}


class BuildError(Exception):
    """The build cannot go on; `diagnostics` holds the course's problems when that is why."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics or []


@dataclass(frozen=True)
class Built:
    path: Path
    format: str
    language: str


def package_name(course: Course, format_name: str, language: str) -> str:
    return f"{course.slug}-{course.version}-{format_name}-{language}.zip"


def course_in_language(
    course: Course,
    language: str,
    allow_partial: bool = False,
    warnings: list[Diagnostic] | None = None,
    loaded: dict[str, Translated] | None = None,
) -> Course:
    """The course in `language`: the sources themselves, or their translation.

    Translations come from translations/<slug>/<language>.po (fuzzy entries are not used). A
    language below 100% is refused with its statistics unless `allow_partial`, then it is built
    with the source text where a translation is missing and a warning in `warnings`. `loaded`
    keeps each translation read, so that one build reads each .po file once.
    """
    if language == course.source_language:
        return course
    if language not in course.languages:
        raise BuildError(
            f"{course.slug} does not offer {language!r}; course.yaml lists "
            f"{', '.join(course.languages)}"
        )
    po = po_path(translations_dir(course.root), course.slug, language)
    translated = _translation(course, language, loaded)
    stats = translated.completeness
    if not stats.complete:
        if not allow_partial:
            raise BuildError(
                f"cannot build {language!r}: the translation is incomplete ({stats}); "
                "finish it (`mafunzo i18n stats`) or build with --allow-partial"
            )
        if warnings is not None:
            warnings.append(
                Diagnostic(
                    display_path(po), 1, Severity.WARNING, f"built partly in English: {stats}"
                )
            )
    return translated.course


def complete_translations(
    course: Course,
    warnings: list[Diagnostic] | None = None,
    loaded: dict[str, Translated] | None = None,
) -> CourseTexts:
    """The course in its source language and in every language whose translation is complete.

    Every package names the course in all of them, whatever its own language. A .po file that
    cannot be read leaves its language out of those names with a warning in `warnings`: a
    translator's broken file must not stop the packages of the other languages (building its
    own language still fails, with the file's error).
    """
    found = [course]
    for language in course.languages:
        if language == course.source_language:
            continue
        try:
            translated = _translation(course, language, loaded)
        except BuildError as error:
            if warnings is not None:
                warnings.append(_as_warning(error))
            continue
        if translated.completeness.complete:
            found.append(translated.course)
    return CourseTexts(tuple(found))


def _as_warning(error: BuildError) -> Diagnostic:
    return replace(error.diagnostics[0], severity=Severity.WARNING)


def _translation(
    course: Course, language: str, loaded: dict[str, Translated] | None = None
) -> Translated:
    """The course translated from its .po file; a file that cannot be read is a BuildError."""
    if loaded is not None and language in loaded:
        return loaded[language]
    try:
        translated = load_translation(course, language)
    except CatalogError as error:
        raise BuildError(str(error), [error.diagnostic]) from None
    except (PoFileError, ValueError) as error:
        po = po_path(translations_dir(course.root), course.slug, language)
        diagnostic = Diagnostic(
            display_path(po), 1, Severity.ERROR, f"cannot read this .po file: {error}"
        )
        raise BuildError(str(diagnostic), [diagnostic]) from None
    if loaded is not None:
        loaded[language] = translated
    return translated


def build(
    course_dir: Path,
    formats: list[str],
    languages: list[str] | None,
    layout: str,
    out: Path,
    allow_partial: bool = False,
    on_built: Callable[[Built], None] | None = None,
) -> tuple[list[Built], list[Diagnostic]]:
    """Builds every format x language; returns the packages and the loader's warnings.

    `on_built` hears of each package as soon as it is written, for progress reports.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or layout not in LAYOUTS:
        raise BuildError(f"unknown format or layout: {', '.join(unknown) or layout}")
    course, diagnostics = load_course(course_dir)
    if course is None:
        raise BuildError("the course has errors; nothing was built", diagnostics)
    loaded: dict[str, Translated] = {}
    localized = [
        (lang, course_in_language(course, lang, allow_partial, diagnostics, loaded))
        for lang in languages or [course.source_language]
    ]
    texts = complete_translations(course, diagnostics, loaded)
    built: list[Built] = []
    for language, in_language in localized:
        for format_name in formats:
            path = out / package_name(course, format_name, language)
            try:
                zip_bytes_to(path, FORMATS[format_name](in_language, layout, texts))
            except PackagingError as error:
                raise BuildError(f"{format_name}: {error}") from None
            built.append(Built(path, format_name, language))
            if on_built is not None:
                on_built(built[-1])
    return built, diagnostics
