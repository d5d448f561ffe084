"""The agent end to end: scripted model over real HTTP → tools on the local Confluence → proposal
→ hunks accepted/rejected → version written with macros intact; concurrent edits become merges."""

from __future__ import annotations

import pytest

from workbench.agent.apply import CONFLICT, NOTHING, WRITTEN, apply_merged, apply_proposal
from workbench.agent.audit import AuditLog
from workbench.agent.loop import ProposalReady, TextDelta, ToolFinished, TurnFinished
from workbench.agent.proposals import ACCEPTED, REJECTED
from workbench.errors import UsageError

from .helpers import (
    CODE_MACRO,
    INFO_MACRO,
    STATUS_MACRO,
    call,
    last_tool_result,
    session_for,
    version_in,
)

STEPS_OLD = "Run the deploy script from the release branch."
STEPS_NEW = "Run the deploy script from the tagged release."
ROLLBACK_OLD = "Revert the release commit and deploy again."
ROLLBACK_NEW = "Revert the release commit, then deploy the previous tag."


def _propose_two(site):
    """A scripted model: read the page, then propose two far-apart edits against the version it read."""

    def propose(body):
        return {
            "tool_calls": [
                call(
                    "propose_edit",
                    page_id=site.runbook,
                    base_version=version_in(last_tool_result(body)),
                    edits=[
                        {"old": STEPS_OLD, "new": STEPS_NEW},
                        {"old": ROLLBACK_OLD, "new": ROLLBACK_NEW},
                    ],
                    summary="Deploy from tags",
                )
            ]
        }

    return [
        {"text": "Reading the page.", "tool_calls": [call("get_page", page_id=site.runbook)]},
        propose,
        {"text": "I proposed two changes: deploy from tags and roll back to the previous tag."},
    ]


@pytest.mark.parametrize("stream", [True, False], ids=["streaming", "non-streaming"])
async def test_read_propose_accept_some_hunks_write_with_macros_intact(
    site, client, llm, stream, tmp_path
):
    model = llm(_propose_two(site))
    audit = AuditLog(tmp_path / "audit.jsonl")
    session = session_for(client, model, stream=stream, audit=audit)
    events = []
    done = await session.ask("Make the runbook deploy from tags.", events.append)

    assert isinstance(done, TurnFinished) and done.steps == 3
    assert "two changes" in done.text
    assert "".join(e.text for e in events if isinstance(e, TextDelta)).endswith(done.text)
    assert [e.name for e in events if isinstance(e, ToolFinished)] == ["get_page", "propose_edit"]
    proposal = next(e.proposal for e in events if isinstance(e, ProposalReady))
    assert model.requests[0]["tools"] and bool(model.requests[0].get("stream")) is stream
    assert site.version(site.runbook) == 1  # proposing wrote nothing
    assert proposal.base_version == 1 and len(proposal.hunks) == 2

    proposal.set_state(0, ACCEPTED)
    proposal.set_state(1, REJECTED)
    result = await apply_proposal(client, proposal, session.toolkit.fence, audit)
    assert result.status == WRITTEN and result.new_version == 2
    body = site.body(site.runbook)
    assert site.version(site.runbook) == 2
    assert STEPS_NEW in body and STEPS_OLD not in body
    assert ROLLBACK_OLD in body and ROLLBACK_NEW not in body
    for macro in (INFO_MACRO, CODE_MACRO, STATUS_MACRO):
        assert macro in body  # untouched macros byte for byte

    writes = [e for e in audit.entries() if e["event"] == "write"]
    assert len(writes) == 1
    w = writes[0]
    assert (w["page"], w["base_version"], w["new_version"], w["outcome"]) == (
        site.runbook,
        1,
        2,
        "written",
    )
    assert w["diff_hash"].startswith("sha256:") and w["hunks_accepted"] == 1
    tools = [e for e in audit.entries() if e["event"] == "tool"]
    assert [t["tool"] for t in tools] == ["get_page", "propose_edit"]
    assert all(t["profile"] == "propose" and "duration_ms" in t for t in tools)


async def test_nothing_accepted_writes_nothing(site, client, llm):
    session = session_for(client, llm(_propose_two(site)))
    await session.ask("Deploy from tags.")
    proposal = session.toolkit.proposals[0]
    proposal.set_all(REJECTED)
    result = await apply_proposal(client, proposal, session.toolkit.fence)
    assert result.status == NOTHING and site.version(site.runbook) == 1


async def test_concurrent_edit_elsewhere_becomes_a_clean_merge(site, client, llm):
    session = session_for(client, llm(_propose_two(site)), stream=False)
    await session.ask("Deploy from tags.")
    proposal = session.toolkit.proposals[0]
    # Someone else edits another paragraph between the read and the apply.
    theirs = site.body(site.runbook).replace(
        "Deploys happen on Tuesdays.", "Deploys happen on Wednesdays."
    )
    site.store.update_page(
        site.runbook, theirs, author="557058:6f1c2a9e-3b7d-4c1e-9a55-2d8e4f0b7c31"
    )
    proposal.set_all(ACCEPTED)
    result = await apply_proposal(client, proposal, session.toolkit.fence)
    assert result.status == CONFLICT and result.clean_merge
    assert site.version(site.runbook) == 2  # nothing written over their version
    merged = result.conflict.merge.text
    assert "Wednesdays" in merged and STEPS_NEW in merged and ROLLBACK_NEW in merged

    final = await apply_merged(client, proposal, result.conflict, merged, session.toolkit.fence)
    assert final.status == WRITTEN and final.new_version == 3
    body = site.body(site.runbook)
    assert (
        "Wednesdays" in body and STEPS_NEW in body and ROLLBACK_NEW in body and CODE_MACRO in body
    )


async def test_conflicting_concurrent_edit_is_never_overwritten(site, client, llm):
    session = session_for(client, llm(_propose_two(site)))
    await session.ask("Deploy from tags.")
    proposal = session.toolkit.proposals[0]
    theirs = site.body(site.runbook).replace(STEPS_OLD, "Run the deploy pipeline in CI.")
    site.store.update_page(site.runbook, theirs)
    proposal.set_all(ACCEPTED)
    result = await apply_proposal(client, proposal, session.toolkit.fence)
    assert result.status == CONFLICT and not result.clean_merge
    assert "nothing was written" in result.message
    with pytest.raises(UsageError, match="conflict markers"):
        await apply_merged(
            client, proposal, result.conflict, result.conflict.merge.text, session.toolkit.fence
        )
    assert site.version(site.runbook) == 2 and "deploy pipeline in CI" in site.body(site.runbook)


async def test_old_text_must_match_once_and_the_model_can_correct_itself(site, client, llm):
    def bad(body):
        v = version_in(last_tool_result(body))
        return {
            "tool_calls": [
                call(
                    "propose_edit",
                    page_id=site.runbook,
                    base_version=v,
                    edits=[{"old": "release", "new": "tag"}],
                    summary="x",
                )
            ]
        }

    def good(body):
        assert "occurs" in last_tool_result(body) and "times" in last_tool_result(body)
        return {
            "tool_calls": [
                call(
                    "propose_edit",
                    page_id=site.runbook,
                    base_version=1,
                    edits=[{"old": STEPS_OLD, "new": STEPS_NEW}],
                    summary="x",
                )
            ]
        }

    model = llm(
        [{"tool_calls": [call("get_page", page_id=site.runbook)]}, bad, good, {"text": "Done."}]
    )
    session = session_for(client, model)
    await session.ask("Say tag instead of release.")
    assert len(session.toolkit.proposals) == 1 and len(session.toolkit.proposals[0].hunks) == 1


async def test_new_page_and_comment_proposals_need_real_targets(site, client, llm):
    model = llm(
        [
            {
                "tool_calls": [
                    call(
                        "propose_page",
                        space_key="ENG",
                        parent_id="999999",
                        title="Tags",
                        markdown="# Tags\n",
                    )
                ]
            },
            {
                "tool_calls": [
                    call(
                        "propose_page",
                        space_key="ENG",
                        parent_id=site.runbook,
                        title="Runbook",
                        markdown="dup",
                    )
                ]
            },
            {
                "tool_calls": [
                    call(
                        "propose_page",
                        space_key="ENG",
                        parent_id=site.runbook,
                        title="Release tags",
                        markdown="# Release tags\n\n- [ ] tag the release\n",
                    )
                ]
            },
            {
                "tool_calls": [
                    call(
                        "propose_comment",
                        page_id=site.runbook,
                        markdown="Should we deploy from tags?",
                    )
                ]
            },
            {"text": "Proposed a child page and a comment."},
        ]
    )
    session = session_for(client, model)
    await session.ask("Write a page about tags under the runbook.")
    results = [m["content"] for m in session.messages if m.get("role") == "tool"]
    assert (
        results[0].startswith("error:")
        and results[1].startswith("error:")
        and "already has" in results[1]
    )
    page_proposal, comment = session.toolkit.proposals
    assert page_proposal.parent_id == site.runbook and page_proposal.parent_title == "Runbook"
    assert "in space ENG, under" in page_proposal.target
    for p in (page_proposal, comment):
        p.set_all(ACCEPTED)
        assert (await apply_proposal(client, p, session.toolkit.fence)).status == WRITTEN
    created = await client.find_page(site.eng_id, "Release tags")
    assert created is not None and created.parent_id == site.runbook
    comments = await client.comments(site.runbook)
    assert any("deploy from tags" in c.storage for c in comments)


async def test_edit_between_read_and_propose_keeps_the_version_the_model_read(site, client, llm):
    """The model read version 1; someone saves version 2 before the proposal is made; the proposal
    is still against version 1 (what the model saw), and applying merges instead of overwriting."""
    script = _propose_two(site)
    read_turn, propose, final = script

    def propose_after_someone_saved(body):
        site.store.update_page(
            site.runbook, site.body(site.runbook).replace("Tuesdays", "Thursdays")
        )
        return propose(body)

    session = session_for(client, llm([read_turn, propose_after_someone_saved, final]))
    await session.ask("Deploy from tags.")
    proposal = session.toolkit.proposals[0]
    assert proposal.base_version == 1 and "Tuesdays" in proposal.before
    proposal.set_all(ACCEPTED)
    result = await apply_proposal(client, proposal, session.toolkit.fence)
    assert result.status == CONFLICT and result.clean_merge
    assert "Thursdays" in result.conflict.merge.text and STEPS_NEW in result.conflict.merge.text
    assert site.version(site.runbook) == 2


async def test_switching_the_fence_mid_conversation_keeps_the_page_context(site, client, llm):
    from workbench.agent.fences import Fence

    session = session_for(client, llm([]), context="The person is looking at page 7.")
    session.set_fence(Fence.build("read-only"))
    assert session.toolkit.fence.profile == "read-only"
    prompt = session.messages[0]["content"]
    assert "read-only" in prompt and "The person is looking at page 7." in prompt


async def test_reading_then_proposing_fetches_the_page_once(site, client, llm):
    """get_page, then propose_edit against the version read: the version is not fetched again (a
    version never changes), counted on the server."""
    site.server.requests.clear()
    session = session_for(client, llm(_propose_two(site)))
    await session.ask("Deploy from tags.")
    assert len(session.toolkit.proposals) == 1
    page_reads = [
        e
        for e in site.server.requests.entries(method="GET")
        if e.path == f"/wiki/api/v2/pages/{site.runbook}"
    ]
    assert len(page_reads) == 1, page_reads
