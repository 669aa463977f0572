"""SCORM 1.2 packages: imsmanifest.xml (IMS CP 1.1.2 + ADL CP 1.2 + IMS MD 1.2.1) and the zip."""

from __future__ import annotations

from lxml import etree

from packager.course_texts import OWN_LANGUAGE_ONLY, CourseTexts
from packager.formats.scorm_common import (
    SCORM12,
    has_mastery,
    scorm_files,
    serialize,
    sub_element,
    xml_id,
)
from packager.model import Course
from packager.render import RenderedDocument

CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = (
    f"{CP} imscp_rootv1p1p2.xsd {IMSMD} imsmd_rootv1p2p1.xsd {ADLCP} adlcp_rootv1p2.xsd"
)


def package_files(
    course: Course, layout: str, texts: CourseTexts = OWN_LANGUAGE_ONLY
) -> dict[str, bytes]:
    """`texts`: the course in every finished language, for the metadata in every language."""
    return scorm_files(course, layout, SCORM12, manifest, texts)


def _langstring(parent: etree._Element, tag: str, strings: dict[str, str]) -> None:
    """One langstring per language: the package's own first, then each complete translation."""
    wrapper = sub_element(parent, f"{{{IMSMD}}}{tag}")
    for language, text in strings.items():
        sub_element(wrapper, f"{{{IMSMD}}}langstring", text).set(XML_LANG, language)


def manifest(
    course: Course,
    texts: CourseTexts,
    documents: tuple[RenderedDocument, ...],
    shared: list[str],
) -> bytes:
    language = course.language or course.source_language
    root = etree.Element(
        f"{{{CP}}}manifest",
        nsmap={None: CP, "adlcp": ADLCP, "imsmd": IMSMD, "xsi": XSI},
        identifier=xml_id("manifest", f"{course.slug}-{course.version}"),
        version=course.version,
    )
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    metadata = sub_element(root, f"{{{CP}}}metadata")
    sub_element(metadata, f"{{{CP}}}schema", "ADL SCORM")
    sub_element(metadata, f"{{{CP}}}schemaversion", "1.2")
    general = sub_element(sub_element(metadata, f"{{{IMSMD}}}lom"), f"{{{IMSMD}}}general")
    sub_element(general, f"{{{IMSMD}}}identifier", course.id)  # the course IRI, for importers
    courses = texts.for_package(course)
    _langstring(general, "title", {lang: c.title for lang, c in courses.items()})
    sub_element(general, f"{{{IMSMD}}}language", language)
    _langstring(general, "description", {lang: c.description for lang, c in courses.items()})
    for index in range(len(course.keywords)):
        _langstring(general, "keyword", {lang: c.keywords[index] for lang, c in courses.items()})

    org_id = xml_id("org", course.slug)
    organization = sub_element(
        sub_element(root, f"{{{CP}}}organizations", default=org_id),
        f"{{{CP}}}organization",
        identifier=org_id,
    )
    sub_element(organization, f"{{{CP}}}title", course.title)
    resources = sub_element(root, f"{{{CP}}}resources")
    common_id = xml_id("res", "common")
    for document in documents:
        name = document.modules[0].slug if len(documents) > 1 else course.slug
        item = sub_element(
            organization,
            f"{{{CP}}}item",
            identifier=xml_id("item", name),
            identifierref=xml_id("res", name),
            isvisible="true",
        )
        sub_element(
            item,
            f"{{{CP}}}title",
            course.title if len(documents) == 1 else document.modules[0].title,
        )
        if has_mastery(course, document.modules):
            sub_element(item, f"{{{ADLCP}}}masteryscore", str(round(course.mastery_score * 100)))
        resource = sub_element(
            resources,
            f"{{{CP}}}resource",
            identifier=xml_id("res", name),
            type="webcontent",
            href=document.href,
        )
        resource.set(f"{{{ADLCP}}}scormtype", "sco")
        sub_element(resource, f"{{{CP}}}file", href=document.href)
        sub_element(resource, f"{{{CP}}}dependency", identifierref=common_id)
    common = sub_element(resources, f"{{{CP}}}resource", identifier=common_id, type="webcontent")
    common.set(f"{{{ADLCP}}}scormtype", "asset")
    for name in shared:
        sub_element(common, f"{{{CP}}}file", href=name)
    return serialize(root)
