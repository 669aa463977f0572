"""A page's blocks, questions included, as accessible HTML."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from html import escape
from typing import Any

from packager.model import (
    Block,
    CodeBlock,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Question,
    QuestionType,
    Quote,
    RawHtml,
    Rule,
    Table,
)
from packager.render.inline import Resolver, dom_id, render_inline
from packager.render.state import SHORT_ANSWER_MAX, question_slot_width

INTERACTION_TYPES = {
    QuestionType.SINGLE: "choice",
    QuestionType.MULTIPLE: "choice",
    QuestionType.TRUE_FALSE: "true-false",
    QuestionType.SHORT: "fill-in",
    QuestionType.MATCHING: "matching",
    QuestionType.ORDERING: "sequencing",
}


@dataclass
class PageContext:
    """What rendering a module's blocks needs; collects the question data the page script reads."""

    module_slug: str
    resolve: Resolver
    strings: dict[str, str]
    page_index: int = 0
    questions: list[dict[str, Any]] = field(default_factory=list)

    def inline(self, text: str) -> str:
        return render_inline(text, self.resolve)


def render_blocks(blocks: tuple[Block, ...], ctx: PageContext) -> str:
    return "\n".join(render_block(block, ctx) for block in blocks)


def render_block(block: Block, ctx: PageContext) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{ctx.inline(block.text)}</p>"
    if isinstance(block, Heading):
        level = max(2, min(6, block.level - 1))  # `##` is the page's h1, so `###` is an h2
        anchor = escape(dom_id(ctx.module_slug, block.anchor))
        return f'<h{level} id="{anchor}">{ctx.inline(block.text)}</h{level}>'
    if isinstance(block, Image):
        return _figure(block, ctx)
    if isinstance(block, ListBlock):
        return _list(block, ctx)
    if isinstance(block, Table):
        return _table(block, ctx)
    if isinstance(block, CodeBlock):
        language = block.info.split()[0] if block.info.strip() else ""
        klass = f' class="language-{escape(language)}"' if language else ""
        return f"<pre><code{klass}>{escape(block.code)}</code></pre>"
    if isinstance(block, Quote):
        return f"<blockquote>\n{render_blocks(block.blocks, ctx)}\n</blockquote>"
    if isinstance(block, Rule):
        return "<hr>"
    if isinstance(block, RawHtml):
        return block.html
    return render_question(block, ctx)


def _figure(image: Image, ctx: PageContext) -> str:
    target = ctx.resolve("../" + image.src)
    src = target.href if target else image.src
    caption = f"\n<figcaption>{escape(image.title)}</figcaption>" if image.title else ""
    return (
        f'<figure>\n<img src="{escape(src)}" alt="{escape(image.alt)}" loading="lazy">'
        f"{caption}\n</figure>"
    )


def _list(block: ListBlock, ctx: PageContext) -> str:
    tag = "ol" if block.ordered else "ul"
    start = f' start="{block.start}"' if block.ordered and block.start not in (None, 1) else ""
    items = []
    for item in block.items:
        if len(item.blocks) == 1 and isinstance(item.blocks[0], Paragraph):
            items.append(f"<li>{ctx.inline(item.blocks[0].text)}</li>")
        else:
            items.append(f"<li>\n{render_blocks(item.blocks, ctx)}\n</li>")
    return f"<{tag}{start}>\n" + "\n".join(items) + f"\n</{tag}>"


def _table(table: Table, ctx: PageContext) -> str:
    def cell(tag: str, text: str, align: str | None) -> str:
        style = f' class="align-{align}"' if align else ""
        return f"<{tag}{style}>{ctx.inline(text)}</{tag}>"

    head = "".join(
        cell("th", text, align) for text, align in zip(table.header, table.align, strict=False)
    )
    rows = "\n".join(
        "<tr>"
        + "".join(cell("td", text, align) for text, align in zip(row, table.align, strict=False))
        + "</tr>"
        for row in table.rows
    )
    return (
        f'<div class="table-scroll">\n<table>\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</div>"
    )


def _shuffled(items: list[Any], seed: str) -> list[Any]:
    """A fixed shuffle (the same in every build) that never shows the right order."""
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    if len(shuffled) > 1 and shuffled == items:
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled


def render_question(question: Question, ctx: PageContext) -> str:
    """A form with a fieldset whose legend is the question; feedback lands in a live region."""
    qid = escape(dom_id(ctx.module_slug, f"q-{question.id}"))
    number = len(ctx.questions)
    stem = list(question.stem)
    if stem and isinstance(stem[0], Paragraph):
        legend = ctx.inline(stem.pop(0).text)
    else:
        legend = escape(ctx.strings["your_answer"])
    rest = render_blocks(tuple(stem), ctx)
    controls, feedback = _controls(question, qid, ctx)
    if question.feedback:
        feedback.append(f'<template data-feedback="*">{ctx.inline(question.feedback)}</template>')
    ctx.questions.append(_question_data(question, qid, ctx.page_index))
    return (
        f'<form class="question" id="{qid}" data-question="{number}" novalidate>\n'
        f"<fieldset>\n<legend>{legend}</legend>\n{rest}\n{controls}\n</fieldset>\n"
        f'<button type="submit" class="check">{escape(ctx.strings["check"])}</button>\n'
        f'<div class="feedback" aria-live="polite"></div>\n' + "\n".join(feedback) + "\n</form>"
    )


def _controls(question: Question, qid: str, ctx: PageContext) -> tuple[str, list[str]]:
    feedback: list[str] = []
    kind = question.type
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE):
        input_type = "checkbox" if kind is QuestionType.MULTIPLE else "radio"
        rows = []
        for choice in question.choices:
            label = (
                escape(ctx.strings[choice.id])
                if kind is QuestionType.TRUE_FALSE and choice.id in ("true", "false")
                else ctx.inline(choice.text)
            )
            cid = f"{qid}-{escape(choice.id)}"
            rows.append(
                f'<div class="choice"><input type="{input_type}" name="{qid}" id="{cid}" '
                f'value="{escape(choice.id)}"><label for="{cid}">{label}</label></div>'
            )
            if choice.feedback:
                feedback.append(
                    f'<template data-feedback="{escape(choice.id)}">'
                    f"{ctx.inline(choice.feedback)}</template>"
                )
        return "\n".join(rows), feedback
    if kind is QuestionType.SHORT:
        return (
            f'<label for="{qid}-text">{escape(ctx.strings["your_answer"])}</label>\n'
            f'<input type="text" id="{qid}-text" name="{qid}" maxlength="{SHORT_ANSWER_MAX}" '
            f'autocomplete="off" spellcheck="false">'
        ), feedback
    if kind is QuestionType.MATCHING:
        targets = _shuffled(list(question.pairs), question.iri)
        options = "".join(
            f'<option value="{escape(p.id)}">{ctx.inline(p.target)}</option>' for p in targets
        )
        rows = [
            f'<div class="match"><label for="{qid}-{escape(p.id)}">{ctx.inline(p.source)}</label>'
            f'<select id="{qid}-{escape(p.id)}" data-source="{escape(p.id)}">'
            f'<option value="">{escape(ctx.strings["choose"])}</option>{options}</select></div>'
            for p in question.pairs
        ]
        return "\n".join(rows), feedback
    items = _shuffled(list(question.choices), question.iri)
    positions = "".join(f'<option value="{n}">{n}</option>' for n in range(1, len(items) + 1))
    rows = [
        f'<div class="order"><label for="{qid}-{escape(c.id)}">{ctx.inline(c.text)}</label>'
        f'<select id="{qid}-{escape(c.id)}" data-item="{escape(c.id)}" '
        f'aria-label="{escape(ctx.strings["position"])}: {escape(c.text)}">'
        f'<option value="">{escape(ctx.strings["choose"])}</option>{positions}</select></div>'
        for c in items
    ]
    return "\n".join(rows), feedback


def _question_data(question: Question, qid: str, page_index: int) -> dict[str, Any]:
    """What the page script needs to check, score, store and report one question."""
    kind = question.type
    if kind is QuestionType.SHORT:
        choices: list[str] = []
        correct: list[str] = list(question.answers)
    elif kind is QuestionType.MATCHING:
        choices = [p.id for p in question.pairs]
        correct = choices
    else:
        choices = [c.id for c in question.choices]
        correct = (
            choices if kind is QuestionType.ORDERING else [c.id for c in question.correct_choices]
        )
    return {
        "dom": qid,
        "iri": question.iri,
        "type": str(kind),
        "interaction": INTERACTION_TYPES[kind],
        "weight": question.weight,
        "page": page_index,
        "choices": choices,
        "correct": correct,
        "caseSensitive": question.case_sensitive,
        "slot": question_slot_width(question),
    }
