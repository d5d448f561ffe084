"""Attachment uploads as proposals (``propose_attachment``): the scripted model (real HTTP) writes a
file, nothing is uploaded until a person accepts, applying goes through the client's upload exactly
once (a second apply of the same proposal sends nothing; a file changed meanwhile is refused), the
fences hold, and bad names, types, sizes and active SVGs are refused with a message."""

from __future__ import annotations

import pytest

from workbench.agent.apply import NOTHING, WRITTEN, ApplyConflict, apply_proposal
from workbench.agent.attachment_proposals import MAX_ATTACHMENT_BYTES
from workbench.agent.audit import AuditLog
from workbench.agent.fences import Fence, FenceRefusal
from workbench.agent.loop import ProposalReady
from workbench.agent.proposals import ACCEPTED, ATTACHMENT
from workbench.agent.toolkit import Toolkit
from workbench.inbox.record import proposal_from_data, proposal_to_data

from .helpers import session_for

CSV = "service,p50,p99\napi,12,80\nworker,30,210\n"
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
    '<rect width="120" height="40" fill="#eee"/><text x="10" y="25">Failover</text></svg>\n'
)


@pytest.fixture
def audit(tmp_path):
    return AuditLog(tmp_path / "audit.jsonl")


@pytest.fixture
def kit(client, audit):
    return Toolkit(client, Fence.build("propose", ()), audit)


def files_of(site, page_id: str) -> dict[str, bytes]:
    store = site.store
    return {
        row["title"]: store.blob_path(row["sha256"]).read_bytes()
        for row in store.list_attachments(page_id)
    }


async def test_a_scripted_model_proposes_a_csv_and_a_person_attaches_it(site, client, llm, audit):
    model = llm(
        [
            {
                "tool_calls": [
                    {
                        "name": "propose_attachment",
                        "arguments": {
                            "page_id": site.runbook,
                            "name": "latency.csv",
                            "text": CSV,
                        },
                    }
                ]
            },
            {"text": "Proposed the table as latency.csv."},
        ]
    )
    session = session_for(client, model, audit=audit)
    events: list = []
    await session.ask("Attach the latency table.", events.append)
    proposal = next(e.proposal for e in events if isinstance(e, ProposalReady))
    assert proposal.kind == ATTACHMENT and proposal.file_name == "latency.csv"
    assert proposal.media_type == "text/csv" and proposal.before == "" and proposal.after == CSV
    assert "latency.csv" in proposal.target and "text/csv" in proposal.target
    assert f"{len(CSV.encode())} B" in proposal.target
    assert files_of(site, site.runbook) == {}  # proposing uploaded nothing
    assert (await apply_proposal(client, proposal, session.toolkit.fence)).status == NOTHING
    proposal.set_all(ACCEPTED)
    result = await apply_proposal(client, proposal, session.toolkit.fence, audit)
    assert result.status == WRITTEN and "Attached latency.csv" in result.message
    assert files_of(site, site.runbook) == {"latency.csv": CSV.encode()}
    [row] = site.store.list_attachments(site.runbook)
    assert row["media_type"] == "text/csv"
    assert (
        row["comment"]
        == f"Agent proposal approved in Confluence Workbench: Attach latency.csv ({len(CSV)} B, text/csv)"
    )
    # exactly once: the same proposal applied again (a crash before its record said so) sends nothing
    again = await apply_proposal(client, proposal, session.toolkit.fence, audit)
    assert again.status == WRITTEN and "already holds this file" in again.message
    assert [r["version"] for r in site.store.list_attachments(site.runbook)] == [1]
    writes = [e for e in audit.entries() if e["event"] == "write"]
    assert writes[-1]["tool"] == "apply:attachment"


async def test_a_new_version_is_pinned_and_shows_the_old_text(site, kit, client):
    first = await kit.call(
        "propose_attachment", {"page_id": site.runbook, "name": "notes.md", "text": "# One\n"}
    )
    first.proposal.set_all(ACCEPTED)
    assert (await apply_proposal(client, first.proposal, kit.fence)).status == WRITTEN
    second = await kit.call(  # the name is taken: the proposal is its next version
        "propose_attachment", {"page_id": site.runbook, "name": "notes.md", "text": "# Two\n"}
    )
    proposal = second.proposal
    assert proposal.before == "# One\n" and proposal.replace_version == 1
    assert "v1 \u2192 v2" in proposal.summary
    # someone uploads a version meanwhile: the pinned proposal is refused, nothing sent
    stale = await kit.call(
        "propose_attachment", {"page_id": site.runbook, "name": "notes.md", "text": "# Three\n"}
    )
    proposal.set_all(ACCEPTED)
    assert (await apply_proposal(client, proposal, kit.fence)).status == WRITTEN
    assert files_of(site, site.runbook)["notes.md"] == b"# Two\n"
    stale.proposal.set_all(ACCEPTED)
    with pytest.raises(ApplyConflict, match="changed since the proposal"):
        await apply_proposal(client, stale.proposal, kit.fence)
    assert files_of(site, site.runbook)["notes.md"] == b"# Two\n"
    same = await kit.call(
        "propose_attachment", {"page_id": site.runbook, "name": "notes.md", "text": "# Two\n"}
    )
    assert not same.ok and "already holds exactly this text" in same.text


async def test_an_svg_is_checked_and_survives_the_inbox(site, kit, client):
    result = await kit.call(
        "propose_attachment", {"page_id": site.runbook, "name": "failover.svg", "text": SVG}
    )
    assert result.ok and result.proposal.media_type == "image/svg+xml"
    # kept in the inbox and read back whole (the CLI and the TUI inbox apply the stored record)
    back = proposal_from_data(proposal_to_data(result.proposal), 7)
    assert (back.kind, back.file_name, back.media_type, back.after) == (
        ATTACHMENT,
        "failover.svg",
        "image/svg+xml",
        SVG,
    )
    assert back.replace_id is None and back.replace_version is None
    back.set_all(ACCEPTED)
    assert (await apply_proposal(client, back, kit.fence)).status == WRITTEN
    assert files_of(site, site.runbook)["failover.svg"] == SVG.encode()
    for content, said in [
        ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
        ('<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>', "event handler"),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            '<image xlink:href="https://evil.example/x.png"/></svg>',
            "links to",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(http://x/y)"/></svg>',
            "url(",
        ),
        ('<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>', "DOCTYPE"),
        ("<svg><rect></svg>", "not well-formed"),
        ("<html/>", "root element must be <svg>"),
    ]:
        refused = await kit.call(
            "propose_attachment", {"page_id": site.runbook, "name": "x.svg", "text": content}
        )
        assert not refused.ok and said in refused.text, (content, refused.text)


async def test_bad_names_types_and_sizes_are_refused_with_a_message(site, kit):
    for args, said in [
        ({"name": "../etc/passwd.txt", "text": "x"}, "plain file name"),
        ({"name": "run.exe", "text": "x"}, "only text files"),
        ({"name": "photo.png", "text": "x"}, "only text files"),
        ({"name": ".hidden.txt", "text": "x"}, "plain file name"),
        ({"name": "empty.txt", "text": "   "}, "empty"),
        ({"name": "big.txt", "text": "x" * (MAX_ATTACHMENT_BYTES + 1)}, "at most"),
    ]:
        result = await kit.call("propose_attachment", {"page_id": site.runbook, **args})
        assert not result.ok and said in result.text, (args["name"], result.text)
    assert site.store.list_attachments(site.runbook) == []


async def test_the_fences_hold_for_attachments(site, client, audit):
    reader = Toolkit(client, Fence.build("read-only", ()), audit)
    refused = await reader.call(
        "propose_attachment", {"page_id": site.runbook, "name": "a.txt", "text": "x"}
    )
    assert not refused.ok and "refused" in refused.text
    fenced = Toolkit(client, Fence.build("propose", ("ENG",)), audit)
    outside = await fenced.call(
        "propose_attachment", {"page_id": site.secret, "name": "a.txt", "text": "x"}
    )
    assert not outside.ok and "refused" in outside.text
    made = await fenced.call(
        "propose_attachment", {"page_id": site.runbook, "name": "a.txt", "text": "x"}
    )
    made.proposal.set_all(ACCEPTED)
    other_space = Fence.build("propose", ("SECRET",))
    with pytest.raises(FenceRefusal):
        await apply_proposal(client, made.proposal, other_space, audit)
    assert site.store.list_attachments(site.runbook) == []
