"""Opening a link in the web browser, or copying it where there is none (any widget may ask)."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlsplit

from textual.app import App
from textual.widget import Widget


def open_in_browser(node: Widget, url: str) -> None:
    """Open ``url`` in the web browser; where there is none, say so and copy the link instead.

    Only http(s) and mailto: a link the server or a page supplies (``file:``, ``javascript:``, an
    app's own scheme) is never handed to the system's opener."""
    app = node.app
    if urlsplit(url).scheme.lower() not in ("http", "https", "mailto"):
        app.notify(f"Not opened: '{url}' is not an http(s) or mailto link.", severity="warning")
        return
    if app.is_web:
        app.open_url(url)
        app.notify(f"Opened {url}")
        return
    node.run_worker(partial(_open, app, url), thread=True, group="browser", exit_on_error=False)


def _open(app: App[object], url: str) -> None:
    import webbrowser  # only when a link is opened

    try:
        opened = webbrowser.open(url)
    except Exception:  # noqa: BLE001 - a broken browser setup is "no browser"
        opened = False
    app.call_from_thread(_said, app, url, opened)


def _said(app: App[object], url: str, opened: bool) -> None:
    if opened:
        app.notify(f"Opened {url}")
    else:
        app.copy_to_clipboard(url)
        app.notify(
            f"No web browser found here, so the link is copied instead: {url}", severity="warning"
        )
