"""Mistakes in a translated `.po` that would break or quietly damage a course.

Beyond what gettext tools check: Markdown emphasis and code lost or left unclosed (a `**` that
CommonMark will not close shows the asterisks to learners), link placeholders, URLs and numbers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from markdown_it import MarkdownIt

from packager.diagnostics import Diagnostic, Diagnostics
from packager.i18n.catalog import expected_plural_forms, read_catalog
from packager.i18n.figures import FLAG, line_count_problem, tag_problems
from packager.i18n.numbers import missing_numbers
from packager.i18n.placeholders import placeholders
from packager.i18n.program_placeholders import program_placeholder_problems

_URL = re.compile(r"(?:https?|ftp)://[^\s<>()\[\]\"']+[^\s<>()\[\]\"'.,;:!?]")
_WORD = re.compile(r"[^\W\d_]{2,}")
COPY_MIN_WORDS = 3

# token type -> how a translator knows the markup
_MARKUP = {
    "strong_open": "bold (`**`)",
    "em_open": "emphasis (`_`)",
    "code_inline": "code (`` ` ``)",
    "link_open": "a link (`[...](%N)`)",
    "image": "an image (`![...](%N)`)",
}
_DELIMITERS = re.compile(r"\*\*|__|`|(?<![\w*])[*_]|[*_](?![\w*])")


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


def _markup(text: str) -> tuple[Counter[str], Counter[str]]:
    """(markup elements found, delimiters left over as plain text) in inline Markdown."""
    elements: Counter[str] = Counter()
    leftovers: Counter[str] = Counter()
    for token in _parser().parseInline(text, {}):
        for child in token.children or ():
            if child.type in _MARKUP:
                elements[child.type] += 1
            elif child.type == "text":
                leftovers.update(_DELIMITERS.findall(child.content))
    return elements, leftovers


def check_message(msgid: str, msgstr: str, language: str = "") -> Iterator[tuple[str, str]]:
    """(severity, problem) for one translated text against its source, in `language`."""
    if not msgstr.strip():
        yield "error", "the translation is blank"
        return
    if msgstr == msgid and _reads_as_prose(msgid):
        yield "error", "the translation is a copy of the source text"
    source, target = placeholders(msgid), placeholders(msgstr)
    for name in sorted(source - target):
        yield "error", f"placeholder {name} is missing: keep `]({name})` after the link text"
    for name in sorted(target - source):
        yield "error", f"placeholder {name} is not in the source text"
    if source == target:
        yield from _check_markup(msgid, msgstr)
    for url in sorted(set(_URL.findall(msgid)) - set(_URL.findall(msgstr))):
        yield "error", f"the URL {url} is missing or changed"
    for number in missing_numbers(msgid, msgstr, language):
        yield "warning", f"the number {number} is missing or changed"


def _reads_as_prose(text: str) -> bool:
    """Several words, one of them a common (lower-case) word: not a name that stays as it is."""
    words = _WORD.findall(text)
    return len(words) >= COPY_MIN_WORDS and any(w.islower() and len(w) >= 4 for w in words)


def _check_markup(msgid: str, msgstr: str) -> Iterator[tuple[str, str]]:
    source, source_left = _markup(msgid)
    target, target_left = _markup(msgstr)
    unbalanced = target_left - source_left
    for delimiter in sorted(unbalanced):
        yield (
            "error",
            f"`{delimiter}` is not closed, so learners would see it: put it right against the "
            "words it marks (next to punctuation, leave a space outside it)",
        )
    for kind, name in _MARKUP.items():
        if source[kind] > target[kind] and not unbalanced:
            yield (
                "error",
                f"{name} lost: the source has {source[kind]}, the translation {target[kind]}",
            )
        elif target[kind] > source[kind]:
            yield (
                "error",
                f"{name} added: the source has {source[kind]}, the translation {target[kind]}",
            )


def check_catalog(catalog: Catalog, path: Path, language: str, report: Diagnostics) -> None:
    """Every problem of one `.po` file, as `path:line` of the entry."""
    if catalog.locale_identifier and catalog.locale_identifier.replace("_", "-") != language:
        report.error(path, 1, f"`Language: {catalog.locale_identifier}` in a file for `{language}`")
    declared = dict(catalog.mime_headers).get("Plural-Forms", "")
    expected = expected_plural_forms(language)
    if _squash(declared) != _squash(expected):
        report.error(path, 1, f"Plural-Forms for `{language}` must be `{expected}`")
    plurals = int(re.search(r"nplurals=(\d+)", expected).group(1))  # type: ignore[union-attr]
    untranslated = [
        message.lineno or 1
        for message in catalog
        if message.id and not _check_entry(message, language, plurals, path, report)
    ]
    if untranslated:
        report.warning(
            path,
            untranslated[0],
            f"{len(untranslated)} messages not translated yet, the first here "
            "(`mafunzo i18n stats` shows the progress)",
        )


def _check_entry(
    message: Message, language: str, plurals: int, path: Path, report: Diagnostics
) -> bool:
    """Checks one entry; False when it is not translated at all."""
    line = message.lineno or 1
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
    if len(ids) > 1 and len(strings) != plurals:
        report.error(path, line, f"{len(strings)} plural forms where this language has {plurals}")
    if not any(strings):
        return False
    if message.fuzzy:
        report.warning(path, line, "fuzzy: review the translation, then remove the fuzzy flag")
    for n, string in enumerate(strings):
        source = ids[min(n, len(ids) - 1)]
        problems = [
            *check_message(source, string, language),
            *program_placeholder_problems(source, string, message.flags, plural=len(ids) > 1),
        ]
        if FLAG in message.flags and string.strip():
            problems += _figure_problems(source, string)
        for severity, problem in problems:
            (report.error if severity == "error" else report.warning)(path, line, problem)
    return True


def _figure_problems(msgid: str, msgstr: str) -> list[tuple[str, str]]:
    """A figure's words have fixed places: as many lines as the source, its style tags kept."""
    problems = [("error", problem) for problem in tag_problems(msgid, msgstr)]
    lines = line_count_problem(msgid, msgstr)
    if lines:
        problems.append(("error", lines))
    return problems


def _squash(plural_forms: str) -> str:
    return re.sub(r"[\s()]", "", plural_forms).rstrip(";")


def check_file(path: Path, language: str) -> list[Diagnostic]:
    report = Diagnostics()
    check_catalog(read_catalog(path, language), path, language, report)
    return report.sorted()
