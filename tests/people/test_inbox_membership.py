"""A group-membership proposal in the inbox, through ``workbench proposals``: the list names who and
which group, ``show`` prints what the group reaches, ``approve`` is refused by a fence without
``admin`` (nothing sent) and applies under one with it."""

from __future__ import annotations

import asyncio

import httpx

from tests.cli.helpers import run, use_site
from workbench.agent.fences import Fence, Profiles
from workbench.agent.toolkit import Toolkit
from workbench.emulator.seed_people import GROUPS, TOMAS
from workbench.inbox.record import proposal_to_data
from workbench.inbox.store import Inbox

CONTRACTORS = GROUPS["contractors"][0]
OFFBOARDING = '[agent.profiles.offboarding]\ngroups = ["spaces", "users", "admin"]\n'


def propose_removal(server) -> dict:
    from workbench.confluence.client import ConfluenceClient

    async def make():
        profiles = Profiles((*Profiles().table, ("offboarding", frozenset({"users", "admin"}))))
        async with ConfluenceClient(
            server.base_url, auth=httpx.BasicAuth("demo@example.com", "demo-token")
        ) as client:
            kit = Toolkit(client, Fence.build("offboarding", (), profiles=profiles))
            made = await kit.call(
                "propose_membership", {"user": "Tomás Ferreira", "group": "contractors"}
            )
            return proposal_to_data(made.proposal)

    return asyncio.run(make())


def test_a_membership_proposal_is_listed_shown_refused_then_approved(
    demo_server, monkeypatch, capsys, tmp_path
):
    use_site(monkeypatch, demo_server.base_url)
    config = tmp_path / "config"
    config.mkdir()
    monkeypatch.setenv("WORKBENCH_CONFIG_DIR", str(config))
    data = propose_removal(demo_server)
    Inbox().add(site=demo_server.base_url, agent="claude", profile="offboarding", proposal=data)

    code, out, _ = run(capsys, "proposals", "list")
    assert code == 0 and "remove_member Tomás Ferreira from group contractors" in out
    code, out, _ = run(capsys, "proposals", "show", "1")
    assert code == 0
    assert "# proposal 1: removal of Tomás Ferreira" in out
    assert "  PROD Product & Design: read space, create comment" in out
    assert "-Tomás Ferreira · tomas.ferreira@example.com" in out

    # the person's own fence is the default profile (no admin): refused, nothing sent
    demo_server.requests.clear()
    code, _, err = run(capsys, "proposals", "approve", "1")
    assert code == 4 and "permission group 'admin'" in err
    assert not demo_server.requests.entries(method="DELETE")
    assert TOMAS in {u["account_id"] for u in demo_server.store.members(CONTRACTORS)}

    (config / "config.toml").write_text('[agent]\nprofile = "offboarding"\n' + OFFBOARDING)
    code, out, err = run(capsys, "proposals", "approve", "1")
    assert (code, out.strip()) == (0, "Removed Tomás Ferreira from contractors."), err
    assert TOMAS not in {u["account_id"] for u in demo_server.store.members(CONTRACTORS)}
    code, out, _ = run(capsys, "proposals", "list", "--all", "--json")
    assert '"status": "approved"' in out
