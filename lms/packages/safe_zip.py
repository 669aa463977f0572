"""Unpack an uploaded zip without letting it write outside its folder or fill the disk."""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lms.packages.errors import PackageError

_CHUNK = 64 * 1024


@dataclass(frozen=True)
class ZipLimits:
    """Limits an archive must respect; a zip bomb breaks the ratio or the total long before disk."""

    max_archive_bytes: int = 500 * 1024 * 1024
    max_total_bytes: int = 2 * 1024 * 1024 * 1024
    max_entries: int = 20_000
    max_ratio: float = 100.0


DEFAULT_LIMITS = ZipLimits()


def safe_member_path(name: str) -> PurePosixPath:
    """The relative path an entry may be written to, or a PackageError naming the entry."""
    normalized = name.replace("\\", "/")
    path = PurePosixPath(normalized)
    if normalized.startswith("/") or (len(normalized) > 1 and normalized[1] == ":"):
        raise PackageError(
            f"the zip entry {name!r} has an absolute path; packages may only hold relative paths"
        )
    if any(part == ".." for part in path.parts):
        raise PackageError(
            f"the zip entry {name!r} points outside the package (`..` in its "
            "path); such archives are refused"
        )
    return path


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def check_archive(archive: zipfile.ZipFile, archive_size: int, limits: ZipLimits) -> None:
    """Refuse unsafe entries and oversized archives before a byte is written."""
    if archive_size > limits.max_archive_bytes:
        raise PackageError(
            f"the package is {archive_size} bytes; the limit is {limits.max_archive_bytes} bytes"
        )
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise PackageError(
            f"the package holds {len(infos)} files; the limit is {limits.max_entries}"
        )
    total = 0
    for info in infos:
        safe_member_path(info.filename)
        if _is_symlink(info):
            raise PackageError(
                f"the zip entry {info.filename!r} is a symbolic link; packages may not hold links"
            )
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > limits.max_ratio:
            raise PackageError(
                f"the zip entry {info.filename!r} expands more than "
                f"{limits.max_ratio:g} times (a zip bomb?); refused"
            )
    if total > limits.max_total_bytes:
        raise PackageError(
            f"the package would expand to {total} bytes; the limit is "
            f"{limits.max_total_bytes} bytes"
        )
    if archive_size and total / archive_size > limits.max_ratio:
        raise PackageError(
            f"the package expands more than {limits.max_ratio:g} times (a zip bomb?); refused"
        )


def extract(zip_path: Path, target: Path, limits: ZipLimits = DEFAULT_LIMITS) -> None:
    """Extract `zip_path` into the empty folder `target`, counting bytes as they are written
    (a header may lie about sizes)."""
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as error:
        raise PackageError(f"the file is not a readable zip archive ({error})") from None
    with archive:
        check_archive(archive, zip_path.stat().st_size, limits)
        budget = limits.max_total_bytes
        for info in archive.infolist():
            relative = safe_member_path(info.filename)
            destination = target.joinpath(*relative.parts)
            if info.is_dir() or info.filename.endswith(("/", "\\")):
                destination.mkdir(parents=True, exist_ok=True)
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            try:
                with archive.open(info) as source, destination.open("wb") as sink:
                    while chunk := source.read(_CHUNK):
                        written += len(chunk)
                        budget -= len(chunk)
                        if written > info.file_size or budget < 0:
                            raise PackageError(
                                f"the zip entry {info.filename!r} holds more than "
                                "it declares (a zip bomb?); refused"
                            )
                        sink.write(chunk)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError) as error:
                raise PackageError(
                    f"the zip entry {info.filename!r} cannot be read ({error})"
                ) from None
