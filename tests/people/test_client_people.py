"""The client's people API against the local Confluence over loopback: refusals and lost answers
first (a non-admin, a removal whose answer is lost after or before it took effect, Data Center
without the endpoints), then lookups by name, email and account id, groups, paged members and what
a group reaches."""

from __future__ import annotations

import pytest

from tests.client.helpers import client_for
from workbench.confluence.errors import NetworkError, NotAvailable, PermissionDenied
from workbench.confluence.people import Group, Person
from workbench.emulator.faults import LOST, RESET
from workbench.emulator.seed_people import GROUPS, HANA, PRIYA, TOMAS

CONTRACTORS = Group(GROUPS["contractors"][0], "contractors")


def one_fault(server, fault: str) -> None:
    """The next request to the server meets ``fault`` (LOST: it takes effect, its answer is lost;
    RESET: the connection breaks before anything happens)."""
    faults = iter([fault])
    server.state.extras["chaos"]._pick_fault = lambda: next(faults, None)


def members(server, group_id: str) -> set[str]:
    return {u["account_id"] for u in server.store.members(group_id)}


async def test_a_non_admin_is_refused_with_a_clear_message_and_nothing_changes(local_confluence):
    server = local_confluence("demo")
    server.state.auth_gate.credentials["priya.raman@example.com"] = ("priya-token", PRIYA)
    async with client_for(server, auth=("priya.raman@example.com", "priya-token")) as client:
        tomas = await client.user(TOMAS)
        with pytest.raises(PermissionDenied) as info:
            await client.remove_member(tomas, CONTRACTORS)
    assert "only site admins" in info.value.message and "Tomás Ferreira" in info.value.message
    assert TOMAS in members(server, CONTRACTORS.id)


async def test_a_removal_whose_answer_is_lost_is_read_back_not_resent(local_confluence):
    server = local_confluence("demo")
    async with client_for(server) as client:
        tomas = await client.user(TOMAS)
        server.requests.clear()
        one_fault(server, LOST)
        change = await client.remove_member(tomas, CONTRACTORS)
    assert change.changed and change.rechecked and not change.added
    assert TOMAS not in members(server, CONTRACTORS.id)
    deletes = server.requests.entries(method="DELETE")
    assert len(deletes) == 1  # never sent twice
    assert server.requests.entries(method="GET", path_prefix="/wiki/rest/api/user/memberof")


async def test_a_removal_that_never_happened_says_so_and_sends_nothing_more(local_confluence):
    server = local_confluence("demo")
    async with client_for(server) as client:
        tomas = await client.user(TOMAS)
        server.requests.clear()
        one_fault(server, RESET)
        with pytest.raises(NetworkError) as info:
            await client.remove_member(tomas, CONTRACTORS)
    assert "did not happen" in info.value.message
    assert TOMAS in members(server, CONTRACTORS.id)
    assert len(server.requests.entries(method="DELETE")) == 1


async def test_an_admin_removes_and_adds_a_member(local_confluence):
    server = local_confluence("demo")
    async with client_for(server) as client:
        tomas = await client.user(TOMAS)
        removed = await client.remove_member(tomas, CONTRACTORS)
        assert not await client.is_member(tomas, CONTRACTORS)
        added = await client.add_member(tomas, CONTRACTORS)
        assert await client.is_member(tomas, CONTRACTORS)
    assert (removed.added, removed.changed, added.added, added.changed) == (
        False,
        True,
        True,
        True,
    )


async def test_users_are_found_by_name_email_and_account_id(demo_server):
    async with client_for(demo_server) as client:
        by_name = await client.find_users("pri")
        by_full_name = await client.find_users("  tomás   ferreira ")
        by_email = await client.find_users("priya.raman@example.com")
        hidden_email = await client.find_users("hana.kowalczyk@example.com")
        by_id = await client.find_users(HANA)
        nobody = await client.find_users("zzz")
        no_such_id = await client.find_users("557058:00000000-0000-0000-0000-000000000000")
    assert [p.display_name for p in by_name] == ["Priya Raman"]
    assert by_name[0].email == "priya.raman@example.com"
    assert [p.account_id for p in by_full_name] == [TOMAS]
    assert [p.account_id for p in by_email] == [PRIYA]
    assert hidden_email == []  # Hana hides her email: it cannot find her
    assert [(p.display_name, p.email) for p in by_id] == [("Hana Kowalczyk", "")]
    assert nobody == [] and no_such_id == []


async def test_a_users_groups_and_a_groups_members_page_by_page(demo_server):
    async with client_for(demo_server) as client:
        groups = await client.user_groups(TOMAS)
        everyone = await client.group_named("confluence-users")
        first = await client.members_page(everyone, limit=4)
        second = await client.members_page(everyone, start=4, limit=4)
        walked = [p async for p in client.members(everyone)]
    assert [g.name for g in groups] == ["confluence-users", "contractors", "eng"]
    assert (len(first.members), first.more, len(second.members), second.more) == (4, True, 2, False)
    assert {p.account_id for p in first.members + second.members} == {p.account_id for p in walked}
    assert len(walked) == 6


async def test_what_a_group_reaches_lists_spaces_and_permissions(demo_server):
    async with client_for(demo_server) as client:
        reach = await client.group_reach(CONTRACTORS)
        admins = await client.group_reach(await client.group_named("site-admins"))
    assert {g.space.key: g.operations for g in reach} == {
        "ENG": ("read space", "create comment", "create attachment"),
        "PROD": ("read space", "create comment"),
    }
    assert all(g.administers for g in admins) and len(admins) == 3


async def test_data_center_by_username_and_clear_refusals_where_it_has_no_endpoint(
    local_confluence,
):
    server = local_confluence("demo", flavour="dc", context_path="/confluence")
    async with client_for(server, kind="dc", auth=("demo", "demo-password")) as client:
        found = await client.find_users("tomas.ferreira")
        assert [p.username for p in found] == ["tomas.ferreira"]
        assert await client.find_users("nobody.here") == []
        with pytest.raises(NotAvailable, match="username"):
            await client.find_users("Tomás Ferreira")
        with pytest.raises(NotAvailable, match="email"):
            await client.find_users("tomas.ferreira@example.com")
        with pytest.raises(NotAvailable, match="space permissions"):
            await client.group_reach(Group("contractors", "contractors"))
        group = await client.group_named("contractors")
        assert group == Group("contractors", "contractors")
        names = [p.username async for p in client.members(group)]
        assert sorted(names) == ["hana.kowalczyk", "tomas.ferreira"]
        change = await client.remove_member(found[0], group)
        assert change.changed and TOMAS not in members(server, CONTRACTORS.id)


def test_people_are_plain_values():
    assert Person("a", "A") == Person("a", "A", "", "")


async def test_a_name_typed_without_its_accents_finds_the_person(demo_server):
    """ "Zoe" finds Zoë, "tomas" finds Tomás, over loopback through the client's user search."""
    demo_server.store.add_user("557058:cccccccc-0000-4000-8000-000000000003", "Zoë Lefèvre")
    async with client_for(demo_server) as client:
        zoe = await client.find_users("Zoe")
        tomas = await client.find_users("tomas ferreira")
        accented = await client.find_users("Zoë")
    assert [p.display_name for p in zoe] == ["Zoë Lefèvre"]
    assert [p.account_id for p in tomas] == [TOMAS]
    assert [p.display_name for p in accented] == ["Zoë Lefèvre"]
