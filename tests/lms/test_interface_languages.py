"""Every page a learner or a manager sees speaks each UN language, with no English left over.

A page's English words are its text nodes (and the messages it hands its scripts) rendered in
English; a translated rendering of the same page must contain none of them, except the data the
people and the courses brought (titles, names, e-mail addresses), which stay as they were typed.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import html

from tests.fixtures.lms_interface import Site
from tests.fixtures.lms_learning import Learner

TRANSLATED = ["ar", "zh", "fr", "ru", "es"]
# Words French writes exactly as English does; they are translated, only spelled the same.
SAME_IN = {"fr": {"Organisation", "Formats"}}
_LETTERS = re.compile(r"[A-Za-z]{2,}")
_MESSAGE_ATTRIBUTES = ("aria-label", "title", "placeholder")
_DATA = {"data-course", "data-status", "data-url"}  # the page's state for scripts and tests


def _texts(page: str, data: set[str]) -> set[str]:
    """The page's words: text nodes, the title, labels for screen readers and the messages its
    scripts show (data- attributes), less the data and anything with no word in it."""
    tree = html.fromstring(page)
    for hidden in tree.xpath("//script | //style"):
        hidden.drop_tree()
    for statement_cell in tree.xpath("//table[@id='statements']//td[position() < 4]"):
        statement_cell.drop_tree()  # the LRS's own data: verbs and activity names
    found = {text.strip() for text in tree.xpath("//text()")}
    for element in tree.iter():
        for name, value in element.attrib.items():
            if name in _MESSAGE_ATTRIBUTES or (name.startswith("data-") and name not in _DATA):
                found.add(value.strip())
    return {text for text in found if _LETTERS.search(_without(text, data))}


def _without(text: str, data: set[str]) -> str:
    """The text less the data in it ("Rivers · Water safety · Mafunzo" is all data)."""
    for typed in sorted(filter(None, data), key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(typed)}(?!\w)", " ", text)
    return text


def _get(client: FlaskClient, path: str, language: str) -> str:
    answer = client.get(path, headers={"Accept-Language": language})
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.get_data(as_text=True)


def _use(person: Learner, language: str) -> None:
    """The switcher, which also saves the account's preference."""
    answer = person.post("/language", ui_language=language, next="/")
    assert answer.status_code == 302


def _pages(site: Site) -> list[tuple[str, Learner | None, str]]:
    """(name, who looks, path) for every page of the interface."""
    course, cmi5 = site.course, site.cmi5_course
    return [
        ("catalog, logged out", None, "/"),
        ("login", None, "/account/login"),
        ("register", None, "/account/register"),
        ("reset request", None, "/account/reset"),
        ("catalog", site.learner, "/"),
        ("my learning", site.learner, "/my-learning"),
        ("profile", site.learner, "/account/profile"),
        ("history", site.learner, "/my-record"),
        ("player", site.learner, f"/courses/{course}/play"),
        ("player, window mode", site.learner, f"/courses/{course}/play?window=1"),
        ("player, time limit", site.learner, f"/courses/{course}/play?sco=quiz"),
        ("catalog, not enrolled", site.admin, "/"),
        ("manage", site.admin, "/manage/"),
        ("report", site.admin, f"/manage/courses/{course}/report"),
        ("upload", site.admin, "/manage/upload"),
        ("waive", site.admin, f"/manage/courses/{cmi5}/waive"),
        ("my learning, empty", site.admin, "/my-learning"),
    ]


def _render_all(site: Site, language: str) -> dict[str, str]:
    for person in (site.learner, site.admin):
        _use(person, language)
    anonymous = site.app.test_client()
    return {
        name: _get(person.client if person else anonymous, path, language)
        for name, person, path in _pages(site)
    }


@pytest.fixture
def english(busy_site: Site) -> dict[str, str]:
    return _render_all(busy_site, "en")


def test_the_english_pages_have_words_to_translate(
    busy_site: Site, english: dict[str, str]
) -> None:
    """Guards the comparison below: it must have English words to look for on every page."""
    for name, page in english.items():
        assert len(_texts(page, busy_site.data)) >= 5, name
    assert "Time spent" in _texts(english["my learning"], busy_site.data)
    assert "Fullscreen" in _texts(english["player"], busy_site.data)
    assert "Back to My learning" in _texts(english["player, time limit"], busy_site.data)


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_english_is_left_on_any_page(
    busy_site: Site, english: dict[str, str], language: str
) -> None:
    translated = _render_all(busy_site, language)
    allowed = SAME_IN.get(language, set())
    for name, page in translated.items():
        assert f'<html lang="{language}"' in page, name
        assert ('dir="rtl"' in page) == (language == "ar"), name
        left = (_texts(english[name], busy_site.data) & _texts(page, busy_site.data)) - allowed
        assert not left, f"{name} in {language}: {sorted(left)}"


def test_a_flash_message_and_a_form_error_are_translated(lms: Flask) -> None:
    learner = Learner(lms, "olga@example.org", language="ru")
    saved = learner.post("/account/profile", name="Ольга", language="ru", country="RU")
    assert "Профиль сохранён." in saved.get_data(as_text=True)
    wrong = learner.post("/account/profile", name="Ольга", language="ru", country="Russia")
    assert wrong.status_code == 400
    assert "Страна указывается двухбуквенным кодом ISO" in wrong.get_data(as_text=True)

    client = lms.test_client()
    page = client.get("/account/login", headers={"Accept-Language": "es"}).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    refused = client.post(
        "/account/login",
        data={"csrf_token": token.group(1), "email": "nobody@example.org", "password": "x"},
        headers={"Accept-Language": "es"},
    )
    assert refused.status_code == 401
    assert "no corresponden a ninguna cuenta" in refused.get_data(as_text=True)


def test_an_error_page_speaks_the_readers_language(lms: Flask) -> None:
    learner = Learner(lms, "li@example.org", language="zh")
    missing = learner.post("/courses/999/enrol", language="en")
    assert missing.status_code == 404
    assert "没有这门课程。" in missing.get_data(as_text=True)
    nowhere = learner.client.get("/no-such-page").get_data(as_text=True)
    assert "未找到" in nowhere and "返回课程目录" in nowhere


def test_a_refused_waiver_is_explained_in_the_managers_language(busy_site: Site) -> None:
    admin = busy_site.admin
    _use(admin, "fr")
    path = f"/manage/courses/{busy_site.cmi5_course}/waive"
    refused = admin.post(path, learner="1", au="nowhere", reason="Bored")
    assert refused.status_code == 400
    assert "Le motif doit être l’un des suivants\u00a0: Tested" in refused.get_data(as_text=True)
