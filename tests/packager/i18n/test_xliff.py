"""XLIFF 1.2 export and import: a vendor's round trip keeps every message, context and flag."""

from __future__ import annotations

from lxml import etree

from packager.i18n.catalog import read_catalog, write_catalog
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
