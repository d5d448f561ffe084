"""Open a 100 KB page (fetch + convert + render) on the local Confluence: budget ≤ 300 ms (design §4).

Measured in-process with Textual's Pilot against the demo seed's "Service catalogue" page (≈100 KB of
storage). "First screen" is when the viewer shows the page's first screenful; "complete" is when
every line is rendered (the rest is rendered in a thread while the first screen is already shown).
The fetch and the conversion are also timed alone, side by side, as the baseline.
"""

from __future__ import annotations

import time

from _local import run_against_local, summary, until

RUNS = 9
TITLE = "Service catalogue"


async def measure(server) -> None:
    from workbench.convert import storage_to_markdown
    from workbench.convert.api import clear_cache
    from workbench.services.sites import url_site
    from workbench.tui.app import WorkbenchApp

    row = server.store.query_one(
        "SELECT id, length(body) AS n FROM pages WHERE title = ?", (TITLE,)
    )
    page_id = str(row["id"])
    app = WorkbenchApp(url_site(server.base_url, name="bench"))
    first, complete, fetch, convert = [], [], [], []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        main = app.main
        viewer = main.query_one("#viewer")
        ws = app.workspace
        for run in range(RUNS):
            main.query_one(
                "#tabs"
            ).active = "tab-results"  # leave the page, then come back as a user would
            await pilot.pause()
            clear_cache()  # measure a cold conversion every time
            start = time.perf_counter()
            app.open_page(page_id)
            await until(
                lambda: (
                    ws.current is not None
                    and ws.current.page.id == page_id
                    and viewer.line_count >= viewer.size.height
                    and not viewer.loading
                )
            )
            first.append(time.perf_counter() - start)
            await until(lambda: viewer.complete)
            complete.append(time.perf_counter() - start)
            await app.workers.wait_for_complete()
            ws.current = None
            t = time.perf_counter()
            page = await ws.client.get_page(page_id)
            fetch.append(time.perf_counter() - t)
            t = time.perf_counter()
            storage_to_markdown(page.storage + f"<p>run {run}</p>")  # defeat the converter's cache
            convert.append(time.perf_counter() - t)
        lines = viewer.line_count
    print(
        f"open “{TITLE}” ({row['n'] / 1024:.0f} KB storage, {lines} rendered lines), median [min–max] of {RUNS}:"
    )
    print(f"  enter → first screen shown   {summary(first)}   (budget ≤ 300 ms)")
    print(f"  enter → whole page rendered  {summary(complete)}")
    print(f"  baseline: fetch alone        {summary(fetch)}")
    print(f"  baseline: convert alone      {summary(convert)}")


def main() -> int:
    return run_against_local("demo", measure)


if __name__ == "__main__":
    raise SystemExit(main())
