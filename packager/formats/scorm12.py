"""SCORM 1.2 packages: imsmanifest.xml (IMS CP 1.1.2 + ADL CP 1.2 + IMS MD 1.2.1) and the zip."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from packager.formats.reproducible_zip import zip_bytes_to
from packager.formats.scorm_common import (
    SCORM12,
    has_mastery,
    render_for_scorm,
    serialize,
    shared_files,
    xml_id,
)
from packager.model import Course

CP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = (
    f"{CP} imscp_rootv1p1p2.xsd {IMSMD} imsmd_rootv1p2p1.xsd {ADLCP} adlcp_rootv1p2.xsd"
)


def package(course: Course, layout: str, destination: Path) -> None:
    zip_bytes_to(destination, package_files(course, layout))


def package_files(course: Course, layout: str) -> dict[str, bytes]:
    rendered = render_for_scorm(course, layout, SCORM12)
    files = dict(rendered.files)
    files["imsmanifest.xml"] = manifest(course, rendered.documents, shared_files(rendered))
    return files


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.replace("__", ":"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _langstring(parent: etree._Element, tag: str, text: str, language: str) -> None:
    wrapper = _sub(parent, f"{{{IMSMD}}}{tag}")
    _sub(wrapper, f"{{{IMSMD}}}langstring", text).set(XML_LANG, language)


def manifest(course: Course, documents: tuple, shared: list[str]) -> bytes:
    language = course.language or course.source_language
    root = etree.Element(
        f"{{{CP}}}manifest",
        nsmap={None: CP, "adlcp": ADLCP, "imsmd": IMSMD, "xsi": XSI},
        identifier=xml_id("manifest", f"{course.slug}-{course.version}"),
        version=course.version,
    )
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    metadata = _sub(root, f"{{{CP}}}metadata")
    _sub(metadata, f"{{{CP}}}schema", "ADL SCORM")
    _sub(metadata, f"{{{CP}}}schemaversion", "1.2")
    general = _sub(_sub(metadata, f"{{{IMSMD}}}lom"), f"{{{IMSMD}}}general")
    _langstring(general, "title", course.title, language)
    _sub(general, f"{{{IMSMD}}}language", language)
    _langstring(general, "description", course.description, language)
    for keyword in course.keywords:
        _langstring(general, "keyword", keyword, language)

    org_id = xml_id("org", course.slug)
    organization = _sub(
        _sub(root, f"{{{CP}}}organizations", default=org_id),
        f"{{{CP}}}organization",
        identifier=org_id,
    )
    _sub(organization, f"{{{CP}}}title", course.title)
    resources = _sub(root, f"{{{CP}}}resources")
    common_id = xml_id("res", "common")
    for document in documents:
        name = document.modules[0].slug if len(documents) > 1 else course.slug
        item = _sub(
            organization,
            f"{{{CP}}}item",
            identifier=xml_id("item", name),
            identifierref=xml_id("res", name),
            isvisible="true",
        )
        _sub(
            item,
            f"{{{CP}}}title",
            course.title if len(documents) == 1 else document.modules[0].title,
        )
        if has_mastery(course, document.modules):
            _sub(item, f"{{{ADLCP}}}masteryscore", str(round(course.mastery_score * 100)))
        resource = _sub(
            resources,
            f"{{{CP}}}resource",
            identifier=xml_id("res", name),
            type="webcontent",
            href=document.href,
        )
        resource.set(f"{{{ADLCP}}}scormtype", "sco")
        _sub(resource, f"{{{CP}}}file", href=document.href)
        _sub(resource, f"{{{CP}}}dependency", identifierref=common_id)
    common = _sub(resources, f"{{{CP}}}resource", identifier=common_id, type="webcontent")
    common.set(f"{{{ADLCP}}}scormtype", "asset")
    for name in shared:
        _sub(common, f"{{{CP}}}file", href=name)
    return serialize(root)
