"""``$EDITOR`` in a real terminal: tmux runs ``workbench``, ``E`` hands the page to a scripted fake
editor (a small shell script set as EDITOR, as vim would be), the app comes back with the edited
text, and ``ctrl+s`` saves it through the one save path. A failing editor changes nothing."""

from __future__ import annotations

import os
import shutil

import pytest

from .test_tmux import WORKBENCH, Terminal, _open_runbooks

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

LINE = "Appended by the fake editor."


def _editor_script(folder, body: str):
    script = folder / "fake-editor.sh"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return script


def _terminal(demo_server, home, editor) -> Terminal:
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "CONFLUENCE_URL": demo_server.base_url,
        "CONFLUENCE_USERNAME": "demo@example.com",
        "CONFLUENCE_API_TOKEN": "demo-token",
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", ""),
        "EDITOR": str(editor),
    }
    if os.environ.get("PYTHONPATH"):  # a checkout run without installing it
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return Terminal(env)


def test_the_page_goes_to_editor_and_comes_back_to_be_saved(demo_server, isolated_home, tmp_path):
    # the script appends a line to the file it is given, as a person would in vim, and exits 0
    editor = _editor_script(tmp_path, f'printf "\\n{LINE}\\n" >> "$1"\n')
    term = _terminal(demo_server, isolated_home, editor)
    try:
        term.start(WORKBENCH)
        _open_runbooks(term)
        term.keys("E")
        term.wait_for(LINE)  # back in the editor, with the text the editor wrote
        # changed, not saved yet: the tab's mark is drawn on a later refresh than the text
        term.wait_for("Editor ●")
        term.keys("C-s")
        term.wait_for("What did you change")  # the same save prompt as typing
        term.keys("C-s")
        term.wait_for("Saved “Runbooks”")
        row = demo_server.store.query_one(
            "SELECT body, version FROM pages WHERE title = 'Runbooks'"
        )
        assert LINE in row["body"] and row["version"] == 2
        assert not list(tmp_path.glob("workbench-edit-*"))
    finally:
        term.close()


def test_an_editor_that_fails_changes_nothing(demo_server, isolated_home, tmp_path):
    editor = _editor_script(tmp_path, 'echo "garbage" > "$1"\nexit 3\n')
    term = _terminal(demo_server, isolated_home, editor)
    try:
        term.start(WORKBENCH)
        _open_runbooks(term)
        term.keys("E")
        screen = term.wait_for("status 3")  # the notice (it may wrap)
        assert "unchanged" in screen and "garbage" not in screen
        assert "Editor ●" not in screen  # nothing to save
        row = demo_server.store.query_one("SELECT version FROM pages WHERE title = 'Runbooks'")
        assert row["version"] == 1
    finally:
        term.close()
