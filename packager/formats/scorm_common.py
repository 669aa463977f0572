"""What SCORM 1.2 and SCORM 2004 packages share: layouts, identifiers, the runtime settings.

Interaction ids come from question IRIs (DESIGN.md): the IRI is mapped to a URI (RFC 3987 §3.1:
characters outside ASCII are percent-encoded as UTF-8, as are spaces and other characters a URI
cannot hold), which is both a SCORM 1.2 CMIIdentifier (printable, no white space) and a SCORM 2004
long_identifier_type (a URI). A URI longer than the standard allows (255 characters in 1.2, 4000
in 2004) keeps its start and ends in "~" + 16 hex digits of its SHA-256: distinct IRIs stay apart.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from lxml import etree

from packager.course_texts import CourseTexts
from packager.model import Course, Module
from packager.render import (
    DocumentPlan,
    RenderedCourse,
    RenderedDocument,
    Runtime,
    render_course,
    scored_questions,
)

LAYOUTS = ("single", "per-module")
_URI_SAFE = "/:#?&=;@!$'()*+,~-._%[]"


class PackagingError(Exception):
    """A course that loads but cannot be packaged in this format (said in plain words)."""


@dataclass(frozen=True)
class Limits:
    version: str  # "1.2" or "2004": what scorm-runtime.js reads
    identifier: int  # longest interaction id
    suspend_data: int  # longest suspend_data


SCORM12 = Limits("1.2", 255, 4096)
SCORM2004 = Limits("2004", 4000, 64000)


def iri_to_uri(iri: str) -> str:
    return quote(iri, safe=_URI_SAFE)


def interaction_id(iri: str, longest: int) -> str:
    uri = iri_to_uri(iri)
    if len(uri) <= longest:
        return uri
    digest = hashlib.sha256(uri.encode()).hexdigest()[:16]
    return f"{uri[: longest - 17]}~{digest}"


def xml_id(prefix: str, name: str) -> str:
    """An xs:ID (an NCName) for a manifest element made from a slug."""
    return f"{prefix}-{re.sub(r'[^A-Za-z0-9._-]', '_', name)}"


def plans(course: Course, layout: str) -> tuple[DocumentPlan, ...]:
    if layout == "single":
        return (DocumentPlan("index.html", course.modules),)
    return tuple(DocumentPlan(f"{m.slug}.html", (m,)) for m in course.modules)


def render_for_scorm(course: Course, layout: str, limits: Limits) -> RenderedCourse:
    """The rendered course with the SCORM tracker, refused when resume state could overflow."""
    if layout not in LAYOUTS:
        raise PackagingError(f"unknown layout {layout!r}: use one of {', '.join(LAYOUTS)}")
    config = {
        "version": limits.version,
        "interactionIds": {
            q.iri: interaction_id(q.iri, limits.identifier) for q in course.questions
        },
        "items": {m.slug: xml_id("item", m.slug) for m in course.modules},
    }
    rendered = render_course(course, plans(course, layout), Runtime("scorm-runtime.js", config))
    for document in rendered.documents:
        if document.state_length > limits.suspend_data:
            raise PackagingError(
                f"{document.href}: its resume state takes {document.state_length} characters, more "
                f"than SCORM {limits.version}'s {limits.suspend_data}; split the course into "
                "modules with --layout per-module, or use fewer questions per module"
            )
    return rendered


ManifestWriter = Callable[[Course, CourseTexts, tuple[RenderedDocument, ...], list[str]], bytes]


def scorm_files(
    course: Course, layout: str, limits: Limits, manifest: ManifestWriter, texts: CourseTexts
) -> dict[str, bytes]:
    """Every file of a SCORM package: the rendered course plus the version's manifest, whose
    metadata names the course in every language of `texts`."""
    rendered = render_for_scorm(course, layout, limits)
    files = dict(rendered.files)
    files["imsmanifest.xml"] = manifest(course, texts, rendered.documents, shared_files(rendered))
    return files


def shared_files(rendered: RenderedCourse) -> list[str]:
    """Files every SCO uses (style, scripts, media): everything but the documents themselves."""
    documents = {d.href for d in rendered.documents}
    return sorted(name for name in rendered.files if name not in documents)


def has_mastery(course: Course, modules: tuple[Module, ...]) -> bool:
    """Whether the SCO holding these modules reports a score that decides passing."""
    return bool(scored_questions(course, modules))


def serialize(root: etree._Element) -> bytes:
    """UTF-8 without a byte-order mark, a double-quoted declaration, every `&` escaped."""
    body = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def sub_element(
    parent: etree._Element, tag: str, text: str | None = None, **attrs: str
) -> etree._Element:
    element = etree.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element
