"""Accounts from the browser's side: register, log in and out, reset, profile, roles, CSRF."""

from __future__ import annotations

import logging
import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from lms import db
from lms.accounts.models import User
from tests.fixtures.lms_learning import Learner


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def users(app: Flask) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(User)) or 0


def test_register_then_log_out_and_in_again(lms: Flask) -> None:
    client = lms.test_client()
    token = csrf_of(client.get("/account/register").get_data(as_text=True))
    answer = client.post(
        "/account/register",
        data={
            "csrf_token": token,
            "email": "Zhang.Wei@Example.org",
            "password": "long enough",
            "name": "Zhang Wei",
            "language": "zh",
            "country": "cn",
            "organisation": "City of X",
        },
    )
    assert answer.status_code == 302
    profile = client.get("/account/profile").get_data(as_text=True)
    assert "zhang.wei@example.org" in profile and 'value="CN"' in profile
    client.post("/account/logout", data={"csrf_token": csrf_of(profile)})
    assert client.get("/account/profile").status_code == 302
    token = csrf_of(client.get("/account/login").get_data(as_text=True))
    wrong = client.post(
        "/account/login",
        data={"csrf_token": token, "email": "zhang.wei@example.org", "password": "wrong password"},
    )
    assert wrong.status_code == 401 and "do not match" in wrong.get_data(as_text=True)
    right = client.post(
        "/account/login",
        data={"csrf_token": token, "email": "zhang.wei@example.org", "password": "long enough"},
    )
    assert right.status_code == 302


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not-an-address"}, "does not look right"),
        ({"password": "short"}, "at least 8 characters"),
        ({"name": " "}, "give your name"),
        ({"country": "Kenya"}, "two-letter ISO code"),
        ({"language": "de"}, "must be one of"),
    ],
)
def test_registration_mistakes_are_explained(
    lms: Flask, fields: dict[str, str], message: str
) -> None:
    client = lms.test_client()
    token = csrf_of(client.get("/account/register").get_data(as_text=True))
    data = {
        "csrf_token": token,
        "email": "a@example.org",
        "password": "long enough",
        "name": "A",
        "language": "en",
        "country": "KE",
        **fields,
    }
    answer = client.post("/account/register", data=data)
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)
    assert users(lms) == 0


def test_a_form_without_its_csrf_token_is_refused(lms: Flask) -> None:
    client = lms.test_client()
    client.get("/account/register")
    answer = client.post(
        "/account/register",
        data={"email": "a@example.org", "password": "long enough", "name": "A", "language": "en"},
    )
    assert answer.status_code == 400
    assert "CSRF" in answer.get_data(as_text=True)
    assert users(lms) == 0


def test_a_wrong_path_or_method_is_404_or_405_not_a_csrf_error(lms: Flask) -> None:
    client = lms.test_client()
    assert client.post("/no-such-page").status_code == 404
    assert client.delete("/").status_code == 405
    assert client.patch("/account/login").status_code == 405


def test_password_reset_by_a_one_time_link_from_the_log(
    lms: Flask, learner: Learner, caplog: pytest.LogCaptureFixture
) -> None:
    client = lms.test_client()
    token = csrf_of(client.get("/account/reset").get_data(as_text=True))
    with caplog.at_level(logging.WARNING):
        answer = client.post("/account/reset", data={"csrf_token": token, "email": learner.email})
    assert "reset link has been sent" in answer.get_data(as_text=True)
    link = re.search(r"http://localhost/account/reset/\S+", caplog.text)
    assert link, caplog.text
    path = link.group(0).removeprefix("http://localhost")
    token = csrf_of(client.get(path).get_data(as_text=True))
    assert (
        client.post(path, data={"csrf_token": token, "password": "a new secret"}).status_code == 302
    )
    token = csrf_of(client.get(path).get_data(as_text=True))
    again = client.post(path, data={"csrf_token": token, "password": "another one"})
    assert again.status_code == 400 and "not valid any more" in again.get_data(as_text=True)
    learner.password = "a new secret"
    assert learner.log_in().status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_link(
    lms: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = lms.test_client()
    token = csrf_of(client.get("/account/reset").get_data(as_text=True))
    with caplog.at_level(logging.WARNING):
        answer = client.post(
            "/account/reset", data={"csrf_token": token, "email": "nobody@example.org"}
        )
    assert "reset link has been sent" in answer.get_data(as_text=True)
    assert "/account/reset/" not in caplog.text


def test_profile_changes_are_saved(learner: Learner) -> None:
    answer = learner.post(
        "/account/profile",
        name="Amina Diallo",
        language="fr",
        country="SN",
        organisation="Dakar city",
    )
    assert answer.status_code == 200
    page = learner.client.get("/account/profile").get_data(as_text=True)
    assert 'value="Amina Diallo"' in page and 'value="SN"' in page
    assert '<option value="fr" selected>' in page


def test_roles_keep_management_pages_to_managers(make_learner) -> None:  # type: ignore[no-untyped-def]
    learner: Learner = make_learner("l@example.org")
    manager: Learner = make_learner("m@example.org", role="manager")
    admin: Learner = make_learner("a@example.org", role="administrator")
    assert learner.client.get("/manage/").status_code == 403
    assert manager.client.get("/manage/").status_code == 200
    assert manager.client.get("/manage/upload").status_code == 403
    assert admin.client.get("/manage/upload").status_code == 200


def test_log_in_redirects_only_within_the_site(lms: Flask, learner: Learner) -> None:
    client = lms.test_client()
    token = csrf_of(client.get("/account/login").get_data(as_text=True))
    answer = client.post(
        "/account/login",
        data={
            "csrf_token": token,
            "email": learner.email,
            "password": learner.password,
            "next": "//evil.example/",
        },
    )
    assert answer.location == "/my-learning"
