"""Every text of a course a learner reads, visited in reading order and replaceable in place.

Extraction, translation and the Markdown import all walk the course through `map_texts`, so the
three can never disagree about which texts exist or in what order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from packager import yaml_lines
from packager.model import (
    Block,
    Choice,
    Course,
    Heading,
    Image,
    ListBlock,
    ListItem,
    MatchPair,
    Module,
    Page,
    Paragraph,
    Question,
    QuestionType,
    Quote,
    Table,
)


class Role(StrEnum):
    """What a text is; also the `msgctxt` when the same words play two roles."""

    COURSE_TITLE = "course title"
    DESCRIPTION = "course description"
    KEYWORD = "keyword"
    MODULE_TITLE = "module title"
    OBJECTIVE = "learning objective"
    PAGE_TITLE = "page title"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list item"
    QUOTE = "quotation"
    TABLE_HEADER = "table header"
    TABLE_CELL = "table cell"
    IMAGE_ALT = "image alt text"
    IMAGE_TITLE = "image title"
    STEM = "question"
    CHOICE = "quiz choice"
    FEEDBACK = "quiz feedback"
    ANSWER = "accepted answer"
    MATCH_ITEM = "matching item"
    MATCH_TARGET = "matching target"
    ORDER_ITEM = "ordering item"
    FIGURE_TITLE = "figure title"
    FIGURE_DESC = "figure description"
    FIGURE_TEXT = "figure text"

    @property
    def family(self) -> str:
        """Roles whose words read the same way share a family; families never share msgctxt."""
        return _FAMILIES.get(self, "text")


_FAMILIES = {
    Role.COURSE_TITLE: "title",
    Role.MODULE_TITLE: "title",
    Role.PAGE_TITLE: "title",
    Role.HEADING: "title",
    Role.KEYWORD: "keyword",
    Role.TABLE_HEADER: "table",
    Role.TABLE_CELL: "table",
    Role.IMAGE_ALT: "image",
    Role.IMAGE_TITLE: "image",
    Role.CHOICE: "answer",
    Role.MATCH_ITEM: "answer",
    Role.MATCH_TARGET: "answer",
    Role.ORDER_ITEM: "answer",
    Role.ANSWER: "typed answer",
    Role.FIGURE_TITLE: "figure",
    Role.FIGURE_DESC: "figure",
    Role.FIGURE_TEXT: "figure",
}


@dataclass(frozen=True)
class Slot:
    role: Role
    text: str
    path: Path  # the source file
    line: int
    comment: str  # tells the translator what the text is


Visit = Callable[[Slot], str]


def map_texts(course: Course, visit: Visit) -> Course:
    """The course with each text replaced by `visit(slot)`; ids, anchors and targets unchanged."""
    yaml_path = course.root / "course.yaml"
    lines = _yaml_lines(yaml_path, ("title", "description", "keywords"))
    title = visit(
        Slot(Role.COURSE_TITLE, course.title, yaml_path, lines["title"][0], "course title")
    )
    description = visit(
        Slot(
            Role.DESCRIPTION,
            course.description,
            yaml_path,
            lines["description"][0],
            "course description (catalog and package metadata)",
        )
    )
    keywords = tuple(
        visit(
            Slot(
                Role.KEYWORD,
                keyword,
                yaml_path,
                _nth(lines["keywords"], n + 1),
                "keyword (catalog metadata): a term someone would search for",
            )
        )
        for n, keyword in enumerate(course.keywords)
    )
    modules = tuple(_module(module, visit) for module in course.modules)
    return replace(course, title=title, description=description, keywords=keywords, modules=modules)


def _yaml_lines(path: Path, keys: tuple[str, ...], first_line: int = 1) -> dict[str, list[int]]:
    """For each key, the line of the key then the lines of its list entries (if a list)."""
    found: dict[str, list[int]] = {key: [first_line] for key in keys}
    try:
        text = path.read_text(encoding="utf-8")
        if first_line > 1:
            text = text.split("\n---", 1)[0].removeprefix("---\n")
        root = yaml_lines.parse(text, first_line=first_line)
    except (OSError, yaml_lines.YamlError):
        return found
    if isinstance(root.value, dict):
        for key in keys:
            node = root.value.get(key)
            if node is not None:
                entries = node.value if isinstance(node.value, list) else []
                found[key] = [node.line, *(entry.line for entry in entries)]
    return found


def _nth(lines: list[int], n: int) -> int:
    return lines[n] if n < len(lines) else lines[0]


def _module(module: Module, visit: Visit) -> Module:
    path = module.path
    lines = _yaml_lines(path, ("title", "objectives"), first_line=2)
    title = visit(Slot(Role.MODULE_TITLE, module.title, path, lines["title"][0], "module title"))
    objectives = tuple(
        visit(
            Slot(
                Role.OBJECTIVE,
                objective,
                path,
                _nth(lines["objectives"], n + 1),
                "learning objective of the module (completes “By the end you can...”)",
            )
        )
        for n, objective in enumerate(module.objectives)
    )
    pages = tuple(
        _page(page, module, title if n == 0 else None, visit) for n, page in enumerate(module.pages)
    )
    return replace(module, title=title, objectives=objectives, pages=pages)


def _page(page: Page, module: Module, module_title: str | None, visit: Visit) -> Page:
    if module_title is not None and page.title == module.title:
        title = module_title  # the opening page, titled with the module title
    else:
        title = visit(
            Slot(Role.PAGE_TITLE, page.title, module.path, page.line, "page title (`##` heading)")
        )
    blocks = tuple(_block(block, module.path, visit, "") for block in page.blocks)
    return replace(page, title=title, blocks=blocks)


def _block(block: Block, path: Path, visit: Visit, within: str) -> Block:
    def slot(role: Role, text: str, line: int, comment: str) -> str:
        return visit(Slot(role, text, path, line, within + comment))

    if isinstance(block, Heading):
        text = slot(Role.HEADING, block.text, block.line, f"heading (level {block.level})")
        return replace(block, text=text)
    if isinstance(block, Paragraph):
        role, comment = _paragraph_role(within)
        return replace(block, text=visit(Slot(role, block.text, path, block.line, comment)))
    if isinstance(block, Image):
        alt = slot(
            Role.IMAGE_ALT,
            block.alt,
            block.line,
            "image alt text: what screen readers say instead of the picture",
        )
        image_title = (
            slot(Role.IMAGE_TITLE, block.title, block.line, "image title (shown as its caption)")
            if block.title
            else block.title
        )
        return replace(block, alt=alt, title=image_title)
    if isinstance(block, ListBlock):
        items = tuple(_item(item, path, visit, within) for item in block.items)
        return replace(block, items=items)
    if isinstance(block, Quote):
        inner = tuple(_block(b, path, visit, within + "quotation: ") for b in block.blocks)
        return replace(block, blocks=inner)
    if isinstance(block, Table):
        return _table(block, slot)
    if isinstance(block, Question):
        return _question(block, path, visit)
    return block  # code, rules and raw HTML are not translated


def _paragraph_role(within: str) -> tuple[Role, str]:
    """The role of a paragraph from the blocks around it, and how to describe it."""
    depth = within.count("list item")
    if within.startswith("question"):
        return Role.STEM, "text of the question"
    if depth:
        return Role.LIST_ITEM, "list item" if depth == 1 else f"list item (nested, level {depth})"
    if "quotation" in within:
        return Role.QUOTE, "quotation"
    return Role.PARAGRAPH, "paragraph"


def _item(item: ListItem, path: Path, visit: Visit, within: str) -> ListItem:
    inner = tuple(_block(b, path, visit, within + "list item: ") for b in item.blocks)
    return replace(item, blocks=inner)


def _table(table: Table, slot: Callable[[Role, str, int, str], str]) -> Table:
    header = tuple(
        slot(Role.TABLE_HEADER, text, table.line, f"table header, column {col + 1}")
        for col, text in enumerate(table.header)
    )
    rows = tuple(
        tuple(
            slot(
                Role.TABLE_CELL,
                text,
                table.line + 2 + row,  # header line, delimiter row, then one line a row
                f"table cell, row {row + 1}, column {col + 1}",
            )
            for col, text in enumerate(cells)
        )
        for row, cells in enumerate(table.rows)
    )
    return replace(table, header=header, rows=rows)


def _question(question: Question, path: Path, visit: Visit) -> Question:
    def slot(role: Role, text: str, line: int, comment: str) -> str:
        return visit(Slot(role, text, path, line, comment))

    stem = tuple(_block(b, path, visit, "question: ") for b in question.stem)
    choices = tuple(_choice(c, question.type, slot) for c in question.choices)
    case = "matched exactly" if question.case_sensitive else "matched ignoring case"
    answers = tuple(
        slot(
            Role.ANSWER,
            answer,
            question.line,
            f"accepted answer to a short-text question: what a learner would type ({case})",
        )
        for answer in question.answers
    )
    pairs = tuple(_pair(pair, slot) for pair in question.pairs)
    feedback = (
        slot(
            Role.FEEDBACK,
            question.feedback,
            question.line,
            "quiz feedback shown after any answer to the question",
        )
        if question.feedback
        else None
    )
    return replace(
        question, stem=stem, choices=choices, answers=answers, pairs=pairs, feedback=feedback
    )


def _choice(
    choice: Choice, kind: QuestionType, slot: Callable[[Role, str, int, str], str]
) -> Choice:
    verdict = "correct answer" if choice.correct else "wrong answer"
    if kind is QuestionType.TRUE_FALSE:
        text = choice.text  # `True` / `False` are markers; the package shows them translated
    elif kind is QuestionType.ORDERING:
        text = slot(
            Role.ORDER_ITEM, choice.text, choice.line, "ordering question: one item to put in order"
        )
    else:
        text = slot(Role.CHOICE, choice.text, choice.line, f"quiz choice ({verdict})")
    feedback = (
        slot(
            Role.FEEDBACK,
            choice.feedback,
            choice.line,
            f"quiz feedback shown when the learner picks “{choice.text}” ({verdict})",
        )
        if choice.feedback
        else None
    )
    return replace(choice, text=text, feedback=feedback)


def _pair(pair: MatchPair, slot: Callable[[Role, str, int, str], str]) -> MatchPair:
    source = slot(Role.MATCH_ITEM, pair.source, pair.line, "matching question: item")
    target = slot(
        Role.MATCH_TARGET,
        pair.target,
        pair.line,
        f"matching question: the match of “{pair.source}” (learners see matches shuffled)",
    )
    return replace(pair, source=source, target=target)
