"""`make run` (mafunzo demo): the sample course built, imported once, demo accounts made."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lms import create_app
from lms.commands import demo


def test_demo_prepares_the_sample_course_and_accounts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAFUNZO_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MAFUNZO_DATABASE_URL", raising=False)
    first = CliRunner().invoke(demo, ["--no-serve", "--lang", "en"])
    assert first.exit_code == 0, first.output
    assert "nua-crash-course-1.0.0-scorm2004-en.zip: imported" in first.output
    passwords = dict(re.findall(r"(\S+@example\.org)  password: (\S+)", first.output))
    assert set(passwords) == {"admin@example.org", "learner@example.org"}
    second = CliRunner().invoke(demo, ["--no-serve", "--lang", "en"])
    assert "imported already" in second.output and "password:" not in second.output

    app = create_app({"TESTING": True})
    client = app.test_client()
    catalog = client.get("/").get_data(as_text=True)
    assert catalog.count('class="card"') == 1 and "New Urban Agenda" in catalog
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/account/login").get_data(as_text=True)
    )
    assert token
    answer = client.post(
        "/account/login",
        data={
            "csrf_token": token.group(1),
            "email": "learner@example.org",
            "password": passwords["learner@example.org"],
        },
    )
    assert answer.status_code == 302
    app.extensions["mafunzo.engine"].dispose()


def test_accounts_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lms.commands import user_group

    monkeypatch.setenv("MAFUNZO_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MAFUNZO_DATABASE_URL", raising=False)
    runner = CliRunner()
    made = runner.invoke(
        user_group, ["create", "boss@example.org", "--name", "Boss", "--password", "long enough"]
    )
    assert made.exit_code == 0 and "learner boss@example.org created" in made.output
    again = runner.invoke(
        user_group, ["create", "boss@example.org", "--name", "Boss", "--password", "long enough"]
    )
    assert again.exit_code == 1 and "exists already" in again.output
    raised = runner.invoke(user_group, ["role", "boss@example.org", "manager"])
    assert raised.exit_code == 0 and "now manager" in raised.output
    missing = runner.invoke(user_group, ["role", "nobody@example.org", "manager"])
    assert missing.exit_code == 1 and "no account" in missing.output


def test_a_language_whose_translation_breaks_is_left_out_and_the_others_are_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Path(__file__).resolve().parents[2]
    shutil.copytree(
        project / "courses" / "nua-crash-course", tmp_path / "courses" / "nua-crash-course"
    )
    shutil.copytree(
        project / "translations" / "nua-crash-course",
        tmp_path / "translations" / "nua-crash-course",
    )
    (tmp_path / "translations" / "nua-crash-course" / "fr.po").write_text(
        'msgid "unclosed\n'
    )  # empty
    monkeypatch.setenv("MAFUNZO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MAFUNZO_DATABASE_URL", raising=False)
    course = str(tmp_path / "courses" / "nua-crash-course")
    result = CliRunner().invoke(
        demo, ["--no-serve", "--course", course, "--lang", "en", "--lang", "fr"]
    )
    assert result.exit_code == 0, result.output
    assert "The sample course in 'fr' was not built" in result.output
    assert "nua-crash-course-1.0.0-scorm2004-en.zip: imported" in result.output
    assert "scorm2004-fr.zip" not in result.output
