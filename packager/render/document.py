"""Whole HTML documents: one per launchable unit, holding one module or the whole course.

Every page of a module is a `<section>` with its own `<h1>`; the page script shows one section at a
time, so a learner (and a screen reader) meets one page with one h1. Without script every section
shows, in order. Which modules share a document is the caller's choice (a SCORM SCO, a cmi5 AU...).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from importlib import resources
from typing import Any

from packager.model import Course, Module, Question
from packager.render.blocks import PageContext, render_blocks
from packager.render.inline import LinkMap, dom_id
from packager.render.state import state_length
from packager.render.strings import percents, text_direction, ui_strings

ASSETS = ("mafunzo.css", "mafunzo.js")


@dataclass(frozen=True)
class DocumentPlan:
    href: str  # file name in the package, e.g. "index.html" or "what-is-the-nua.html"
    modules: tuple[Module, ...]


@dataclass(frozen=True)
class Runtime:
    """The tracker a format plugs in: its script (an asset file) and the settings it reads."""

    script: str | None = None
    config: dict[str, Any] | None = None


@dataclass(frozen=True)
class RenderedDocument:
    href: str
    modules: tuple[Module, ...]
    html: bytes
    state_length: int  # the exact length of this document's resume state (see state.py)


@dataclass(frozen=True)
class RenderedCourse:
    documents: tuple[RenderedDocument, ...]
    files: dict[str, bytes]  # every file of the package but its manifest, by package path


def asset(name: str) -> bytes:
    return resources.files("packager.assets").joinpath(name).read_bytes()


def render_course(
    course: Course, plans: tuple[DocumentPlan, ...], runtime: Runtime
) -> RenderedCourse:
    """The course (in its one language) as documents, our assets and its media."""
    links = LinkMap()
    for plan in plans:
        for module in plan.modules:
            first = module.pages[0].id if module.pages else ""
            links.add(module.path.name, module.slug, module.title, plan.href, first)
    documents = tuple(_document(course, plan, runtime, links) for plan in plans)
    files: dict[str, bytes] = {doc.href: doc.html for doc in documents}
    for name in (*ASSETS, *((runtime.script,) if runtime.script else ())):
        files[name] = asset(name)
    translated = dict(course.media_overrides)  # figures whose words were translated
    for media in course.media:
        files[media] = translated.get(media) or (course.root / media).read_bytes()
    return RenderedCourse(documents, files)


def _document(
    course: Course, plan: DocumentPlan, runtime: Runtime, links: LinkMap
) -> RenderedDocument:
    language = course.language or course.source_language
    strings = ui_strings(language)
    sections: list[str] = []
    toc: list[str] = []
    questions: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    modules: list[dict[str, Any]] = []
    for module in plan.modules:
        ctx = PageContext(
            module.slug, links.resolver(module.slug, plan.href), strings, questions=questions
        )
        first_page, first_question = len(pages), len(questions)
        entries = []
        for page in module.pages:
            ctx.page_index = len(pages)
            pid = escape(dom_id(module.slug, page.id))
            title = ctx.inline(page.title)
            kicker = (
                f'<p class="module-title">{escape(module.title)}</p>\n'
                if page is not module.pages[0]
                else ""
            )
            sections.append(
                f'<section class="page" id="{pid}" data-page="{ctx.page_index}" '
                f'aria-labelledby="{pid}-title">\n{kicker}'
                f'<h1 id="{pid}-title" tabindex="-1">{title}</h1>\n'
                f"{render_blocks(page.blocks, ctx)}\n</section>"
            )
            entries.append(f'<li><a href="#{pid}" data-page="{ctx.page_index}">{title}</a></li>')
            pages.append({"id": dom_id(module.slug, page.id), "module": len(modules)})
        modules.append(
            {
                "slug": module.slug,
                "iri": module.iri,
                "title": module.title,
                "assessment": module.assessment,
                "pages": [first_page, len(pages)],
                "questions": [first_question, len(questions)],
            }
        )
        toc.append(
            f'<li><span class="toc-module">{escape(module.title)}</span>\n<ol>\n'
            + "\n".join(entries)
            + "\n</ol></li>"
        )
    scored_iris = {q.iri for q in scored_questions(course, plan.modules)}
    scored = [k for k, q in enumerate(questions) if q["iri"] in scored_iris]
    data = {
        "course": course.id,
        "language": language,
        "document": plan.href,
        "modules": modules,
        "pages": pages,
        "questions": questions,
        "scored": scored,
        "mastery": course.mastery_score if scored else None,
        "stateLength": state_length(len(pages), [q for m in plan.modules for q in m.questions]),
        "strings": strings,
        "percents": percents(language),
        "runtime": runtime.config or {},
    }
    title = plan.modules[0].title if len(plan.modules) == 1 else course.title
    html = _PAGE.format(
        lang=escape(language),
        dir=text_direction(language),
        title=escape(title if title == course.title else f"{title} — {course.title}"),
        course=escape(course.title),
        skip=escape(strings["skip"]),
        contents=escape(strings["contents"]),
        toc="\n".join(toc),
        sections="\n".join(sections),
        previous=escape(strings["previous"]),
        next=escape(strings["next"]),
        data=_script_json(data),
        runtime=f'<script src="{escape(runtime.script)}"></script>\n' if runtime.script else "",
    )
    return RenderedDocument(plan.href, plan.modules, html.encode(), data["stateLength"])


def scored_questions(course: Course, modules: tuple[Module, ...]) -> tuple[Question, ...]:
    """Questions of these modules whose score decides passing: the assessment's, or all when the
    course has no assessment. Empty means the document reports no score and has no mastery."""
    if course.assessment is None:
        return tuple(q for m in modules for q in m.questions)
    return tuple(q for m in modules if m.assessment for q in m.questions)


def _script_json(data: dict[str, Any]) -> str:
    """JSON safe inside a <script> element: no "</" can close it early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_PAGE = """<!DOCTYPE html>
<html lang="{lang}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="mafunzo.css">
</head>
<body>
<a class="skip" href="#main">{skip}</a>
<header class="banner">
<p class="course-title">{course}</p>
<button type="button" class="toc-toggle" aria-expanded="false" aria-controls="toc">
{contents}</button>
</header>
<div class="notice" id="notice" role="status"></div>
<div class="layout">
<nav id="toc" class="toc" aria-label="{contents}">
<ol>
{toc}
</ol>
</nav>
<main id="main" tabindex="-1">
{sections}
</main>
</div>
<nav class="pager" aria-label="{previous} / {next}">
<button type="button" class="prev">{previous}</button>
<span class="progress" aria-live="polite"></span>
<button type="button" class="next">{next}</button>
</nav>
<script type="application/json" id="mafunzo-data">{data}</script>
{runtime}<script src="mafunzo.js"></script>
</body>
</html>
"""
