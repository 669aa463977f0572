"""Unsafe archives are refused before anything is written outside the target folder."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from lms.packages.errors import PackageError
from lms.packages.safe_zip import ZipLimits, extract
from tests.fixtures.scorm_packages import write_zip


def test_a_plain_zip_is_extracted(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "ok.zip", {"a/b.txt": "hello", "c.txt": "x"})
    extract(archive, tmp_path / "out")
    assert (tmp_path / "out" / "a" / "b.txt").read_text() == "hello"


@pytest.mark.parametrize(
    "name", ["../evil.txt", "a/../../evil.txt", "/etc/evil.txt", "..\\evil.txt", "C:/evil.txt"]
)
def test_entries_escaping_the_folder_are_refused(tmp_path: Path, name: str) -> None:
    archive = write_zip(tmp_path / "bad.zip", {"imsmanifest.xml": "<x/>", name: "gotcha"})
    (tmp_path / "out").mkdir()
    with pytest.raises(PackageError, match=r"absolute path|outside the package"):
        extract(archive, tmp_path / "out")
    assert not (tmp_path / "evil.txt").exists()
    assert list((tmp_path / "out").iterdir()) == []


def test_symbolic_links_are_refused(tmp_path: Path) -> None:
    archive_path = tmp_path / "link.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        link = zipfile.ZipInfo("passwd")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(PackageError, match="symbolic link"):
        extract(archive_path, tmp_path / "out")


def test_a_zip_bomb_is_refused_by_its_expansion_ratio(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "bomb.zip", {"zeros.bin": b"\0" * 20_000_000})
    with pytest.raises(PackageError, match="zip bomb"):
        extract(archive, tmp_path / "out")


def test_archives_over_the_size_limits_are_refused(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "big.zip", {"a.txt": "x" * 5000})
    with pytest.raises(PackageError, match="the limit is 100 bytes"):
        extract(archive, tmp_path / "out", ZipLimits(max_archive_bytes=100))
    with pytest.raises(PackageError, match="expand to 5000 bytes"):
        extract(archive, tmp_path / "out", ZipLimits(max_total_bytes=1000, max_ratio=1e9))


def test_a_file_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    not_zip = tmp_path / "x.zip"
    not_zip.write_text("hello")
    with pytest.raises(PackageError, match="not a readable zip"):
        extract(not_zip, tmp_path / "out")
