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
        "store_pages",  # content and spaces: store.py's parts since it was split
        "store_spaces",
        "store_social",
    ):
        try:
            module = importlib.import_module(f"workbench.emulator.{name}")
        except ImportError:
            continue
        if hasattr(module, "utcnow"):
            monkeypatch.setattr(module, "utcnow", lambda: FIXED_NOW)
    return FIXED_NOW


@pytest.fixture
async def started(demo_server):
    """The workbench on the demo server at 120×40, started and settled: ``app, pilot = started``.
    The app runs until the test ends (assertions after it stops go in a test of their own)."""
    # here, not at the top: helpers imports the app (Textual), which a collection-only run skips
    from .helpers import SIZE, make_app, settle

    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        yield app, pilot
