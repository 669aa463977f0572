"""A course in another language: every text swapped for its translation from the language's `.po`.

Only what a translator has finished is used: a fuzzy entry (a source changed since it was
translated) is treated as untranslated, so a build never shows a stale sentence as current.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from babel.messages.catalog import Catalog

from packager.i18n.catalog import po_path, read_catalog, translations_dir
from packager.i18n.extract import FIGURE_ROLES, Occurrence, needs_translation, occurrences
from packager.i18n.figures import translate_figure
from packager.i18n.placeholders import protect, restore
from packager.i18n.walk import Slot, map_texts
from packager.model import Course
from packager.stats import count_words


@dataclass(frozen=True)
class Completeness:
    """How much of a course a language's catalog covers, counted over distinct messages."""

    language: str
    messages: int
    translated: int
    fuzzy: int
    untranslated: int
    words: int
    translated_words: int

    @property
    def ratio(self) -> float:
        return self.translated / self.messages if self.messages else 1.0

    @property
    def complete(self) -> bool:
        return self.translated == self.messages

    def __str__(self) -> str:
        return (
            f"{self.language}: {self.ratio:.0%} translated ({self.translated}/{self.messages} "
            f"messages, {self.translated_words}/{self.words} words), {self.fuzzy} fuzzy, "
            f"{self.untranslated} untranslated"
        )


@dataclass(frozen=True)
class Translated:
    course: Course
    completeness: Completeness


def usable(catalog: Catalog | None, found: Occurrence) -> str | None:
    """The finished translation of an occurrence's message, or None."""
    if catalog is None:
        return None
    message = catalog.get(found.msgid, context=found.context)
    if message is None or message.fuzzy or not isinstance(message.string, str):
        return None
    return message.string if message.string.strip() else None


def translate_course(course: Course, language: str, catalog: Catalog | None) -> Translated:
    """The course in `language`; texts without a finished translation stay in the source."""
    found = occurrences(course)
    pending = iter(found)

    def translate(slot: Slot) -> str:
        msgid, _targets = protect(slot.text)
        if not needs_translation(msgid):
            return slot.text
        occurrence = next(pending)
        string = usable(catalog, occurrence)
        return slot.text if string is None else restore(string, occurrence.targets)

    translated = map_texts(course, translate)
    return Translated(
        replace(
            translated,
            language=language,
            media_overrides=translated_figures(course, language, catalog, found),
        ),
        completeness(found, language, catalog),
    )


def translated_figures(
    course: Course, language: str, catalog: Catalog | None, found: list[Occurrence]
) -> tuple[tuple[str, bytes], ...]:
    """(media path, translated SVG) for each figure with at least one finished translation;
    the others are left out and packaged as the author drew them."""
    by_figure: dict[str, dict[str, str]] = {}
    for occurrence in found:
        if occurrence.slot.role not in FIGURE_ROLES.values():
            continue
        figure = occurrence.slot.path.relative_to(course.root).as_posix()
        strings = by_figure.setdefault(figure, {})
        string = usable(catalog, occurrence)
        if string is not None:
            strings[occurrence.msgid] = string
    overrides: list[tuple[str, bytes]] = []
    for figure, strings in by_figure.items():
        data = translate_figure((course.root / figure).read_bytes(), language, strings)
        if data is not None:
            overrides.append((figure, data))
    return tuple(overrides)


def completeness(found: list[Occurrence], language: str, catalog: Catalog | None) -> Completeness:
    distinct = {o.key: o for o in found}
    translated = fuzzy = words = translated_words = 0
    for occurrence in distinct.values():
        size = count_words(occurrence.msgid)
        words += size
        message = catalog.get(occurrence.msgid, context=occurrence.context) if catalog else None
        if usable(catalog, occurrence) is not None:
            translated += 1
            translated_words += size
        elif message is not None and message.fuzzy:
            fuzzy += 1
    return Completeness(
        language=language,
        messages=len(distinct),
        translated=translated,
        fuzzy=fuzzy,
        untranslated=len(distinct) - translated - fuzzy,
        words=words,
        translated_words=translated_words,
    )


def load_translation(course: Course, language: str, translations: Path | None = None) -> Translated:
    """The course in `language` from `translations/<slug>/<language>.po` (absent: nothing)."""
    if language == course.source_language:
        found = occurrences(course)
        words = sum(count_words(o.msgid) for o in {o.key: o for o in found}.values())
        count = len({o.key for o in found})
        return Translated(course, Completeness(language, count, count, 0, 0, words, words))
    path = po_path(translations or translations_dir(course.root), course.slug, language)
    catalog = read_catalog(path, language) if path.is_file() else None
    return translate_course(course, language, catalog)


@dataclass(frozen=True)
class Metadata:
    title: str
    description: str
    keywords: tuple[str, ...]


def metadata_in_languages(course: Course, translations: Path | None = None) -> dict[str, Metadata]:
    """Title, description and keywords in the source language and every language translating
    them, for the language maps of manifests and statements (fuzzy entries are not used)."""
    found = {course.source_language: Metadata(course.title, course.description, course.keywords)}
    for language in course.languages:
        if language == course.source_language:
            continue
        translated = load_translation(course, language, translations).course
        if (translated.title, translated.description) != (course.title, course.description):
            found[language] = Metadata(
                translated.title, translated.description, translated.keywords
            )
    return found
