"""The packager's commands of the `mafunzo` CLI: they never need the LMS."""

from __future__ import annotations

from pathlib import Path

import click

from packager.diagnostics import Diagnostic, Severity, display_path
from packager.loader import load_course, load_parsed_modules
from packager.stats import summarize
from packager.write_ids import write_ids as write_question_ids


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mafunzo")
def cli() -> None:
    """Mafunzo: Markdown courses to SCORM, xAPI and cmi5, and an LMS to play them."""


def report(diagnostics: list[Diagnostic]) -> None:
    """Diagnostics go to stderr, one `path:line: severity: message` a line, like a compiler."""
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)


@cli.command()
@click.argument("course", type=click.Path(path_type=Path))
@click.option(
    "--write-ids",
    is_flag=True,
    help="Write the ids derived for questions without one into their files.",
)
def check(course: Path, write_ids: bool) -> None:
    """Check a course's sources and summarise it (exit 1 on any error)."""
    if write_ids:
        parsed, _ = load_parsed_modules(course)
        for path, line, qid in write_question_ids(parsed):
            click.echo(f"{display_path(path)}:{line}: wrote question id `{qid}`")
    loaded, diagnostics = load_course(course)
    report(diagnostics)
    if loaded is None:
        errors = sum(d.severity is Severity.ERROR for d in diagnostics)
        click.echo(
            f"{display_path(course)}: {errors} error{'s' if errors != 1 else ''}; "
            "nothing was built",
            err=True,
        )
        raise SystemExit(1)
    click.echo(f"{loaded.slug}: {summarize(loaded)}")


from packager.cli_build import build  # noqa: E402

cli.add_command(build)

from packager.cli_i18n import i18n  # noqa: E402

cli.add_command(i18n)
