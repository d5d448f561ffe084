"""What the first page opened needs, loaded before it is asked for.

Start-up loads only what the first frame needs; the converter, the page header's services, the
Markdown parser and the dialogs a page may open load on first use. Left to the first page opened,
that is ~100 ms of imports on the event loop, between the page's answer and its header's second
round of requests (which then go out late, after the loop is free again). :func:`warm_up_soon`
imports them in a background thread once the site is connected and its spaces are listed — time
in which a person is still reading the tree. Imports are idempotent and take Python's import lock,
so a page opened meanwhile waits for a module at most as long as it would have taken anyway.
"""

from __future__ import annotations

import importlib
import threading

#: Loaded by the first page opened (measured with ``sys.modules`` before and after it).
FIRST_PAGE = (
    "workbench.convert",
    "workbench.services.pages",
    "workbench.services.page_extras",
    "workbench.services.diffing",
    "workbench.tui.emoticons",
    "workbench.tui.page_pictures",
    "workbench.tui.render_code",
    "workbench.tui.screens.modals",
    "markdown_it",
    "mdit_py_plugins.container",
    "pygments.styles.monokai",
)

_started = threading.Event()


def warm_up() -> None:
    """Import :data:`FIRST_PAGE` (in the calling thread); a module that fails to load is left to
    fail where it is used, with that place's own message."""
    for name in FIRST_PAGE:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - said where the module is really used
            continue


def warm_up_soon() -> None:
    """:func:`warm_up` in a daemon thread, once per process (later calls do nothing)."""
    if _started.is_set():
        return
    _started.set()

    def run() -> None:
        try:
            warm_up()
        except BaseException:  # noqa: BLE001 - the interpreter may be shutting down: nothing to do
            pass

    threading.Thread(target=run, name="workbench-warm-up", daemon=True).start()
