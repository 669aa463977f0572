"""The package pages' own words come from translators' catalogs in translations/package-pages/."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from packager.i18n.check import check_file
from packager.i18n.pages import po_path, template_path
from packager.render.strings import ENGLISH, WHERE, ui_strings

TRANSLATED = ["ar", "zh", "fr", "ru", "es"]


def test_the_template_is_up_to_date_with_the_english_words() -> None:
    with template_path().open("rb") as source:
        template = {(m.context, m.id, tuple(m.auto_comments)) for m in read_po(source) if m.id}
    assert template == {(key, text, (WHERE[key],)) for key, text in ENGLISH.items()}, (
        "run `mafunzo i18n update-pages`"
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_language_is_complete_clean_and_used(language: str) -> None:
    path = po_path(language)
    assert check_file(path, language) == []
    with path.open("rb") as source:
        finished = {m.context: m.string for m in read_po(source) if m.id and m.string}
    assert set(finished) == set(ENGLISH)
    assert ui_strings(language) == finished
    assert ui_strings(f"{language}-XX") == finished  # by the primary subtag


def test_a_language_without_a_catalog_reads_english() -> None:
    assert ui_strings("de") == ENGLISH
    assert ui_strings("fr")["next"] == "Suivant"
