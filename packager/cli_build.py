"""`mafunzo build`: sources to packages, refusing a course that `mafunzo check` rejects."""

from __future__ import annotations

from pathlib import Path

import click

from packager.build import FORMATS, BuildError
from packager.build import build as build_packages
from packager.diagnostics import Severity, display_path
from packager.formats.scorm_common import LAYOUTS
from packager.progress import progress


@click.command()
@click.argument("course", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "formats",
    type=click.Choice(sorted(FORMATS)),
    multiple=True,
    required=True,
    help="Package format; repeat for several.",
)
@click.option(
    "--lang",
    "languages",
    multiple=True,
    help="Language (BCP 47 tag) to build; repeat for several. Default: the source language.",
)
@click.option(
    "--layout",
    type=click.Choice(LAYOUTS),
    default="single",
    show_default=True,
    help="single: the whole course is one SCO; per-module: one SCO per module.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("dist"),
    show_default=True,
    help="Folder the packages are written to.",
)
@click.option(
    "--allow-partial",
    is_flag=True,
    help="Build a language whose translation is incomplete (missing texts stay in the source).",
)
def build(
    course: Path,
    formats: tuple[str, ...],
    languages: tuple[str, ...],
    layout: str,
    out: Path,
    allow_partial: bool,
) -> None:
    """Build COURSE into DIR/<slug>-<version>-<format>-<lang>.zip packages."""
    total = len(formats) * max(len(languages), 1)
    try:
        with progress(total, "Building packages") as done:
            _built, warnings = build_packages(
                course,
                list(formats),
                list(languages),
                layout,
                out,
                allow_partial,
                on_built=lambda package: done(display_path(package.path)),
            )
    except BuildError as error:
        for diagnostic in error.diagnostics:
            click.echo(str(diagnostic), err=True)
        errors = sum(d.severity is Severity.ERROR for d in error.diagnostics)
        if errors:
            click.echo(
                f"{display_path(course)}: {errors} error{'s' if errors != 1 else ''}; "
                "nothing was built",
                err=True,
            )
        else:
            click.echo(f"{display_path(course)}: {error}", err=True)
        raise SystemExit(1) from None
    except OSError as error:
        where = error.filename or out
        click.echo(f"{where}: cannot write the packages here: {error.strerror}", err=True)
        raise SystemExit(1) from None
    for diagnostic in warnings:
        click.echo(str(diagnostic), err=True)
