"""The LMS's own `mafunzo` subcommands: import a package, run the demo."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask

from packager.cli import cli


@contextmanager
def _lms_app() -> Iterator[Flask]:
    """The app, configured from the environment, inside an app context; its pool closed after."""
    from lms import create_app

    app = create_app()
    try:
        with app.app_context():
            yield app
    finally:
        app.extensions["mafunzo.engine"].dispose()


@cli.command("import")
@click.argument("package", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(package: Path) -> None:
    """Import a SCORM 1.2 / 2004, cmi5 or xAPI package zip into the LMS catalog."""
    from lms import db
    from lms.packages.importer import PackageError, import_package

    with _lms_app() as app:
        try:
            imported = import_package(db.session(), app.config["DATA_DIR"], package)
        except PackageError as error:
            raise click.ClickException(f"{package}: {error}") from None
        click.echo(f"imported {imported.title!r} ({imported.format}, {imported.language}, "
                   f"{len(imported.scos)} launchable item(s)) into course {imported.course.iri}")
