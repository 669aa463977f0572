"""One module file -> a Module: front matter, pages split at `##`, blocks, and questions.

Links between modules are only collected here; the loader checks them once every module's anchors
are known.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from markdown_it.token import Token

from packager import quiz, yaml_lines
from packager.course_yaml import ISO_DURATION
from packager.diagnostics import Diagnostics
from packager.identifiers import module_iri, question_iri, slugify
from packager.markdown import markdown
from packager.model import (
    Block,
    CodeBlock,
    Heading,
    Image,
    ListBlock,
    ListItem,
    Module,
    Page,
    Paragraph,
    Question,
    QuestionType,
    Quote,
    RawHtml,
    Rule,
    Table,
)
from packager.safety import unsafe_html_reason

IMAGE_TYPES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"})
FRONT_MATTER_FIELDS = frozenset({"title", "objectives", "duration", "assessment", "id"})
MODULE_SLUG = re.compile(r"^[a-z0-9][a-z0-9\-]*$")


@dataclass(frozen=True)
class LinkRef:
    """A link to another module or anchor, checked by the loader after all modules are read."""

    line: int
    target_file: str | None  # None: this module
    anchor: str | None


@dataclass
class ParsedModule:
    module: Module
    anchors: set[str]
    links: list[LinkRef]
    unnamed_questions: list[tuple[int, str]] = field(default_factory=list)  # (line, derived id)


def parse_module(
    path: Path, course_root: Path, course_iri: str, diagnostics: Diagnostics
) -> ParsedModule | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        diagnostics.error(path, 1, "the file is not UTF-8 text")
        return None
    meta, body, body_line = _front_matter(path, text, diagnostics)
    if meta is None:
        return None
    slug = _slug(path, meta, diagnostics)
    parser = _BlockParser(path, course_root, module_iri(course_iri, slug), diagnostics, body_line)
    parser.source_lines = body.splitlines()
    blocks = parser.blocks(markdown().parse(body), 0, None)[0]
    title = meta.get("title", "")
    pages = _paginate(title, blocks, body_line)
    if not pages:
        diagnostics.error(path, 1, "the module has no content after its front matter")
    if meta.get("assessment") and not parser.questions_seen:
        diagnostics.error(path, 1, "the final assessment (`assessment: true`) has no questions")
    anchors = {p.id for p in pages} | parser.anchors
    objectives = tuple(str(o) for o in meta.get("objectives") or ())
    if not objectives:
        diagnostics.warning(path, 1, "the module has no learning objectives (`objectives:`)")
    module = Module(
        slug=slug,
        iri=parser.module_iri,
        path=path,
        title=title,
        objectives=objectives,
        duration=meta.get("duration"),
        assessment=bool(meta.get("assessment", False)),
        pages=pages,
    )
    return ParsedModule(module, anchors, parser.links, parser.unnamed_questions)


def _front_matter(path: Path, text: str, diagnostics: Diagnostics) -> tuple[dict | None, str, int]:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        diagnostics.error(
            path, 1, "a module starts with front matter between two `---` lines (at least `title:`)"
        )
        return None, "", 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        diagnostics.error(path, 1, "the front matter is not closed by a `---` line")
        return None, "", 0
    try:
        root = yaml_lines.parse("".join(lines[1:end]), first_line=2)
    except yaml_lines.YamlError as exc:
        diagnostics.error(path, exc.line, exc.message)
        return None, "", 0
    if not isinstance(root.value, dict):
        diagnostics.error(path, 2, "the front matter must be a mapping of fields (`title: ...`)")
        return None, "", 0
    fields = root.value
    meta: dict = {}
    ok = True
    for key, value in fields.items():
        if key not in FRONT_MATTER_FIELDS:
            diagnostics.error(
                path,
                value.line,
                f"unknown front matter field `{key}` "
                f"(known: {', '.join(sorted(FRONT_MATTER_FIELDS))})",
            )
            ok = False
    title = fields.get("title")
    if title is None or not isinstance(title.value, str) or not title.value.strip():
        diagnostics.error(path, title.line if title else 1, "the module needs a `title`")
        ok = False
    else:
        meta["title"] = title.value.strip()
    objectives = fields.get("objectives")
    if objectives is not None:
        if not isinstance(objectives.value, list) or not all(
            isinstance(o.value, str) for o in objectives.value
        ):
            diagnostics.error(path, objectives.line, "`objectives` must be a list of sentences")
            ok = False
        else:
            meta["objectives"] = [o.value for o in objectives.value]
    duration = fields.get("duration")
    if duration is not None:
        if not isinstance(duration.value, str) or not ISO_DURATION.match(duration.value):
            diagnostics.error(
                path, duration.line, "`duration` must be an ISO 8601 duration such as PT20M"
            )
            ok = False
        else:
            meta["duration"] = duration.value
    assessment = fields.get("assessment")
    if assessment is not None:
        if not isinstance(assessment.value, bool):
            diagnostics.error(path, assessment.line, "`assessment` must be true or false")
            ok = False
        else:
            meta["assessment"] = assessment.value
    module_id = fields.get("id")
    if module_id is not None:
        meta["id"] = str(module_id.value)
        meta["id_line"] = module_id.line
    body_offset = end + 1
    return (meta if ok else None), "".join(lines[body_offset:]), body_offset


def _slug(path: Path, meta: dict, diagnostics: Diagnostics) -> str:
    if "id" in meta:
        slug = meta["id"]
        if not MODULE_SLUG.match(slug):
            diagnostics.error(
                path,
                meta["id_line"],
                f"module `id` `{slug}` may hold only lower-case letters, digits and `-`",
            )
        return slug
    return re.sub(r"^\d+[-_]", "", path.stem).lower()


def _paginate(module_title: str, blocks: list[Block], body_line: int) -> tuple[Page, ...]:
    """Split at `##` headings (kept as level 2 by the block parser, then dropped as titles)."""
    pages: list[Page] = []
    title, line, current, ids = module_title, body_line + 1, [], set()

    def close() -> None:
        if title == module_title and not current and not pages:
            return
        page_id = _unique(slugify(title) or "page", ids)
        pages.append(Page(page_id, title, tuple(current), line))

    for block in blocks:
        if isinstance(block, Heading) and block.level == 2:
            close()
            title, line, current = block.text, block.line, []
        else:
            current.append(block)
    close()
    return tuple(pages)


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


class _BlockParser:
    """Walks markdown-it's flat token stream and builds the model's nested blocks."""

    def __init__(
        self,
        path: Path,
        course_root: Path,
        module_iri: str,
        diagnostics: Diagnostics,
        line_offset: int,
    ) -> None:
        self.path = path
        self.course_root = course_root
        self.module_iri = module_iri
        self.d = diagnostics
        self.offset = line_offset
        self.anchors: set[str] = set()
        self.links: list[LinkRef] = []
        self.question_ids: set[str] = set()
        self.unnamed_questions: list[tuple[int, str]] = []
        self.source_lines: list[str] = []
        self.nesting = 0  # lists, quotes and questions the walk is inside
        self.questions_seen = 0  # valid or not, so one bad question does not cascade

    def line(self, token: Token) -> int:
        return self.offset + (token.map[0] if token.map else 0) + 1

    def blocks(self, tokens: list[Token], i: int, closing: str | None) -> tuple[list[Block], int]:
        out: list[Block] = []
        while i < len(tokens):
            token = tokens[i]
            if closing and token.type == closing:
                return out, i + 1
            block, i = self.block(tokens, i)
            if block is not None:
                out.append(block)
        return out, i

    def block(self, tokens: list[Token], i: int) -> tuple[Block | None, int]:
        token = tokens[i]
        kind = token.type
        line = self.line(token)
        if kind == "heading_open":
            level = int(token.tag[1])
            text = tokens[i + 1].content
            self.inline(tokens[i + 1], line)
            if level == 1:
                self.d.error(
                    self.path,
                    line,
                    "`#` headings are not used inside a module: the "
                    "title comes from the front matter and `##` starts a page",
                )
            anchor = _unique(slugify(text) or "section", self.anchors)
            return Heading(level, text, anchor, line), i + 3
        if kind == "paragraph_open":
            inline = tokens[i + 1]
            self.inline(inline, line)
            image = _lone_image(inline)
            if image is not None:
                return self.image(image, line), i + 3
            return Paragraph(inline.content, line), i + 3
        if kind in ("bullet_list_open", "ordered_list_open"):
            items, j = self.list_items(tokens, i + 1, kind.replace("_open", "_close"))
            start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else None
            return ListBlock(kind == "ordered_list_open", start, tuple(items), line), j
        if kind == "blockquote_open":
            self.nesting += 1
            inner, j = self.blocks(tokens, i + 1, "blockquote_close")
            self.nesting -= 1
            return Quote(tuple(inner), line), j
        if kind == "table_open":
            return self.table(tokens, i, line)
        if kind in ("fence", "code_block"):
            return CodeBlock(token.info.strip(), token.content, line), i + 1
        if kind == "hr":
            return Rule(line), i + 1
        if kind == "html_block":
            reason = unsafe_html_reason(token.content)
            if reason:
                self.d.error(self.path, line, reason)
            return RawHtml(token.content, line), i + 1
        if kind == "container_question_open":
            if self.nesting:
                self.d.error(
                    self.path,
                    line,
                    "a question must stand on its own, not inside a "
                    "list, a quote or another question (is the one before closed "
                    "with `:::`?)",
                )
            return self.question(tokens, i, line)
        self.d.error(self.path, line, f"unexpected Markdown construct `{kind}`")
        return None, i + 1

    def list_items(self, tokens: list[Token], i: int, closing: str) -> tuple[list[ListItem], int]:
        items = []
        self.nesting += 1
        while tokens[i].type != closing:
            line = self.line(tokens[i])
            inner, i = self.blocks(tokens, i + 1, "list_item_close")
            items.append(ListItem(tuple(inner), line))
        self.nesting -= 1
        return items, i + 1

    def table(self, tokens: list[Token], i: int, line: int) -> tuple[Table, int]:
        header: list[str] = []
        align: list[str | None] = []
        rows: list[list[str]] = []
        in_head = False
        while tokens[i].type != "table_close":
            token = tokens[i]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open" and not in_head:
                rows.append([])
            elif token.type in ("th_open", "td_open"):
                cell = tokens[i + 1]
                self.inline(cell, self.line(cell) if cell.map else line)
                if in_head:
                    header.append(cell.content)
                    style = token.attrGet("style") or ""
                    align.append(style.removeprefix("text-align:") or None)
                else:
                    rows[-1].append(cell.content)
            i += 1
        return Table(tuple(header), tuple(align), tuple(tuple(r) for r in rows), line), i + 1

    def image(self, token: Token, line: int) -> Image:
        src = str(token.attrGet("src") or "")
        alt = token.content
        if not alt.strip():
            self.d.warning(
                self.path,
                line,
                f"image `{src}` has no alternative text: describe "
                "what it shows between the square brackets",
            )
        return Image(self.media_path(src, line) or src, alt, token.attrGet("title"), line)  # type: ignore[arg-type]

    def media_path(self, src: str, line: int) -> str | None:
        """The path of a local file inside the course folder, checked to exist."""
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            return None
        target = (self.path.parent / unquote(parts.path)).resolve()
        root = self.course_root.resolve()
        if not target.is_relative_to(root):
            self.d.error(self.path, line, f"`{src}` points outside the course folder")
            return None
        if not target.is_file():
            self.d.error(self.path, line, f"image or file `{src}` does not exist")
            return None
        return target.relative_to(root).as_posix()

    def inline(self, token: Token, line: int) -> None:
        """Checks links, images and raw HTML inside one inline token."""
        for child in token.children or ():
            if child.type == "html_inline":
                reason = unsafe_html_reason(child.content)
                if reason:
                    self.d.error(self.path, line, reason)
            elif child.type == "image":
                src = str(child.attrGet("src") or "")
                if urlsplit(src).scheme or urlsplit(src).netloc:
                    self.d.error(
                        self.path,
                        line,
                        f"image `{src}` is on the web: packages must "
                        "work offline, so save it in media/ and link to it there",
                    )
                self.media_path(src, line)
                if src and PurePosixPath(urlsplit(src).path).suffix.lower() not in IMAGE_TYPES:
                    self.d.error(
                        self.path,
                        line,
                        f"`{src}` is not an image Mafunzo can show (SVG, PNG, JPEG, WebP)",
                    )
            elif child.type == "link_open":
                self.link(str(child.attrGet("href") or ""), line)
        if re.search(r"\]\(\s*(?:javascript|vbscript)\s*:", token.content, re.I):
            self.d.error(self.path, line, "a `javascript:` link is not allowed: it runs script")

    def link(self, href: str, line: int) -> None:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("mailto:"):
            return
        anchor = unquote(parts.fragment) or None
        if not parts.path:
            self.links.append(LinkRef(line, None, anchor))
        elif parts.path.endswith(".md"):
            self.links.append(LinkRef(line, Path(unquote(parts.path)).name, anchor))
        else:
            self.media_path(href.split("#")[0], line)

    def question(self, tokens: list[Token], i: int, line: int) -> tuple[Question | None, int]:
        errors_before = self.d.error_count
        self.questions_seen += 1

        def report(message: str) -> None:
            self.d.error(self.path, line, message)

        header = quiz.parse_header(tokens[i].info, report)
        end_line = (tokens[i].map or [0, 0])[1]
        if end_line >= len(self.source_lines) or not self.source_lines[
            end_line
        ].lstrip().startswith(":::"):
            report("the question is not closed: end it with a line `:::`")
        self.nesting += 1
        stem: list[Block] = []
        choice_lines: list[quiz.ChoiceLine] = []
        pairs: list[tuple[str, str, int]] = []
        ordered: list[tuple[str, int]] = []
        answers: list[str] = []
        feedback: str | None = None
        markers: set[str] = set()
        i += 1
        while tokens[i].type != "container_question_close":
            token = tokens[i]
            at = self.line(token)
            if token.type == "bullet_list_open":
                i = self.answer_list(tokens, i + 1, choice_lines, pairs, markers, at)
                continue
            if token.type == "heading_open":
                report(
                    f"a heading (line {at}) inside the question: close the question with "
                    "`:::` before it"
                )
            if token.type == "ordered_list_open" and not (choice_lines or pairs or answers):
                items, i = self.list_items(tokens, i + 1, "ordered_list_close")
                if header.type is QuestionType.ORDERING or (header.type is None and not stem):
                    ordered.extend((_item_text(it), it.line) for it in items)
                else:
                    stem.append(ListBlock(True, None, tuple(items), at))
                continue
            short = quiz.accepted_answers(tokens, i)
            if short is not None:
                self.inline(tokens[i + 1], at)
                answers.extend(short)
                i += 3
                continue
            if token.type == "blockquote_open" and (choice_lines or pairs or answers or ordered):
                inner, i = self.blocks(tokens, i + 1, "blockquote_close")
                feedback = _quote_text(inner)
                continue
            block, i = self.block(tokens, i)
            if block is not None:
                stem.append(block)
        end = i + 1
        self.nesting -= 1
        qtype = self.question_type(header, markers, choice_lines, pairs, ordered, answers, report)
        if qtype is None or self.d.error_count > errors_before:
            return None, end
        qid = header.id
        if qid is None:
            qid = quiz.derived_id(tuple(stem), self.question_ids)
            self.unnamed_questions.append((line, qid))
            self.d.warning(
                self.path,
                line,
                f"question has no id; using `{qid}` for now: run "
                "`mafunzo check --write-ids` to write it into the file",
            )
        self.question_ids.add(qid)
        if qtype is QuestionType.ORDERING:
            choice_lines = [quiz.ChoiceLine("1", True, text, None, at) for text, at in ordered]
        question = Question(
            id=qid,
            iri=question_iri(self.module_iri, qid),
            type=qtype,
            stem=tuple(stem),
            line=line,
            choices=quiz.build_choices(choice_lines, qtype),
            answers=tuple(answers),
            case_sensitive=header.case_sensitive,
            pairs=quiz.build_pairs(pairs),
            feedback=feedback,
            weight=header.weight,
        )
        return question, end

    def answer_list(
        self,
        tokens: list[Token],
        i: int,
        choices: list[quiz.ChoiceLine],
        pairs: list[tuple[str, str, int]],
        markers: set[str],
        line: int,
    ) -> int:
        items, i = self.list_items(tokens, i, "bullet_list_close")
        for item in items:
            text = _item_text(item)
            split = quiz.split_choice(text)
            quote = next((b for b in item.blocks if isinstance(b, Quote)), None)
            feedback = _quote_text(quote.blocks) if quote else None
            if any(not isinstance(b, Paragraph | Quote) for b in item.blocks[1:]):
                self.d.error(
                    self.path,
                    item.line,
                    "an answer is one line of text, optionally "
                    "followed by a `>` feedback quote; lists, code and tables do not "
                    "belong in it",
                )
            if split is not None:
                marker, correct, label = split
                if not label:
                    self.d.error(self.path, item.line, "this answer has no text after its marker")
                markers.add(marker)
                choices.append(quiz.ChoiceLine(marker, correct, label, feedback, item.line))
                continue
            pair = quiz.split_pair(text)
            if pair is not None:
                pairs.append((pair[0], pair[1], item.line))
                continue
            self.d.error(
                self.path,
                item.line,
                "an answer must start with `( )`/`(x)` (single "
                "choice), `[ ]`/`[x]` (multiple choice), or read `item -> match`",
            )
        return i

    def question_type(
        self,
        header: quiz.Header,
        markers: set[str],
        choices: list[quiz.ChoiceLine],
        pairs: list[tuple[str, str, int]],
        ordered: list[tuple[str, int]],
        answers: list[str],
        say: Callable[[str], None],
    ) -> QuestionType | None:
        kinds = sum(bool(x) for x in (choices, pairs, ordered, answers))
        if kinds == 0:
            say(
                "the question has no answers: list them as `- (x) ...`, `- [x] ...`, "
                "`= ...`, `- item -> match` or a numbered list"
            )
            return None
        if kinds > 1 or len(markers) > 1:
            say("the question mixes kinds of answers; use one kind per question")
            return None
        inferred = (
            QuestionType.SINGLE
            if markers == {"("}
            else QuestionType.MULTIPLE
            if markers == {"["}
            else QuestionType.SHORT
            if answers
            else QuestionType.MATCHING
            if pairs
            else QuestionType.ORDERING
        )
        qtype = header.type or inferred
        compatible = {
            QuestionType.SINGLE: {QuestionType.SINGLE},
            QuestionType.MULTIPLE: {QuestionType.MULTIPLE},
            QuestionType.TRUE_FALSE: {QuestionType.SINGLE},
            QuestionType.SHORT: {QuestionType.SHORT},
            QuestionType.MATCHING: {QuestionType.MATCHING},
            QuestionType.ORDERING: {QuestionType.ORDERING},
        }[qtype]
        if inferred not in compatible:
            say(f"a `{qtype}` question cannot have {inferred.value}-style answers")
            return None
        correct = sum(c.correct for c in choices)
        if qtype in (QuestionType.SINGLE, QuestionType.TRUE_FALSE, QuestionType.MULTIPLE):
            if correct == 0:
                say("the question has no correct answer: mark it with `(x)` or `[x]`")
                return None
            if qtype is not QuestionType.MULTIPLE and correct > 1:
                say(
                    f"a single-choice question needs exactly one `(x)`, found {correct}; "
                    "use `[x]` for multiple choice"
                )
                return None
            if len(choices) < 2:
                say("a choice question needs at least two answers")
                return None
        if qtype is QuestionType.TRUE_FALSE and sorted(c.text.strip().lower() for c in choices) != [
            "false",
            "true",
        ]:
            say("a true-false question has exactly two answers, `True` and `False`")
            return None
        if qtype in (QuestionType.MATCHING, QuestionType.ORDERING) and len(pairs or ordered) < 2:
            say(f"a {qtype.value} question needs at least two items")
            return None
        if qtype is QuestionType.SHORT and not all(answers):
            say("an accepted answer after `=` is empty")
            return None
        return qtype


def _lone_image(inline: Token) -> Token | None:
    children = [
        c for c in inline.children or () if not (c.type == "text" and not c.content.strip())
    ]
    return children[0] if len(children) == 1 and children[0].type == "image" else None


def _item_text(item: ListItem) -> str:
    first = item.blocks[0] if item.blocks else None
    return first.text if isinstance(first, Paragraph) else ""


def _quote_text(blocks: tuple[Block, ...] | list[Block]) -> str:
    return "\n\n".join(b.text for b in blocks if isinstance(b, Paragraph))
