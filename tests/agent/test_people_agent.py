"""People for the agent: the read tools (``users`` group) and group-membership proposals (``admin``
group, in no built-in profile). Refusals first: a built-in profile cannot propose one, a fence
without ``admin`` cannot apply one, a non-admin login is refused by Confluence, a change someone made
meanwhile sends nothing; then the review text (who, which group, what it reaches), applying, the
inbox round trip and the audit."""

from __future__ import annotations

import httpx
import pytest

from workbench.agent.apply import NOTHING, WRITTEN, apply_proposal
from workbench.agent.audit import AuditLog
from workbench.agent.fences import Fence, FenceRefusal, Profiles
from workbench.agent.loop import ProposalReady
from workbench.agent.proposals import ACCEPTED, ADD_MEMBER, REMOVE_MEMBER
from workbench.agent.toolkit import Toolkit
from workbench.confluence.errors import PermissionDenied
from workbench.emulator.seed_people import GROUPS, HANA, PRIYA, TOMAS

from .helpers import call

CONTRACTORS = GROUPS["contractors"][0]
ADMIN_PROFILES = Profiles(
    (*Profiles().table, ("offboarding", frozenset({"spaces", "users", "admin"})))
)


@pytest.fixture
def demo(local_confluence):
    server = local_confluence("demo")
    server.state.auth_gate.credentials["priya.raman@example.com"] = ("priya-token", PRIYA)
    return server


@pytest.fixture
async def admin_client(demo):
    from workbench.confluence.client import ConfluenceClient

    async with ConfluenceClient(
        demo.base_url, auth=httpx.BasicAuth("demo@example.com", "demo-token"), max_wait=1.0
    ) as c:
        yield c


def members(server, group_id: str) -> set[str]:
    return {u["account_id"] for u in server.store.members(group_id)}


def kit_for(client, profile: str, audit=None) -> Toolkit:
    return Toolkit(client, Fence.build(profile, (), profiles=ADMIN_PROFILES), audit)


async def test_no_built_in_profile_may_propose_a_membership_change(admin_client, demo):
    for profile in ("search-only", "read-only", "propose"):
        result = await kit_for(admin_client, profile).call(
            "propose_membership", {"user": "Tomás Ferreira", "group": "contractors"}
        )
        assert not result.ok and "permission group 'admin'" in result.text
    assert TOMAS in members(demo, CONTRACTORS)


async def test_applying_needs_admin_in_the_fence_that_applies_it(admin_client, demo, tmp_path):
    audit = AuditLog(tmp_path / "audit.jsonl")
    made = await kit_for(admin_client, "offboarding").call(
        "propose_membership", {"user": "Tomás Ferreira", "group": "contractors"}
    )
    proposal = made.proposal
    proposal.set_all(ACCEPTED)
    with pytest.raises(FenceRefusal):
        await apply_proposal(admin_client, proposal, Fence.build("propose", ()), audit)
    assert TOMAS in members(demo, CONTRACTORS)
    refused = [e for e in audit.entries() if e["event"] == "write"]
    assert refused[-1]["approval"] == "refused" and refused[-1]["tool"] == "apply:remove_member"


async def test_bad_arguments_get_messages_the_model_can_act_on(admin_client):
    kit = kit_for(admin_client, "offboarding")
    for args, said in [
        ({"user": "zzz", "group": "contractors"}, "No user matches 'zzz'"),
        ({"user": "Tomás Ferreira", "group": "nope"}, "no group named 'nope'"),
        ({"user": "Priya Raman", "group": "contractors"}, "not in group contractors"),
        ({"user": "Priya Raman", "group": "eng", "action": "add"}, "already"),
        ({"user": "Tomás Ferreira", "group": "contractors", "action": "purge"}, "action"),
    ]:
        result = await kit.call("propose_membership", args)
        assert not result.ok and said in result.text, (args, result.text)
    result = await kit.call("find_users", {"query": "   "})
    assert not result.ok and "Give words" in result.text


async def test_a_proposal_shows_who_which_group_and_what_it_reaches(admin_client, demo):
    result = await kit_for(admin_client, "offboarding").call(
        "propose_membership", {"user": "tomás", "group": "contractors", "summary": "Offboarding"}
    )
    proposal = result.proposal
    assert proposal.kind == REMOVE_MEMBER and proposal.summary == "Offboarding"
    assert proposal.target.startswith("removal of Tomás Ferreira (557058:c4e7") and (
        "group contractors" in proposal.target
    )
    assert proposal.before.splitlines() == [
        "Group contractors reaches 2 space(s):",
        "  ENG Platform Engineering: read space, create comment, create attachment",
        "  PROD Product & Design: read space, create comment",
        f"Tomás Ferreira · tomas.ferreira@example.com · {TOMAS}: member of contractors",
    ]
    assert proposal.after.splitlines()[-1].endswith("not a member of contractors")
    [hunk] = proposal.hunks  # one hunk with every line in view
    assert [kind for kind, _ in proposal.hunk_lines(hunk)] == [" ", " ", " ", "-", "+"]
    assert TOMAS in members(demo, CONTRACTORS)  # proposing wrote nothing


async def test_a_scripted_model_offboards_a_contractor_and_a_person_applies_it(
    admin_client, demo, llm, tmp_path
):
    from workbench.agent.model import ModelConfig
    from workbench.agent.session import start_session

    audit = AuditLog(tmp_path / "audit.jsonl")
    model = llm(
        [
            {"tool_calls": [call("find_users", query="tomás")]},
            {"tool_calls": [call("user_groups", user=TOMAS)]},
            {"tool_calls": [call("propose_membership", user=TOMAS, group="contractors")]},
            {"text": "Proposed removing Tomás from contractors."},
        ]
    )
    session = start_session(
        admin_client,
        model=ModelConfig(base_url=model.base_url, model="scripted", timeout=30.0),
        fence=Fence.build("offboarding", (), profiles=ADMIN_PROFILES),
        audit=audit,
    )
    events: list = []
    await session.ask("Tomás left; take him out of contractors.", events.append)
    found = model.requests[1]["messages"][-1]["content"]
    groups = model.requests[2]["messages"][-1]["content"]
    assert "Tomás Ferreira · tomas.ferreira@example.com" in found
    assert "contractors" in groups and "eng" in groups
    proposal = next(e.proposal for e in events if isinstance(e, ProposalReady))
    assert TOMAS in members(demo, CONTRACTORS)
    proposal.set_all(ACCEPTED)
    result = await apply_proposal(admin_client, proposal, session.toolkit.fence, audit)
    assert result.status == WRITTEN and result.message == "Removed Tomás Ferreira from contractors."
    assert TOMAS not in members(demo, CONTRACTORS)
    writes = [e for e in audit.entries() if e["event"] == "write"]
    assert writes[-1]["tool"] == "apply:remove_member" and writes[-1]["outcome"] == result.message


async def test_applying_rechecks_the_membership_first_and_sends_nothing_if_done(admin_client, demo):
    kit = kit_for(admin_client, "offboarding")
    proposal = (
        await kit.call("propose_membership", {"user": "Tomás Ferreira", "group": "contractors"})
    ).proposal
    demo.store.remove_member(CONTRACTORS, TOMAS)  # someone else did it meanwhile
    demo.requests.clear()
    proposal.set_all(ACCEPTED)
    result = await apply_proposal(admin_client, proposal, kit.fence)
    assert result.status == NOTHING and "no longer in contractors" in result.message
    assert not demo.requests.entries(method="DELETE")


async def test_pending_or_hand_edited_changes_send_nothing(admin_client, demo):
    kit = kit_for(admin_client, "offboarding")
    proposal = (
        await kit.call("propose_membership", {"user": "Tomás Ferreira", "group": "contractors"})
    ).proposal
    assert (await apply_proposal(admin_client, proposal, kit.fence)).status == NOTHING
    proposal.set_all(ACCEPTED)
    with pytest.raises(Exception, match="cannot be edited by hand"):
        await apply_proposal(admin_client, proposal, kit.fence, markdown="Tomás: gone\n")
    assert TOMAS in members(demo, CONTRACTORS)


async def test_a_non_admin_login_is_refused_by_confluence_and_nothing_changes(demo):
    from workbench.confluence.client import ConfluenceClient

    async with ConfluenceClient(
        demo.base_url, auth=httpx.BasicAuth("priya.raman@example.com", "priya-token")
    ) as priya:
        kit = kit_for(priya, "offboarding")
        proposal = (
            await kit.call("propose_membership", {"user": HANA, "group": "design"})
        ).proposal
        proposal.set_all(ACCEPTED)
        with pytest.raises(PermissionDenied, match="only site admins"):
            await apply_proposal(priya, proposal, kit.fence)
    assert HANA in members(demo, GROUPS["design"][0])


async def test_an_addition_and_the_inbox_round_trip(admin_client, demo):
    from workbench.inbox.record import proposal_from_data, proposal_to_data

    kit = kit_for(admin_client, "offboarding")
    made = (
        await kit.call("propose_membership", {"user": "Grace Liu", "group": "eng", "action": "add"})
    ).proposal
    assert made.kind == ADD_MEMBER and "create page" in made.before
    again = proposal_from_data(proposal_to_data(made), 7)
    assert (again.kind, again.target, again.before, again.after) == (
        made.kind,
        made.target,
        made.before,
        made.after,
    )
    rows = again.hunk_lines(again.hunks[0])
    assert [kind for kind, _ in rows] == [" ", " ", "-", "+"]
    assert rows[0][1] == "Group eng reaches 1 space(s):" and rows[3][1].endswith("member of eng")
    again.set_all(ACCEPTED)
    result = await apply_proposal(admin_client, again, kit.fence)
    assert result.status == WRITTEN and "63f2b9e1c7a4d5e6f7a8b9c0" in members(
        demo, GROUPS["eng"][0]
    )


def test_a_profile_of_your_own_may_name_the_users_and_admin_groups(tmp_path):
    from workbench.config import load_settings

    path = tmp_path / "config.toml"
    path.write_text('[agent.profiles.offboarding]\ngroups = ["spaces", "users", "admin"]\n')
    fence = Fence.build("offboarding", (), profiles=Profiles.from_settings(load_settings(path)))
    assert fence.tools == {
        "list_spaces",
        "find_users",
        "user_groups",
        "group_members",
        "propose_membership",
    }


async def test_the_read_tools_page_members_and_name_hidden_emails(admin_client):
    refused = await kit_for(admin_client, "read-only").call("find_users", {"query": "hana"})
    assert not refused.ok and "permission group 'users'" in refused.text
    kit = kit_for(admin_client, "offboarding")
    everyone = await kit.call("group_members", {"group": "confluence-users"})
    assert everyone.ok and everyone.text.count(" · ") == 12
    hana = await kit.call("find_users", {"query": "hana"})
    assert "Hana Kowalczyk · email hidden" in hana.text
    none = await kit.call("group_members", {"group": "nope"})
    assert not none.ok and "no group named" in none.text


async def test_find_users_finds_a_name_typed_without_its_accents(admin_client, demo):
    demo.store.add_user("557058:cccccccc-0000-4000-8000-000000000003", "Zoë Lefèvre")
    kit = kit_for(admin_client, "offboarding")
    zoe = await kit.call("find_users", {"query": "Zoe"})
    tomas = await kit.call("find_users", {"query": "tomas ferreira"})
    assert zoe.ok and "Zoë Lefèvre" in zoe.text and "557058:cccccccc" in zoe.text
    assert tomas.ok and "Tomás Ferreira" in tomas.text and TOMAS in tomas.text
    nobody = await kit.call("find_users", {"query": "Zoa"})
    assert nobody.ok and nobody.text == "No user matches 'Zoa'."
