"""``workbench proposals``: hunk by hunk, the fences again at approval, other sites, pages gone, hostile titles."""

from __future__ import annotations

import asyncio
import json

import httpx

from workbench.cli import main

TWO_PLACES = [
    {"old": "Deploys happen on Tuesdays.", "new": "Deploys happen on Wednesdays."},
    {
        "old": "The on-call engineer owns the rollback.",
        "new": "The release manager owns the rollback.",
    },
]


def _propose(site, name: str, arguments: dict) -> int:
    """A proposal made the way ``workbench mcp`` makes one (the bridge, in this process)."""
    from workbench.agent.fences import Fence
    from workbench.confluence.client import ConfluenceClient
    from workbench.mcp.bridge import McpBridge

    async def go() -> int:
        auth = httpx.BasicAuth("demo@example.com", "demo-token")
        async with ConfluenceClient(site.url, auth=auth, max_wait=1.0) as client:
            answer = await McpBridge(client, Fence.build("propose")).call(name, arguments)
            assert not answer.is_error and answer.proposal_id is not None, answer.text
            return answer.proposal_id

    return asyncio.run(go())


def _edit(site) -> int:
    return _propose(
        site,
        "propose_edit",
        {"page_id": site.runbook, "base_version": 1, "edits": TWO_PLACES, "summary": "two changes"},
    )


def test_only_the_hunks_named_are_written(site, env, capsys):
    number = _edit(site)
    assert main(["proposals", "show", str(number)]) == 0
    shown = capsys.readouterr().out
    assert "@@ hunk 1 of 2 @@" in shown and "@@ hunk 2 of 2 @@" in shown
    assert main(["proposals", "approve", str(number), "--hunks", "2"]) == 0
    body = site.body(site.runbook)
    assert site.version(site.runbook) == 2
    assert "Tuesdays" in body and "The release manager owns the rollback." in body


def test_a_hunk_that_does_not_exist_writes_nothing(site, env, capsys):
    number = _edit(site)
    assert main(["proposals", "approve", str(number), "--hunks", "1,5"]) == 1
    assert "there is no hunk 5" in capsys.readouterr().err
    assert main(["proposals", "approve", str(number), "--hunks", "one"]) == 2
    assert site.version(site.runbook) == 1
    assert main(["proposals", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["status"] == "pending"


def test_the_allow_list_is_checked_again_when_approving(site, env, allow, capsys):
    number = _edit(site)
    allow(["SECRET"])  # the person narrowed the fence since the proposal was made
    assert main(["proposals", "approve", str(number)]) == 4
    assert "outside this site's allow-list" in capsys.readouterr().err
    assert site.version(site.runbook) == 1


def test_a_proposal_of_another_site_is_not_approved_here(
    site, env, local_confluence, monkeypatch, capsys
):
    number = _edit(site)
    other = local_confluence("demo")
    monkeypatch.setenv("CONFLUENCE_URL", other.base_url)
    assert main(["proposals", "approve", str(number)]) == 4
    assert f"was made on {site.url}" in capsys.readouterr().err
    assert site.version(site.runbook) == 1


def test_a_page_trashed_since_is_not_written_and_the_agent_is_told(site, env, capsys):
    number = _edit(site)
    site.store.delete_page(site.runbook)
    assert main(["proposals", "approve", str(number)]) == 1
    capsys.readouterr()
    assert main(["proposals", "list", "--all", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["status"] == "failed" and "trash" in row["status_text"].lower()


def test_unknown_ids_and_missing_arguments_are_plain_errors(site, env, capsys):
    assert main(["proposals", "approve", "42"]) == 2
    assert "There is no proposal 42" in capsys.readouterr().err
    assert main(["proposals", "show"]) == 2
    assert "Usage: workbench proposals show ID" in capsys.readouterr().err
    assert main(["proposals"]) == 0
    assert capsys.readouterr().out.strip() == "No pending proposals."


def test_hostile_titles_and_agent_names_reach_the_terminal_as_text(site, env, capsys):
    page = site.store.create_page(
        int(site.eng_id), "Evil \x1b]0;pwned\x07\x1b[2J title", "<p>x</p>"
    )
    _propose(site, "propose_comment", {"page_id": str(page["id"]), "markdown": "hi \x1b[31mred"})
    assert main(["proposals", "list"]) == 0
    assert main(["proposals", "show", "1"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "Evil" in out and "pwned" in out


def test_an_approval_killed_after_writing_is_finished_by_the_next_one(site, env, capsys):
    """kill -9 between the write and the record: the page holds the change, the record says pending.
    Approving again writes nothing and records it approved (the page is not written twice)."""
    number = _edit(site)
    done = site.body(site.runbook).replace(
        "Deploys happen on Tuesdays.", "Deploys happen on Wednesdays."
    )
    done = done.replace(
        "The on-call engineer owns the rollback.", "The release manager owns the rollback."
    )
    site.store.update_page(site.runbook, done, version=2)  # what the killed approval had written
    assert main(["proposals", "approve", str(number)]) == 0
    assert "already contains these changes; nothing was written" in capsys.readouterr().out
    assert site.version(site.runbook) == 2
    assert main(["proposals", "list", "--all", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["status"], row["new_version"]) == ("approved", 2)
