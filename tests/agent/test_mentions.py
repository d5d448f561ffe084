"""The agent reads and writes mentions by name; what it applies maps back to the same account ids."""

from __future__ import annotations

import pytest

from workbench.agent.apply import CONFLICT, WRITTEN, apply_merged, apply_proposal
from workbench.agent.fences import Fence
from workbench.agent.proposals import ACCEPTED
from workbench.agent.toolkit import Toolkit
from workbench.services.users import UserDirectory

from .helpers import call, last_tool_result, version_in
from .test_panel import _app, _ask

PRIYA = "557058:6f1c2a9e-3b7d-4c1e-9a55-2d8e4f0b7c31"  # demo users, present in every seed
MARCUS = "712020:0b9d8e2c-47a1-4f3e-b6c2-91e5d7a4f208"
GRACE = "63f2b9e1c7a4d5e6f7a8b9c0"


def mention(account_id: str) -> str:
    return f'<ac:link><ri:user ri:account-id="{account_id}" /></ac:link>'


BODY = (
    "<h1>Team</h1>"
    f"<p>Lead: {mention(PRIYA)}.</p>"
    "<h2>On call</h2>"
    f"<p>This week: {mention(MARCUS)}.</p>"
    "<p>Next week: to be decided.</p>"
)


@pytest.fixture
def team(site) -> str:
    return str(site.store.create_page(site.eng_id, "Team", BODY)["id"])


def kit(client) -> Toolkit:
    return Toolkit(client, Fence.build("propose"))


async def test_the_agent_reads_names(site, client, team):
    tools = kit(client)
    page = await tools.call("get_page", {"page_id": team})
    assert page.ok and "Lead: ⟦@Priya Raman⟧." in page.text and "⟦@Marcus Oyelaran⟧" in page.text
    assert PRIYA not in page.text
    section = await tools.call("get_section", {"page_id": team, "section_id": "s2"})
    assert "This week: ⟦@Marcus Oyelaran⟧." in section.text, section.text
    outline = await tools.call("get_page_outline", {"page_id": team})
    assert "On call" in outline.text


async def test_a_mention_the_agent_writes_becomes_real_and_applies_byte_for_byte(
    site, client, team
):
    tools = kit(client)
    await tools.call("get_page", {"page_id": team})
    await tools.directory.learn([GRACE])  # a person the session knows (e.g. an author it has seen)
    result = await tools.call(
        "propose_edit",
        {
            "page_id": team,
            "base_version": 1,
            "summary": "rota",
            "edits": [
                {
                    "old": "Next week: to be decided.",
                    "new": "Next week: ⟦@Grace Liu⟧, with ⟦@Ivan Nobody⟧.",
                }
            ],
        },
    )
    assert result.ok and "'Ivan Nobody'" in result.text and "plain text" in result.text
    proposal = result.proposal
    assert (
        "Next week: ⟦@Grace Liu⟧, with @Ivan Nobody." in proposal.after
    )  # reviewed as it will be saved
    proposal.set_all(ACCEPTED)
    applied = await apply_proposal(client, proposal, tools.fence)
    assert applied.status == WRITTEN
    assert site.body(team) == BODY.replace(
        "<p>Next week: to be decided.</p>",
        f"<p>Next week: {mention(GRACE)}, with @Ivan Nobody.</p>",
    )


async def test_a_made_up_account_id_stays_text(site, client, team):
    tools = kit(client)
    await tools.call("get_page", {"page_id": team})
    result = await tools.call(
        "propose_edit",
        {
            "page_id": team,
            "base_version": 1,
            "summary": "edit",
            "edits": [
                {
                    "old": "to be decided.",
                    "new": "⟦@557058:made-up⟧ and ⟦@63f2b9e1c7a4d5e6f7a8b9c0⟧.",
                }
            ],
        },
    )
    # The real id was looked up on the server (and shows by name in the review); the made-up one is text.
    assert "Next week: @557058:made-up and ⟦@Grace Liu⟧." in result.proposal.after


async def test_applying_after_a_concurrent_edit_merges_with_names(site, client, team):
    tools = kit(client)
    await tools.call("get_page", {"page_id": team})
    result = await tools.call(
        "propose_edit",
        {
            "page_id": team,
            "base_version": 1,
            "summary": "edit",
            "edits": [{"old": "Lead: ⟦@Priya Raman⟧.", "new": "Lead: ⟦@Priya Raman⟧ (until May)."}],
        },
    )
    proposal = result.proposal
    proposal.set_all(ACCEPTED)
    theirs = BODY.replace("to be decided.", f"{mention(GRACE)}.")
    site.store.update_page(team, theirs)
    first = await apply_proposal(client, proposal, tools.fence)
    assert first.status == CONFLICT and first.conflict.merge.clean
    assert "Next week: ⟦@Grace Liu⟧." in first.conflict.theirs.markdown
    done = await apply_merged(
        client, proposal, first.conflict, first.conflict.merge.text, tools.fence
    )
    assert done.status == WRITTEN
    assert site.body(team) == theirs.replace(f"{mention(PRIYA)}.", f"{mention(PRIYA)} (until May).")


async def test_a_new_page_and_a_comment_map_names_back(site, client, team):
    tools = kit(client)
    await tools.call("get_page", {"page_id": team})
    page = await tools.call(
        "propose_page",
        {
            "space_key": "ENG",
            "parent_id": None,
            "title": "Rota",
            "markdown": "Owner: ⟦@Priya Raman⟧ and ⟦@Someone Else⟧.",
        },
    )
    page.proposal.set_all(ACCEPTED)
    created = await apply_proposal(client, page.proposal, tools.fence)
    assert created.status == WRITTEN
    assert site.body(created.written.id) == f"<p>Owner: {mention(PRIYA)} and @Someone Else.</p>"
    comment = await tools.call(
        "propose_comment", {"page_id": team, "markdown": "Thanks ⟦@Marcus Oyelaran⟧!"}
    )
    comment.proposal.set_all(ACCEPTED)
    added = await apply_proposal(client, comment.proposal, tools.fence)
    assert added.status == WRITTEN and mention(MARCUS) in added.written.storage


async def test_a_clean_merge_in_the_panel_keeps_the_mention_the_agent_added(
    site, client, team, llm, tmp_path
):
    def propose(body):
        return {
            "tool_calls": [
                call(
                    "propose_edit",
                    page_id=team,
                    base_version=version_in(last_tool_result(body)),
                    edits=[{"old": "to be decided.", "new": "⟦@Grace Liu⟧."}],
                    summary="rota",
                )
            ]
        }

    await UserDirectory.for_client(client).learn(
        [GRACE]
    )  # a person the session knows, on neither version
    app = _app(
        client,
        llm([{"tool_calls": [call("get_page", page_id=team)]}, propose, {"text": "Done."}]),
        tmp_path,
    )
    async with app.run_test(size=(140, 45)) as pilot:
        await _ask(pilot, app, "Grace is on call next week.")
        site.store.update_page(team, BODY.replace("<h1>Team</h1>", "<h1>Our team</h1>"))
        await pilot.press("Y", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "merge cleanly on top of version 2" in app.panel.query_one("ProposalReview").note
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert site.version(team) == 3
    assert site.body(team) == BODY.replace("<h1>Team</h1>", "<h1>Our team</h1>").replace(
        "to be decided.", f"{mention(GRACE)}."
    )
