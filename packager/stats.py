"""Counts for the `check` summary: what an author wants to know about the size of a course."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from packager.model import (
    Block,
    Course,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Question,
    Quote,
    Table,
)

_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")


@dataclass(frozen=True)
class CourseSummary:
    modules: int
    pages: int
    questions: int
    words: int
    languages: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"{self.modules} modules, {self.pages} pages, {self.questions} questions, "
            f"{self.words:,} words; languages: {', '.join(self.languages)}"
        )


def summarize(course: Course) -> CourseSummary:
    return CourseSummary(
        modules=len(course.modules),
        pages=sum(len(m.pages) for m in course.modules),
        questions=len(course.questions),
        words=sum(count_words(text) for text in course_texts(course)),
        languages=course.languages,
    )


def count_words(markdown_text: str) -> int:
    return len(_WORD.findall(_LINK_TARGET.sub("]", markdown_text)))


def course_texts(course: Course) -> Iterator[str]:
    """Every piece of text a learner reads, in reading order."""
    yield course.title
    yield course.description
    for module in course.modules:
        yield module.title
        yield from module.objectives
        for page in module.pages:
            yield page.title
            for block in page.blocks:
                yield from block_texts(block)


def block_texts(block: Block) -> Iterator[str]:
    if isinstance(block, Heading | Paragraph):
        yield block.text
    elif isinstance(block, Image):
        yield block.alt
    elif isinstance(block, ListBlock):
        for item in block.items:
            for inner in item.blocks:
                yield from block_texts(inner)
    elif isinstance(block, Quote):
        for inner in block.blocks:
            yield from block_texts(inner)
    elif isinstance(block, Table):
        yield from block.header
        for row in block.rows:
            yield from row
    elif isinstance(block, Question):
        for inner in block.stem:
            yield from block_texts(inner)
        for choice in block.choices:
            yield choice.text
            if choice.feedback:
                yield choice.feedback
        for pair in block.pairs:
            yield pair.source
            yield pair.target
        if block.feedback:
            yield block.feedback
