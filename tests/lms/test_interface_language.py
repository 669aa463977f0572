"""The LMS speaks the learner's language: account preference, then switcher, then browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask

from lms.web.i18n import CATALOGS, load_catalogs
from packager.i18n.check import check_file
from tests.fixtures.lms_learning import Learner

TRANSLATED = ["ar", "zh", "fr", "ru", "es"]


def _html(page: str) -> tuple[str, str]:
    found = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', page)
    assert found, page[:200]
    return found.group(1), found.group(2)


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


@pytest.mark.parametrize(
    ("accept", "language", "direction", "catalog_word"),
    [
        ("ar,en;q=0.5", "ar", "rtl", "دليل الدورات"),
        ("zh-CN,zh;q=0.9", "zh", "ltr", "课程目录"),
        ("ru-RU", "ru", "ltr", "Каталог"),
        ("de-DE,de;q=0.9", "en", "ltr", "Catalog"),
    ],
)
def test_the_browser_language_is_used_before_anyone_logs_in(
    lms: Flask, accept: str, language: str, direction: str, catalog_word: str
) -> None:
    page = lms.test_client().get("/", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert _html(page) == (language, direction)
    assert f'<a href="/">{catalog_word}</a>' in page


def test_the_switcher_beats_the_browser_language(lms: Flask) -> None:
    client = lms.test_client()
    headers = {"Accept-Language": "ru"}
    page = client.get("/account/login", headers=headers).get_data(as_text=True)
    answer = client.post(
        "/language",
        data={"csrf_token": _csrf(page), "ui_language": "fr", "next": "/account/login?"},
        headers=headers,
    )
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/account/login"
    page = client.get("/account/login", headers=headers).get_data(as_text=True)
    assert _html(page) == ("fr", "ltr")
    assert "Se connecter" in page


def test_the_switcher_refuses_an_unknown_language_and_an_outside_address(lms: Flask) -> None:
    client = lms.test_client()
    token = _csrf(client.get("/").get_data(as_text=True))
    refused = client.post("/language", data={"csrf_token": token, "ui_language": "de"})
    assert refused.status_code == 400
    assert "choose one of ar, zh, en, fr, ru, es" in refused.get_data(as_text=True)
    elsewhere = client.post(
        "/language", data={"csrf_token": token, "ui_language": "es", "next": "//evil.example/"}
    )
    assert elsewhere.headers["Location"] == "/"
    backslash = client.post(
        "/language", data={"csrf_token": token, "ui_language": "es", "next": "/\\evil.example/"}
    )
    assert backslash.headers["Location"] == "/"


def test_the_account_preference_comes_first_and_the_switcher_changes_it(lms: Flask) -> None:
    learner = Learner(lms, "amina@example.org", language="ar")
    learner.client.set_cookie("mafunzo_language", "fr")
    headers = {"Accept-Language": "zh"}
    page = learner.client.get("/", headers=headers).get_data(as_text=True)
    assert _html(page) == ("ar", "rtl")
    assert "تسجيل الخروج" in page  # "Log out"

    learner.post("/language", ui_language="es", next="/account/profile")
    profile = learner.client.get("/account/profile", headers=headers).get_data(as_text=True)
    assert _html(profile) == ("es", "ltr")
    assert re.search(r'<option value="es"\s+selected', profile)  # the saved preference


def test_fuzzy_entries_are_not_shown(tmp_path: Path) -> None:
    (tmp_path / "fr.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        'msgid "Catalog"\nmsgstr "Catalogue"\n\n#, fuzzy\nmsgid "Log in"\nmsgstr "Connexion"\n',
        encoding="utf-8",
    )
    french = load_catalogs(tmp_path)["fr"]
    assert (french.gettext("Catalog"), french.gettext("Log in")) == ("Catalogue", "Log in")


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_interface_catalog_is_complete_and_clean(language: str) -> None:
    with (CATALOGS / "messages.pot").open("rb") as source:
        wanted = {m.id for m in read_po(source) if m.id}
    path = CATALOGS / f"{language}.po"
    with path.open("rb") as source:
        done = {m.id for m in read_po(source) if m.id and m.string and not m.fuzzy}
    assert wanted - done == set(), f"untranslated in {path.name}"
    assert check_file(path, language) == []


@pytest.mark.parametrize(
    ("accept", "title"),
    [("fr", '<h2 lang="fr">Sécurité de l&#39;eau</h2>'), ("en", '<h2 lang="en">Water safety</h2>')],
)
def test_the_catalog_shows_each_course_in_the_learners_language(
    lms: Flask, courses: dict[str, int], accept: str, title: str
) -> None:
    page = lms.test_client().get("/", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert title in page
