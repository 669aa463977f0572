"""How far each language of a course has come, for translators and for the build's refusal."""

from __future__ import annotations

from pathlib import Path

from packager.i18n.catalog import target_languages
from packager.i18n.translate import Completeness, load_translation
from packager.model import Course


def course_stats(
    course: Course, languages: tuple[str, ...] = (), translations: Path | None = None
) -> list[Completeness]:
    return [
        load_translation(course, language, translations).completeness
        for language in languages or target_languages(course)
    ]


def as_table(slug: str, rows: list[Completeness]) -> str:
    """A plain-text table, one row a language, readable in a terminal and in a CI log."""
    header = ("course", "lang", "done", "messages", "words", "fuzzy", "untranslated")
    lines = [header] + [
        (
            slug,
            row.language,
            f"{row.ratio:.0%}",
            f"{row.translated}/{row.messages}",
            f"{row.translated_words}/{row.words}",
            str(row.fuzzy),
            str(row.untranslated),
        )
        for row in rows
    ]
    widths = [max(len(line[col]) for line in lines) for col in range(len(header))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if col < 2 else cell.rjust(width)
            for col, (cell, width) in enumerate(zip(line, widths, strict=True))
        ).rstrip()
        for line in lines
    )


def as_json(slug: str, rows: list[Completeness]) -> list[dict[str, object]]:
    return [
        {
            "course": slug,
            "language": row.language,
            "complete": round(row.ratio, 4),
            "messages": row.messages,
            "translated": row.translated,
            "fuzzy": row.fuzzy,
            "untranslated": row.untranslated,
            "words": row.words,
            "translated_words": row.translated_words,
        }
        for row in rows
    ]
