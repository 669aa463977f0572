"""cmi5 packages: cmi5.xml (the cmi5 course structure), one AU per module, and the zip.

An AU's id is its module's IRI (DESIGN.md). The final assessment moves the learner on when it is
completed and passed, every other module when it is completed; an AU whose score decides passing
carries the course's mastery score. Every AU is one document, whatever layout was asked for: cmi5
launches AUs one at a time.
"""

from __future__ import annotations

from lxml import etree

from packager.course_texts import OWN_LANGUAGE_ONLY, CourseTexts
from packager.formats.scorm_common import has_mastery, serialize, sub_element
from packager.formats.xapi_common import LanguageMap, language_maps, render_for_xapi
from packager.model import Course

CMI5 = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
RUNTIME = "cmi5-runtime.js"
LAUNCH_METHOD = "AnyWindow"


def package_files(
    course: Course, layout: str, texts: CourseTexts = OWN_LANGUAGE_ONLY
) -> dict[str, bytes]:
    """`layout` is accepted for the build's sake; cmi5 is always one document per module.
    `texts`: the course in every finished language, for titles, names and descriptions."""
    found = language_maps(course, texts)
    document_plans, rendered = render_for_xapi(course, "per-module", RUNTIME, found)
    root = etree.Element(f"{{{CMI5}}}courseStructure", nsmap={None: CMI5})
    course_element = sub_element(root, f"{{{CMI5}}}course", id=course.id)
    _langstrings(course_element, "title", found.course_name())
    _langstrings(course_element, "description", found.course_description())
    for k, (module, plan) in enumerate(zip(course.modules, document_plans, strict=True)):
        au = sub_element(
            root,
            f"{{{CMI5}}}au",
            id=module.iri,
            moveOn="CompletedAndPassed" if module.assessment else "Completed",
            launchMethod=LAUNCH_METHOD,
        )
        if has_mastery(course, (module,)):
            au.set("masteryScore", _decimal(course.mastery_score))
        _langstrings(au, "title", found.module_name(k))
        _langstrings(au, "description", found.module_description(k))
        sub_element(au, f"{{{CMI5}}}url", plan.href)
    files = dict(rendered.files)
    files["cmi5.xml"] = serialize(root)
    return files


def _decimal(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") if value else "0"


def _langstrings(parent: etree._Element, tag: str, texts_: LanguageMap) -> None:
    wrapper = sub_element(parent, f"{{{CMI5}}}{tag}")
    for language, text in texts_.items():
        sub_element(wrapper, f"{{{CMI5}}}langstring", text, lang=language)
