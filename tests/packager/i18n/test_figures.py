"""The words inside a course's SVG figures: extracted for translators, translated in packages."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from lxml import etree

from packager.i18n.catalog import read_catalog, write_catalog
from tests.fixtures.i18n import Workspace, run_cli

SVG = "{http://www.w3.org/2000/svg}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

LABELS = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 200" width="300" height="200">
  <title>Five steps to plan a street</title>
  <desc>A diagram of the steps, from the survey to the opening.</desc>
  <rect x="0" y="0" width="300" height="200" fill="#ffffff"/>
  <g font-family="sans-serif" font-size="14">
    <text x="150" y="30" text-anchor="middle">Streets</text>
    <!-- a comment between two lines does not split their label -->
    <text x="150" y="48" text-anchor="middle">for people</text>
    <text x="20" y="80">1976</text>
    <text x="80" y="80">50%</text>
    <text x="20" y="110"><tspan font-weight="bold">Survey:</tspan> count who walks</text>
    <text x="20" y="150"><tspan x="20" dy="0">Open the street</tspan>
      <tspan x="20" dy="16">to everyone</tspan></text>
  </g>
</svg>
"""
UNUSED = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
  <text x="1" y="5">Never shown</text>
</svg>
"""
ICON = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20"><text y="10">Walk</text></svg>
"""
FRENCH = {
    "Five steps to plan a street": "Cinq étapes pour aménager une rue",
    "A diagram of the steps, from the survey to the opening.": (
        "Un schéma des étapes, de l’enquête à l’ouverture."
    ),
    "Streets\nfor people": "Des rues\npour tous",
    "<1>Survey:</1> count who walks": "<1>Enquête :</1> compter les piétons",
    "Open the street\nto everyone": "Ouvrir la rue\nà tout le monde",
}


@pytest.fixture
def with_figure(workspace: Workspace) -> Workspace:
    media = workspace.course / "media"
    (media / "labels.svg").write_text(LABELS, encoding="utf-8")
    (media / "unused.svg").write_text(UNUSED, encoding="utf-8")
    (media / "icon.svg").write_text(ICON, encoding="utf-8")
    path = workspace.course / "modules" / "01-reading.md"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "\nA person ![walking](../media/icon.svg) marks a footpath.\n"
        + '\n![Five steps, from the survey to the opening](../media/labels.svg "Five steps")\n',
        encoding="utf-8",
    )
    return workspace


def _figure_messages(path: Path) -> dict[str, object]:
    with path.open("rb") as source:
        catalog = read_po(source)
    return {m.id: m for m in catalog if m.id and "figure-text" in m.flags}


def test_extract_takes_the_words_of_the_figures_a_module_shows(with_figure: Workspace) -> None:
    assert run_cli("i18n", "extract", with_figure.course).code == 0
    messages = _figure_messages(with_figure.pot)

    assert list(messages) == [
        "Walk",  # an image inside a sentence, shown first
        "Five steps to plan a street",
        "A diagram of the steps, from the survey to the opening.",
        "Streets\nfor people",  # two <text> lines of one label
        "<1>Survey:</1> count who walks",  # a bold tspan inside the line
        "Open the street\nto everyone",  # a <text> made of positioned tspan lines
    ]  # not "1976" nor "50%", nothing of unused.svg, nothing of square.svg (no text)
    streets = messages["Streets\nfor people"]
    assert streets.locations == [("media/labels.svg", 6)]
    assert streets.auto_comments[0].startswith("text in figure media/labels.svg")
    assert "2 lines" in streets.auto_comments[0]
    assert messages["<1>Survey:</1> count who walks"].locations == [("media/labels.svg", 11)]
    assert (
        "title of figure media/labels.svg"
        in messages["Five steps to plan a street"].auto_comments[0]
    )

    before = with_figure.pot.read_bytes()
    assert run_cli("i18n", "extract", with_figure.course).code == 0
    assert with_figure.pot.read_bytes() == before


def _translate(workspace: Workspace, language: str, strings: dict[str, str]) -> None:
    assert run_cli("i18n", "update", workspace.course, "--lang", language).code == 0
    path = workspace.po(language)
    catalog = read_catalog(path, language)
    for message in catalog:
        if message.id:
            message.string = strings.get(message.id, f"[{language}] {message.id}")
            message.flags.discard("fuzzy")
    write_catalog(path, catalog)


def _build(workspace: Workspace, language: str, out: Path) -> Path:
    result = run_cli(
        "build", workspace.course, "--format", "scorm12", "--lang", language, "--out", out
    )
    assert result.code == 0, result.err
    (package,) = out.iterdir()
    return package


def test_a_translated_package_carries_translated_figures(with_figure: Workspace) -> None:
    _translate(with_figure, "fr", FRENCH)
    package = _build(with_figure, "fr", with_figure.root / "one")
    with zipfile.ZipFile(package) as archive:
        figure = archive.read("media/labels.svg")
        square = archive.read("media/square.svg")
        unused = archive.read("media/unused.svg")
        pages = b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".html"))

    root = etree.fromstring(figure)
    assert root.get(XML_LANG) == "fr"
    assert root.get("direction") is None
    words = " ".join(root.itertext())
    for english in ("Streets", "for people", "Survey", "count who walks", "Open the street"):
        assert english not in words
    texts = root.findall(f".//{SVG}text")
    assert [" ".join("".join(t.itertext()).split()) for t in texts] == [
        "Des rues",
        "pour tous",
        "1976",
        "50%",
        "Enquête : compter les piétons",
        "Ouvrir la rue à tout le monde",
    ]
    assert texts[4][0].get("font-weight") == "bold" and texts[4][0].text == "Enquête :"
    assert [t.get("dy") for t in texts[5]] == ["0", "16"]  # the lines keep their places
    assert root.findtext(f"{SVG}title") == FRENCH["Five steps to plan a street"]
    assert b'src="media/labels.svg"' in pages  # same path: links stay valid
    source = with_figure.course / "media"
    assert square == (source / "square.svg").read_bytes()  # no words: copied as drawn
    assert unused == (source / "unused.svg").read_bytes()  # not shown by a module

    again = _build(with_figure, "fr", with_figure.root / "two")
    assert again.read_bytes() == package.read_bytes()


def test_arabic_figures_read_right_to_left_in_their_places(with_figure: Workspace) -> None:
    _translate(with_figure, "ar", {"Streets\nfor people": "شوارع\nللناس"})
    with zipfile.ZipFile(_build(with_figure, "ar", with_figure.root / "ar")) as archive:
        root = etree.fromstring(archive.read("media/labels.svg"))
    assert root.get(XML_LANG) == "ar"
    texts = root.findall(f".//{SVG}text")
    assert [t.text for t in texts[:2]] == ["شوارع", "للناس"]
    assert {t.get("direction") for t in texts[:2]} == {"rtl"}
    assert texts[0].get("text-anchor") == "middle"  # centred stays centred
    # a left-aligned label: `end` in a right-to-left line keeps it starting at the same x
    assert texts[4].get("direction") == "rtl" and texts[4].get("text-anchor") == "end"
    assert texts[2].get("direction") is None  # "1976" is not translated


def test_check_reports_a_figure_label_with_lines_or_tags_lost(with_figure: Workspace) -> None:
    strings = dict(FRENCH)
    strings["Streets\nfor people"] = "Des rues pour tous"
    strings["<1>Survey:</1> count who walks"] = "Enquête : compter les piétons"
    _translate(with_figure, "fr", strings)
    result = run_cli("i18n", "check", with_figure.course, "--lang", "fr")
    assert result.code == 1
    assert "the figure label has 2 lines and the translation 1: keep 2 lines" in result.err
    assert "the tag <1> of the figure label is missing" in result.err
