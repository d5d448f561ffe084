"""The modules the first page opened needs are not loaded at start-up, and the warm-up (run once
the site is connected) loads every one of them — so the first page's header requests are not held
up by ~100 ms of imports on the event loop."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from workbench.tui.warmup import FIRST_PAGE


def _loaded_after(code: str) -> set[str]:
    script = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import sys
        print(" ".join(name for name in {list(FIRST_PAGE)!r} if name in sys.modules))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    return set(done.stdout.split())


def test_start_up_does_not_load_what_the_first_page_needs():
    assert _loaded_after("import workbench.tui.app\nimport workbench.tui.screens.main") == set()


def test_the_warm_up_loads_all_of_it_in_a_thread():
    loaded = _loaded_after(
        """
        import threading
        from workbench.tui.warmup import warm_up_soon
        warm_up_soon()
        warm_up_soon()  # once per process
        for thread in threading.enumerate():
            if thread.name == "workbench-warm-up":
                thread.join(60)
        """
    )
    assert loaded == set(FIRST_PAGE)
