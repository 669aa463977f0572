"""Shared test set-up. Fixtures live in tests/fixtures/<topic>.py, each loaded here as a plugin."""

from pathlib import Path

import pytest
from hypothesis import settings

# Speed is measured in bench/, never asserted: no per-example deadline on a loaded 2-core machine.
settings.register_profile("mafunzo", deadline=None)
settings.load_profile("mafunzo")

# Fixture modules import each other; registering the package first keeps assertion rewriting on.
pytest.register_assert_rewrite("tests.fixtures")

pytest_plugins = sorted(
    f"tests.fixtures.{path.stem}"
    for path in (Path(__file__).parent / "fixtures").glob("*.py")
    if path.stem != "__init__"
)
