"""A .po file broken by hand or by a tool is named with its line by every command, never a crash."""

from __future__ import annotations

import pytest

from tests.fixtures.i18n import Workspace, run_cli


@pytest.fixture
def broken_french(workspace: Workspace) -> Workspace:
    run_cli("i18n", "update", workspace.course)
    lines = workspace.po("fr").read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(24, "this is not po syntax\n")
    workspace.po("fr").write_text("".join(lines), encoding="utf-8")
    return workspace


WHERE = "fr.po:25: "


def test_stats_names_the_broken_line(broken_french: Workspace) -> None:
    result = run_cli("i18n", "stats", broken_french.course)
    assert result.code == 1
    assert WHERE + "not valid .po syntax: 'this is not po syntax'" in result.err


def test_check_names_the_broken_line(broken_french: Workspace) -> None:
    result = run_cli("i18n", "check", broken_french.po("fr"))
    assert result.code == 1
    assert WHERE + "not valid .po syntax" in result.err


def test_build_in_that_language_is_refused_with_the_line(
    broken_french: Workspace, tmp_path
) -> None:
    out = tmp_path / "dist"
    result = run_cli(
        "build",
        broken_french.course,
        "--format",
        "scorm12",
        "--lang",
        "fr",
        "--allow-partial",
        "--out",
        out,
    )
    assert result.code == 1
    assert WHERE + "error: not valid .po syntax" in result.err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("format_name", ["xapi", "cmi5", "scorm2004"])
def test_other_languages_are_built_with_a_warning_at_the_line(
    broken_french, tmp_path, format_name
) -> None:
    """A translator's broken file does not stop the English packages; their language maps,
    which name the course in every finished language, leave French out and say why."""
    result = run_cli("build", broken_french.course, "--format", format_name, "--out", tmp_path)
    assert result.code == 0, result.err
    assert WHERE + "warning: not valid .po syntax" in result.err
    assert [package.name for package in tmp_path.glob("*.zip")] == [
        f"i18n-course-0.2.0-{format_name}-en.zip"
    ]


def test_a_po_file_in_the_wrong_encoding(workspace: Workspace) -> None:
    run_cli("i18n", "update", workspace.course)
    text = workspace.po("fr").read_text(encoding="utf-8")
    workspace.po("fr").write_bytes(
        text.replace('msgstr ""\n', 'msgstr "é"\n', 2).encode("latin-1", "replace")
    )
    result = run_cli("i18n", "stats", workspace.course)
    assert result.code == 1
    assert "fr.po:1: this .po file is not in its declared encoding" in result.err
