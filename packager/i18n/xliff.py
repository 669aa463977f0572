"""XLIFF 1.2 for translation vendors: a `.po` out to a CAT tool and its work back in.

Each gettext entry is one `trans-unit`; `msgctxt`, references, extracted comments and flags travel
in `context-group`s and `note`s, fuzzy as `state="needs-review-translation"`. Link placeholders
become inline `<x/>` elements, which CAT tools lock, so a vendor cannot break them either.

The words drawn inside a figure (gettext flag `figure-text`, see figures.py) are marked the ways
XLIFF 1.2 has: `restype="x-figure-text"`, the gettext flags as an `x-gettext-flags` context, a
first-priority note telling the translator the label must fit its shape, and the number of lines
as `maxheight` in `size-unit="row"`. The catalog does not know how wide a shape is, so there is
no `maxwidth`: the note asks for about the source's length, and the browser test measures. The
label's style tags `<1>...</1>` become `<g id="1">` pairs, which CAT tools protect like `<x/>`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message
from lxml import etree

from packager.i18n.figures import FLAG as FIGURE_FLAG
from packager.i18n.figures import STYLE_TAG, tag_problems
from packager.i18n.placeholders import PLACEHOLDER

NS = "urn:oasis:names:tc:xliff:document:1.2"
_X = f"{{{NS}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
FUZZY_STATE = "needs-review-translation"
FIGURE_RESTYPE = "x-figure-text"
FLAGS_CONTEXT = "x-gettext-flags"
STYLE_CTYPE = "x-figure-style"  # a `<g>` around words a figure draws in their own style


class XliffError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Unit:
    context: str | None
    msgid: str
    string: str
    fuzzy: bool
    line: int


def unit_id(message: Message) -> str:
    """Stable across exports, so a vendor's translation memory recognises a unit again."""
    key = f"{message.context or ''}\x04{message.id}".encode()
    return hashlib.sha1(key).hexdigest()[:16]


def write_xliff(catalog: Catalog, source_language: str, target_language: str) -> bytes:
    root = etree.Element(f"{_X}xliff", nsmap={None: NS}, version="1.2")
    file = etree.SubElement(
        root,
        f"{_X}file",
        original=catalog.project or "messages",
        datatype="x-gettext-po",
        **{"source-language": source_language, "target-language": target_language},
    )
    body = etree.SubElement(file, f"{_X}body")
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:
            raise XliffError(message.lineno or 1, "plural entries cannot be exported to XLIFF")
        body.append(_unit(message))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _unit(message: Message) -> etree._Element:
    unit = etree.Element(f"{_X}trans-unit", id=unit_id(message))
    unit.set(XML_SPACE, "preserve")
    unit.set("approved", "no" if message.fuzzy or not message.string else "yes")
    figure = FIGURE_FLAG in message.flags
    if figure:
        unit.set("restype", FIGURE_RESTYPE)
        unit.set("maxheight", str(_lines(message.id)))
        unit.set("size-unit", "row")
    inline = _styled if figure else _inline
    inline(etree.SubElement(unit, f"{_X}source"), message.id)
    target = etree.SubElement(unit, f"{_X}target")
    target.set("state", FUZZY_STATE if message.fuzzy else "translated" if message.string else "new")
    inline(target, message.string or "")
    if figure:
        note = etree.SubElement(
            unit, f"{_X}note", {"from": "developer", "priority": "1", "annotates": "source"}
        )
        note.text = _figure_note(message)
    for comment in message.auto_comments:
        etree.SubElement(unit, f"{_X}note", {"from": "developer"}).text = comment
    for comment in message.user_comments:
        etree.SubElement(unit, f"{_X}note", {"from": "translator"}).text = comment
    if message.previous_id:
        previous = etree.SubElement(unit, f"{_X}note", {"from": "x-gettext-previous-msgid"})
        previous.text = message.previous_id[0]
    if message.context is not None:
        group = etree.SubElement(unit, f"{_X}context-group", name="msgctxt", purpose="information")
        etree.SubElement(
            group, f"{_X}context", {"context-type": "x-gettext-msgctxt"}
        ).text = message.context
    flags = sorted(flag for flag in message.flags if flag != "fuzzy")
    if flags:
        group = etree.SubElement(
            unit, f"{_X}context-group", name=FLAGS_CONTEXT, purpose="information"
        )
        etree.SubElement(group, f"{_X}context", {"context-type": FLAGS_CONTEXT}).text = ", ".join(
            flags
        )
    for filename, line in message.locations:
        group = etree.SubElement(unit, f"{_X}context-group", purpose="location")
        etree.SubElement(group, f"{_X}context", {"context-type": "sourcefile"}).text = filename
        if line:
            etree.SubElement(group, f"{_X}context", {"context-type": "linenumber"}).text = str(line)
    return unit


def _lines(text: str) -> int:
    return text.count("\n") + 1


def _figure_note(message: Message) -> str:
    """What a CAT tool shows above a figure's words: they are drawn, not typeset."""
    figures = sorted({filename for filename, _ in message.locations})
    where = f" {', '.join(figures)}" if figures else ""
    lines = _lines(message.id)
    shape = (
        f"keep its {lines} lines (one line break between each), each has its place in the drawing"
        if lines > 1
        else "keep it on one line"
    )
    note = (
        f"Words of the figure{where}: its labels are drawn inside shapes that leave no more "
        f"room than the source needs, so keep it about as long as the source; {shape}"
    )
    if "<1>" in message.id:
        note += "; keep each pair of style tags around the same words"
    return note + "."


def _inline(element: etree._Element, text: str) -> None:
    """Text with each `%N` link placeholder as an `<x/>` a CAT tool will protect."""
    parts = PLACEHOLDER.split(text)
    element.text = parts[0]
    for number, after in zip(parts[1::2], parts[2::2], strict=True):
        placeholder = etree.SubElement(
            element, f"{_X}x", id=number, ctype="x-link-target", **{"equiv-text": f"%{number}"}
        )
        placeholder.tail = after


def _styled(element: etree._Element, text: str) -> None:
    """A figure label with each `<N>...</N>` style tag as a `<g>` pair a CAT tool will protect;
    tags that do not nest (a translation `check` rejects) stay as they are, in plain text."""
    if tag_problems(text, text):
        element.text = text
        return
    open_elements = [element]
    position = 0
    for match in STYLE_TAG.finditer(text):
        _append(open_elements[-1], text[position : match.start()])
        closing, number = match.groups()
        if closing:
            open_elements.pop()
        else:
            group = etree.SubElement(open_elements[-1], f"{_X}g", id=number, ctype=STYLE_CTYPE)
            open_elements.append(group)
        position = match.end()
    _append(open_elements[-1], text[position:])


def _append(element: etree._Element, text: str) -> None:
    """Text after whatever `element` holds so far."""
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    parts = [element.text or ""]
    for child in element:
        if child.tag in (f"{_X}x", f"{_X}ph"):
            number = re.sub(r"\D", "", child.get("id", "")) or "0"
            parts.append(f"%{number}")
        elif child.tag == f"{_X}g":
            number = child.get("id", "")
            parts.append(f"<{number}>{_text(child)}</{number}>")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_xliff(data: bytes) -> tuple[str, list[Unit]]:
    """(target language, units); an XliffError with the line of the first problem."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise XliffError(exc.lineno or 1, f"not well-formed XML: {exc.msg}") from None
    if root.tag != f"{_X}xliff" or root.get("version") != "1.2":
        raise XliffError(root.sourceline or 1, "not an XLIFF 1.2 document")
    file = root.find(f"{_X}file")
    if file is None or not file.get("target-language"):
        raise XliffError(root.sourceline or 1, "no <file> with a target-language")
    units = []
    for unit in file.iter(f"{_X}trans-unit"):
        source = unit.find(f"{_X}source")
        if source is None:
            raise XliffError(unit.sourceline or 1, "a trans-unit without <source>")
        target = unit.find(f"{_X}target")
        context = unit.find(f"{_X}context-group[@name='msgctxt']/{_X}context")
        state = target.get("state", "") if target is not None else ""
        units.append(
            Unit(
                context=context.text or "" if context is not None else None,
                msgid=_text(source),
                string=_text(target),
                fuzzy=state.startswith("needs-review"),
                line=unit.sourceline or 1,
            )
        )
    return file.get("target-language", ""), units
