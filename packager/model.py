"""The course model every format is built from: immutable, typed, one language at a time.

Text fields hold inline Markdown exactly as the author (or translator) wrote it; the renderer turns
it into HTML and the i18n extractor into messages, so neither needs the original file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True)
class Heading:
    level: int  # 3..6 inside a page: `##` starts pages and is the page title
    text: str
    anchor: str
    line: int


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int


@dataclass(frozen=True)
class Image:
    """An image standing alone in its paragraph: rendered as a figure."""

    src: str  # path inside the course folder, e.g. "media/timeline.svg"
    alt: str
    title: str | None
    line: int


@dataclass(frozen=True)
class ListItem:
    blocks: tuple[Block, ...]
    line: int


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int | None
    items: tuple[ListItem, ...]
    line: int


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    align: tuple[str | None, ...]  # "left" | "center" | "right" | None per column
    rows: tuple[tuple[str, ...], ...]
    line: int


@dataclass(frozen=True)
class CodeBlock:
    info: str
    code: str
    line: int


@dataclass(frozen=True)
class Quote:
    blocks: tuple[Block, ...]
    line: int


@dataclass(frozen=True)
class Rule:
    line: int


@dataclass(frozen=True)
class RawHtml:
    """HTML an author wrote that passed the safety check; never translated."""

    html: str
    line: int


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true-false"
    SHORT = "short"
    MATCHING = "matching"
    ORDERING = "ordering"


@dataclass(frozen=True)
class Choice:
    id: str  # "a", "b", ... in source order; "true" / "false" for true-false
    text: str
    correct: bool
    feedback: str | None
    line: int


@dataclass(frozen=True)
class MatchPair:
    id: str  # "a", "b", ... in source order
    source: str
    target: str
    line: int


@dataclass(frozen=True)
class Question:
    id: str
    iri: str  # module IRI + "#" + id
    type: QuestionType
    stem: tuple[Block, ...]
    line: int
    choices: tuple[Choice, ...] = ()  # single, multiple, true-false, ordering (in right order)
    answers: tuple[str, ...] = ()  # short: accepted answers
    case_sensitive: bool = False
    pairs: tuple[MatchPair, ...] = ()  # matching
    feedback: str | None = None  # shown after any answer
    weight: float = 1.0

    @property
    def correct_choices(self) -> tuple[Choice, ...]:
        return tuple(c for c in self.choices if c.correct)


Block = (
    Heading | Paragraph | Image | ListBlock | Table | CodeBlock | Quote | Rule | RawHtml | Question
)


@dataclass(frozen=True)
class Page:
    id: str  # anchor of its title, unique in its module
    title: str
    blocks: tuple[Block, ...]
    line: int

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Question))


@dataclass(frozen=True)
class Module:
    slug: str
    iri: str  # course IRI + "/" + slug
    path: Path  # the source file
    title: str
    objectives: tuple[str, ...]
    duration: str | None
    assessment: bool
    pages: tuple[Page, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for page in self.pages for q in page.questions)


@dataclass(frozen=True)
class Author:
    name: str
    email: str | None = None


@dataclass(frozen=True)
class Course:
    slug: str
    root: Path
    id: str  # the course IRI
    title: str
    description: str
    version: str
    source_language: str
    languages: tuple[str, ...]
    authors: tuple[Author, ...]
    license: str
    keywords: tuple[str, ...]
    duration: str
    mastery_score: float
    modules: tuple[Module, ...]
    language: str = ""  # the language this instance is in; the source language unless translated
    media: tuple[str, ...] = field(default=())  # every file under media/, as "media/<name>"
    # media files replaced in this language (an SVG figure with its words translated), by path
    media_overrides: tuple[tuple[str, bytes], ...] = field(default=(), repr=False)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for m in self.modules for q in m.questions)

    @property
    def assessment(self) -> Module | None:
        return next((m for m in self.modules if m.assessment), None)
