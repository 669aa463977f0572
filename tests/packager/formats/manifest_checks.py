"""Moodle's reading of a SCORM manifest, one rule a function, shared by both formats' tests.

Moodle's parser ignores namespaces and upper-cases names, so what counts is the literal text.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

PREFIXES = {
    "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp",
    "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp",
    "http://www.imsglobal.org/xsd/imsss": "imsss",
    "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq",
    "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav",
}
METADATA_PREFIXES = {
    "http://ltsc.ieee.org/xsd/LOM": "lom",
    "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd",
}
PACKAGING = {
    "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "http://www.imsglobal.org/xsd/imscp_v1p1",
}


def read(package: Path) -> tuple[bytes, etree._Element, list[str]]:
    with zipfile.ZipFile(package) as archive:
        names = archive.namelist()
        raw = archive.read("imsmanifest.xml")
    return raw, etree.fromstring(raw), names


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def by_name(root: etree._Element, name: str) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str) and local(e) == name]


def attribute(element: etree._Element, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace (as Moodle reads it)."""
    for key, value in element.attrib.items():
        if etree.QName(key).localname == name:
            return value
    return None


def no_bom_no_bare_ampersand(raw: bytes) -> None:
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    bare = re.findall(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)", raw)
    assert bare == []


def literal_prefixes(root: etree._Element, raw: bytes) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        namespace = etree.QName(element).namespace
        if namespace in PACKAGING:
            assert element.prefix is None, element.tag
        else:
            expected = {**PREFIXES, **METADATA_PREFIXES}[namespace or ""]
            assert element.prefix == expected, (element.tag, element.prefix)
    for namespace, prefix in PREFIXES.items():
        if namespace.encode() in raw:
            assert f'xmlns:{prefix}="{namespace}"'.encode() in raw


def schemaversion_is(root: etree._Element, version: str) -> None:
    assert [e.text for e in by_name(root, "schemaversion")] == [version]
    assert [e.text for e in by_name(root, "schema")] == ["ADL SCORM"]


def identifierrefs_resolve(root: etree._Element) -> None:
    resources = {r.get("identifier") for r in by_name(root, "resource")}
    refs = [e.get("identifierref") for e in root.iter() if e.get("identifierref") is not None]
    assert refs and set(refs) <= resources


def no_xml_base(raw: bytes, root: etree._Element) -> None:
    assert b"xml:base" not in raw
    for element in (root, *by_name(root, "resources")):
        assert element.get("{http://www.w3.org/XML/1998/namespace}base") is None


def default_organization_holds_the_launch_items(root: etree._Element) -> list[etree._Element]:
    organizations = by_name(root, "organizations")[0]
    default = organizations.get("default")
    chosen = [o for o in by_name(organizations, "organization") if o.get("identifier") == default]
    assert len(chosen) == 1
    items = [i for i in by_name(chosen[0], "item") if i.get("identifierref")]
    assert items
    return items


def launch_items_are_scos(root: etree._Element, scormtype: str) -> None:
    resources = {r.get("identifier"): r for r in by_name(root, "resource")}
    for item in default_organization_holds_the_launch_items(root):
        resource = resources[item.get("identifierref")]
        assert resource.get(f"{{{_adlcp(root)}}}{scormtype}") == "sco"
        href = resource.get("href")
        assert href and not href.startswith(("/", "http")) and "#" not in href


def _adlcp(root: etree._Element) -> str:
    return next(ns for prefix, ns in root.nsmap.items() if prefix == "adlcp")


def every_file_listed(root: etree._Element, names: list[str]) -> None:
    listed = [f.get("href") for f in by_name(root, "file")]
    assert len(listed) == len(set(listed))
    assert set(listed) == set(names) - {"imsmanifest.xml"}
    assert "imsmanifest.xml" in names
    launches = {r.get("href") for r in by_name(root, "resource") if r.get("href")}
    assert launches <= set(listed)
