"""A Jira proposal from an MCP client in the workbench's inbox (Pilot): the row names the issue, the
review shows each field's old and new line, and approving (under the person's profile with
``jira_write``) changes the issue once; a transition made meanwhile is refused in plain words and
the proposal stays pending."""

from __future__ import annotations

import json

import httpx
from textual.widgets import Label, ListView, Static

from tests.tui.helpers import settle, wait_until
from workbench.agent.fences import Fence, Profiles
from workbench.config import load_settings
from workbench.inbox.store import Inbox
from workbench.services.sites import url_site
from workbench.tui.agent.review import ProposalReview
from workbench.tui.app import WorkbenchApp
from workbench.tui.inbox import InboxScreen

TRIAGE = frozenset({"jira", "jira_write"})
CONFIG = '[agent]\nprofile = "triage"\n[agent.profiles.triage]\ngroups = ["jira", "jira_write"]\n'


async def _mcp_client_proposes(server, name: str, arguments: dict) -> int:
    """What ``workbench mcp`` does for a client's call under a profile with ``jira_write``."""
    from workbench.confluence.client import ConfluenceClient
    from workbench.mcp.bridge import McpBridge

    profiles = Profiles((*Profiles().table, ("triage", TRIAGE)))
    auth = httpx.BasicAuth("demo@example.com", "demo-token")
    async with ConfluenceClient(server.base_url, auth=auth, max_wait=1.0) as client:
        bridge = McpBridge(client, Fence.build("triage", profiles=profiles))
        answer = await bridge.call(name, arguments)
    assert not answer.is_error and answer.proposal_id is not None, answer.text
    return answer.proposal_id


async def test_a_jira_proposal_is_reviewed_and_approved_in_the_inbox(
    demo_server, tmp_path, monkeypatch
):
    fields = await _mcp_client_proposes(
        demo_server, "propose_jira_fields", {"key": "ENG-4", "priority": "High", "labels": ["docs"]}
    )
    moved = await _mcp_client_proposes(
        demo_server, "propose_jira_transition", {"key": "ENG-4", "transition": "Start progress"}
    )
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    app = WorkbenchApp(url_site(demo_server.base_url, name="Demo"), settings=load_settings(config))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+g")
        await wait_until(app, pilot, lambda: isinstance(app.screen, InboxScreen))
        listed = app.screen.query_one(ListView)
        await wait_until(
            app,
            pilot,
            lambda: len(listed.children) == 2 and bool(listed.children[0].query("Label")),
        )
        row = str(listed.children[0].query_one("Label").render())
        assert "jira_fields Jira issue ENG-4 'Document the code review checklist'" in row
        await pilot.press("enter")
        await wait_until(app, pilot, lambda: isinstance(app.focused, ProposalReview))
        review = app.focused
        shown = str(review.query_one("#hunk-0", Static).render())
        assert "-priority: Low\n-labels: onboarding\n+priority: High\n+labels: docs" in shown
        assert "enter change accepted" in str(review.query_one(".review-footer", Static).render())
        await pilot.press("y", "enter")
        await wait_until(app, pilot, lambda: Inbox().get(fields).status == "approved")
        row = demo_server.store.jira_issue("ENG-4")
        assert row["priority_name"] == "High" and json.loads(row["labels"]) == ["docs"]

        demo_server.store.jira_transition("ENG-4", "31")  # someone closed it meanwhile
        await wait_until(app, pilot, lambda: len(listed.children) == 1)
        await pilot.press("enter")
        await wait_until(app, pilot, lambda: isinstance(app.focused, ProposalReview))
        assert "-status: To Do" in str(app.focused.query_one("#hunk-0", Static).render())
        await pilot.press("y", "enter")
        status = app.screen.query_one("#inbox-status", Label)
        await wait_until(app, pilot, lambda: "changed since" in str(status.render()))
        assert str(status.render()).startswith(
            "Not written: ENG-4 changed since the proposal: status is now Done (was To Do); "
            "nothing was sent."
        )
    assert Inbox().get(moved).status == "pending"  # the person may reject it with a reason
    assert demo_server.store.jira_issue("ENG-4")["status_name"] == "Done"
