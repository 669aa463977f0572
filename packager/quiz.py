"""The `::: question` syntax: a header line, then the stem, the answers and feedback as Markdown."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it.token import Token

from packager.model import Block, Choice, MatchPair, Paragraph, QuestionType

_TYPES = {t.value: t for t in QuestionType}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*$")
_CHOICE = re.compile(r"^([(\[])\s*([xX]?)\s*([)\]])(?:\s+|$)(.*)$", re.S)
_PAIR = re.compile(r"^(.*?)\s+->\s+(.*)$", re.S)


@dataclass(frozen=True)
class Header:
    type: QuestionType | None
    id: str | None
    weight: float
    case_sensitive: bool


def parse_header(info: str, report: Callable[[str], None]) -> Header:
    """`question [type] [case-sensitive] {#id weight=N case-sensitive}` from the container line."""
    rest = info.strip().removeprefix("question").strip()
    braces = re.search(r"\{([^}]*)\}", rest)
    words = (
        (rest[: braces.start()] + " " + rest[braces.end() :]).split() if braces else rest.split()
    )
    attributes = braces.group(1).split() if braces else []
    qtype: QuestionType | None = None
    qid: str | None = None
    weight = 1.0
    case_sensitive = False
    for word in words + attributes:
        if word in _TYPES and word in words:
            qtype = _TYPES[word]
        elif word == "case-sensitive":
            case_sensitive = True
        elif word.startswith("#") and word in attributes:
            qid = word[1:]
            if not _ID.match(qid):
                report(f"question id `{qid}` may hold only letters, digits, `-` and `_`")
        elif word.startswith("weight=") and word in attributes:
            try:
                weight = float(word.removeprefix("weight="))
            except ValueError:
                weight = -1
            if not (weight > 0 and math.isfinite(weight)):
                report(f"`{word}`: a question's weight must be a positive number")
                weight = 1.0
        else:
            report(
                f"unknown word `{word}` in the question header (expected a type "
                f"({', '.join(_TYPES)}), `{{#id weight=N}}` or `case-sensitive`)"
            )
    return Header(qtype, qid, weight, case_sensitive)


@dataclass
class ChoiceLine:
    marker: str  # "(" or "["
    correct: bool
    text: str
    feedback: str | None
    line: int


def split_choice(text: str) -> tuple[str, bool, str] | None:
    """`(x) text` -> ("(", True, "text"); None when the item has no answer marker."""
    found = _CHOICE.match(text)
    if not found or {found.group(1), found.group(3)} not in ({"(", ")"}, {"[", "]"}):
        return None
    return found.group(1), bool(found.group(2)), found.group(4).strip()


def split_pair(text: str) -> tuple[str, str] | None:
    found = _PAIR.match(text)
    return (found.group(1).strip(), found.group(2).strip()) if found else None


def accepted_answers(tokens: list[Token], index: int) -> list[str] | None:
    """A paragraph whose every line starts with `=` lists accepted short answers."""
    if tokens[index].type != "paragraph_open":
        return None
    lines = tokens[index + 1].content.splitlines()
    if lines and all(line.startswith("=") for line in lines):
        return [line[1:].strip() for line in lines]
    return None


def choice_ids(count: int) -> list[str]:
    """Short, position-based ids (`a`, `b`, ... `z`, `aa`, ...) that SCORM responses can carry."""
    ids = []
    for n in range(count):
        label = ""
        n += 1
        while n:
            n, rem = divmod(n - 1, 26)
            label = chr(ord("a") + rem) + label
        ids.append(label)
    return ids


def build_choices(lines: list[ChoiceLine], qtype: QuestionType) -> tuple[Choice, ...]:
    if qtype is QuestionType.TRUE_FALSE:
        return tuple(
            Choice(c.text.strip().lower(), c.text, c.correct, c.feedback, c.line) for c in lines
        )
    ids = choice_ids(len(lines))
    return tuple(
        Choice(i, c.text, c.correct, c.feedback, c.line) for i, c in zip(ids, lines, strict=True)
    )


def build_pairs(pairs: list[tuple[str, str, int]]) -> tuple[MatchPair, ...]:
    ids = choice_ids(len(pairs))
    return tuple(MatchPair(i, s, t, line) for i, (s, t, line) in zip(ids, pairs, strict=True))


def derived_id(stem: tuple[Block, ...], taken: set[str]) -> str:
    """An id made from the stem's first words, for a question written without one."""
    first = next((b.text for b in stem if isinstance(b, Paragraph)), "question")
    words = re.findall(r"[A-Za-z0-9]+", first.lower())[:5] or ["question"]
    base = "-".join(words)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
