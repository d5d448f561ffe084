"""A group-membership proposal from an MCP client in the workbench's inbox (Pilot): the row names who
and which group, the review shows every space the group reaches before anything is sent, and the
approval (under the person's profile with ``admin``) removes the member once."""

from __future__ import annotations

import httpx
from textual.widgets import ListView, Static

from tests.tui.helpers import settle, wait_until
from workbench.agent.fences import Fence, Profiles
from workbench.config import load_settings
from workbench.emulator.seed_people import GROUPS, TOMAS
from workbench.inbox.store import Inbox
from workbench.services.sites import url_site
from workbench.tui.agent.review import ProposalReview
from workbench.tui.app import WorkbenchApp
from workbench.tui.inbox import InboxScreen

CONTRACTORS = GROUPS["contractors"][0]
OFFBOARDING = frozenset({"spaces", "users", "admin"})


async def _mcp_client_proposes(server) -> int:
    """What ``workbench mcp`` does for a client's call under a profile with ``admin``."""
    from workbench.confluence.client import ConfluenceClient
    from workbench.mcp.bridge import McpBridge

    profiles = Profiles((*Profiles().table, ("offboarding", OFFBOARDING)))
    auth = httpx.BasicAuth("demo@example.com", "demo-token")
    async with ConfluenceClient(server.base_url, auth=auth, max_wait=1.0) as client:
        bridge = McpBridge(client, Fence.build("offboarding", profiles=profiles))
        bridge.agent = "it-bot 1.0"
        answer = await bridge.call(
            "propose_membership", {"user": "Tomás Ferreira", "group": "contractors"}
        )
    assert not answer.is_error and answer.proposal_id is not None, answer.text
    return answer.proposal_id


async def test_the_review_shows_the_reach_and_approving_removes_the_member(
    demo_server, tmp_path, monkeypatch
):
    number = await _mcp_client_proposes(demo_server)
    config = tmp_path / "config.toml"
    config.write_text(
        '[agent]\nprofile = "offboarding"\n'
        '[agent.profiles.offboarding]\ngroups = ["spaces", "users", "admin"]\n'
    )
    app = WorkbenchApp(url_site(demo_server.base_url, name="Demo"), settings=load_settings(config))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+g")
        await wait_until(app, pilot, lambda: isinstance(app.screen, InboxScreen))
        listed = app.screen.query_one(ListView)
        await wait_until(
            app, pilot, lambda: bool(listed.children) and bool(listed.children[0].query("Label"))
        )
        row = str(listed.children[0].query_one("Label").render())
        assert "remove_member Tomás Ferreira from group contractors" in row
        await pilot.press("enter")
        await wait_until(app, pilot, lambda: isinstance(app.focused, ProposalReview))
        review = app.focused
        shown = str(review.query_one("#hunk-0", Static).render())
        assert "Group contractors reaches 2 space(s):" in shown
        assert "PROD Product & Design: read space, create comment" in shown
        assert "-Tomás Ferreira · tomas.ferreira@example.com" in shown
        assert "enter remove accepted" in str(review.query_one(".review-footer", Static).render())
        assert TOMAS in {u["account_id"] for u in demo_server.store.members(CONTRACTORS)}
        await pilot.press("y", "enter")
        await wait_until(app, pilot, lambda: Inbox().get(number).status == "approved")
    assert TOMAS not in {u["account_id"] for u in demo_server.store.members(CONTRACTORS)}
    assert Inbox().get(number).decided_by == "tui"
