"""``workbench mcp``'s tool list follows the permission profile, built-in or composed of groups in the
config file, chosen with --agent-profile or per site; driven by the official MCP SDK client."""

from __future__ import annotations

import subprocess
import sys

from workbench.agent.fences import PROFILES

from .conftest import text_of


async def test_each_built_in_profile_lists_exactly_its_tools(mcp_client, site, allow):
    allow()
    for name, tools in PROFILES.items():
        async with mcp_client("--agent-profile", name) as client:
            listed = {t.name for t in (await client.list_tools()).tools}
        proposes = name == "propose"
        assert listed == set(tools) | ({"get_proposal"} if proposes else set()), name


async def test_a_profile_of_your_own_lists_only_its_groups_and_refuses_the_rest(
    mcp_client, site, allow
):
    # reading pages and proposing, but no search and no listing of spaces
    allow(extra='[agent.profiles.editor]\ngroups = ["pages", "propose"]\n')
    async with mcp_client("--agent-profile", "editor") as client:
        tools = {t.name for t in (await client.list_tools()).tools}
        assert tools == {
            "get_page",
            "get_page_outline",
            "get_section",
            "get_page_tree",
            "get_history",
            "propose_edit",
            "propose_page",
            "propose_comment",
            "propose_labels",
            "propose_move",
            "propose_copy",
            "propose_rename",
            "propose_attachment",
            "get_proposal",
        }
        refused = await client.call_tool("search_pages", {"cql": "type = page"})
        assert refused.is_error
        assert text_of(refused) == (
            "refused: The 'editor' profile does not allow search_pages (permission group "
            "'search'); only the person can change the profile."
        )
        assert not (await client.call_tool("get_page", {"page_id": site.runbook})).is_error


async def test_the_site_picks_the_profile_when_no_flag_does(mcp_client, site, allow, env):
    # a stored profile with the served URL (CONFLUENCE_URL) names a profile of the config's
    allow(
        extra=(
            '[agent.profiles.lookup]\ngroups = ["spaces", "search"]\n'
            f'[profiles.local]\nurl = "{site.url}"\nagent_profile = "lookup"\n'
        )
    )
    async with mcp_client() as client:
        assert {t.name for t in (await client.list_tools()).tools} == {
            "list_spaces",
            "search_pages",
        }
    async with mcp_client("--agent-profile", "read-only") as client:  # the flag wins
        assert "get_page" in {t.name for t in (await client.list_tools()).tools}


def test_a_wrong_profile_name_is_refused_before_serving(site, allow, env):
    allow(extra='[agent.profiles.editor]\ngroups = ["pages", "propose"]\n')
    out = subprocess.run(
        [sys.executable, "-m", "workbench", "mcp", "--agent-profile", "admin"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.strip() == (
        "workbench: Unknown agent profile 'admin'. Choose one of: search-only, read-only, "
        "propose, editor."
    )


async def test_ids_sent_as_numbers_are_taken_as_their_digits(mcp_client, site, allow):
    """What the MCP Inspector and other JSON-parsing clients send: ``"page_id": 65539``."""
    allow()
    async with mcp_client() as client:
        schema = {t.name: t for t in (await client.list_tools()).tools}["get_page"].input_schema
        assert schema["properties"]["page_id"]["type"] == ["string", "integer"]
        page = await client.call_tool("get_page", {"page_id": int(site.runbook)})
        assert not page.is_error and "Deploys happen on Tuesdays." in text_of(page)
        made = await client.call_tool(
            "propose_page",
            {
                "space_key": "ENG",
                "parent_id": int(site.runbook),
                "title": "Child by number",
                "markdown": "Hello.",
            },
        )
        assert not made.is_error, text_of(made)
        too_big = await client.call_tool("get_page", {"page_id": 2**53})
        assert too_big.is_error and "must be sent as a string of digits" in text_of(too_big)
    from workbench.inbox.store import Inbox

    stored = Inbox().get(made.structured_content["proposal_id"]).proposal
    assert stored["parent_id"] == site.runbook and stored["kind"] == "page"
