"""``workbench demo`` has a local index of its own: the demo site has a stable reference (not its port,
which changes every run), its index is built in the background once the demo is up, and it lives
beside the demo's data — a folder of the run's own without ``--data-dir`` (the demo's content is
fresh every run, so is its index), ``DATA/index`` with it — never among the indexes of the person's
real sites. Then ``/`` answers from the index as the person types, and an indexed page can be read
from it (Pilot, the real demo process)."""

from __future__ import annotations

import pytest

from tests.tui.helpers import SIZE, settle, wait_until
from workbench.index.sites import index_dir, known_sites
from workbench.services.sites import demo_site
from workbench.tui.app import WorkbenchApp
from workbench.tui.local_index import site_ref_of
from workbench.tui.panes.results import ResultsPane


def test_the_demo_has_a_stable_reference_apart_from_real_sites(tmp_path):
    import os

    from workbench.config import cache_dir
    from workbench.tui.local_index import LocalIndex, clear_old_runs

    first, again = demo_site(), demo_site()
    ref, ref_again = site_ref_of(first), site_ref_of(again)
    assert ref is not None and ref_again is not None
    assert ref.key == ref_again.key == "demo:demo"  # the port is not part of it
    assert ref.path.parent == cache_dir() / "demo-index" / str(os.getpid())  # this run's own
    assert ref.path.parent != index_dir()
    kept = site_ref_of(demo_site(tmp_path / "data"))
    assert kept is not None and kept.path.parent == tmp_path / "data" / "index"
    assert site_ref_of(demo_site(tmp_path / "data")).path == kept.path  # the same every run
    # the run's folder goes with the run; a killed run's folder is cleared by the next demo
    ref.path.parent.mkdir(parents=True)
    ref.path.write_bytes(b"")
    LocalIndex(first).close()
    assert not ref.path.parent.exists()
    dead = cache_dir() / "demo-index" / "999999999"  # no such process
    dead.mkdir(parents=True)
    clear_old_runs()
    assert not dead.exists()


@pytest.mark.parametrize("kept", [False, True], ids=["fresh demo", "--data-dir"])
async def test_slash_answers_from_the_demos_index_and_a_page_reads_from_it(tmp_path, kept):
    site = demo_site(tmp_path / "data" if kept else None, start_now=True)
    app = WorkbenchApp(site)
    async with app.run_test(size=SIZE) as pilot:
        main = app.main
        await wait_until(app, pilot, lambda: main.workspace is not None, timeout=60)
        await wait_until(app, pilot, lambda: main.local_index.available, timeout=60)
        await settle(app, pilot)
        assert main.freshness.last is not None  # the first sync, all spaces, said nothing
        assert {s.space for s in main.freshness.last.spaces} >= {"ENG", "PROD"}
        results = main.query_one(ResultsPane)
        await pilot.press("slash", *"latency")
        await wait_until(app, pilot, lambda: results.source == "local" and results.results)
        assert results.results[0].title == "Runbook: Payments API latency"
        summary = str(main.query_one("#results-summary").render())
        assert "local index" in summary
        page = main.local_index.offline_page(results.results[0].id)
        assert page.title == "Runbook: Payments API latency" and "scale" in page.storage.lower()
    assert known_sites() == []  # nothing was written among the real sites' indexes
