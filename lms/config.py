"""Configuration from environment variables, with defaults that are safe on a laptop."""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

# A cmi5 or xAPI launch whose content said nothing for this long is closed (abandoned); long,
# because closing it revokes a token the AU cannot replace without a new launch.
LAUNCH_IDLE_HOURS = 4.0
# Tokens last hours: a longer silence means nothing more, and a cutoff further back than the
# calendar allows would fail.
LAUNCH_IDLE_HOURS_MAX = 24 * 365
MAX_UPLOAD_BYTES = 512 * 1024 * 1024


class ConfigError(RuntimeError):
    """A setting the LMS cannot start with; the message names it and says what it takes.

    A RuntimeError so that `gunicorn --preload` prints the message alone, without a traceback;
    the `mafunzo` command does the same.
    """


def idle_hours(value: str | float) -> float:
    """A launch idle timeout in hours: a number above 0, at most a year (ValueError if not)."""
    try:
        hours = float(value)
    except (TypeError, ValueError):
        hours = math.nan
    if not 0 < hours <= LAUNCH_IDLE_HOURS_MAX:  # also refuses nan
        raise ValueError(
            f"{value!r} is not a number of hours above 0 and at most {LAUNCH_IDLE_HOURS_MAX}"
        )
    return hours


def launch_idle_hours(environ: Mapping[str, str] = os.environ) -> float:
    """`MAFUNZO_LAUNCH_IDLE_HOURS`, default LAUNCH_IDLE_HOURS."""
    raw = environ.get("MAFUNZO_LAUNCH_IDLE_HOURS", "").strip()
    if not raw:
        return LAUNCH_IDLE_HOURS
    try:
        return idle_hours(raw)
    except ValueError as error:
        raise ConfigError(f"MAFUNZO_LAUNCH_IDLE_HOURS: {error}") from None


def max_upload_bytes(environ: Mapping[str, str] = os.environ) -> int:
    """`MAFUNZO_MAX_UPLOAD_BYTES`, the largest package upload: a whole number of bytes above 0."""
    raw = environ.get("MAFUNZO_MAX_UPLOAD_BYTES", "").strip()
    if not raw:
        return MAX_UPLOAD_BYTES
    if not (raw.isascii() and raw.isdigit()) or int(raw) == 0:
        raise ConfigError(
            f"MAFUNZO_MAX_UPLOAD_BYTES: {raw!r} is not a whole number of bytes above 0"
        )
    return int(raw)


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where packages, uploads and the SQLite file live (`MAFUNZO_DATA_DIR`, default ./instance)."""
    return Path(environ.get("MAFUNZO_DATA_DIR", "instance")).resolve()


def database_url(folder: Path, environ: Mapping[str, str] = os.environ) -> str:
    return environ.get("MAFUNZO_DATABASE_URL") or f"sqlite:///{folder / 'mafunzo.sqlite'}"


def secret_key(folder: Path, environ: Mapping[str, str] = os.environ) -> str:
    """The key from the environment, or one generated on first run and kept in the data folder."""
    if environ.get("MAFUNZO_SECRET_KEY"):
        return environ["MAFUNZO_SECRET_KEY"]
    key_file = folder / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def configure(app: Flask, overrides: Mapping[str, Any] | None = None) -> None:
    overrides = dict(overrides or {})
    folder = Path(overrides.get("DATA_DIR") or data_dir()).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    app.config.update(
        DATA_DIR=folder,
        DATABASE_URL=database_url(folder),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("MAFUNZO_SECURE_COOKIES", "") == "1",
        PUBLIC_URL=os.environ.get("MAFUNZO_PUBLIC_URL", "http://localhost:5000/"),
        MAX_CONTENT_LENGTH=max_upload_bytes(),
        LAUNCH_IDLE_HOURS=launch_idle_hours(),
    )
    app.config.update(overrides)
    app.config["DATA_DIR"] = folder
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(folder)
