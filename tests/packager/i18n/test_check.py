"""`mafunzo i18n check`: each mistake a translator can make is named at its .po line."""

from __future__ import annotations

import pytest

from packager.i18n.catalog import read_catalog, write_catalog
from tests.fixtures.i18n import Workspace, run_cli

LINK = (
    'Read [the questions](%1) or visit [the UN website](%2 "United Nations").\n'
    "Here is a small ![blue square icon](%3) inside a sentence."
)
LINK_FR = (
    'Lisez [les questions](%1) ou visitez [le site de l’ONU](%2 "Nations Unies").\n'
    "Voici une petite ![icône carrée bleue](%3) dans une phrase."
)
BOLD = "Welcome: this is **strong advice**, a little _emphasis_ and some `inline code`."
BOLD_FR = "Bienvenue : voici un **conseil fort**, un peu d’_emphase_ et du `code en ligne`."
QUESTION = "Which city hosted **Habitat Three**?"
FEEDBACK = "Yes, in October 2016."


@pytest.fixture
def french(workspace: Workspace) -> Workspace:
    run_cli("i18n", "update", workspace.course, "--lang", "fr")
    return workspace


def _translate(workspace: Workspace, strings: dict[str, str]) -> int:
    """Sets the translations; returns the .po line of the last one."""
    path = workspace.po("fr")
    catalog = read_catalog(path)
    for msgid, string in strings.items():
        catalog.get(msgid).string = string
    write_catalog(path, catalog)
    return read_catalog(path).get(list(strings)[-1]).lineno


def _check(workspace: Workspace):
    return run_cli("i18n", "check", workspace.course, "--lang", "fr")


def test_good_translations_pass(french: Workspace) -> None:
    _translate(french, {LINK: LINK_FR, BOLD: BOLD_FR, FEEDBACK: "Oui, en octobre 2016."})
    result = _check(french)
    assert result.code == 0, result.err
    assert ": error:" not in result.err
    assert "messages not translated yet" in result.err


@pytest.mark.parametrize(
    ("msgid", "string", "problem"),
    [
        (LINK, LINK_FR.replace("](%2 ", "](https://un.org "), "placeholder %2 is missing"),
        (LINK, LINK_FR.replace("](%3)", "](%4)"), "placeholder %4 is not in the source text"),
        (LINK, LINK_FR.replace("![icône", "[icône"), "an image (`![...](%N)`) lost"),
        (LINK, LINK_FR.replace("![icône", "[icône"), "a link (`[...](%N)`) added"),
        (BOLD, BOLD_FR.replace("**conseil fort**", "conseil fort"), "bold (`**`) lost"),
        (BOLD, BOLD_FR.replace("**conseil fort**", "**conseil fort"), "`**` is not closed"),
        (BOLD, BOLD_FR.replace("_emphase_", "emphase"), "emphasis (`_`) lost"),
        (BOLD, BOLD_FR.replace("`code en ligne`", "code en ligne"), "code (`` ` ``) lost"),
        (QUESTION, "Quelle ville a accueilli **« Habitat III »**？", ""),
        (QUESTION, "哪个城市主办了**“人居三”**会议？", "`**` is not closed"),
        (FEEDBACK, "Oui, en octobre 2017.", "warning: the number 2016 is missing or changed"),
        (FEEDBACK, "   ", "the translation is blank"),
        (
            "Key terms are listed in the glossary.",
            "Key terms are listed in the glossary.",
            "the translation is a copy of the source text",
        ),
    ],
)
def test_each_mistake_is_reported_at_its_entry(
    french: Workspace, msgid: str, string: str, problem: str
) -> None:
    line = _translate(french, {msgid: string})
    result = _check(french)
    if not problem:  # punctuation inside the markup closes fine outside CJK
        assert ": error:" not in result.err, result.err
        return
    expected = f"translations/i18n-course/fr.po:{line}: "
    matching = [row for row in result.err.splitlines() if problem in row]
    assert matching and all(expected in row for row in matching), result.err
    assert result.code == (0 if "warning:" in problem else 1)


def test_a_changed_url_is_reported(workspace: Workspace) -> None:
    workspace.edit(
        "modules/01-reading.md",
        "Key terms are listed in the glossary.",
        "Key terms are listed at <https://unhabitat.org/glossary>.",
    )
    run_cli("i18n", "update", workspace.course, "--lang", "fr")
    _translate(
        workspace,
        {
            "Key terms are listed at <https://unhabitat.org/glossary>.": (
                "Les termes clés figurent sur <https://unhabitat.org/fr/glossaire>."
            )
        },
    )
    result = _check(workspace)
    assert result.code == 1
    assert "the URL https://unhabitat.org/glossary is missing or changed" in result.err


def test_wrong_plural_forms_and_plural_entries_are_reported(french: Workspace) -> None:
    path = french.po("fr")
    text = path.read_text(encoding="utf-8").replace("nplurals=2; plural=(n > 1);", "nplurals=1;")
    text += 'msgid "one city"\nmsgid_plural "%d cities"\nmsgstr[0] "une ville"\n'
    path.write_text(text, encoding="utf-8")
    result = run_cli("i18n", "check", path)
    assert result.code == 1
    assert "fr.po:1: error: Plural-Forms for `fr` must be `nplurals=2; plural=(n > 1);`" in (
        result.err
    )
    last = len(text.splitlines()) - 2
    assert f"fr.po:{last}: error: 1 plural forms where this language has" in result.err


def test_fuzzy_entries_are_pointed_out(french: Workspace) -> None:
    path = french.po("fr")
    catalog = read_catalog(path)
    catalog.get(FEEDBACK).string = "Oui, en octobre 2016."
    catalog.get(FEEDBACK).flags.add("fuzzy")
    write_catalog(path, catalog)
    result = _check(french)
    assert result.code == 0
    assert "warning: fuzzy: review the translation, then remove the fuzzy flag" in result.err


def test_an_autolink_turned_into_plain_text_is_a_lost_link(workspace: Workspace) -> None:
    workspace.edit(
        "modules/01-reading.md",
        "Key terms are listed in the glossary.",
        "Key terms are listed at <https://unhabitat.org/glossary>.",
    )
    run_cli("i18n", "update", workspace.course, "--lang", "fr")
    line = _translate(
        workspace,
        {
            "Key terms are listed at <https://unhabitat.org/glossary>.": (
                "Les termes clés figurent sur https://unhabitat.org/glossary."
            )
        },
    )
    result = _check(workspace)
    assert result.code == 1
    assert f"fr.po:{line}: error: a link (`[...](%N)`) lost: the source has 1" in result.err


def test_a_file_for_another_language_is_reported(french: Workspace) -> None:
    path = french.po("fr")
    renamed = path.with_name("es.po")
    renamed.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("i18n", "check", renamed)
    assert result.code == 1
    assert "es.po:1: error: `Language: fr` in a file for `es`" in result.err


def test_messages_missing_from_the_file_are_pointed_out(french: Workspace) -> None:
    french.edit("modules/01-reading.md", "Its second paragraph.", "Its rewritten paragraph.")
    result = _check(french)
    assert "fr.po:1: warning: 1 messages of the course are not in this file" in result.err


def test_a_gettext_tree_file_takes_its_language_from_the_header(french: Workspace) -> None:
    tree = french.root / "locale" / "fr" / "LC_MESSAGES"
    tree.mkdir(parents=True)
    text = french.po("fr").read_text(encoding="utf-8")
    (tree / "messages.po").write_text(text, encoding="utf-8")
    assert run_cli("i18n", "check", tree / "messages.po").code == 0
    nameless = french.root / "messages.po"
    nameless.write_text(text.replace('"Language: fr\\n"\n', ""), encoding="utf-8")
    result = run_cli("i18n", "check", nameless)
    assert result.code == 1
    assert "messages.po:1: which language is this?" in result.err
