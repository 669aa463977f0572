"""The words drawn inside a course's SVG figures: messages for translators, translated copies for
packages.

What becomes a message (the rule translators read in docs/translating.md):

- each `<title>` and `<desc>`, whitespace collapsed as SVG displays it;
- each label: one `<text>`, or several `<text>` elements that are one label wrapped over lines
  (consecutive siblings with the same attributes but `y`, each line below the last by at most
  1.6 times the font size), or one `<text>` whose only content is positioned `<tspan>` lines
  (`x`, `y` or `dy`). The lines of a label are one message joined by line breaks, and the
  translation must keep the same number of lines, since each line has its place in the drawing;
- a `<tspan>` (or other element) inside a line is styled text: it stays in the message as a
  numbered tag, `<1>Assess:</1> where are we now?`, which the translator moves with the words;
- a label without a letter (`1976`, `50%`) reads the same in every language and is left out.

A translated copy replaces the words in place and says its language (`xml:lang` on the root);
in a right-to-left language each translated `<text>` gets `direction="rtl"` with its
`text-anchor` swapped (`start` <-> `end`), so the label keeps its place in the drawing while
punctuation and embedded Latin words are ordered as a reader of that language expects.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from lxml import etree

from packager.i18n.placeholders import protect
from packager.i18n.walk import Slot, map_texts
from packager.model import Block, Course, Image, ListBlock, Question, Quote
from packager.render.strings import text_direction

SVG_NS = "http://www.w3.org/2000/svg"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FLAG = "figure-text"  # gettext flag of every figure message, so `check` knows its rules
LINE_STEP = 1.6  # a wrapped line sits at most this many font sizes below the one before
DEFAULT_FONT_SIZE = 16.0
STYLE_TAG = re.compile(r"<(/?)(\d+)>")  # a style tag <N> or </N> in a figure message
_SPACE = re.compile(r"\s+")
_POSITION = ("x", "y", "dy")


@dataclass(frozen=True)
class FigureText:
    """One message of a figure: `kind` is "title", "desc" or "text"."""

    figure: str  # "media/<name>.svg"
    kind: str
    msgid: str
    line: int

    @property
    def lines(self) -> int:
        return self.msgid.count("\n") + 1


@dataclass
class _Label:
    kind: str
    elements: list[etree._Element]  # one per line (or the title / desc itself)

    def message(self) -> str:
        if self.kind != "text":
            return _collapse(self.elements[0].text or "")
        numbers = itertools.count(1)
        return "\n".join(_collapse(_inline(element, numbers)) for element in self.elements)


def figures_used(course: Course) -> tuple[str, ...]:
    """The SVG files of media/ that the modules show or link to, in order of first use."""
    first: dict[str, tuple[int, int]] = {}
    modules = {module.path: n for n, module in enumerate(course.modules)}

    def note(source: Path, line: int, target: str, relative: bool) -> None:
        media = _media_path(course, source, target, relative)
        if media is not None and media not in first:
            first[media] = (modules.get(source, -1), line)

    for module in course.modules:
        for page in module.pages:
            for image in _images(page.blocks):
                note(module.path, image.line, image.src, relative=False)

    def visit(slot: Slot) -> str:
        for target in protect(slot.text)[1]:  # images and links inside the text
            note(slot.path, slot.line, target, relative=True)
        return slot.text

    map_texts(course, visit)
    return tuple(sorted(first, key=lambda media: first[media]))


def _media_path(course: Course, source: Path, target: str, relative: bool) -> str | None:
    """ "media/x.svg" for a target naming an SVG file of the course's media, else None."""
    parts = urlsplit(target.strip("<>"))
    if parts.scheme or parts.netloc or PurePosixPath(parts.path).suffix.lower() != ".svg":
        return None
    if not relative:
        return parts.path if parts.path in course.media else None
    root = course.root.resolve()
    try:
        found = (source.parent / unquote(parts.path)).resolve().relative_to(root).as_posix()
    except ValueError:
        return None
    return found if found in course.media else None


def _images(blocks: Iterable[Block]) -> Iterator[Image]:
    for block in blocks:
        if isinstance(block, Image):
            yield block
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _images(item.blocks)
        elif isinstance(block, Quote):
            yield from _images(block.blocks)
        elif isinstance(block, Question):
            yield from _images(block.stem)


def figure_texts(course: Course) -> list[FigureText]:
    """Every message of every figure the course uses, figure by figure in document order."""
    found: list[FigureText] = []
    for figure in figures_used(course):
        root = _parse((course.root / figure).read_bytes())
        if root is None:
            continue
        for label in _labels(root):
            message = label.message()
            if _has_letter(STYLE_TAG.sub("", message)):
                found.append(FigureText(figure, label.kind, message, label.elements[0].sourceline))
    return found


def translate_figure(data: bytes, language: str, translations: Mapping[str, str]) -> bytes | None:
    """The figure with every translated message replaced, or None when none is translated."""
    root = _parse(data)
    if root is None:
        return None
    changed = False
    rtl = text_direction(language) == "rtl"
    for label in _labels(root):
        string = translations.get(label.message())
        if not string:
            continue
        changed = True
        if label.kind != "text":
            label.elements[0].text = string
            continue
        _fill_lines(label.elements, string)
        if rtl:
            for element in {_text_of(e): None for e in label.elements}:
                _right_to_left(element)
    if not changed:
        return None
    root.set(XML_LANG, language)
    declaration = data.lstrip().startswith(b"<?xml")
    out = etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=declaration)
    return out + b"\n" if data.endswith(b"\n") else out


def line_count_problem(msgid: str, msgstr: str) -> str | None:
    want, have = msgid.count("\n") + 1, msgstr.count("\n") + 1
    if want == have:
        return None
    return (
        f"the figure label has {want} lines and the translation {have}: keep {want} lines "
        "(one line break between each), each line has its place in the drawing"
    )


def tag_problems(msgid: str, msgstr: str) -> list[str]:
    """Styled-text tags `<1>...</1>` the translation lost, added or left unbalanced."""
    want, have = sorted(STYLE_TAG.findall(msgid)), sorted(STYLE_TAG.findall(msgstr))
    problems = [
        f"the tag <{slash}{n}> of the figure label is missing: keep it around the same words"
        for slash, n in sorted(set(want) - set(have))
    ]
    problems += [
        f"the tag <{slash}{n}> is not in the figure label"
        for slash, n in sorted(set(have) - set(want))
    ]
    if not problems and _tree(msgstr) is None:
        problems.append("the tags <N>...</N> of the figure label are not properly nested")
    return problems


def _parse(data: bytes) -> etree._Element | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None  # the loader shows a broken figure as it is; nothing to translate in it
    return root if _name(root) == "svg" else None


def _name(element: etree._Element) -> str:
    if not isinstance(element.tag, str):
        return ""
    qname = etree.QName(element)
    return qname.localname if qname.namespace in (SVG_NS, None) else ""


def _labels(root: etree._Element) -> list[_Label]:
    labels: list[_Label] = []
    for element in root.iter():
        name = _name(element)
        if name in ("title", "desc"):
            labels.append(_Label(name, [element]))
    for parent in root.iter():
        run: list[etree._Element] = []
        for child in parent:
            if not isinstance(child.tag, str):
                continue  # a comment does not break a label
            if _name(child) != "text":
                _flush(run, labels)
                run = []
                continue
            lines = _tspan_lines(child)
            if lines:
                _flush(run, labels)
                labels.append(_Label("text", lines))
                run = []
            elif run and _continues(run[-1], child):
                run.append(child)
            else:
                _flush(run, labels)
                run = [child]
        _flush(run, labels)
    labels.sort(key=lambda label: label.elements[0].sourceline or 0)
    return labels


def _flush(run: list[etree._Element], labels: list[_Label]) -> None:
    if run:
        labels.append(_Label("text", run))


def _tspan_lines(text: etree._Element) -> list[etree._Element]:
    """The tspans of a `<text>` made only of positioned lines (Inkscape's way), else []."""
    children = [c for c in text if isinstance(c.tag, str)]
    if (text.text or "").strip() or len(children) < 2:
        return []
    if all(_name(c) == "tspan" and any(a in c.attrib for a in _POSITION) for c in children):
        return children
    return []


def _continues(above: etree._Element, below: etree._Element) -> bool:
    """`below` is the next line of the label that `above` ends: same look, one line down."""
    if _other_attributes(above) != _other_attributes(below):
        return False
    try:
        step = float(below.get("y", "")) - float(above.get("y", ""))
    except ValueError:
        return False
    return 0 < step <= LINE_STEP * _font_size(above)


def _other_attributes(element: etree._Element) -> dict[str, str]:
    return {k: v for k, v in element.attrib.items() if k not in ("y", "id")}


def _font_size(element: etree._Element | None) -> float:
    while element is not None:
        size = element.get("font-size")
        if size:
            try:
                return float(size.removesuffix("px"))
            except ValueError:
                return DEFAULT_FONT_SIZE
        element = element.getparent()
    return DEFAULT_FONT_SIZE


def _inline(element: etree._Element, numbers: Iterator[int]) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            n = next(numbers)
            parts.append(f"<{n}>{_inline(child, numbers)}</{n}>")
        parts.append(child.tail or "")
    return "".join(parts)


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _has_letter(text: str) -> bool:
    return any(c.isalpha() for c in text)


def _numbered(elements: list[etree._Element]) -> dict[str, etree._Element]:
    """Tag number -> element, numbered as `_inline` numbers them."""
    found: dict[str, etree._Element] = {}
    numbers = itertools.count(1)

    def visit(element: etree._Element) -> None:
        for child in element:
            if isinstance(child.tag, str):
                found[str(next(numbers))] = child
                visit(child)

    for element in elements:
        visit(element)
    return found


def _fill_lines(elements: list[etree._Element], string: str) -> None:
    lines = string.split("\n")
    if len(lines) > len(elements):  # `check` reports it; the build still shows every word
        lines = [*lines[: len(elements) - 1], " ".join(lines[len(elements) - 1 :])]
    lines += [""] * (len(elements) - len(lines))
    children = _numbered(elements)
    for element, line in zip(elements, lines, strict=True):
        tree = _tree(line)
        if tree is None or any(n not in children for n in _numbers(tree)):
            tree = [STYLE_TAG.sub("", line)]  # broken tags: the words without their styling
        _fill(element, tree, children)


Tree = list["str | tuple[str, Tree]"]


def _tree(text: str) -> Tree | None:
    """`a <1>b</1> c` as ["a ", ("1", ["b"]), " c"]; None when the tags do not nest."""
    stack: list[tuple[str, Tree]] = [("", [])]
    position = 0
    for match in STYLE_TAG.finditer(text):
        if match.start() > position:
            stack[-1][1].append(text[position : match.start()])
        position = match.end()
        closing, number = match.group(1), match.group(2)
        if not closing:
            stack.append((number, []))
        elif len(stack) > 1 and stack[-1][0] == number:
            done = stack.pop()
            stack[-1][1].append(done)
        else:
            return None
    if position < len(text):
        stack[-1][1].append(text[position:])
    return stack[0][1] if len(stack) == 1 else None


def _numbers(tree: Tree) -> Iterator[str]:
    for part in tree:
        if isinstance(part, tuple):
            yield part[0]
            yield from _numbers(part[1])


def _fill(element: etree._Element, tree: Tree, children: dict[str, etree._Element]) -> None:
    for child in list(element):
        element.remove(child)
    element.text = ""
    last: etree._Element | None = None
    for part in tree:
        if isinstance(part, str):
            if last is None:
                element.text = (element.text or "") + part
            else:
                last.tail = (last.tail or "") + part
            continue
        child = children[part[0]]
        child.tail = ""
        _fill(child, part[1], children)
        element.append(child)
        last = child


def _text_of(element: etree._Element) -> etree._Element:
    """The `<text>` a line belongs to (itself, or the parent of a tspan line)."""
    return element if _name(element) == "text" else element.getparent()


def _right_to_left(text: etree._Element) -> None:
    text.set("direction", "rtl")
    anchor = _inherited(text, "text-anchor") or "start"
    flipped = {"start": "end", "end": "start"}.get(anchor)
    if flipped:
        text.set("text-anchor", flipped)


def _inherited(element: etree._Element | None, attribute: str) -> str | None:
    while element is not None:
        if element.get(attribute):
            return element.get(attribute)
        element = element.getparent()
    return None
