"""Move, copy, rename and delete as proposals: the scripted model (real HTTP) proposes, nothing is
written until a person accepts, applying goes through the client pinned to the version the agent
saw (a page changed meanwhile is refused), the fences hold (the target space too; delete only with
the delete group)."""

from __future__ import annotations

import pytest

from workbench.agent.apply import NOTHING, WRITTEN, ApplyConflict, apply_proposal
from workbench.agent.audit import AuditLog
from workbench.agent.fences import Fence, FenceRefusal
from workbench.agent.loop import ProposalReady
from workbench.agent.proposals import ACCEPTED, COPY, DELETE, MOVE, RENAME
from workbench.agent.toolkit import Toolkit

from .helpers import call, session_for


@pytest.fixture
def audit(tmp_path):
    return AuditLog(tmp_path / "audit.jsonl")


@pytest.fixture
def kit(client, audit):
    return Toolkit(client, Fence.build("propose", ()), audit)


def parent_of(site, page_id: str) -> str:
    return str(site.store.get_page(page_id)["parent_id"])


async def test_a_scripted_model_proposes_a_move_and_a_person_applies_it(site, client, llm, audit):
    archive = site.store.create_page(site.eng_id, "Archive", "<p>old things</p>")
    model = llm(
        [
            {
                "tool_calls": [
                    call("propose_move", page_id=site.runbook, target_id=str(archive["id"]))
                ]
            },
            {"text": "Proposed moving the runbook into the archive."},
        ]
    )
    session = session_for(client, model, audit=audit)
    events: list = []
    await session.ask("Archive the runbook.", events.append)
    proposal = next(e.proposal for e in events if isinstance(e, ProposalReady))
    assert proposal.kind == MOVE and proposal.base_version == 1
    assert proposal.before == "Engineering › Runbook\n"
    assert proposal.after == "Engineering › Archive › Runbook\n"
    assert "under" in proposal.summary and "Archive" in proposal.summary
    assert parent_of(site, site.runbook) == site.home_id  # proposing wrote nothing
    proposal.set_all(ACCEPTED)
    result = await apply_proposal(client, proposal, session.toolkit.fence, audit)
    assert result.status == WRITTEN and result.new_version == 2
    assert parent_of(site, site.runbook) == str(archive["id"])
    writes = [e for e in audit.entries() if e["event"] == "write"]
    assert writes[-1]["tool"] == "apply:move" and writes[-1]["base_version"] == 1


async def test_a_move_not_accepted_writes_nothing_and_a_stale_one_is_refused(site, kit, client):
    archive = site.store.create_page(site.eng_id, "Archive", "<p>old things</p>")
    result = await kit.call(
        "propose_move", {"page_id": site.runbook, "target_id": str(archive["id"])}
    )
    proposal = result.proposal
    assert (await apply_proposal(client, proposal, kit.fence)).status == NOTHING  # pending hunk
    site.store.update_page(site.runbook, "<p>someone else</p>", message="meanwhile")
    proposal.set_all(ACCEPTED)
    with pytest.raises(ApplyConflict):
        await apply_proposal(client, proposal, kit.fence)
    assert parent_of(site, site.runbook) == site.home_id


async def test_move_checks_its_arguments_and_the_target_space(site, kit, client):
    for args, said in [
        ({"page_id": site.runbook, "target_id": site.runbook}, "itself"),
        ({"page_id": site.runbook, "target_id": site.home_id, "position": "sideways"}, "position"),
        ({"page_id": site.runbook, "target_id": site.home_id}, "already there"),
    ]:
        result = await kit.call("propose_move", args)
        assert not result.ok and said in result.text, result.text
    fenced = Toolkit(client, Fence.build("propose", ["ENG"]))
    refused = await fenced.call("propose_move", {"page_id": site.runbook, "target_id": site.secret})
    assert not refused.ok and refused.text.startswith("refused:")


async def test_rename_and_copy_proposals_apply_through_the_client(site, kit, client):
    renamed = (
        await kit.call("propose_rename", {"page_id": site.runbook, "title": "Deploy runbook"})
    ).proposal
    assert renamed.kind == RENAME and (renamed.before, renamed.after) == (
        "Runbook\n",
        "Deploy runbook\n",
    )
    renamed.set_all(ACCEPTED)
    applied = await apply_proposal(client, renamed, kit.fence)
    assert (
        applied.status == WRITTEN and site.store.get_page(site.runbook)["title"] == "Deploy runbook"
    )

    copied = await kit.call(
        "propose_copy", {"page_id": site.runbook, "parent_id": site.home_id, "title": "Runbook v2"}
    )
    proposal = copied.proposal
    assert proposal.kind == COPY and proposal.after == "Engineering › Runbook v2\n"
    assert site.store.scalar("SELECT COUNT(*) FROM pages WHERE title = 'Runbook v2'") == 0
    proposal.set_all(ACCEPTED)
    done = await apply_proposal(client, proposal, kit.fence)
    assert done.status == WRITTEN
    made = site.store.query_one("SELECT id, body FROM pages WHERE title = 'Runbook v2'")
    assert made is not None and made["body"] == site.body(site.runbook)
    taken = await kit.call(
        "propose_copy", {"page_id": site.runbook, "parent_id": site.home_id, "title": "Runbook v2"}
    )
    assert not taken.ok and "already taken" in taken.text


async def test_delete_only_with_the_delete_group(site, kit, client):
    from workbench.agent.fences import BUILT_IN_GROUPS, Profiles

    refused = await kit.call("propose_delete", {"page_id": site.runbook})
    assert not refused.ok and refused.text.startswith("refused:")
    assert site.store.get_page(site.runbook)["status"] == "current"
    assert "propose_delete" not in Fence.build("propose", ()).tools
    # a profile of one's own with the delete group ([agent.profiles.NAME] groups = [...])
    profiles = Profiles(
        (*BUILT_IN_GROUPS.items(), ("cleanup", BUILT_IN_GROUPS["propose"] | {"delete"}))
    )
    cleanup = Fence.build("cleanup", (), profiles=profiles)
    made = await Toolkit(client, cleanup).call("propose_delete", {"page_id": site.runbook})
    assert made.ok, made.text
    proposal = made.proposal
    assert proposal.kind == DELETE and proposal.before == "Engineering › Runbook\n"
    proposal.set_all(ACCEPTED)
    # applied through a fence without the delete group: refused, nothing written
    with pytest.raises(FenceRefusal):
        await apply_proposal(client, proposal, kit.fence)
    assert site.store.get_page(site.runbook)["status"] == "current"
    done = await apply_proposal(client, proposal, cleanup)
    assert done.status == WRITTEN and "to the trash" in done.message
    assert site.store.get_page(site.runbook, trashed=True)["status"] == "trashed"


async def test_the_inbox_keeps_a_move_and_it_still_applies(site, kit, client):
    from workbench.inbox.record import proposal_from_data, proposal_to_data

    archive = site.store.create_page(site.eng_id, "Archive", "<p>old things</p>")
    made = await kit.call(
        "propose_move",
        {"page_id": site.runbook, "target_id": str(archive["id"]), "position": "after"},
    )
    again = proposal_from_data(proposal_to_data(made.proposal), 7)
    assert (again.kind, again.position, again.parent_id, again.target_space) == (
        MOVE,
        "after",
        str(archive["id"]),
        "ENG",
    )
    assert again.target.startswith(f"place of page {site.runbook} 'Runbook' (ENG)")
    again.set_all(ACCEPTED)
    assert (await apply_proposal(client, again, kit.fence)).status == WRITTEN
    rows = site.store.query(
        "SELECT id FROM pages WHERE parent_id = ? AND status = 'current' ORDER BY position",
        (int(site.home_id),),
    )
    ids = [str(r["id"]) for r in rows]
    assert ids.index(site.runbook) == ids.index(str(archive["id"])) + 1


async def test_a_move_edited_by_hand_is_refused_a_rename_edited_by_hand_is_its_title(
    site, kit, client
):
    archive = site.store.create_page(site.eng_id, "Archive", "<p>old things</p>")
    move = (
        await kit.call("propose_move", {"page_id": site.runbook, "target_id": str(archive["id"])})
    ).proposal
    move.edit_by_hand("Engineering › Somewhere else › Runbook\n")
    with pytest.raises(Exception, match="cannot be edited by hand"):
        await apply_proposal(client, move, kit.fence)
    assert parent_of(site, site.runbook) == site.home_id
    rename = (
        await kit.call("propose_rename", {"page_id": site.runbook, "title": "Deploys"})
    ).proposal
    rename.edit_by_hand("Deploy runbook (prod)\n")
    assert (await apply_proposal(client, rename, kit.fence)).status == WRITTEN
    assert site.store.get_page(site.runbook)["title"] == "Deploy runbook (prod)"
