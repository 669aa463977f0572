"""The `mafunzo` command: the packager's commands plus those that run or manage the LMS."""

from __future__ import annotations

import click

from lms import commands  # noqa: F401  (registers `import` and `demo`)
from lms.config import ConfigError
from lms.lrs.cli import lrs
from packager.cli import cli

cli.add_command(lrs)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Reload on code changes and show the debugger.")
def serve(host: str, port: int, debug: bool) -> None:
    """Serve the LMS (development server; see docs/admin.md for production)."""
    from lms import create_app

    create_app().run(host=host, port=port, debug=debug)


def main() -> None:
    try:
        cli(prog_name="mafunzo")
    except ConfigError as error:  # a bad setting: what to change, as click says a bad option
        raise SystemExit(f"Error: {error}") from None
