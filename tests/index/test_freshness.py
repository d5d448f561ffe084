"""Keeping the local index fresh from the TUI: ``r`` on a space syncs it (Pilot, the real app on the
local Confluence), the background re-sync follows ``[index] resync_minutes`` (off by default), and
a wrong value in the config file is a clear error."""

from __future__ import annotations

import pytest

from tests.tui.helpers import make_app, notes, settle, wait_until
from workbench.config import IndexSettings, Settings, load_settings
from workbench.errors import ConfigError
from workbench.index.sites import resolve_site
from workbench.index.store import SiteIndex
from workbench.tui.widgets.site_tree import SiteTree

LATENCY_RUNBOOK = "65539"


@pytest.fixture
def synced_eng(site, cli):
    """The demo site with only its ENG space in the index."""
    server = site()
    assert cli("sync", "ENG").code == 0
    return server


def _indexed_spaces() -> list[str]:
    with SiteIndex(resolve_site().path, readonly=True) as index:
        return [s.key for s in index.spaces()]


def _indexed_title(page_id: str) -> str:
    with SiteIndex(resolve_site().path, readonly=True) as index:
        row = index.row(int(page_id))
        return row["title"] if row else ""


async def _cursor_on_space(app, pilot, title: str) -> None:
    tree = app.main.query_one(SiteTree)
    await wait_until(app, pilot, lambda: any(n.data.title == title for n in tree.root.children))
    node = next(n for n in tree.root.children if n.data.title == title)
    tree.focus()
    tree.move_cursor(node)
    await pilot.pause()


async def test_r_on_a_space_syncs_it_into_the_index(synced_eng):
    server = synced_eng
    server.store.update_page(
        LATENCY_RUNBOOK,
        server.store.get_page(LATENCY_RUNBOOK)["body"],
        title="Runbook: Payments API latency (revised)",
    )
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert _indexed_spaces() == ["ENG"]
        await _cursor_on_space(app, pilot, "Platform Engineering")
        await pilot.press("r")
        await wait_until(app, pilot, lambda: app.main.freshness.last is not None)
        await settle(app, pilot)
        said = " ".join(notes(app))
        assert "Syncing ENG into the local index" in said
        assert "Local index synced: ENG: 0 new, 1 updated, 0 removed" in said
        assert _indexed_title(LATENCY_RUNBOOK) == "Runbook: Payments API latency (revised)"
        # a space that was not in the index is added by r
        await _cursor_on_space(app, pilot, "Product & Design")
        await pilot.press("r")
        await wait_until(app, pilot, lambda: "PROD" in _indexed_spaces())
        assert _indexed_spaces() == ["ENG", "PROD"]


async def test_r_elsewhere_in_the_tree_still_reloads(synced_eng):
    app = make_app(synced_eng)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        tree = app.main.query_one(SiteTree)
        tree.focus()
        tree.move_cursor(tree.root)
        synced_eng.requests.clear()
        await pilot.press("r")
        await settle(app, pilot)
        assert app.main.freshness.last is None  # no sync
        assert synced_eng.requests.entries("GET")  # the tree was loaded again


async def test_the_background_resync_follows_the_setting(synced_eng):
    server = synced_eng
    settings = Settings(index=IndexSettings(resync_minutes=5))
    app = make_app(server, settings=settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        freshness = app.main.freshness
        assert freshness.timer is not None and freshness.minutes == 5
        server.store.update_page(
            LATENCY_RUNBOOK, server.store.get_page(LATENCY_RUNBOOK)["body"], title="Renamed"
        )
        freshness.tick()  # what the timer calls every 5 minutes
        await wait_until(app, pilot, lambda: freshness.last is not None)
        assert _indexed_title(LATENCY_RUNBOOK) == "Renamed"
        assert not [n for n in notes(app) if "index" in n]  # in the background: nothing said


async def test_off_by_default(synced_eng):
    app = make_app(synced_eng)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.main.freshness.timer is None and app.main.freshness.minutes == 0


@pytest.mark.parametrize(
    ("written", "read"), [("0", 0.0), ("30", 30.0), ("2.5", 2.5), ("10080", 10080.0)]
)
def test_resync_minutes_read(tmp_path, written, read):
    path = tmp_path / "config.toml"
    path.write_text(f"[index]\nresync_minutes = {written}\n")
    assert load_settings(path).index.resync_minutes == read


@pytest.mark.parametrize("written", ['"often"', "true", "-5", "0.5", "20000", "[30]"])
def test_a_wrong_resync_minutes_says_what_it_must_be(tmp_path, written):
    path = tmp_path / "config.toml"
    path.write_text(f"[index]\nresync_minutes = {written}\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = caught.value.message
    assert "'resync_minutes' in [index]" in message and str(path) in message
    assert "0 (never, the default) or from 1 to 10080" in message


def test_an_unknown_index_setting_is_named(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[index]\nresync = 5\n")
    with pytest.raises(ConfigError, match="Unknown setting 'resync' in \\[index\\]"):
        load_settings(path)
