"""TUI fixtures: a demo server per test, and a fixed clock for snapshot tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

FIXED_NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture
def fixed_clock(monkeypatch):
    """Seed and write times from a fixed moment, so screens look the same on every run."""
    import importlib

    for name in (
        "schema",
        "seed",
        "seed_demo",
        "seed_demo_eng",
        "seed_demo_team",
        "store",
        "store_social",
    ):
        try:
            module = importlib.import_module(f"workbench.emulator.{name}")
        except ImportError:
            continue
        if hasattr(module, "utcnow"):
            monkeypatch.setattr(module, "utcnow", lambda: FIXED_NOW)
    return FIXED_NOW
