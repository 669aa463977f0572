"""SCORM 2004 4th edition packages: imsmanifest.xml (CP, ADL CP/SEQ/NAV, IMS SS, LOM) and the zip.

Sequencing: flow and choice on for the organization; every SCO sets its own completion and
objective (completionSetByContent, objectiveSetByContent). A SCO whose score decides passing has a
primary objective satisfied by measure at the course's mastery score. In the per-module layout the
course rolls up complete when every module is (the default rollup) and satisfied from the scoring
modules only: the others do not take part in objective rollup.
"""

from __future__ import annotations

from lxml import etree

from packager.course_texts import OWN_LANGUAGE_ONLY, CourseTexts
from packager.formats.scorm_common import (
    SCORM2004,
    has_mastery,
    scorm_files,
    serialize,
    sub_element,
    xml_id,
)
from packager.model import Course
from packager.render import RenderedDocument

CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
LOM = "http://ltsc.ieee.org/xsd/LOM"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = (
    f"{CP} imscp_v1p1.xsd {ADLCP} adlcp_v1p3.xsd {ADLSEQ} adlseq_v1p3.xsd "
    f"{ADLNAV} adlnav_v1p3.xsd {IMSSS} imsss_v1p0.xsd {LOM} lom.xsd"
)


def package_files(
    course: Course, layout: str, texts: CourseTexts = OWN_LANGUAGE_ONLY
) -> dict[str, bytes]:
    """`texts`: the course in every finished language, for the metadata in every language."""
    return scorm_files(course, layout, SCORM2004, manifest, texts)


def _lom_string(parent: etree._Element, tag: str, strings: dict[str, str]) -> None:
    """A LOM LangString: the package's own language first, then each complete translation."""
    wrapper = sub_element(parent, f"{{{LOM}}}{tag}")
    for language, text in strings.items():
        sub_element(wrapper, f"{{{LOM}}}string", text).set("language", language)


def _metadata(root: etree._Element, course: Course, texts: CourseTexts, language: str) -> None:
    metadata = sub_element(root, f"{{{CP}}}metadata")
    sub_element(metadata, f"{{{CP}}}schema", "ADL SCORM")
    sub_element(metadata, f"{{{CP}}}schemaversion", "2004 4th Edition")
    general = sub_element(sub_element(metadata, f"{{{LOM}}}lom"), f"{{{LOM}}}general")
    identifier = sub_element(general, f"{{{LOM}}}identifier")  # the course IRI, for importers
    sub_element(identifier, f"{{{LOM}}}catalog", "URI")
    sub_element(identifier, f"{{{LOM}}}entry", course.id)
    courses = texts.for_package(course)
    _lom_string(general, "title", {lang: c.title for lang, c in courses.items()})
    sub_element(general, f"{{{LOM}}}language", language)
    _lom_string(general, "description", {lang: c.description for lang, c in courses.items()})
    for index in range(len(course.keywords)):
        _lom_string(general, "keyword", {lang: c.keywords[index] for lang, c in courses.items()})


def _sequencing(
    item: etree._Element, objective_iri: str | None, mastery: float, rollup: bool
) -> None:
    sequencing = sub_element(item, f"{{{IMSSS}}}sequencing")
    if not rollup:
        sub_element(sequencing, f"{{{IMSSS}}}rollupRules", rollupObjectiveSatisfied="false")
    if objective_iri is not None:
        primary = sub_element(
            sub_element(sequencing, f"{{{IMSSS}}}objectives"),
            f"{{{IMSSS}}}primaryObjective",
            objectiveID=objective_iri,
            satisfiedByMeasure="true",
        )
        sub_element(primary, f"{{{IMSSS}}}minNormalizedMeasure", f"{mastery:g}")
    sub_element(
        sequencing,
        f"{{{IMSSS}}}deliveryControls",
        completionSetByContent="true",
        objectiveSetByContent="true",
    )


def manifest(
    course: Course,
    texts: CourseTexts,
    documents: tuple[RenderedDocument, ...],
    shared: list[str],
) -> bytes:
    language = course.language or course.source_language
    root = etree.Element(
        f"{{{CP}}}manifest",
        nsmap={
            None: CP,
            "adlcp": ADLCP,
            "adlseq": ADLSEQ,
            "adlnav": ADLNAV,
            "imsss": IMSSS,
            "lom": LOM,
            "xsi": XSI,
        },
        identifier=xml_id("manifest", f"{course.slug}-{course.version}"),
        version=course.version,
    )
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    _metadata(root, course, texts, language)
    org_id = xml_id("org", course.slug)
    organization = sub_element(
        sub_element(root, f"{{{CP}}}organizations", default=org_id),
        f"{{{CP}}}organization",
        identifier=org_id,
    )
    organization.set(f"{{{ADLSEQ}}}objectivesGlobalToSystem", "false")
    sub_element(organization, f"{{{CP}}}title", course.title)
    resources = sub_element(root, f"{{{CP}}}resources")
    common_id = xml_id("res", "common")
    single = len(documents) == 1
    for document in documents:
        name = course.slug if single else document.modules[0].slug
        item = sub_element(
            organization,
            f"{{{CP}}}item",
            identifier=xml_id("item", name),
            identifierref=xml_id("res", name),
        )
        sub_element(item, f"{{{CP}}}title", course.title if single else document.modules[0].title)
        scored = has_mastery(course, document.modules)
        objective = (course.id if single else document.modules[0].iri) if scored else None
        _sequencing(item, objective, course.mastery_score, rollup=scored or single)
        resource = sub_element(
            resources,
            f"{{{CP}}}resource",
            identifier=xml_id("res", name),
            type="webcontent",
            href=document.href,
        )
        resource.set(f"{{{ADLCP}}}scormType", "sco")
        sub_element(resource, f"{{{CP}}}file", href=document.href)
        sub_element(resource, f"{{{CP}}}dependency", identifierref=common_id)
    sequencing = sub_element(organization, f"{{{IMSSS}}}sequencing")
    sub_element(sequencing, f"{{{IMSSS}}}controlMode", choice="true", flow="true")
    common = sub_element(resources, f"{{{CP}}}resource", identifier=common_id, type="webcontent")
    common.set(f"{{{ADLCP}}}scormType", "asset")
    for name in shared:
        sub_element(common, f"{{{CP}}}file", href=name)
    return serialize(root)
