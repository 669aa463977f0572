"""`mafunzo build` from the author's side: names, reproducibility, refusals."""

from __future__ import annotations

import dataclasses
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from packager.cli import cli
from packager.formats import scorm12, scorm2004
from packager.formats.scorm_common import PackagingError
from packager.loader import load_course
from packager.model import Course, QuestionType
from packager.render.state import SHORT_ANSWER_MAX
from tests.fixtures.scorm import TINY_COURSE


def run(*args: str) -> tuple[int, str, str]:
    """The command's exit code, stdout and stderr; an uncaught exception fails the test."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout, result.stderr


def test_build_writes_one_zip_per_format(tmp_path: Path) -> None:
    code, out, _ = run(
        "build",
        str(TINY_COURSE),
        "--format",
        "scorm12",
        "--format",
        "scorm2004",
        "--out",
        str(tmp_path),
    )
    assert code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["tiny-course-0.1.0-scorm12-en.zip", "tiny-course-0.1.0-scorm2004-en.zip"]
    assert all(name in out for name in names)


@pytest.mark.parametrize("layout", ["single", "per-module"])
def test_two_builds_give_byte_identical_zips(tmp_path: Path, layout: str) -> None:
    for folder in ("a", "b"):
        code, _, _ = run(
            "build",
            str(TINY_COURSE),
            "--format",
            "scorm12",
            "--format",
            "scorm2004",
            "--layout",
            layout,
            "--out",
            str(tmp_path / folder),
        )
        assert code == 0
    for first in (tmp_path / "a").iterdir():
        assert first.read_bytes() == (tmp_path / "b" / first.name).read_bytes()
        with zipfile.ZipFile(first) as archive:
            infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {i.external_attr >> 16 for i in infos} == {0o644}


def test_a_broken_course_is_not_built_and_its_errors_are_shown(tmp_path: Path) -> None:
    course = tmp_path / "tiny-course"
    shutil.copytree(TINY_COURSE, course)
    module = course / "modules" / "01-basics.md"
    module.write_text(module.read_text().replace("(02-quiz.md)", "(09-missing.md)"))
    _, _, check_errors = run("check", str(course))
    code, _, errors = run("build", str(course), "--format", "scorm12", "--out", str(tmp_path / "d"))
    assert code == 1
    shown = [line for line in errors.splitlines() if ": error: " in line]
    assert shown and shown == [line for line in check_errors.splitlines() if ": error: " in line]
    assert "01-basics.md:" in shown[0]
    assert not (tmp_path / "d").exists() or not any((tmp_path / "d").iterdir())


def test_an_output_folder_that_cannot_be_written_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, errors = run(
        "build", str(TINY_COURSE), "--format", "scorm12", "--out", str(blocker / "dist")
    )
    assert code == 1
    assert errors.startswith(f"{blocker / 'dist'}: cannot write the packages here:")


def test_a_language_without_its_translation_is_refused(tmp_path: Path) -> None:
    code, _, errors = run(
        "build", str(TINY_COURSE), "--format", "scorm12", "--lang", "fr", "--out", str(tmp_path)
    )
    assert code == 1
    assert "'fr'" in errors and "Traceback" not in errors
    assert list(tmp_path.iterdir()) == []


def _many_short_questions(course: Course, count: int) -> Course:
    module = course.modules[1]
    template = module.pages[1].questions[0]
    questions = tuple(
        dataclasses.replace(
            template,
            id=f"q{n}",
            iri=f"{module.iri}#q{n}",
            type=QuestionType.SHORT,
            choices=(),
            answers=("x" * SHORT_ANSWER_MAX,),
        )
        for n in range(count)
    )
    page = dataclasses.replace(module.pages[1], blocks=questions)
    modules = (course.modules[0], dataclasses.replace(module, pages=(page,)))
    return dataclasses.replace(course, modules=modules)


def test_a_resume_state_that_could_overflow_scorm12_is_refused() -> None:
    course, _ = load_course(TINY_COURSE)
    assert course is not None
    crowded = _many_short_questions(course, 70)  # 70 x 61 characters > 4096
    with pytest.raises(PackagingError, match="4096"):
        scorm12.package_files(crowded, "single")
    assert "imsmanifest.xml" in scorm2004.package_files(crowded, "single")
    fits = _many_short_questions(course, 60)
    assert "imsmanifest.xml" in scorm12.package_files(fits, "single")
