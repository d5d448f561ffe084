"""The modules the first page opened needs are not loaded at start-up, and the warm-up (run once
the site is connected) loads every one of them — so the first page's header requests are not held
up by ~100 ms of imports on the event loop."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

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


def test_the_collector_is_paused_for_start_up_and_on_again_after_it():
    script = textwrap.dedent(
        """
        import gc
        from workbench.tui.warmup import pause_collector, resume_collector, start_up_over
        def oldest(thing):
            return any(o is thing for o in gc.get_objects(generation=2))
        early = [[]]
        start_up_over()  # not paused here: nothing moves
        print(gc.isenabled(), oldest(early))
        pause_collector()
        made = [[]]  # made during start-up
        print(gc.isenabled())
        start_up_over()  # the spaces are shown: start-up's objects old, the collector on
        print(gc.isenabled(), oldest(made), gc.get_freeze_count() == 0)
        gc.disable()  # someone else's pause (a conversion, say) is not ended here
        resume_collector()
        print(gc.isenabled())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split() == ["True", "False", "False", "True", "True", "True", "False"]


def test_every_command_but_the_tui_runs_with_the_collector_on(tmp_path, capsys):
    """The CLI pauses the collector before it knows the command; a command that is not the TUI,
    a usage error and a TUI that cannot start (no terminal) all leave it on."""
    import gc

    from workbench.cli import main

    assert gc.isenabled()
    page = tmp_path / "page.md"
    page.write_text("# Title\n\nSome *text*.\n", encoding="utf-8")
    assert main(["convert", "to-storage", str(page)]) == 0
    assert "<em>text</em>" in capsys.readouterr().out and gc.isenabled()
    with pytest.raises(SystemExit):
        main(["no-such-command"])
    assert gc.isenabled()
    assert main(["demo"]) != 0  # pytest's stdin is no terminal: a usage error, no app
    assert "needs a terminal" in capsys.readouterr().err and gc.isenabled()
