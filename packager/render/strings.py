"""The few words a package's own pages show (buttons, feedback, notices), in each language.

English, the source, is written here; the other languages are translators' gettext catalogs,
`translations/package-pages/<lang>.po` (the key is the `msgctxt`), kept up to date with
`mafunzo i18n update-pages` and checked like course catalogs. Keys are stable for callers.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.pofile import read_po
from babel.numbers import format_percent

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})
CATALOGS = Path(__file__).resolve().parents[2] / "translations" / "package-pages"

ENGLISH: dict[str, str] = {
    "contents": "Contents",
    "previous": "Previous",
    "next": "Next",
    "finish": "Finish",
    "check": "Check answer",
    "true": "True",
    "false": "False",
    "correct": "Correct",
    "incorrect": "Incorrect",
    "your_answer": "Your answer",
    "choose": "Choose…",
    "position": "Position",
    "page_of": "Page {n} of {total}",
    "skip": "Skip to content",
    "score": "Your score: {score}.",
    "passed": "You passed.",
    "failed": "You did not reach the pass mark of {mastery}.",
    "finished": "You have finished this part of the course.",
    "no_lms": "No learning platform was found: your progress will not be saved.",
    "other_module": "Open “{title}” from the course menu of your learning platform.",
    "answer_first": "Choose or type an answer first.",
}

# What translators are told about each text (the `#.` comment of its entry).
WHERE: dict[str, str] = {
    "contents": "the heading and button of the table of contents",
    "previous": "button: go to the previous page",
    "next": "button: go to the next page",
    "finish": "button on the last page: end this part of the course",
    "check": "button under a question: check the learner's answer",
    "true": "choice of a true/false question",
    "false": "choice of a true/false question",
    "correct": "feedback after a right answer",
    "incorrect": "feedback after a wrong answer",
    "your_answer": "label of the box where a learner types a short answer",
    "choose": "first, empty entry of a drop-down list in a matching question",
    "position": "label of the drop-down that gives an item's place in an ordering question",
    "page_of": "progress under the page; {n} and {total} are page numbers",
    "skip": "link for keyboard users that jumps past the menu",
    "score": "result after the last question; {score} is a percentage with its sign (80 %)",
    "passed": "result: the learner reached the pass mark",
    "failed": "result: {mastery} is the pass mark as a percentage with its sign (80 %)",
    "finished": "shown when the learner finishes a part of the course",
    "no_lms": "notice when the page runs outside a learning platform",
    "other_module": "notice when a link leads to another part of the course; {title} is its title",
    "answer_first": "shown when a learner presses Check answer without answering",
}


@cache
def _translations(language: str) -> dict[str, str]:
    """key -> finished translation from the language's catalog (none: English everywhere)."""
    path = CATALOGS / f"{language}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as source:
        catalog = read_po(source, locale=language)
    return {
        m.context: m.string
        for m in catalog
        if m.context in ENGLISH and m.id == ENGLISH[m.context] and m.string and not m.fuzzy
    }


def ui_strings(language: str) -> dict[str, str]:
    """The table for a BCP 47 tag, by its primary subtag, falling back to English word by word."""
    primary = language.split("-")[0].lower()
    table = _translations(primary) if primary != "en" else {}
    return {key: table.get(key, english) for key, english in ENGLISH.items()}


def text_direction(language: str) -> str:
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


@cache
def percents(language: str) -> list[str]:
    """0 % to 100 % as Babel writes them in the language (`80 %` with a no-break space in French),
    for the page script to show a score without knowing every language's rules."""
    try:
        locale = Locale.parse(language, sep="-")
    except (ValueError, UnknownLocaleError):
        locale = Locale("en")
    return [format_percent(n / 100, locale=locale) for n in range(101)]
