"""`mafunzo i18n import-markdown`: a translated copy of the Markdown becomes the language's .po."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from packager.i18n.catalog import read_catalog, write_catalog
from tests.fixtures.i18n import Workspace, run_cli

LINKS_EN = (
    'Read [the questions](02-questions.md#choosing) or visit [the UN website](https://www.un.org/en/ "United Nations").\n'  # noqa: E501
    "Here is a small ![blue square icon](../media/square.svg) inside a sentence."
)
LINKS_FR = (
    'Visitez [le site de l’ONU](https://www.un.org/en/ "Organisation des Nations Unies") ou lisez [les questions](02-questions.md#choosing).\n'  # noqa: E501
    "Voici une petite ![icône carrée bleue](../media/square.svg) dans une phrase."
)


@pytest.fixture
def copy(workspace: Workspace) -> Path:
    target = workspace.root / "nua-fr"
    shutil.copytree(workspace.course, target)
    return target


def _edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_pairs_each_message_with_the_same_place_in_the_copy(
    workspace: Workspace, copy: Path
) -> None:
    _edit(copy, "course.yaml", "title: Every construct, for translators", "title: Tout y est")
    _edit(copy, "modules/01-reading.md", LINKS_EN, LINKS_FR)
    _edit(copy, "modules/01-reading.md", "- Second bullet point", "- Deuxième puce")
    _edit(copy, "modules/02-questions.md", "= San Francisco de Quito", "= San Francisco de Quito")
    _edit(copy, "modules/02-questions.md", "- Habitat Three -> Quito", "- Habitat III -> Quito")
    _edit(
        copy,
        "modules/02-questions.md",
        "  > It is a political commitment.",
        "  > C’est un engagement politique.",
    )

    result = run_cli("i18n", "import-markdown", workspace.course, "--lang", "fr", copy)
    assert result.code == 0, result.err
    catalog = read_catalog(workspace.po("fr"))
    assert catalog.get("Every construct, for translators").string == "Tout y est"
    link = catalog.get(
        'Read [the questions](%1) or visit [the UN website](%2 "United Nations").\n'
        "Here is a small ![blue square icon](%3) inside a sentence."
    )
    assert link.string == (
        'Visitez [le site de l’ONU](%2 "Organisation des Nations Unies") ou lisez '
        "[les questions](%1).\nVoici une petite ![icône carrée bleue](%3) dans une phrase."
    )
    assert catalog.get("Second bullet point").string == "Deuxième puce"
    assert catalog.get("Habitat Three", context="answer").string == "Habitat III"
    assert catalog.get("It is a political commitment.").string == "C’est un engagement politique."
    assert not any(m.fuzzy for m in catalog if m.id)


def test_a_copy_with_a_different_structure_is_refused_at_the_place(
    workspace: Workspace, copy: Path
) -> None:
    _edit(copy, "modules/01-reading.md", "- Third bullet point\n", "")
    result = run_cli("i18n", "import-markdown", workspace.course, "--lang", "fr", copy)
    assert result.code == 1
    first = result.err.splitlines()[0]
    assert "nua-fr/modules/01-reading.md:24: error: the structure differs from the source" in first
    assert "found list (ordered) where " in first
    assert "courses/i18n-course/modules/01-reading.md:23 has list item" in first
    assert not workspace.po("fr").exists()


def test_a_changed_link_target_is_refused(workspace: Workspace, copy: Path) -> None:
    _edit(copy, "modules/01-reading.md", "(https://www.un.org/en/", "(https://www.un.org/fr/")
    result = run_cli("i18n", "import-markdown", workspace.course, "--lang", "fr", copy)
    assert result.code == 1
    assert (
        "nua-fr/modules/01-reading.md:13: error: link or image target "
        "`https://www.un.org/fr/` is not in the source text"
    ) in result.err


SIGN = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">
  <rect x="2" y="2" width="116" height="36" fill="#ffffff" stroke="#000000"/>
  <text x="60" y="26" text-anchor="middle" font-size="14">Bus stop</text>
</svg>
"""


def test_figure_words_stay_in_the_po_and_a_translated_figure_is_pointed_out(
    workspace: Workspace,
) -> None:
    (workspace.course / "media" / "sign.svg").write_text(SIGN, encoding="utf-8")
    workspace.edit(
        "modules/01-reading.md", "### Lists\n", "![A sign](../media/sign.svg)\n\n### Lists\n"
    )
    assert run_cli("i18n", "update", workspace.course, "--lang", "fr").code == 0
    copy = workspace.root / "nua-fr"
    shutil.copytree(workspace.course, copy)
    _edit(copy, "modules/01-reading.md", "- Second bullet point", "- Deuxième puce")

    result = run_cli("i18n", "import-markdown", workspace.course, "--lang", "fr", copy)
    assert result.code == 0, result.err
    assert "1 figure message is not in the Markdown: translate in the .po" in result.out
    assert result.err == ""  # the copy's figure is the source's: nothing to say
    catalog = read_catalog(workspace.po("fr"))
    assert catalog.get("Second bullet point").string == "Deuxième puce"
    sign = catalog.get("Bus stop")
    assert (sign.string, sign.flags) == ("", {"figure-text"})

    # translated in the .po, then the translator also redraws the figure in their copy
    sign.string = "Arrêt de bus"
    write_catalog(workspace.po("fr"), catalog)
    _edit(copy, "media/sign.svg", ">Bus stop<", ">Arrêt<")
    result = run_cli("i18n", "import-markdown", workspace.course, "--lang", "fr", copy)
    assert result.code == 0, result.err
    assert (
        "nua-fr/media/sign.svg:1: warning: the words of a figure are not imported from the copy"
    ) in result.err
    assert "figure message" not in result.out
    sign = read_catalog(workspace.po("fr")).get("Bus stop")
    assert (sign.string, sign.flags) == ("Arrêt de bus", {"figure-text"})
