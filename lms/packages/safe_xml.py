"""Parse package XML with lxml so that no DTD, entity or network fetch can be smuggled in."""

from __future__ import annotations

from lxml import etree

from lms.packages.errors import PackageError


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )


def parse(data: bytes, name: str) -> etree._Element:
    """The root element of `data`; `name` is the file's name inside the package, for messages."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise PackageError(
            f"{name}: a DOCTYPE or entity declaration is not allowed (it could "
            "read files or expand without bound); refused"
        )
    try:
        tree = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        line = error.lineno or 1
        raise PackageError(f"{name}:{line}: malformed XML: {error.msg}") from None
    doctype = tree.getroottree().docinfo
    if doctype.doctype or doctype.internalDTD is not None:
        raise PackageError(f"{name}: a DOCTYPE is not allowed; refused")
    return tree
