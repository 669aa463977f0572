"""A pseudo-translation of every message rebuilds packages in which no English text is left.

Each message becomes ⟦àççéñtéd⟧ text with its placeholders and markup untouched; any English word
still visible in a page or the manifest is a text the extractor missed or the build did not use.
"""

from __future__ import annotations

import re
import zipfile

import pytest
from lxml import etree, html

from packager.i18n.catalog import read_catalog, write_catalog
from packager.i18n.placeholders import PLACEHOLDER
from packager.render.strings import ui_strings
from tests.fixtures.i18n import Workspace, run_cli

_ACCENTS = str.maketrans("aeiouycnAEIOUYCN", "àéîõüÿçñÀÉÎÕÜŸÇÑ")
_WORD = re.compile(r"[A-Za-z]{4,}")
LANGUAGE = "ru"


def pseudo(text: str) -> str:
    parts = PLACEHOLDER.split(text)
    parts[::2] = [part.translate(_ACCENTS) for part in parts[::2]]
    for index in range(1, len(parts), 2):
        parts[index] = f"%{parts[index]}"
    return f"⟦{''.join(parts)}⟧"


def _visible_words(page: bytes) -> set[str]:
    tree = html.fromstring(page)
    for hidden in tree.xpath("//script | //style | //pre"):  # code blocks stay as written
        hidden.drop_tree()
    texts = [tree.text_content()]
    texts += tree.xpath("//@alt | //@title | //@aria-label | //@placeholder")
    return {w.lower() for text in texts for w in _WORD.findall(text)}


def _manifest_words(manifest: bytes) -> set[str]:
    """Words of the item titles and of the metadata strings in the package's language (the
    metadata also carries the course in its other complete languages, English among them)."""
    tree = etree.fromstring(manifest)
    texts = tree.xpath(
        "//*[local-name()='title']/text()"
        f" | //*[local-name()='langstring' or local-name()='string'][@xml:lang='{LANGUAGE}'"
        f" or @language='{LANGUAGE}']/text()"
    )
    return {w.lower() for text in texts for w in _WORD.findall(text)}


@pytest.fixture
def pseudo_translated(workspace: Workspace) -> Workspace:
    run_cli("i18n", "update", workspace.course, "--lang", LANGUAGE)
    path = workspace.po(LANGUAGE)
    catalog = read_catalog(path)
    for message in catalog:
        if message.id:
            message.string = pseudo(message.id)
    write_catalog(path, catalog)
    return workspace


@pytest.mark.parametrize("format_name", ["scorm12", "scorm2004"])
def test_no_english_text_remains(pseudo_translated: Workspace, format_name: str) -> None:
    out = pseudo_translated.root / "dist"
    result = run_cli(
        "build", pseudo_translated.course, "--format", format_name, "--lang", LANGUAGE,
        "--layout", "per-module", "--out", out,
    )  # fmt: skip
    assert result.code == 0, result.err
    catalog = read_catalog(pseudo_translated.po(LANGUAGE))
    english = {w.lower() for m in catalog if m.id for w in _WORD.findall(PLACEHOLDER.sub("", m.id))}
    english -= {w.lower() for t in ui_strings(LANGUAGE).values() for w in _WORD.findall(t)}
    (package,) = out.iterdir()
    with zipfile.ZipFile(package) as archive:
        pages = [n for n in archive.namelist() if n.endswith(".html")]
        assert pages
        seen = set().union(*(_visible_words(archive.read(n)) for n in pages))
        seen |= _manifest_words(archive.read("imsmanifest.xml"))
        body = b"".join(archive.read(n) for n in pages).decode()
    assert seen & english == set()
    assert "⟦Whîçh çîtÿ hõstéd <strong>Hàbîtàt Thréé</strong>?⟧" in body
    assert 'href="media/square.svg"' in body or 'src="media/square.svg"' in body


def test_an_incomplete_language_is_refused_with_its_statistics(
    pseudo_translated: Workspace,
) -> None:
    path = pseudo_translated.po(LANGUAGE)
    catalog = read_catalog(path)
    catalog.get("Lists").flags.add("fuzzy")
    catalog.get("Reading material").string = ""
    write_catalog(path, catalog)
    out = pseudo_translated.root / "dist"
    args = ["build", pseudo_translated.course, "--format", "scorm12", "--lang", LANGUAGE]
    refused = run_cli(*args, "--out", out)
    assert refused.code == 1
    assert f"cannot build '{LANGUAGE}': the translation is incomplete" in refused.err
    assert "1 fuzzy, 1 untranslated" in refused.err
    assert not out.exists() or not any(out.iterdir())

    partial = run_cli(*args, "--out", out, "--allow-partial")
    assert partial.code == 0, partial.err
    assert f"{LANGUAGE}.po:1: warning: built partly in English" in partial.err
