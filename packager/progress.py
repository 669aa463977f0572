"""Progress of long work: a bar on a terminal, one plain line per finished step otherwise."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[str], None]]:
    """Yields `done(what)`, to call once per finished step; logs and CI get a line per step."""
    if not sys.stdout.isatty():
        yield click.echo
        return
    finished: list[str] = []
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:

        def done(what: str) -> None:
            finished.append(what)
            bar.update(1)

        yield done
    for what in finished:
        click.echo(what)
