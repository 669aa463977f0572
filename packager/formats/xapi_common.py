"""What xAPI (TinCan) and cmi5 packages share: language maps, interaction definitions, the runtime.

Names and descriptions are language maps holding the package's own language and every language
whose translation is complete, as the build hands them over (packager.course_texts). Interaction
definitions follow the xAPI 1.0.3 interaction activities: response ids are the
choice ids the page script uses, so a response and its correct pattern compare as strings.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from packager.course_texts import CourseTexts
from packager.formats.scorm_common import LAYOUTS, PackagingError, plans
from packager.markdown import markdown
from packager.model import Block, Course, Module, Paragraph, Question, QuestionType
from packager.render import DocumentPlan, RenderedCourse, Runtime, render_course
from packager.render.blocks import INTERACTION_TYPES
from packager.render.document import asset

COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
MODULE_TYPE = "http://adlnet.gov/expapi/activities/module"
INTERACTION_TYPE = "http://adlnet.gov/expapi/activities/cmi.interaction"
CLIENT_SCRIPTS = ("xapi-client.js", "xapi-content.js")

LanguageMap = dict[str, str]


@dataclass(frozen=True)
class LanguageMaps:
    """A package's names and descriptions as language maps, from the course in each language."""

    courses: dict[str, Course]  # language -> the course in it; the package's language first

    def course_name(self) -> LanguageMap:
        return {lang: plain(c.title) for lang, c in self.courses.items()}

    def course_description(self) -> LanguageMap:
        return {lang: plain(c.description) for lang, c in self.courses.items()}

    def module_name(self, index: int) -> LanguageMap:
        return {lang: plain(c.modules[index].title) for lang, c in self.courses.items()}

    def module_description(self, index: int) -> LanguageMap:
        return {lang: module_description(c.modules[index]) for lang, c in self.courses.items()}

    def questions(self, language: str) -> tuple[Question, ...]:
        return self.courses[language].questions


def language_maps(course: Course, texts: CourseTexts) -> LanguageMaps:
    """The language maps of a package of `course`, given the course in every finished language."""
    return LanguageMaps(texts.for_package(course))


_TAG = re.compile(r"<[^>]*>")


def plain(text: str) -> str:
    """Inline Markdown as the plain text a report shows: marks and links dropped, words kept."""
    rendered = markdown().renderInline(text)
    return " ".join(html.unescape(_TAG.sub("", rendered)).split())


def blocks_text(blocks: tuple[Block, ...]) -> str:
    return " ".join(plain(b.text) for b in blocks if isinstance(b, Paragraph))


def module_description(module: Module) -> str:
    return " ".join(plain(o) for o in module.objectives) or plain(module.title)


def interaction(questions: dict[str, Question]) -> dict[str, Any]:
    """The xAPI interaction definition of one question given in each language (language -> it)."""
    first = next(iter(questions.values()))
    kind = first.type
    definition: dict[str, Any] = {
        "type": INTERACTION_TYPE,
        "name": {lang: blocks_text(q.stem) or q.id for lang, q in questions.items()},
        "interactionType": INTERACTION_TYPES[kind],
        "correctResponsesPattern": correct_patterns(first),
    }
    if kind is QuestionType.MATCHING:
        definition["source"] = _components(questions, lambda q: [(p.id, p.source) for p in q.pairs])
        definition["target"] = _components(questions, lambda q: [(p.id, p.target) for p in q.pairs])
    elif kind in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.ORDERING):
        definition["choices"] = _components(
            questions, lambda q: [(c.id, c.text) for c in q.choices]
        )
    return definition


def _components(
    questions: dict[str, Question], parts: Callable[[Question], list[tuple[str, str]]]
) -> list[dict[str, Any]]:
    """Interaction components: an id and its description in each language, in source order."""
    by_language = {lang: parts(q) for lang, q in questions.items()}
    first = next(iter(by_language.values()))
    return [
        {"id": part_id, "description": {lang: plain(p[k][1]) for lang, p in by_language.items()}}
        for k, (part_id, _text) in enumerate(first)
    ]


def correct_patterns(question: Question) -> list[str]:
    kind = question.type
    if kind is QuestionType.SHORT:
        prefix = "{case_matters=true}" if question.case_sensitive else ""
        return [prefix + answer.replace("[,]", ",") for answer in question.answers]
    if kind is QuestionType.MATCHING:
        return ["[,]".join(f"{p.id}[.]{p.id}" for p in question.pairs)]
    if kind is QuestionType.ORDERING:
        return ["[,]".join(c.id for c in question.choices)]
    return ["[,]".join(c.id for c in question.correct_choices)]


def interactions(found: LanguageMaps) -> dict[str, dict[str, Any]]:
    """Every question's definition by its IRI (IRIs are the same in every language)."""
    by_language = {lang: found.questions(lang) for lang in found.courses}
    first = next(iter(by_language.values()))
    return {
        q.iri: interaction({lang: qs[k] for lang, qs in by_language.items()})
        for k, q in enumerate(first)
    }


def document_activity(course: Course, plan: DocumentPlan) -> str:
    """The activity a document reports on: its module, or the course when it holds them all."""
    if len(plan.modules) == 1 and len(course.modules) > 1:
        return plan.modules[0].iri
    return course.id


def render_for_xapi(
    course: Course, layout: str, script: str, found: LanguageMaps
) -> tuple[tuple[DocumentPlan, ...], RenderedCourse]:
    """The course rendered with an xAPI tracker; the shared client goes first in its script file
    because a document loads one runtime script."""
    if layout not in LAYOUTS:
        raise PackagingError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}")
    document_plans = plans(course, layout)
    modules = {m.iri: k for k, m in enumerate(course.modules)}
    config = {
        "course": {
            "id": course.id,
            "type": COURSE_TYPE,
            "name": found.course_name(),
            "description": found.course_description(),
        },
        "modules": {
            iri: {
                "type": MODULE_TYPE,
                "name": found.module_name(k),
                "description": found.module_description(k),
            }
            for iri, k in modules.items()
        },
        "activities": {p.href: document_activity(course, p) for p in document_plans},
        "interactions": interactions(found),
    }
    rendered = render_course(course, document_plans, Runtime(script, config))
    rendered.files[script] = b"".join(asset(name) for name in (*CLIENT_SCRIPTS, script))
    return document_plans, rendered
