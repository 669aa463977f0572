"""`mafunzo i18n stats`: how far each language has come, as a table and as JSON."""

from __future__ import annotations

import json

from packager.i18n.catalog import read_catalog, write_catalog
from tests.fixtures.i18n import Workspace, run_cli


def test_counts_messages_and_words_per_language(workspace: Workspace) -> None:
    run_cli("i18n", "update", workspace.course)
    path = workspace.po("fr")
    catalog = read_catalog(path)
    catalog.get("Reading material").string = "Lectures"
    catalog.get("Its second paragraph.").string = "Son second paragraphe."
    fuzzy = catalog.get("Lists")
    fuzzy.string = "Listes"
    fuzzy.flags.add("fuzzy")
    write_catalog(path, catalog)

    result = run_cli("i18n", "stats", workspace.course, "--json")
    assert result.code == 0, result.err
    rows = {row["language"]: row for row in json.loads(result.out)}
    assert set(rows) == {"ar", "zh", "fr", "ru", "es"}
    french = rows["fr"]
    total = french["messages"]
    assert total == len([m for m in read_catalog(workspace.pot) if m.id])
    assert (french["translated"], french["fuzzy"], french["untranslated"]) == (2, 1, total - 3)
    assert french["translated_words"] == 2 + 3  # "Reading material", "Its second paragraph."
    assert rows["ar"]["translated"] == 0 and rows["ar"]["untranslated"] == total

    table = run_cli("i18n", "stats", workspace.course, "--lang", "fr").out.splitlines()
    assert table[0].split() == [
        "course", "lang", "done", "messages", "words", "fuzzy", "untranslated"
    ]  # fmt: skip
    assert table[1].split()[:4] == ["i18n-course", "fr", f"{2 / total:.0%}", f"2/{total}"]


def test_a_language_without_a_po_counts_as_untranslated(workspace: Workspace) -> None:
    result = run_cli("i18n", "stats", workspace.course, "--lang", "ru", "--json")
    (row,) = json.loads(result.out)
    assert row["translated"] == 0 and row["untranslated"] == row["messages"] > 0
