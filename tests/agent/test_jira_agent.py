"""The built-in agent with Jira (a profile with ``jira`` and ``jira_write``), against a scripted model
over HTTP and the local Jira over loopback: the schema is in the tool descriptions of the first
request, a model's garbage is refused with words it can act on, proposals wait for the person, and
applying them changes the issue once. A built-in profile reads no Jira at all."""

from __future__ import annotations

import json

import httpx
import pytest

from workbench.agent.apply import WRITTEN, apply_proposal
from workbench.agent.audit import AuditLog
from workbench.agent.fences import BUILT_IN_GROUPS, Fence, Profiles
from workbench.agent.loop import ProposalReady
from workbench.agent.model import ModelConfig
from workbench.agent.proposals import ACCEPTED, JIRA_COMMENT, JIRA_TRANSITION
from workbench.agent.session import start_session

from .helpers import call

TRIAGE = Profiles((*BUILT_IN_GROUPS.items(), ("triage", frozenset({"jira", "jira_write"}))))


@pytest.fixture
def demo(local_confluence):
    return local_confluence("demo")


@pytest.fixture
async def client(demo):
    from workbench.confluence.client import ConfluenceClient

    async with ConfluenceClient(
        demo.base_url, auth=httpx.BasicAuth("demo@example.com", "demo-token"), max_wait=1.0
    ) as c:
        yield c


def tool_messages(body: dict) -> list[str]:
    return [m["content"] for m in body["messages"] if m.get("role") == "tool"]


async def test_the_agent_proposes_a_transition_and_a_comment_that_a_person_applies(
    client, demo, llm, tmp_path
):
    audit = AuditLog(tmp_path / "audit.jsonl")
    model = llm(
        [
            {"tool_calls": [call("jira_search", jql='project = ENG AND status = "To Do"')]},
            {
                "tool_calls": [
                    call("propose_jira_fields", key="ENG-4", custom_fields={"summary": "x"})
                ]
            },
            {
                "tool_calls": [
                    call("propose_jira_transition", key="ENG-4", transition="Start progress")
                ]
            },
            {
                "tool_calls": [
                    call("propose_jira_comment", key="ENG-4", markdown="Taking this one.")
                ]
            },
            {"text": "Proposed starting ENG-4 with a comment."},
        ]
    )
    session = start_session(
        client,
        model=ModelConfig(base_url=model.base_url, model="scripted", timeout=30.0),
        fence=Fence.build("triage", (), profiles=TRIAGE),
        audit=audit,
    )
    events: list = []
    await session.ask("Pick up the checklist issue in ENG.", events.append)

    first_tools = {t["function"]["name"]: t["function"] for t in model.requests[0]["tools"]}
    assert (
        "Projects: ENG (Platform Engineering), PAY (Payments)."
        in (first_tools["jira_search"]["description"])
    )
    assert (
        "customfield_10016 Story point estimate (number)"
        in (first_tools["jira_search"]["description"])
    )
    found = tool_messages(model.requests[1])[-1]
    assert "ENG-4  [To Do]  unassigned  Document the code review checklist" in found
    assert found.startswith(f"<<<data-{session.toolkit.markers.code}: Jira issues")
    garbage = tool_messages(model.requests[2])[-1]
    assert garbage.startswith("error: ") and "custom_fields" in garbage

    made = [e.proposal for e in events if isinstance(e, ProposalReady)]
    assert [p.kind for p in made] == [JIRA_TRANSITION, JIRA_COMMENT]
    # nothing is written until a person applies
    assert demo.store.jira_issue("ENG-4")["status_name"] == "To Do"
    before = len(demo.store.jira_comments("ENG-4"))
    for proposal in made:
        proposal.set_all(ACCEPTED)
        result = await apply_proposal(client, proposal, session.toolkit.fence, audit)
        assert result.status == WRITTEN, result.message
    assert demo.store.jira_issue("ENG-4")["status_name"] == "In Progress"
    assert len(demo.store.jira_comments("ENG-4")) == before + 1
    writes = [e for e in audit.entries() if e["event"] == "write"]
    assert [w["tool"] for w in writes] == ["apply:jira_transition", "apply:jira_comment"]


async def test_a_built_in_profile_reads_no_jira_and_sends_no_jira_tools(client, demo, llm):
    model = llm([{"text": "Nothing to do."}])
    session = start_session(
        client,
        model=ModelConfig(base_url=model.base_url, model="scripted", timeout=30.0),
        fence=Fence.build("propose", ()),
        audit=AuditLog(),
    )
    await session.ask("Hello")
    names = {t["function"]["name"] for t in model.requests[0]["tools"]}
    assert not {n for n in names if n.startswith(("jira_", "propose_jira_"))}
    assert not demo.requests.entries(path_prefix="/rest/api/")
    assert "Jira" not in json.dumps(model.requests[0]["tools"])
