"""Start-up: the garbage collector paused while the TUI starts, and what the first page opened
needs, loaded before it is asked for.

**The collector.** Start-up allocates hundreds of thousands of objects (modules, classes, widgets,
styles) and frees almost none of them, so the cyclic collector's passes during it find nothing and
cost ~20 % of the CPU time to the first frame showing the spaces. :func:`pause_collector` (the TUI
commands call it first) switches it off; :func:`start_up_over` (the spaces and the user are shown,
or :data:`PAUSE_AT_MOST` seconds have passed, whichever comes first) moves everything start-up made
to the oldest generation (``gc.freeze`` + ``gc.unfreeze``, as the converter does with a big page's
model: the young generations' frequent passes do not walk it; nothing stays frozen, so the
converter's own use of the trick goes on) and switches the collector back on. Reference counting
frees memory as usual meanwhile.

**The first page.**
Start-up loads only what the first frame needs; the converter, the page header's services, the
Markdown parser and the dialogs a page may open load on first use. Left to the first page opened,
that is ~100 ms of imports on the event loop, between the page's answer and its header's second
round of requests (which then go out late, after the loop is free again). :func:`warm_up_soon`
imports them in a background thread once the site is connected and its spaces are listed — time
in which a person is still reading the tree. Imports are idempotent and take Python's import lock,
so a page opened meanwhile waits for a module at most as long as it would have taken anyway.
"""

from __future__ import annotations

import gc
import importlib
import threading

#: Loaded by the first page opened (measured with ``sys.modules`` before and after it).
FIRST_PAGE = (
    "workbench.convert.api",  # the converter (the package itself loads it lazily)
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

#: The collector is switched back on after this many seconds even if start-up did not finish
#: (no site, a login to type, a site that does not answer).
PAUSE_AT_MOST = 5.0

_started = threading.Event()
_paused = False


def pause_collector() -> None:
    """Switch the cyclic garbage collector off for start-up (see the module's notes)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def start_up_over() -> None:
    """Start-up is over: what it made goes to the oldest generation, and the collector that
    :func:`pause_collector` switched off is on again (nothing happens if it was not paused here)."""
    global _paused
    if _paused:
        _paused = False
        if gc.get_freeze_count() == 0:  # someone's frozen set is left as it is
            gc.freeze()
            gc.unfreeze()
        gc.enable()


def resume_collector() -> None:
    """The collector on again, nothing frozen: no TUI started after all (another command, a
    usage error, no terminal). Nothing happens if it was not paused here, or is on already."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


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
