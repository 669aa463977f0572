"""The packager's commands of the `mafunzo` CLI: they never need the LMS."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mafunzo")
def cli() -> None:
    """Mafunzo: Markdown courses to SCORM, xAPI and cmi5, and an LMS to play them."""
