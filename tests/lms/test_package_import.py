"""Importing packages into the catalog: all or nothing, language versions grouped, CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import func, select

from lms import db
from lms.commands import import_command
from lms.packages.errors import PackageError
from lms.packages.importer import import_package, package_root
from lms.packages.models import Course, Package, Sco
from tests.fixtures.scorm_packages import (
    COURSE_IRI,
    SCORM12_MANIFEST,
    scorm12_files,
    write_zip,
)


def counts(app: Flask) -> tuple[int, int, int, list[str]]:
    with app.app_context():
        session = db.session()
        stored = (
            [path.name for path in package_root(app.config["DATA_DIR"]).glob("*")]
            if package_root(app.config["DATA_DIR"]).exists()
            else []
        )
        return (
            session.scalar(select(func.count()).select_from(Course)) or 0,
            session.scalar(select(func.count()).select_from(Package)) or 0,
            session.scalar(select(func.count()).select_from(Sco)) or 0,
            stored,
        )


def test_language_versions_of_one_course_are_one_catalog_entry(
    app: Flask, scorm12_zip: Path, scorm2004_zip: Path
) -> None:
    with app.app_context():
        french = import_package(db.session(), app.config["DATA_DIR"], scorm12_zip)
        english = import_package(db.session(), app.config["DATA_DIR"], scorm2004_zip)
        assert french.course_id == english.course_id
        assert (french.language, english.language) == ("fr", "en")
        course = db.session().get(Course, english.course_id)
        assert course is not None and course.iri == COURSE_IRI
        assert course.title == "Water safety"
        folder = package_root(app.config["DATA_DIR"]) / english.folder
        assert (folder / "quiz.html").is_file()
    assert counts(app)[:3] == (1, 2, 4)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"../evil.txt": "x", **scorm12_files()}, "points outside the package"),
        (
            {
                "imsmanifest.xml": '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM '
                '"file:///etc/passwd">]><manifest>&x;</manifest>'
            },
            "DOCTYPE or entity",
        ),
        ({**scorm12_files(), "bomb.bin": b"\0" * 5_000_000}, "zip bomb"),
        (
            {
                "imsmanifest.xml": SCORM12_MANIFEST.replace(
                    'identifierref="res1"', 'identifierref="x"'
                ),
                "sco/index.html": "<p>",
            },
            "unresolved identifierref",
        ),
    ],
)
def test_a_refused_import_leaves_nothing_behind(
    app: Flask, tmp_path: Path, files: dict[str, str | bytes], message: str
) -> None:
    archive = write_zip(tmp_path / "bad.zip", files)
    with app.app_context(), pytest.raises(PackageError, match=message):
        import_package(db.session(), app.config["DATA_DIR"], archive)
    assert counts(app) == (0, 0, 0, [])


def test_cli_imports_a_package_and_reports_a_broken_one(
    app: Flask, tmp_path: Path, scorm2004_zip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAFUNZO_DATA_DIR", str(app.config["DATA_DIR"]))
    monkeypatch.setenv("MAFUNZO_DATABASE_URL", app.config["DATABASE_URL"])
    result = CliRunner().invoke(import_command, [str(scorm2004_zip)])
    assert result.exit_code == 0, result.output
    assert "3 launchable item(s)" in result.output
    broken = write_zip(tmp_path / "broken.zip", {"readme.txt": "hi"})
    result = CliRunner().invoke(import_command, [str(broken)])
    assert result.exit_code == 1
    assert f"{broken}: no imsmanifest.xml" in result.output
    assert counts(app)[:3] == (1, 1, 3)
