"""Reproducible zips: the same files give the same bytes (fixed times, sorted names and modes)."""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold


def zip_bytes_to(path: Path, files: dict[str, bytes]) -> None:
    """Writes the zip next to its destination, then moves it in: never a half-written package."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".", suffix=".zip.part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream, zipfile.ZipFile(stream, "w") as archive:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # Unix, so the permissions below are read as such
                info.external_attr = 0o644 << 16
                archive.writestr(info, files[name], compresslevel=9)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a package is for sharing
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
