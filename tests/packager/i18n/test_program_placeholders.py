"""`i18n check` on interface catalogs: the placeholders a program fills in must survive."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures.i18n import run_cli

HEADER = (
    'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
)


def _check(tmp_path: Path, entries: str):
    path = tmp_path / "fr.po"
    path.write_text(HEADER + entries, encoding="utf-8")
    return run_cli("i18n", "check", path)


def test_a_renamed_or_lost_placeholder_is_an_error(tmp_path: Path) -> None:
    result = _check(
        tmp_path,
        'msgid "Welcome, %(name)s."\nmsgstr "Bienvenue, %(nom)s."\n\n'
        'msgid "Open “{title}” from the menu."\nmsgstr "Ouvrez le cours depuis le menu."\n',
    )
    assert result.code == 1
    assert "fr.po:7: error: `%(nom)s` is not in the source text" in result.err
    assert "fr.po:7: error: `%(name)s` is missing" in result.err
    assert "fr.po:10: error: `{title}` is missing" in result.err


def test_a_plural_form_may_spell_the_number_out(tmp_path: Path) -> None:
    result = _check(
        tmp_path,
        'msgid "%(count)d course"\nmsgid_plural "%(count)d courses"\n'
        'msgstr[0] "un cours"\nmsgstr[1] "%(count)d cours"\n',
    )
    assert result.code == 0, result.err
    assert "fr.po:7: warning: `%(count)d` is missing" in result.err


def test_percent_signs_and_braces_in_prose_are_not_placeholders(tmp_path: Path) -> None:
    result = _check(
        tmp_path,
        'msgid "About 50% of people live in cities, 70% of them in Asia."\n'
        'msgstr "Environ 50 % des gens vivent en ville, dont 70 % en Asie."\n',
    )
    assert result.code == 0, result.err
    assert "error" not in result.err
