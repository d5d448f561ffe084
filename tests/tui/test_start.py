"""Starting: the welcome screen opens the demo; the agent slot; `workbench demo` in a real terminal."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Button

from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.site_tree import SiteTree

from .helpers import SIZE, notes, settle, wait_until


async def test_welcome_offers_the_demo(isolated_home):
    app = WorkbenchApp(None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.id == "welcome"
        await pilot.press("d")
        await wait_until(
            app,
            pilot,
            lambda: app.main is not None and any(t.root.children for t in app.main.query(SiteTree)),
        )
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
        assert "Enter the site URL and the token." in str(
            app.screen.query_one("#welcome-error").render()
        )


async def test_agent_panel_toggles_in_its_slot(started):
    app, pilot = started
    slot = app.main.query_one("#agent-slot")
    assert not slot.display
    await pilot.press("ctrl+a")
    await settle(app, pilot)
    assert slot.display
    from workbench.tui.agent.panel import AgentPanel

    assert isinstance(slot.children[0], AgentPanel)
    await pilot.press("ctrl+a")
    await pilot.pause()
    assert not slot.display
    assert not [n for n in notes(app) if "not available" in n]


def test_bad_demo_seed_is_a_clear_error():
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "demo", "--seed", "huge"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert (
        result.stderr.startswith("workbench: Unknown seed 'huge'")
        and "Traceback" not in result.stderr
    )


def _terminal_env(home: Path) -> dict[str, str]:
    """A real terminal's environment for ``workbench`` with its home, config, data and cache in
    ``home``."""
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "TERM": "xterm-256color",
    }


@pytest.mark.tmux
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_workbench_demo_in_a_real_terminal(isolated_home):
    from .test_tmux import Terminal

    env = _terminal_env(isolated_home)
    term = Terminal(env)
    try:
        term.start(f"{Path(sys.executable).parent / 'workbench'} demo")
        screen = term.wait_for("● online")
        assert "Demo (local)" in screen and "Platform Engineering" in screen
        term.keys("q")
    finally:
        term.close()


@pytest.mark.tmux
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_workbench_demo_whose_server_never_starts_says_why_and_quits(isolated_home, tmp_path):
    """The demo's server process hangs before it says where it serves (a real process: a
    ``sitecustomize`` on its path, acting only in the server, writes a line and sleeps): after the
    time limit (the variable a user would set, short here) the app says so, and once quit the
    message stays on the terminal with the server's last words; exit status 1, no traceback."""
    from .test_tmux import Terminal

    hang = tmp_path / "hang"
    hang.mkdir()
    (hang / "sitecustomize.py").write_text(
        "import sys\n"
        "if 'workbench.emulator.child' in sys.orig_argv:\n"
        "    sys.stderr.write('waiting for a lock that never comes\\n')\n"
        "    sys.stderr.flush()\n"
        "    import time\n"
        "    time.sleep(600)\n"
    )
    env = _terminal_env(isolated_home) | {
        "PYTHONPATH": str(hang),
        "WORKBENCH_DEMO_START_TIMEOUT": "2",
    }
    term = Terminal(env)
    try:
        term.start(f"{Path(sys.executable).parent / 'workbench'} demo")
        term.tmux("set-option", "-t", term.session, "remain-on-exit", "on")  # keeps the status
        term.wait_for("did not start within 2", timeout=60)  # the notification
        term.wait_for("● offline")
        term.keys("q")
        assert term.wait_exit(timeout=60) == 1
        # the terminal as the app left it, with what scrolled off the top, wrapped lines joined
        screen = term.tmux("capture-pane", "-p", "-J", "-S", "-100", "-t", term.session)
        assert "workbench demo: The local Confluence of the demo did not start within 2" in screen
        assert "\nwaiting for a lock that never comes\n" in screen  # its last words on stderr
        assert "(WORKBENCH_DEMO_START_TIMEOUT=120 workbench demo)" in screen  # what to do
        assert "Traceback" not in screen
    finally:
        term.close()


async def test_oauth_login_from_the_welcome_screen_with_a_site_picker(local_confluence):
    from tests.auth.browser import play
    from workbench.config import load_settings

    server = local_confluence("demo")
    sandbox = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
    app = WorkbenchApp(
        None,
        login_options={
            "auth_url": server.origin,
            "api_url": server.origin,
            "port": 0,
            "open_browser": None,
            "timeout": 30,
        },
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#client-id").value = "demo-client"
        app.screen.query_one("#client-secret").value = "demo-secret"
        await pilot.click("#oauth")
        welcome = app.screen
        await wait_until(app, pilot, lambda: getattr(welcome, "oauth_url", None))
        assert "If the browser did not open" in str(welcome.query_one("#oauth-url").render())
        page = await play(welcome.oauth_url)
        assert "Login worked" in page.text
        # the picker is pushed, then composed and focused: wait for its list, not only its id
        await wait_until(
            app,
            pilot,
            lambda: (
                app.screen.id == "site-picker"
                and any(w.has_focus for w in app.screen.query("#pick"))
            ),
        )
        options = app.screen.query_one("#pick")
        index = next(
            i
            for i in range(options.option_count)
            if sandbox in str(options.get_option_at_index(i).prompt)
        )
        options.highlighted = index
        await pilot.press("enter")
        await wait_until(
            app,
            pilot,
            lambda: app.main is not None and any(t.root.children for t in app.main.query(SiteTree)),
        )
        await wait_until(app, pilot, lambda: app.main.query_one("#status").state == "online")
        tree = app.main.query_one(SiteTree)
        assert "Platform Engineering" in [n.data.title for n in tree.root.children]
        profile = load_settings().profile()
        assert profile.auth == "oauth" and profile.cloud_id == sandbox
        assert app.main.query_one("#status").state == "online"


async def test_api_token_login_from_the_welcome_screen(demo_server):
    from workbench.auth import store
    from workbench.config import load_settings

    app = WorkbenchApp(None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#url").value = demo_server.base_url
        app.screen.query_one("#email").value = "demo@example.com"
        app.screen.query_one("#token").value = "wrong-token"
        await pilot.click("#connect")
        await wait_until(
            app, pilot, lambda: "✗" in str(app.screen.query_one("#welcome-error").render())
        )
        assert "✗" in str(app.screen.query_one("#welcome-error").render())
        assert load_settings().profiles == {}
        app.screen.query_one("#token").value = "demo-token"
        connect = app.screen.query_one("#connect", Button)
        # a button ignores a press during its press effect (0.2 s, a timer: later on a busy machine)
        await wait_until(app, pilot, lambda: not connect.has_class("-active"))
        await pilot.click("#connect")
        await wait_until(  # the main screen is pushed before its tree is mounted: query, not query_one
            app,
            pilot,
            lambda: app.main is not None and any(t.root.children for t in app.main.query(SiteTree)),
        )
        await wait_until(app, pilot, lambda: app.main.query_one("#status").state == "online")
        assert app.main.query_one("#status").state == "online"
        profile = load_settings().profile()
        assert profile.url == demo_server.base_url and profile.username == "demo@example.com"
        assert store.load_token(profile.name) == "demo-token"
        assert "demo-token" not in (load_settings().path.read_text())


def _workbench(*args, env=None):
    import os

    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_bare_workbench_with_a_broken_config_or_half_set_environment_says_so(isolated_home):
    config = isolated_home / "config" / "workbench" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[ui\ntheme = 1\n")
    broken = _workbench()
    assert (
        broken.returncode == 2
        and "not valid TOML" in broken.stderr
        and "Traceback" not in broken.stderr
    )
    config.unlink()
    half = _workbench(env={"CONFLUENCE_URL": "https://acme.atlassian.net/wiki"})
    assert (
        half.returncode == 2
        and "CONFLUENCE_API_TOKEN" in half.stderr
        and "Traceback" not in half.stderr
    )


async def test_demo_with_a_data_dir_keeps_its_state(tmp_path):
    from workbench.services.sites import demo_site

    data = tmp_path / "demo-data"
    for run in range(2):
        site = demo_site(data)
        app = WorkbenchApp(site)
        try:
            async with app.run_test(size=SIZE) as pilot:
                await wait_until(
                    app,
                    pilot,
                    lambda app=app: app.workspace is not None and app.workspace.spaces_by_id,
                )
                ws = app.workspace
                found = await ws.search('title = "Runbooks"')
                page = await ws.open(found.results[0].id)
                if run == 0:
                    outcome = await ws.edit(page, page.markdown + "\nKept across runs.\n").save()
                    assert outcome.message.startswith("Saved")
                else:
                    assert "Kept across runs." in page.markdown
        finally:
            site.on_close()
    assert (data / "confluence.sqlite3").exists()


@pytest.mark.parametrize("argv", [[], ["demo"]])
def test_without_a_terminal_the_tui_says_so(argv, isolated_home, tmp_path):
    out = tmp_path / "out.txt"
    env = {
        "HOME": str(isolated_home),
        "XDG_CONFIG_HOME": str(isolated_home / "config"),
        "XDG_DATA_HOME": str(isolated_home / "data"),
        "XDG_CACHE_HOME": str(isolated_home / "cache"),
        "PATH": "/usr/bin:/bin",
    }
    with out.open("w") as stdout:
        result = subprocess.run(
            [sys.executable, "-m", "workbench", *argv],
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            env=env,
        )
    assert result.returncode == 2
    assert result.stderr.startswith("workbench: The workbench TUI needs a terminal")
    assert "workbench search" in result.stderr and "Traceback" not in result.stderr
    assert out.read_text() == ""


async def test_welcome_fits_an_80_by_24_terminal(isolated_home):
    app = WorkbenchApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#welcome-box")
        assert (
            box.region.right <= 80 and box.region.bottom <= 23
        )  # inside the screen, above the footer
        for widget in box.query("Label, Button, Input"):
            assert widget.region.right <= box.region.right  # nothing cut at the right edge
        assert box.max_scroll_y > 0  # what does not fit in height scrolls
