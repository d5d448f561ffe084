"""D1/D12: hostile titles, space names, labels, excerpts and authors never drive the terminal from
the command line.

Every command that prints server text is run against the local Confluence seeded with hostile text
(``hostile.py``): human output never holds a control character (escape sequences are shown as
``␛]0;…``); JSON holds the exact data with the dangerous characters escaped; page bodies written
to a file or pipe stay exact; and at a real terminal (a pty) not one control byte arrives, whatever
the command.
"""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.helpers import run, use_site
from tests.security.hostile import (
    CHILD_TITLE,
    EVIL_ACCOUNT,
    LABEL,
    PAGE_TITLE,
    SPACE_NAME,
    dangerous,
    seed_hostile,
)
from workbench.config import Profile, Settings, save_settings

WORKBENCH = str(Path(sys.executable).parent / "workbench")


@pytest.fixture
def hostile(demo_server, monkeypatch):
    ids = seed_hostile(demo_server)
    use_site(monkeypatch, demo_server.base_url)
    return demo_server, ids


def _clean(text: str) -> None:
    assert not dangerous(text), (
        f"control characters reached the output: {dangerous(text)!r}\n{text!r}"
    )


def test_spaces_table_and_json(hostile, capsys):
    code, out, err = run(capsys, "spaces")
    assert code == 0 and "Evil space ␛]0;PWNED-TITLE␇␛[2J" in out
    _clean(out + err)
    code, out, _ = run(capsys, "spaces", "--json")
    assert code == 0
    _clean(out.replace("\n", ""))
    assert SPACE_NAME in [
        s["name"] for s in json.loads(out)
    ]  # the exact data, escaped in the JSON text


@pytest.mark.parametrize("query", ["title ~ Zebra", "Zebrafive", 'text ~ "Zebra body"'])
def test_search_lines_and_json(hostile, capsys, query):
    code, out, err = run(capsys, "search", query)
    assert code == 0 and "result" in out
    _clean(out + err)
    code, out, _ = run(capsys, "search", query, "--json")
    assert code == 0
    _clean(out)
    titles = [r["title"] for r in json.loads(out)["results"]]
    assert titles and all(
        t in (PAGE_TITLE, "Zebrafive \x1b]52;c;aWQgfCBzaA==\x07 clip") for t in titles
    )


@pytest.mark.parametrize("key", ["page_id", "child_id", "raw_id", "home_id"])
def test_cat_status_line_and_exact_bodies(hostile, capsys, key):
    server, ids = hostile
    page = server.store.get_page(ids[key])
    code, out, err = run(capsys, "cat", ids[key])
    assert code == 0 and f"Page {ids[key]} " in err
    _clean(err)  # the status line names the title
    code, out, err = run(capsys, "cat", ids[key], "--format", "storage")
    assert code == 0 and out.rstrip("\n") == page["body"]  # data to a pipe stays exact
    _clean(err)
    code, out, _ = run(capsys, "cat", ids[key], "--format", "json")
    assert code == 0 and json.loads(out)["title"] == page["title"]
    _clean(out)


def test_push_names_the_title_safely(hostile, capsys, tmp_path):
    server, ids = hostile
    code, markdown, _ = run(capsys, "cat", ids["child_id"])
    source = tmp_path / "page.md"
    source.write_text(markdown + "\nOne more line.\n", encoding="utf-8")
    code, out, err = run(capsys, "push", ids["child_id"], str(source), "--base-version", "1")
    assert code == 0 and "Saved page" in out and "Routing [/api/v2] ␛]0;PWNED-TITLE␇child" in out
    _clean(out + err)
    assert (
        server.store.get_page(ids["child_id"])["title"] == CHILD_TITLE
    )  # the title itself is unchanged


def test_sites_with_a_hostile_site_name(capsys):
    save_settings(
        Settings(
            default_profile="evil",
            profiles={
                "evil": Profile(
                    name="evil",
                    url="https://api.atlassian.com/ex/confluence/x/wiki",
                    auth="oauth",
                    site_name=SPACE_NAME,
                    site_url="https://evil.example/wiki",
                    cloud_id="x",
                    client_id="c",
                )
            },
        )
    )
    code, out, err = run(capsys, "sites")
    assert code == 0 and "Evil space ␛" in out
    _clean(out + err)
    code, out, _ = run(capsys, "sites", "--json")
    assert json.loads(out)[0]["site"] == SPACE_NAME
    _clean(out)


def test_a_label_is_shown_as_text_in_search_results(hostile, capsys):
    code, out, err = run(capsys, "search", "label = evil", "--limit", "5")
    _clean(out + err)
    assert LABEL not in out  # (labels are not printed raw anywhere)


# -- at a real terminal ---------------------------------------------------------------------------
def _run_on_pty(argv: list[str], env: dict[str, str], timeout: float = 60.0) -> tuple[int, bytes]:
    """Run ``argv`` with stdout and stderr on a pseudo-terminal: its exit code, and every byte it
    wrote there."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
    finally:
        os.close(master)
        proc.wait(timeout=30)
    return proc.returncode, b"".join(chunks)


@pytest.mark.parametrize(
    "command",
    [
        ["spaces"],
        ["search", "title ~ Zebra"],
        ["search", "Zebrafive"],
        ["cat", "{page_id}"],
        ["cat", "{raw_id}", "--format", "storage"],
        ["cat", "{page_id}", "--format", "json"],
        ["cat", "{child_id}"],
    ],
    ids=lambda c: "-".join(c).replace("{", "").replace("}", ""),
)
def test_nothing_reaches_a_real_terminal(hostile, command):
    server, ids = hostile
    env = dict(os.environ, TERM="xterm-256color")
    code, output = _run_on_pty([WORKBENCH, *(part.format(**ids) for part in command)], env)
    shown = output.decode("utf-8")
    assert code == 0, shown
    _clean(shown.replace("\r\n", "\n"))  # the pty turns \n into \r\n
    assert (
        "PWNED" in shown or "Zebra" in shown or "Evil" in shown
    )  # the text is there, made visible


def test_a_failed_mention_lookup_names_the_error_as_text(hostile, capsys, monkeypatch):
    """``cat`` still shows a page whose mentions cannot be named, and says why on one line: the
    server's words in that line are shown as text (ESC, BEL, C1 and bidi controls made visible)."""
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.errors import ServerError

    server, ids = hostile
    mention = f'<p>Ask <ac:link><ri:user ri:account-id="{EVIL_ACCOUNT}" /></ac:link> first.</p>'
    page = server.store.create_page(int(ids["space_id"]), "Mentions", mention, author=EVIL_ACCOUNT)

    async def refused(self, account_ids):  # the users request fails with hostile words
        raise ServerError(f"Confluence had an internal problem (500: {SPACE_NAME})")

    monkeypatch.setattr(ConfluenceClient, "users", refused)
    code, out, err = run(capsys, "cat", str(page["id"]))
    assert code == 0 and "Ask" in out and "mentions show account ids" in err
    assert "Evil space ␛]0;PWNED-TITLE␇" in err
    _clean(err)
