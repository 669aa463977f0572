"""`mafunzo check` as an author uses it: a summary and exit 0, or every mistake and exit 1."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from lms.cli import cli
from tests.fixtures.courses import SAMPLE_COURSE

PROJECT = Path(__file__).resolve().parents[2]


def run_check(*args: str) -> subprocess.CompletedProcess[str]:
    """Runs the installed console script, as an author would type it."""
    script = Path(sys.executable).with_name("mafunzo")
    return subprocess.run(
        [str(script), "check", *args], capture_output=True, text=True, cwd=PROJECT, check=False
    )


def test_sample_course_passes_with_a_summary():
    result = run_check("courses/nua-crash-course")
    assert result.returncode == 0, result.stderr
    summary = result.stdout.strip()
    assert summary.startswith("nua-crash-course: 7 modules, ")
    assert "questions" in summary and "words" in summary
    assert summary.endswith("languages: en, ar, zh, fr, ru, es")


def test_broken_course_lists_every_mistake_and_exits_1():
    result = run_check("tests/packager/fixtures/broken-course")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    where = "tests/packager/fixtures/broken-course"
    expected = [
        f"{where}/course.yaml:1: error: `id` must be an absolute IRI",
        f"{where}/course.yaml:6: error: unknown language tag `xx`",
        f"{where}/course.yaml:11: error: `duration` must be an ISO 8601 duration",
        f"{where}/course.yaml:12: error: `mastery_score` must be between 0 and 1, not 80",
        f"{where}/course.yaml:13: error: unknown field `lisence`",
        f"{where}/course.yaml:17: error: module file modules/03-missing.md does not exist",
        f"{where}/modules/01-good.md:7: warning: image `../media/diagram.svg` has no alternative",
        f"{where}/modules/01-good.md:11: error: link to `#no-such-heading`",
        f"{where}/modules/01-good.md:11: error: link to `09-nowhere.md`",
        f"{where}/modules/02-broken.md:7: error: image or file `../media/missing.png`",
        f"{where}/modules/02-broken.md:9: error: raw HTML <script> is not allowed",
        f"{where}/modules/02-broken.md:13: error: the question has no correct answer",
        f"{where}/modules/02-broken.md:20: error: duplicate question id `same-id`",
        f"{where}/modules/02-broken.md:27: error: raw HTML event handler attribute",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in lines), f"missing: {start}"
    assert lines[-1] == f"{where}: 13 errors; nothing was built"
    assert "Traceback" not in result.stderr


def test_missing_course_folder_is_an_error_not_a_traceback(tmp_path):
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "no such course folder" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_write_ids_fixes_derived_ids_in_the_source(tmp_path, write_course):
    module = (
        "---\ntitle: Q\nobjectives: [x]\nassessment: true\n---\n\n## Quiz\n\n"
        "::: question {weight=2}\nWhere was Habitat III held?\n\n- (x) Quito\n- ( ) Lima\n:::\n"
    )
    root = write_course(modules={"01-intro.md": module})
    yaml = root / "course.yaml"
    yaml.write_text(yaml.read_text().replace("  - 02-quiz.md\n", ""))
    result = CliRunner().invoke(cli, ["check", "--write-ids", str(root)])
    assert result.exit_code == 0, result.output
    assert "wrote question id `where-was-habitat-iii-held`" in result.output
    written = (root / "modules" / "01-intro.md").read_text()
    assert "::: question {#where-was-habitat-iii-held weight=2}" in written
    again = CliRunner().invoke(cli, ["check", str(root)])
    assert "question has no id" not in again.output


def test_help_lists_every_command_with_one_line():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    listed = result.output.split("Commands:\n", 1)[1].splitlines()
    names = [line.split()[0] for line in listed if line.startswith("  ") and line.split()]
    assert names == sorted(cli.commands)
    for line in listed:
        assert len(line.split(None, 1)) == 2, f"no one-line help: {line!r}"


def test_check_never_writes_to_the_sources(tmp_path):
    copy = tmp_path / "nua-crash-course"
    shutil.copytree(SAMPLE_COURSE, copy)
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    result = CliRunner().invoke(cli, ["check", str(copy)])
    assert result.exit_code == 0, result.output
    assert before == {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
