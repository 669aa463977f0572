"""xAPI (TinCan) packages: tincan.xml describing the course, its modules and questions, and the zip.

tincan.xml follows the TinCan package format (namespace http://projecttincan.com/tincan.xsd): one
`activity` per activity, names and descriptions repeated once per language, `launch` on the
activities a learner starts (the course, or each module with the per-module layout).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from packager.course_texts import OWN_LANGUAGE_ONLY, CourseTexts, package_language
from packager.formats.scorm_common import serialize, sub_element
from packager.formats.xapi_common import (
    COURSE_TYPE,
    MODULE_TYPE,
    LanguageMap,
    document_activity,
    interactions,
    language_maps,
    render_for_xapi,
)
from packager.model import Course

TINCAN = "http://projecttincan.com/tincan.xsd"
RUNTIME = "xapi-runtime.js"


def package_files(
    course: Course, layout: str, texts: CourseTexts = OWN_LANGUAGE_ONLY
) -> dict[str, bytes]:
    """`texts`: the course in every finished language, for activity names and descriptions."""
    found = language_maps(course, texts)
    document_plans, rendered = render_for_xapi(course, layout, RUNTIME, found)
    launches = {document_activity(course, p): p.href for p in document_plans}
    language = package_language(course)
    root = etree.Element(f"{{{TINCAN}}}tincan", nsmap={None: TINCAN})
    activities = sub_element(root, f"{{{TINCAN}}}activities")
    course_activity = _activity(
        activities, course.id, COURSE_TYPE, found.course_name(), found.course_description()
    )
    _launch(course_activity, launches.get(course.id, document_plans[0].href), language)
    for k, module in enumerate(course.modules):
        element = _activity(
            activities,
            module.iri,
            MODULE_TYPE,
            found.module_name(k),
            found.module_description(k),
        )
        if module.iri in launches:
            _launch(element, launches[module.iri], language)
    for iri, definition in interactions(found).items():
        _interaction(activities, iri, definition)
    files = dict(rendered.files)
    files["tincan.xml"] = serialize(root)
    return files


def _activity(
    parent: etree._Element, iri: str, kind: str, name: LanguageMap, description: LanguageMap
) -> etree._Element:
    element = sub_element(parent, f"{{{TINCAN}}}activity", id=iri, type=kind)
    _langstrings(element, "name", name)
    _langstrings(element, "description", description)
    return element


def _langstrings(parent: etree._Element, tag: str, texts_: LanguageMap) -> None:
    for language, text in texts_.items():
        sub_element(parent, f"{{{TINCAN}}}{tag}", text, lang=language)


def _launch(parent: etree._Element, href: str, language: str) -> None:
    sub_element(parent, f"{{{TINCAN}}}launch", href, lang=language)


def _interaction(parent: etree._Element, iri: str, definition: dict[str, Any]) -> None:
    element = _activity(parent, iri, definition["type"], definition["name"], definition["name"])
    sub_element(element, f"{{{TINCAN}}}interactionType", definition["interactionType"])
    patterns = sub_element(element, f"{{{TINCAN}}}correctResponsePatterns")
    for pattern in definition["correctResponsesPattern"]:
        sub_element(patterns, f"{{{TINCAN}}}correctResponsePattern", pattern)
    for key in ("choices", "source", "target"):
        if key not in definition:
            continue
        components = sub_element(element, f"{{{TINCAN}}}{key}")
        for component in definition[key]:
            item = sub_element(components, f"{{{TINCAN}}}component")
            sub_element(item, f"{{{TINCAN}}}id", component["id"])
            _langstrings(item, "description", component["description"])
