"""Starting: the welcome screen opens the demo; the agent slot; `workbench demo` in a real terminal."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.site_tree import SiteTree

from .helpers import SIZE, make_app, notes, settle


async def test_welcome_offers_the_demo(isolated_home):
    app = WorkbenchApp(None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.id == "welcome"
        await pilot.press("d")
        for _ in range(100):
            await settle(app, pilot)
            main = app.main
            if main is not None and main.query_one(SiteTree).root.children:
                break
        tree = app.main.query_one(SiteTree)
        assert [n.data.title for n in tree.root.children][0] == "Platform Engineering"
        assert app.site.key == "demo:demo"
        app.site.on_close()


async def test_welcome_token_form_checks_its_input(isolated_home):
    app = WorkbenchApp(None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#connect")
        await pilot.pause()
        assert "Enter the site URL and the token." in str(app.screen.query_one("#welcome-error").render())


async def test_agent_panel_toggles_in_its_slot(demo_server):
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        slot = app.main.query_one("#agent-slot")
        assert slot.has_class("hidden")
        await pilot.press("ctrl+a")
        await settle(app, pilot)
        assert not slot.has_class("hidden")
        from workbench.tui.agent.panel import AgentPanel

        assert isinstance(slot.children[0], AgentPanel)
        await pilot.press("ctrl+a")
        await pilot.pause()
        assert slot.has_class("hidden")
        assert not [n for n in notes(app) if "not available" in n]


def test_bad_demo_seed_is_a_clear_error():
    result = subprocess.run([sys.executable, "-m", "workbench", "demo", "--seed", "huge"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("workbench: Unknown seed 'huge'") and "Traceback" not in result.stderr


@pytest.mark.tmux
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_workbench_demo_in_a_real_terminal(isolated_home):
    from .test_tmux import Terminal

    env = {"HOME": str(isolated_home), "XDG_CONFIG_HOME": str(isolated_home / "config"),
           "XDG_DATA_HOME": str(isolated_home / "data"), "XDG_CACHE_HOME": str(isolated_home / "cache"),
           "TERM": "xterm-256color"}
    term = Terminal(env)
    try:
        term.start(f"{Path(sys.executable).parent / 'workbench'} demo")
        screen = term.wait_for("● online")
        assert "Demo (local)" in screen and "Platform Engineering" in screen
        term.keys("q")
    finally:
        term.close()
