"""The package pages' own words come from translators' catalogs in translations/package-pages/."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from babel.messages.pofile import read_po

from packager.formats import scorm2004
from packager.i18n.check import check_file
from packager.i18n.pages import po_path, template_path
from packager.loader import load_course
from packager.render.strings import ENGLISH, WHERE, ui_strings
from tests.fixtures.scorm import TINY_COURSE

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


@pytest.mark.parametrize(
    ("language", "eighty"),
    [("en", "80%"), ("fr", "80\u00a0%"), ("ru", "80\u00a0%"), ("zh", "80%"), ("ar", "80%")],
)
def test_scores_are_written_as_babel_writes_percentages_in_the_language(
    language: str, eighty: str
) -> None:
    course, diagnostics = load_course(TINY_COURSE)
    assert course is not None, diagnostics
    files = scorm2004.package_files(replace(course, language=language), "single")
    found = re.search(
        r'<script type="application/json" id="mafunzo-data">(.*?)</script>',
        files["index.html"].decode(),
    )
    assert found
    data = json.loads(found.group(1))
    assert data["percents"][80] == eighty and len(data["percents"]) == 101
    assert "{score}" in data["strings"]["score"] and "%" not in data["strings"]["score"]
