"""Build benchmark: the sample course in every format, layout and buildable language.

Each measured build is one `mafunzo build` command in a fresh process, as an author runs it, so the
wall time includes start-up and imports. Peak memory is the child's maximum resident set size.
Results replace the `## Build` section of docs/benchmarks.md.

    .venv/bin/python bench/build.py
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
COURSE = PROJECT / "courses" / "nua-crash-course"
RESULTS = PROJECT / "docs" / "benchmarks.md"
FORMATS = ["scorm12", "scorm2004", "xapi", "cmi5"]
LAYOUTS = ["single", "per-module"]
COMMANDS = {
    # what an author types; its start-up includes importing the LMS (lms.cli is the entry point)
    "mafunzo build": [str(Path(sys.executable).with_name("mafunzo"))],
    # the packager's own command group alone, without the LMS
    "packager.cli build": [sys.executable, "-c", "from packager.cli import cli; cli()"],
}
COMMAND = ".venv/bin/python bench/build.py"


def buildable_languages() -> list[str]:
    """The source language, and every other language whose build the packager accepts now."""
    sys.path.insert(0, str(PROJECT))
    from packager.build import BuildError, course_in_language
    from packager.loader import load_course

    course, diagnostics = load_course(COURSE)
    if course is None:
        sys.exit("\n".join(str(d) for d in diagnostics))
    languages = []
    for language in course.languages:
        try:
            course_in_language(course, language)
        except BuildError:
            continue
        languages.append(language)
    return languages


def run_build(command: str, languages: list[str], layout: str, out: Path) -> tuple[float, int]:
    """Wall seconds and peak resident kilobytes of one build command of every format."""
    args = [*COMMANDS[command], "build", str(COURSE), "--layout", layout, "--out", str(out)]
    for name in FORMATS:
        args += ["--format", name]
    for language in languages:
        args += ["--lang", language]
    started = time.perf_counter()
    child = subprocess.Popen(args, cwd=PROJECT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        sys.exit(f"build failed: {' '.join(args)}")
    return elapsed, usage.ru_maxrss


def sizes(package: Path) -> tuple[int, int]:
    """The zip's size, and how much of it is the course's own media."""
    with zipfile.ZipFile(package) as archive:
        media = sum(i.compress_size for i in archive.infolist() if i.filename.startswith("media/"))
    return package.stat().st_size, media


def section(languages: list[str]) -> str:
    rows = []
    package_rows = []
    totals: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for command in COMMANDS:
            for layout in LAYOUTS:
                out = Path(folder) / layout
                best = min(run_build(command, languages, layout, out) for _ in range(3))
                totals[command] = totals.get(command, 0.0) + best[0]
                rows.append(
                    f"| `{command}` | {layout} | {', '.join(FORMATS)} | {', '.join(languages)} | "
                    f"{best[0]:.2f} s | {best[1] / 1024:.0f} MB |"
                )
        for layout in LAYOUTS:
            for package in sorted((Path(folder) / layout).glob("*.zip")):
                size, media = sizes(package)
                package_rows.append(
                    f"| {package.name} | {layout} | {size / 1024:.1f} KB | "
                    f"{(size - media) / 1024:.1f} KB |"
                )
    cpu = platform.processor() or platform.machine()
    return "\n".join(
        [
            "## Build",
            "",
            f"Command: `{COMMAND}`. Best of 3 runs of one build command per layout, each in a",
            "fresh process: wall time includes Python start-up and imports; peak memory is the",
            "process's maximum resident set size. `mafunzo build` is what authors type;",
            "`packager.cli build` is the same command without importing the LMS.",
            "",
            f"Machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}.",
            "Languages: every language whose translation is complete. The load average while",
            f"measuring was {os.getloadavg()[0]:.1f} (the machine is shared with test runs).",
            "Targets: every format x language under 3 s; each package under 500 KB beyond media.",
            "",
            "| command | layout | formats | languages | wall | peak memory |",
            "|---|---|---|---|---|---|",
            *rows,
            "",
            "Both layouts together: "
            + "; ".join(f"`{c}` {t:.2f} s" for c, t in totals.items())
            + ".",
            "",
            "| package | layout | zip size | beyond its media |",
            "|---|---|---|---|",
            *package_rows,
            "",
        ]
    )


def write_section(text: str) -> None:
    """Replaces only the `## Build` section: other rooms own the rest of the file."""
    current = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n\n"
    lines = current.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip() == "## Build"), None)
    if start is None:
        updated = current.rstrip("\n") + "\n\n" + text
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        tail = "".join(lines[end:])
        updated = "".join(lines[:start]) + text + ("\n" + tail if tail else "")
    RESULTS.write_text(updated)


def main() -> None:
    languages = buildable_languages()
    text = section(languages)
    write_section(text)
    print(text)


if __name__ == "__main__":
    main()
