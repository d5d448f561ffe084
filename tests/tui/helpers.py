"""Helpers for the TUI tests: run the real app against the real local server and wait properly."""

from __future__ import annotations

from textual.worker import WorkerCancelled, WorkerFailed

from workbench.services.sites import url_site
from workbench.tui.app import WorkbenchApp

SIZE = (120, 40)


def make_app(server, **kwargs) -> WorkbenchApp:
    """The workbench on ``server`` (named "Demo" so screens do not show the random port); what it
    says is read with :func:`notes`."""
    return WorkbenchApp(url_site(server.base_url, name="Demo"), **kwargs)


async def settle(app, pilot, delay: float = 0.05, timeout: float = 60.0) -> None:
    """Wait until the app is quiet: no worker pending or running (workers start workers), every
    page view finished rendering (its thread hands lines over), and nothing changes between two
    looks. A condition, not a fixed pause: it holds under any load (bounded: the test's own
    assertions then say what is missing)."""
    import time

    deadline = time.monotonic() + timeout
    await pilot.pause(delay)
    quiet = 0
    while quiet < 2:
        try:
            await app.workers.wait_for_complete()
        # the app reports worker errors itself (asserted via notes()); an exclusive worker replaced
        # by a newer one is cancelled, and the newer one is waited on in the next round
        except (WorkerFailed, WorkerCancelled):
            pass
        await pilot.pause()
        if _busy(app):
            quiet = 0
            if time.monotonic() > deadline:  # the test's own assertions say what is missing
                return
            await pilot.pause(0.02)
        else:
            quiet += 1


def _busy(app) -> list[str]:
    """What is still under way (empty when the app is quiet)."""
    from textual.worker import WorkerState

    from workbench.tui.widgets.document import DocumentView

    busy = [
        f"worker {w.name or w.group}"
        for w in app.workers
        if w.state in (WorkerState.PENDING, WorkerState.RUNNING)
    ]
    for screen in app.screen_stack:
        busy += [
            f"rendering #{view.id}"
            for view in screen.query(DocumentView)
            if view.markdown and not view.complete
        ]
    return busy


def notes(app: WorkbenchApp) -> list[str]:
    """The notifications the app has shown since the last call (and forget them). The app keeps
    what it said (``WorkbenchApp.said``): Textual forgets a notification once its timeout (5 s) has
    passed, and on a busy machine the wait for a save can take longer than that; the test would not
    see what the person saw."""
    out = list(app.said)
    app.said.clear()
    return out


def _raised(app: WorkbenchApp) -> int:
    """How many notifications the app has raised so far."""
    return app.said_count


def page_id(server, title: str) -> str:
    row = server.store.query_one("SELECT id FROM pages WHERE title = ?", (title,))
    assert row is not None, title
    return str(row["id"])


def page_row(server, pid: str) -> dict:
    return server.store.get_page(pid)


async def open_page(app, pilot, server, title: str):
    """Open a page the way the palette or a link does, and wait for it (and its comments)."""
    app.open_page(page_id(server, title))
    await settle(app, pilot)
    main = app.main
    assert main.workspace.current is not None and main.workspace.current.page.title == title
    return main


def viewer_text(app) -> str:
    return "\n".join(app.main.query_one("#viewer").plain_lines())


async def wait_until(app, pilot, predicate, timeout: float = 30.0) -> None:
    """Let the app run until ``predicate()`` holds (workers and threads included), or fail."""
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"the app did not get there in time; notifications: {notes(app)}")
        await pilot.pause(0.05)


async def save(app, pilot, *, message: str = "", minor: bool = False) -> None:
    """Press ctrl+s in the editor and confirm the save prompt (a version message, a minor edit)."""
    import time

    raised = _raised(app)
    await pilot.press("ctrl+s")

    def answered() -> bool:
        """The prompt, ready (mounted: its message box has the focus), or an answer without one
        (nothing to save, markers left, a merge being saved, a dialog)."""
        screen = app.screen
        if screen.id == "save-prompt":
            return screen.is_mounted and screen.focused is not None
        return screen.id is not None or app.main.editor_pane.saving or _raised(app) > raised

    deadline = time.monotonic() + 30
    while not answered() and time.monotonic() < deadline:  # bounded: the test's asserts say why
        await pilot.pause(0.02)
    if app.screen.id == "save-prompt":
        if message:
            app.screen.query_one("#save-message").value = message
        if minor:
            app.screen.query_one("#save-minor").value = True
        await pilot.press("ctrl+s")
    await settle(app, pilot)


def dc_app(server) -> WorkbenchApp:
    """The workbench on a local Data Center (``flavour="dc", context_path="/confluence"``), logged in
    with the demo's password as Data Center takes it."""
    import httpx

    from workbench.services.workspace import SiteSpec

    base = f"{server.origin}/confluence"

    def connect():
        from workbench.confluence.client import ConfluenceClient

        return ConfluenceClient(base, auth=httpx.BasicAuth("demo", "demo-password"), kind="dc")

    return WorkbenchApp(SiteSpec(base, "DC", connect))
