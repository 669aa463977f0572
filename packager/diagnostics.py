"""Problems found in a person's input, reported like a compiler: `path:line: severity: message`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


def display_path(path: Path | str) -> str:
    """The path relative to the working folder when it lies inside it, as compilers print it."""
    absolute = Path(path).absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return os.fspath(path)


class Diagnostics:
    """Collects every problem of a run so that all of them are reported at once."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def error(self, path: Path | str, line: int, message: str) -> None:
        self._items.append(Diagnostic(display_path(path), line, Severity.ERROR, message))

    def warning(self, path: Path | str, line: int, message: str) -> None:
        self._items.append(Diagnostic(display_path(path), line, Severity.WARNING, message))

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    @property
    def error_count(self) -> int:
        return sum(d.severity is Severity.ERROR for d in self._items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self._items), key=lambda d: (d.path, d.line, d.severity, d.message))
