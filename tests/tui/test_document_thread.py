"""The page view renders in a worker thread; that thread must not touch the widget's geometry.

``size``/``region`` are answered by the screen's compositor, which the event loop rebuilds on every
layout, through Textual's unsynchronised caches (``LRUCache``/``FIFOCache``): read from the render
thread while the loop lays out, they raised ``KeyError`` inside Textual (seen under load in
``test_back_forward``). Everything the thread needs is read on the event loop before it starts.
"""

from __future__ import annotations

import threading

from textual.app import App, ComposeResult

from workbench.tui.widgets.document import DocumentView

from .helpers import wait_until

PAGE = "\n\n".join(f"## Part {n}\n\n" + "A line of the page to lay out. " * 12 for n in range(40))


class Watched(DocumentView):
    """A page view that notes every read of its geometry made off the event loop's thread."""

    def __init__(self) -> None:
        super().__init__(id="viewer")
        self.loop_thread = threading.get_ident()
        self.off_loop: list[str] = []

    @property
    def region(self):  # what size, content_region and scrollable_content_region are read from
        if threading.get_ident() != self.loop_thread:
            self.off_loop.append(threading.current_thread().name)
        return super().region


class OneView(App[None]):
    def compose(self) -> ComposeResult:
        yield Watched()


async def test_the_render_thread_reads_no_geometry():
    app = OneView()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(Watched)
        view.show(PAGE)
        await wait_until(app, pilot, lambda: view.complete and view.line_count > 100)
        view.append("## Comments\n\n" + "A comment. " * 40)  # rendered from where the page ended
        await wait_until(app, pilot, lambda: view.complete and "Comments" in view.plain_lines())
        await pilot.resize_terminal(60, 20)  # a new width: the whole page again
        await wait_until(app, pilot, lambda: view.complete and view._width < 60)
        assert view.off_loop == []
