"""`mafunzo i18n update`: a translator's .po follows the sources without losing work."""

from __future__ import annotations

import pytest

from packager.i18n.catalog import read_catalog, write_catalog
from tests.fixtures.i18n import Workspace, run_cli

PLURAL_FORMS = {
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 ? 4 : 5);",
    "zh": "nplurals=1; plural=0;",
    "fr": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "es": "nplurals=2; plural=(n != 1);",
}


def _read(path):
    return read_catalog(path)


def _translate(workspace: Workspace, language: str, strings: dict[str, str]) -> None:
    catalog = _read(workspace.po(language))
    for msgid, string in strings.items():
        catalog.get(msgid).string = string
    write_catalog(workspace.po(language), catalog)


def test_creates_a_po_per_language_with_its_headers(workspace: Workspace) -> None:
    result = run_cli("i18n", "update", workspace.course)
    assert result.code == 0, result.err
    for language, plural_forms in PLURAL_FORMS.items():
        text = workspace.po(language).read_text(encoding="utf-8")
        assert f'"Language: {language}\\n"' in text
        flat = text.replace('"\n"', "")
        assert f"Plural-Forms: {plural_forms}\\n" in flat
        assert f"{language}: created" in result.out
    assert not workspace.po("en").exists()


def test_a_changed_paragraph_becomes_fuzzy_with_its_previous_msgid(workspace: Workspace) -> None:
    run_cli("i18n", "update", workspace.course, "--lang", "fr")
    _translate(
        workspace,
        "fr",
        {
            "Key terms are listed in the glossary.": "Les termes clés figurent dans le glossaire.",
            "Its second paragraph.": "Son second paragraphe.",
        },
    )
    workspace.edit(
        "modules/01-reading.md",
        "Key terms are listed in the glossary.",
        "Key terms are all listed in the glossary.",
    )
    workspace.edit("modules/01-reading.md", ">\n> Its second paragraph.\n", "")
    result = run_cli("i18n", "update", workspace.course, "--lang", "fr")
    assert result.code == 0, result.err
    assert "fr: updated; 0 new, 1 fuzzy, 1 obsolete" in result.out
    catalog = _read(workspace.po("fr"))
    changed = catalog.get("Key terms are all listed in the glossary.")
    assert changed.fuzzy
    assert changed.string == "Les termes clés figurent dans le glossaire."
    assert changed.previous_id == ["Key terms are listed in the glossary."]
    assert "Its second paragraph." in catalog.obsolete
    text = workspace.po("fr").read_text(encoding="utf-8")
    assert '#| msgid "Key terms are listed in the glossary."' in text
    assert '#~ msgid "Its second paragraph."' in text
    run_cli("i18n", "update", workspace.course, "--lang", "fr")
    assert workspace.po("fr").read_text(encoding="utf-8") == text  # nothing lost on a re-run


def test_fuzzy_entries_are_not_used_in_a_build_language(workspace: Workspace) -> None:
    from packager.i18n.translate import load_translation
    from packager.loader import load_course

    run_cli("i18n", "update", workspace.course, "--lang", "fr")
    _translate(workspace, "fr", {"Key terms are listed in the glossary.": "Termes clés."})
    workspace.edit("modules/01-reading.md", "are listed in", "are all listed in")
    run_cli("i18n", "update", workspace.course, "--lang", "fr")
    course, _ = load_course(workspace.course)
    translated = load_translation(course, "fr")
    page = translated.course.modules[0].pages[-1]
    assert page.blocks[0].text == "Key terms are all listed in the glossary."
    assert translated.completeness.fuzzy == 1
    assert translated.completeness.translated == 0


@pytest.mark.parametrize("language", ["de"])
def test_a_language_the_course_does_not_offer_is_refused(
    workspace: Workspace, language: str
) -> None:
    result = run_cli("i18n", "update", workspace.course, "--lang", language)
    assert result.code == 2
    assert "de not in the course's `languages`" in result.err
