"""XLIFF 1.2 export and import: a vendor's round trip keeps every message, context and flag."""

from __future__ import annotations

import pytest
from lxml import etree

from packager.i18n.catalog import read_catalog, write_catalog
from packager.i18n.xliff import read_xliff
from tests.fixtures.i18n import Workspace, run_cli

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}


def _entries(path):
    return [
        (m.context, m.id, m.string, m.fuzzy, m.auto_comments, m.locations)
        for m in read_catalog(path)
        if m.id
    ]


def test_round_trip_keeps_messages_contexts_comments_and_fuzzy_flags(workspace: Workspace) -> None:
    run_cli("i18n", "update", workspace.course, "--lang", "ar")
    path = workspace.po("ar")
    catalog = read_catalog(path)
    for n, message in enumerate(m for m in catalog if m.id):
        message.string = f"ترجمة {n} " + message.id.split(" ", 1)[-1]
        if n % 7 == 0:
            message.flags.add("fuzzy")
    catalog.get("Reading material").string = ""
    write_catalog(path, catalog)
    before = _entries(path)

    xlf = workspace.root / "ar.xlf"
    result = run_cli("i18n", "export-xliff", workspace.course, "--lang", "ar", "-o", xlf)
    assert result.code == 0, result.err
    tree = etree.parse(str(xlf))
    units = tree.findall(".//x:trans-unit", NS)
    assert len(units) == len(before)
    link_unit = next(u for u in units if u.find("x:source", NS).find("x:x", NS) is not None)
    assert [x.get("equiv-text") for x in link_unit.find("x:source", NS)] == ["%1", "%2", "%3"]
    states = {u.find("x:target", NS).get("state") for u in units}
    assert states == {"translated", "needs-review-translation", "new"}
    assert tree.find(".//x:context[@context-type='x-gettext-msgctxt']", NS).text in {
        "title",
        "table",
        "answer",
        "typed answer",
    }

    cleared = read_catalog(path)
    for message in cleared:
        if message.id:
            message.string = ""
            message.flags.discard("fuzzy")
    write_catalog(path, cleared)
    result = run_cli("i18n", "import-xliff", workspace.course, xlf)
    assert result.code == 0, result.err
    assert _entries(path) == before


def test_a_broken_xliff_is_reported_with_its_line(workspace: Workspace) -> None:
    run_cli("i18n", "update", workspace.course, "--lang", "fr")
    xlf = workspace.root / "fr.xlf"
    xlf.write_text('<?xml version="1.0"?>\n<xliff version="1.2">\n<file>\n</xliff>\n')
    result = run_cli("i18n", "import-xliff", workspace.course, xlf)
    assert result.code == 1
    assert "fr.xlf:4: not well-formed XML" in result.err


FIGURE = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200" height="100">
  <title>Who the street is for</title>
  <rect x="10" y="10" width="120" height="50" fill="#e0e0e0"/>
  <g font-family="sans-serif" font-size="14">
    <text x="70" y="30" text-anchor="middle">Streets</text>
    <text x="70" y="48" text-anchor="middle">for people</text>
    <text x="150" y="80"><tspan font-weight="bold">Walk:</tspan> first</text>
  </g>
</svg>
"""
# (msgctxt, msgid): the figure's title has the words of the image's title in the module, so it
# gets the context "figure"; the module's title must stay unmarked.
FIGURE_MESSAGES = {
    ("figure", "Who the street is for"),
    (None, "Streets\nfor people"),
    (None, "<1>Walk:</1> first"),
}
# XLIFF 1.2 (strict schema): the values this export may use where the standard lists them.
SIZE_UNITS = {"byte", "char", "col", "cm", "dlgunit", "em", "ex", "glyph", "in", "mm"}
SIZE_UNITS |= {"percent", "pixel", "point", "row"}
CONTEXT_TYPES = {"sourcefile", "linenumber"}


@pytest.fixture
def with_figure(workspace: Workspace) -> Workspace:
    (workspace.course / "media" / "streets.svg").write_text(FIGURE, encoding="utf-8")
    workspace.edit(
        "modules/01-reading.md",
        "### Lists\n",
        '![Streets for people](../media/streets.svg "Who the street is for")\n\n### Lists\n',
    )
    assert run_cli("i18n", "update", workspace.course, "--lang", "fr").code == 0
    return workspace


def _export(workspace: Workspace, language: str) -> etree._ElementTree:
    xlf = workspace.root / f"{language}.xlf"
    result = run_cli("i18n", "export-xliff", workspace.course, "--lang", language, "-o", xlf)
    assert result.code == 0, result.err
    return etree.parse(str(xlf))


def _units(tree: etree._ElementTree) -> dict[tuple[str | None, str], etree._Element]:
    """Each trans-unit by the (msgctxt, msgid) that the import reads it as."""
    _, read = read_xliff(etree.tostring(tree))
    elements = tree.findall(".//x:trans-unit", NS)
    return {
        (unit.context, unit.msgid): element for unit, element in zip(read, elements, strict=True)
    }


def _assert_xliff_12(tree: etree._ElementTree) -> None:
    """The rules of the XLIFF 1.2 schema that the figure marking could break."""
    for unit in tree.iterfind(".//x:trans-unit", NS):
        children = [etree.QName(child).localname for child in unit]
        assert children[:2] == ["source", "target"]
        assert set(children[2:]) <= {"note", "context-group"}
        restype = unit.get("restype")
        assert restype is None or restype.startswith("x-")
        assert unit.get("size-unit") in {None, *SIZE_UNITS}
        assert unit.get("maxheight") is None or unit.get("maxheight").isdigit()
        for inline in [*unit.find("x:source", NS).iter(), *unit.find("x:target", NS).iter()]:
            if inline.tag in {f"{{{NS['x']}}}source", f"{{{NS['x']}}}target"}:
                continue
            assert etree.QName(inline).localname in {"x", "g"}
            assert inline.get("id") and inline.get("ctype", "").startswith("x-")
        for note in unit.iterfind("x:note", NS):
            assert note.get("priority") in {None, *map(str, range(1, 11))}
            assert note.get("annotates") in {None, "source", "target", "general"}
        for context in unit.iterfind("x:context-group/x:context", NS):
            kind = context.get("context-type")
            assert kind in CONTEXT_TYPES or kind.startswith("x-")


def test_the_xliff_marks_the_words_of_a_figure_and_only_them(with_figure: Workspace) -> None:
    tree = _export(with_figure, "fr")
    _assert_xliff_12(tree)
    units = _units(tree)
    assert (None, "Who the street is for") in units  # the image's title in the module
    marked = {key for key, unit in units.items() if unit.get("restype") == "x-figure-text"}
    assert marked == FIGURE_MESSAGES

    label = units[None, "Streets\nfor people"]
    assert (label.get("maxheight"), label.get("size-unit")) == ("2", "row")
    first = label.find("x:note", NS)  # a CAT tool shows the first-priority note first
    assert first.get("priority") == "1"
    assert "Words of the figure media/streets.svg" in first.text
    assert "drawn inside shapes" in first.text
    assert "keep its 2 lines" in first.text
    flags = label.find("x:context-group[@name='x-gettext-flags']/x:context", NS)
    assert flags.text == "figure-text"
    styled = units[None, "<1>Walk:</1> first"]
    assert styled.get("maxheight") == "1"
    assert "style tags" in styled.find("x:note", NS).text
    source = styled.find("x:source", NS)  # the style tag is a pair the CAT tool protects
    assert [(etree.QName(g).localname, g.get("id"), g.text) for g in source] == [
        ("g", "1", "Walk:")
    ]
    assert source[0].tail == " first"

    for key, unit in units.items():
        if key in FIGURE_MESSAGES:
            continue
        assert unit.get("maxheight") is None and unit.get("size-unit") is None, key
        assert unit.find("x:note[@priority]", NS) is None, key
        assert unit.find("x:context-group[@name='x-gettext-flags']", NS) is None, key


def test_a_figure_label_edited_in_the_xliff_comes_back_still_flagged(
    with_figure: Workspace,
) -> None:
    tree = _export(with_figure, "fr")
    units = _units(tree)
    translations = {
        "Streets\nfor people": ("Des rues\npour tous", "translated"),
        "Reading material": ("Lectures", "translated"),
    }
    for text, (string, state) in translations.items():
        target = units[None, text].find("x:target", NS)
        target.text = string
        target.set("state", state)
    # a CAT tool writes the protected style tag back as the pair it was given
    target = units[None, "<1>Walk:</1> first"].find("x:target", NS)
    target.set("state", "needs-review-translation")
    etree.SubElement(target, f"{{{NS['x']}}}g", id="1", ctype="x-figure-style").text = "Marcher :"
    target[0].tail = " d’abord"
    xlf = with_figure.root / "fr-done.xlf"
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")

    result = run_cli("i18n", "import-xliff", with_figure.course, xlf)
    assert result.code == 0, result.err
    catalog = read_catalog(with_figure.po("fr"))
    label = catalog.get("Streets\nfor people")
    assert (label.string, label.flags) == ("Des rues\npour tous", {"figure-text"})
    styled = catalog.get("<1>Walk:</1> first")
    assert styled.string == "<1>Marcher :</1> d’abord"
    assert styled.flags == {"figure-text", "fuzzy"}
    assert catalog.get("Reading material").flags == set()
    assert {(m.context, m.id) for m in catalog if "figure-text" in m.flags} == FIGURE_MESSAGES

    # and the next export marks them again, translated or not
    again = _export(with_figure, "fr")
    _assert_xliff_12(again)
    marked = {key for key, unit in _units(again).items() if unit.get("restype") == "x-figure-text"}
    assert marked == FIGURE_MESSAGES
