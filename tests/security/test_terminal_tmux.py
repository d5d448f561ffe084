"""D1 and D14 in a real terminal: tmux runs the CLI and the TUI on the hostile local Confluence.

tmux honours what the audit's attacks used: OSC 0/2 set the pane title, OSC 52 writes the tmux
buffer (``set-clipboard on``), CSI 2J clears the screen. After listing and opening hostile pages
(and saving one whose title holds ``[/…]``), the title, the buffer and the screen must be unchanged.
Also: the TUI's exit status after an unexpected error is not 0 (D14).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.security.hostile import seed_hostile

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

WORKBENCH = str(Path(sys.executable).parent / "workbench")


class Tmux:
    """A private tmux server whose pane runs one command, with titles and the clipboard enabled."""

    def __init__(self, env: dict[str, str]) -> None:
        self.socket = f"wb-sec-{uuid.uuid4().hex[:8]}"
        self.env = env

    def tmux(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20
        )

    def run(self, command: str) -> None:
        self.tmux(
            "-f", "/dev/null", "new-session", "-d", "-s", "wb", "-x", "120", "-y", "40", "sleep 600"
        )
        self.tmux("set-option", "-s", "set-clipboard", "on")
        self.tmux("set-option", "-g", "set-titles", "on")
        self.tmux("set-option", "-g", "allow-rename", "on")
        self.initial_title = self.title()
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        self.tmux("respawn-pane", "-k", "-t", "wb", f"env -i {env} sh -c {shlex.quote(command)}")

    def title(self) -> str:
        return self.tmux("display-message", "-p", "-t", "wb", "#{pane_title}").stdout.strip()

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "wb").stdout

    def buffers(self) -> str:
        return self.tmux("list-buffers").stdout

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear on the screen:\n{screen}")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "wb", key)
            time.sleep(0.15)

    def close(self) -> None:
        self.tmux("kill-server")

    def assert_untouched(self) -> None:
        title = self.title()
        assert "PWNED" not in title and title == self.initial_title, (
            f"the pane title became {title!r}"
        )
        assert self.buffers() == "", f"the clipboard (tmux buffer) was written: {self.buffers()!r}"


@pytest.fixture
def terminal(demo_server, isolated_home):
    ids = seed_hostile(demo_server)
    env = {
        "HOME": str(isolated_home),
        "XDG_CONFIG_HOME": str(isolated_home / "config"),
        "XDG_DATA_HOME": str(isolated_home / "data"),
        "XDG_CACHE_HOME": str(isolated_home / "cache"),
        "CONFLUENCE_URL": demo_server.base_url,
        "CONFLUENCE_USERNAME": "demo@example.com",
        "CONFLUENCE_API_TOKEN": "demo-token",
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "PATH": os.environ.get("PATH", ""),
    }
    term = Tmux(env)
    yield term, ids
    term.close()


@pytest.mark.parametrize(
    "command",
    [
        ["search", "Zebrafive"],
        ["search", "title ~ Zebra"],
        ["spaces"],
        ["cat", "{page_id}"],
        ["cat", "{raw_id}", "--format", "storage"],
    ],
    ids=lambda c: "-".join(c).replace("{", "").replace("}", ""),
)
def test_cli_output_leaves_the_terminal_alone(terminal, command):
    term, ids = terminal
    argv = " ".join(shlex.quote(part.format(**ids)) for part in [WORKBENCH, *command])
    term.run(f"echo BEFORE-THE-COMMAND; {argv}; echo EXIT-$?; sleep 600")
    screen = term.wait_for("EXIT-")
    assert "EXIT-0" in screen
    assert "BEFORE-THE-COMMAND" in screen  # CSI 2J did not clear the screen
    assert "␛]" in screen  # the sequences are shown as text
    term.assert_untouched()


def test_tui_browsing_and_saving_leave_the_terminal_alone(terminal, demo_server):
    term, ids = terminal
    term.run(f"{shlex.quote(WORKBENCH)}; echo EXIT-$?; sleep 600")
    term.wait_for("online")
    term.wait_for("Evil space")
    term.keys("Down", "Enter")  # the hostile space's homepage (titled like the space)
    term.wait_for("v1 ·")
    # the viewer has the focus after opening: escape goes back to the tree. A terminal cannot tell
    # ESC then → from alt+→ when they come within ESCDELAY (100 ms): a pause between the two
    term.keys("Escape")
    time.sleep(0.3)
    term.keys("Right")
    term.wait_for("Zebra ␛]0;PWNED")
    term.keys("Down", "Enter")  # the hostile page: title, labels, comments, an author
    screen = term.wait_for("v2 ·")
    assert "Platform Engineering" in screen  # the tree is still drawn: nothing cleared the screen
    term.assert_untouched()
    term.keys("Escape")  # back to the tree (its cursor follows the open page) …
    time.sleep(0.3)  # (ESCDELAY: see above)
    term.keys("Right")  # … and expand it
    term.wait_for("Routing [/api/v2]")
    term.keys("Down", "Enter")
    term.wait_for("v1 ·")
    term.keys("e")
    term.wait_for("^s Save")
    term.keys("C-End")
    term.tmux("send-keys", "-t", "wb", "-l", "Typed in a real terminal.")
    term.wait_for("Editor ●")
    term.keys("C-s")
    term.wait_for("What did you change")  # the save prompt; ctrl+s again saves
    term.keys("C-s")
    screen = term.wait_for("Saved “Routing [/api/v2]")  # D3: this notification ended the app
    assert demo_server.store.get_page(ids["child_id"])["version"] == 2
    assert "EXIT-" not in screen
    term.assert_untouched()
    term.keys("q")
    assert "EXIT-0" in term.wait_for("EXIT-")


def test_tui_exit_status_after_an_unexpected_error(terminal, tmp_path):
    """D14: Textual ended the app with the traceback and the shell saw status 0."""
    term, _ids = terminal
    launcher = tmp_path / "crashing_workbench.py"
    launcher.write_text(
        "import sys\n"
        "from workbench.tui.screens.main import MainScreen\n"
        "def broken(self):\n"
        "    raise RuntimeError('a bug for the test')\n"
        "MainScreen.action_toggle_tree = broken  # ctrl+b now fails like a bug would\n"
        "from workbench.cli import main\n"
        "sys.exit(main([]))\n",
        encoding="utf-8",
    )
    term.env["PYTHONPATH"] = os.getcwd()
    term.run(f"{shlex.quote(sys.executable)} {shlex.quote(str(launcher))}; echo EXIT-$?; sleep 600")
    term.wait_for("online")
    term.keys("C-b")
    screen = term.wait_for("EXIT-")
    assert "EXIT-1" in screen
    assert "a bug for the test" in screen  # Textual's report of the error
    assert "the TUI stopped after an unexpected error" in screen
