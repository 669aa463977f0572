"""Settings from the environment: a bad one stops start-up with one line naming it."""

from __future__ import annotations

import pytest

from lms.config import MAX_UPLOAD_BYTES, ConfigError, max_upload_bytes


def test_the_upload_limit_is_a_whole_number_of_bytes() -> None:
    assert max_upload_bytes({}) == MAX_UPLOAD_BYTES
    assert max_upload_bytes({"MAFUNZO_MAX_UPLOAD_BYTES": " 1048576 "}) == 1048576


@pytest.mark.parametrize("value", ["0", "-5", "1.5", "512MB", "lots", "²"])
def test_a_bad_upload_limit_is_named_with_what_it_takes(value: str) -> None:
    with pytest.raises(ConfigError) as refused:
        max_upload_bytes({"MAFUNZO_MAX_UPLOAD_BYTES": value})
    assert str(refused.value) == (
        f"MAFUNZO_MAX_UPLOAD_BYTES: {value!r} is not a whole number of bytes above 0"
    )


def test_the_mafunzo_command_says_so_without_a_traceback(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    import sys

    from lms.cli import main

    monkeypatch.setenv("MAFUNZO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MAFUNZO_MAX_UPLOAD_BYTES", "512MB")
    monkeypatch.setattr(sys, "argv", ["mafunzo", "sessions", "sweep"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == (
        "Error: MAFUNZO_MAX_UPLOAD_BYTES: '512MB' is not a whole number of bytes above 0"
    )
    assert capsys.readouterr().err == ""
