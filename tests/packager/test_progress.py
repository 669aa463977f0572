"""Long work shows a bar on a terminal, and one plain line per step in logs and CI."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.fixtures.courses import PROJECT

MAFUNZO = str(Path(sys.executable).with_name("mafunzo"))
COMMAND = [
    MAFUNZO,
    "build",
    "tests/packager/fixtures/tiny-course",
    "--format",
    "scorm12",
    "--format",
    "scorm2004",
]


def test_build_prints_one_line_per_package_when_not_on_a_terminal(tmp_path):
    result = subprocess.run(
        [*COMMAND, "--out", str(tmp_path)], capture_output=True, text=True, cwd=PROJECT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert [Path(line).name for line in result.stdout.splitlines()] == [
        "tiny-course-0.1.0-scorm12-en.zip",
        "tiny-course-0.1.0-scorm2004-en.zip",
    ]
    assert "%" not in result.stderr


def test_build_shows_a_progress_bar_on_a_terminal(tmp_path):
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [*COMMAND, "--out", str(tmp_path)], stdout=follower, stderr=follower, cwd=PROJECT
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    assert process.wait(timeout=60) == 0
    text = output.decode()
    assert "Building packages" in text and "100%" in text
    assert "tiny-course-0.1.0-scorm2004-en.zip" in text
