"""Make the README's pictures from the real app on the demo seed: ``make screenshots``.

Runs the workbench against the local Confluence (in this process, on a free loopback port), drives it
with Textual's Pilot and saves SVG screenshots in ``screenshots/``. Config, data and cache go to a
temporary directory, so your own settings and drafts are never touched.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
SIZE = (120, 36)


async def settle(app, pilot) -> None:
    from textual.worker import WorkerFailed

    for _ in range(3):
        await pilot.pause(0.05)
        try:
            await app.workers.wait_for_complete()
        except WorkerFailed:
            pass
    await pilot.pause(0.2)


def page_id(server, title: str) -> str:
    return str(server.store.query_one("SELECT id FROM pages WHERE title = ?", (title,))["id"])


async def shoot(
    server, name: str, steps, theme: str = "textual-dark", size: tuple[int, int] = SIZE
) -> Path:
    from workbench.config import Settings
    from workbench.services.sites import url_site
    from workbench.tui.app import WorkbenchApp

    app = WorkbenchApp(
        url_site(server.base_url, name="Demo (local)"), settings=Settings(theme=theme)
    )
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await steps(app, pilot)
        await settle(app, pilot)
        for widget in app.screen.query("Input, TextArea"):
            widget.cursor_blink = False
        app.clear_notifications()
        await pilot.pause(0.3)
        path = OUT / f"{name}.svg"
        path.write_text(
            app.export_screenshot(title=f"Confluence Workbench — {name.replace('-', ' ')}")
        )
    import shutil

    from workbench.config import data_dir

    shutil.rmtree(
        data_dir() / "drafts", ignore_errors=True
    )  # an unsaved edit in one shot stays in that shot
    print(f"wrote {path.relative_to(ROOT)}")
    return path


async def main() -> None:
    from workbench.emulator.runner import start_in_thread

    server = start_in_thread(seed="demo")
    try:

        async def open_page(app, pilot, title="Runbook: Database failover"):
            tree = app.main.query_one("#tree")
            await pilot.press("down", "right")  # the space: its homepage's children
            await settle(app, pilot)
            await pilot.press("down", "right")  # Runbooks, expanded
            await settle(app, pilot)
            pid = page_id(server, title)
            app.open_page(pid)
            await settle(app, pilot)
            tree.select_key(f"page:{pid}")
            tree.focus()

        async def page(app, pilot):
            await open_page(app, pilot)

        async def search(app, pilot):
            await pilot.press("slash")
            app.main.query_one("#cql").value = "space = ENG AND text ~ failover"
            await pilot.press("enter")

        async def editor(app, pilot):
            await open_page(app, pilot)
            await pilot.press("e")
            app.main.query_one("#editor").insert("A new line, typed in the workbench.\n\n", (4, 0))

        async def merge(app, pilot):
            await open_page(app, pilot)
            await pilot.press("e")
            ed = app.main.query_one("#editor")
            ed.text = ed.text.rstrip("\n") + "\n\nAfter the switchover, page the database owner.\n"
            pid = page_id(server, "Runbook: Database failover")
            row = server.store.get_page(pid)
            server.store.update_page(
                pid, row["body"].replace("</p>", " (Reviewed by the DBA team.)</p>", 1)
            )
            await pilot.press("ctrl+s")

        async def history(app, pilot):
            pid = page_id(server, "Runbook: Rotating TLS certificates")
            row = server.store.get_page(pid)
            server.store.update_page(
                pid,
                row["body"].replace("</p>", " Renew 30 days before expiry.</p>", 1),
                message="Earlier renewal",
            )
            await open_page(app, pilot, "Runbook: Rotating TLS certificates")
            await pilot.press("h")
            await settle(app, pilot)
            await pilot.press("enter")

        async def palette(app, pilot):
            await open_page(app, pilot)
            await pilot.press("ctrl+p")
            for ch in "page":
                await pilot.press(ch)

        async def home(app, pilot):
            await pilot.press(
                "down", "enter"
            )  # enter on a space opens its homepage (a two-column layout)
            await settle(app, pilot)
            await pilot.press("right")

        async def help_screen(app, pilot):
            await pilot.press("question_mark")

        await shoot(server, "page-dark", page)
        await shoot(server, "page-light", page, theme="textual-light")
        await shoot(server, "search", search)
        await shoot(server, "editor", editor)
        await shoot(server, "merge", merge)
        await shoot(server, "history", history)
        await shoot(server, "palette", palette)
        await shoot(server, "help", help_screen)
        await shoot(server, "home", home)
        await shoot(server, "page-80x24", page, size=(80, 24))
    finally:
        server.stop()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
            os.environ[var] = os.path.join(home, var.lower())
        os.environ.pop("NO_COLOR", None)
        asyncio.run(main())
