"""Jira proposals end to end over loopback: the real toolkit proposes against the local Jira, the
review text says what will change, :func:`workbench.agent.apply.apply_proposal` writes it, and the
emulator's issue changed exactly once — refused when the issue changed since in a field the
proposal touches, settled by reading back when the answer is lost (never sent twice)."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.client.test_live_lifecycle import LoseAnswers
from workbench.agent.apply import WRITTEN, ApplyConflict, apply_proposal
from workbench.agent.audit import AuditLog
from workbench.agent.fences import (
    BUILT_IN_GROUPS,
    PROFILES,
    Fence,
    FenceRefusal,
    Profiles,
    tools_of,
)
from workbench.agent.proposals import ACCEPTED, JIRA_KINDS, REJECTED
from workbench.agent.toolkit import Toolkit
from workbench.confluence.client import ConfluenceClient
from workbench.emulator.jira import fields as stored_fields
from workbench.errors import UsageError

AUTH = httpx.BasicAuth("demo@example.com", "demo-token")
JIRA_TOOLS = tools_of({"jira_write"})


def fence_with(groups: set[str]) -> Fence:
    profiles = Profiles((*BUILT_IN_GROUPS.items(), ("triage", frozenset(groups))))
    return Fence.build("triage", (), profiles=profiles)


@pytest.fixture
async def client(demo_server):
    async with ConfluenceClient(demo_server.base_url, auth=AUTH) as c:
        yield c


def kit_for(client, tmp_path, groups=frozenset({"jira", "jira_write"})) -> Toolkit:
    return Toolkit(client, fence_with(set(groups)), AuditLog(tmp_path / "audit.jsonl"))


async def propose(kit: Toolkit, name: str, **arguments):
    result = await kit.call(name, arguments)
    assert result.ok, result.text
    assert result.proposal is not None
    result.proposal.set_all(ACCEPTED)
    return result


async def approve(client, proposal, tmp_path, groups=frozenset({"jira", "jira_write"})):
    return await apply_proposal(
        client, proposal, fence_with(set(groups)), AuditLog(tmp_path / "audit.jsonl")
    )


def comments(server, key: str) -> list[str]:
    return [
        json.loads(c["body"])["content"][0]["content"][0]["text"]
        for c in server.store.jira_comments(key)
    ]


def test_the_jira_write_tools_are_in_no_built_in_profile():
    assert len(JIRA_TOOLS) == 6 and all(t.startswith("propose_jira_") for t in JIRA_TOOLS)
    for tools in PROFILES.values():
        assert not JIRA_TOOLS & tools


async def test_jira_proposals_need_the_jira_write_group(client, tmp_path, demo_server):
    kit = kit_for(client, tmp_path, {"jira"})
    result = await kit.call("propose_jira_comment", {"key": "ENG-4", "markdown": "hi"})
    assert not result.ok and result.text.startswith("refused:") and "jira_write" in result.text
    assert kit.proposals == []


async def test_a_comment_is_reviewed_then_posted_once(client, tmp_path, demo_server):
    kit = kit_for(client, tmp_path)
    before = comments(demo_server, "ENG-4")
    result = await propose(
        kit, "propose_jira_comment", key="eng-4", markdown="Checklist **draft** is up"
    )
    proposal = result.proposal
    assert proposal.kind in JIRA_KINDS and proposal.issue_key == "ENG-4"
    assert proposal.target == "comment on Jira issue ENG-4"
    assert proposal.after == "Checklist **draft** is up\n"
    assert "Proposal" in result.text and "nothing has been written" in result.text
    assert comments(demo_server, "ENG-4") == before  # proposing wrote nothing
    done = await approve(client, proposal, tmp_path)
    assert done.status == WRITTEN and done.message.startswith("Added comment ")
    after = demo_server.store.jira_comments("ENG-4")
    assert len(after) == len(before) + 1
    body = json.loads(after[-1]["body"])
    assert body["content"][0]["content"][1] == {
        "type": "text",
        "text": "draft",
        "marks": [{"type": "strong"}],
    }


async def test_a_comment_edited_by_hand_posts_the_edit_and_a_rejected_one_nothing(
    client, tmp_path, demo_server
):
    kit = kit_for(client, tmp_path)
    result = await propose(kit, "propose_jira_comment", key="ENG-4", markdown="first words")
    before = len(demo_server.store.jira_comments("ENG-4"))
    result.proposal.set_all(REJECTED)
    nothing = await approve(client, result.proposal, tmp_path)
    assert nothing.status == "nothing" and len(demo_server.store.jira_comments("ENG-4")) == before
    result.proposal.edit_by_hand("better words\n")
    done = await approve(client, result.proposal, tmp_path)
    assert done.status == WRITTEN
    assert comments(demo_server, "ENG-4")[-1] == "better words"


async def test_a_transition_shows_from_and_to_and_moves_once(client, tmp_path, demo_server):
    kit = kit_for(client, tmp_path)
    result = await propose(kit, "propose_jira_transition", key="ENG-4", transition="start progress")
    proposal = result.proposal
    assert proposal.before == "status: To Do\n"
    assert proposal.after == "status: In Progress  (transition 'Start progress')\n"
    assert [(k, t) for k, t in proposal.hunk_lines(proposal.hunks[0])] == [
        ("-", "status: To Do"),
        ("+", "status: In Progress  (transition 'Start progress')"),
    ]
    assert demo_server.store.jira_issue("ENG-4")["status_name"] == "To Do"
    done = await approve(client, proposal, tmp_path)
    assert done.status == WRITTEN and "Moved ENG-4 to In Progress" in done.message
    assert demo_server.store.jira_issue("ENG-4")["status_name"] == "In Progress"
    posts = demo_server.requests.entries(
        method="POST", path_prefix="/rest/api/3/issue/ENG-4/transitions"
    )
    assert len(posts) == 1


async def test_a_transition_by_id_or_target_status_and_an_unknown_one(client, tmp_path):
    kit = kit_for(client, tmp_path)
    by_id = await propose(kit, "propose_jira_transition", key="ENG-4", transition="31")
    assert by_id.proposal.after.startswith("status: Done")
    unknown = await kit.call("propose_jira_transition", {"key": "ENG-4", "transition": "Fly"})
    assert not unknown.ok
    assert "ENG-4 (status To Do) offers no transition 'fly'" in unknown.text
    assert "Start progress (11) → In Progress" in unknown.text


async def test_a_transition_whose_screen_requires_a_field_is_refused_plainly(
    client, tmp_path, demo_server
):
    stored_fields.add_to_screen(demo_server.store, 31, "customfield_10040")
    kit = kit_for(client, tmp_path)
    result = await kit.call("propose_jira_transition", {"key": "ENG-4", "transition": "Done"})
    assert not result.ok
    assert (
        "The transition 'Done' asks for Customer impact (customfield_10040), which a proposal "
        "cannot fill in" in result.text
    )
    assert kit.proposals == []


async def test_a_transition_made_meanwhile_is_refused_and_nothing_is_sent(
    client, tmp_path, demo_server
):
    kit = kit_for(client, tmp_path)
    result = await propose(kit, "propose_jira_transition", key="ENG-4", transition="Start progress")
    demo_server.store.jira_transition("ENG-4", "31")  # someone closed it meanwhile
    with pytest.raises(ApplyConflict) as refused:
        await approve(client, result.proposal, tmp_path)
    assert (
        "ENG-4 changed since the proposal: status is now Done (was To Do); nothing was sent"
        in refused.value.message
    )
    assert demo_server.store.jira_issue("ENG-4")["status_name"] == "Done"
    assert not demo_server.requests.entries(
        method="POST", path_prefix="/rest/api/3/issue/ENG-4/transitions"
    )


async def test_fields_show_old_and_new_and_are_set_once(client, tmp_path, demo_server):
    kit = kit_for(client, tmp_path)
    result = await propose(
        kit,
        "propose_jira_fields",
        key="ENG-4",
        priority="High",
        labels=["onboarding", "docs"],
        due_date="2026-12-31",
        assignee="Grace Liu",
        custom_fields={"customfield_10016": 3},
    )
    proposal = result.proposal
    assert proposal.before == (
        "priority: Low\nlabels: onboarding\ndue date: (none)\nassignee: (none)\n"
        "customfield_10016 (Story point estimate): (none)\n"
    )
    assert proposal.after == (
        "priority: High\nlabels: onboarding, docs\ndue date: 2026-12-31\nassignee: Grace Liu\n"
        "customfield_10016 (Story point estimate): 3\n"
    )
    assert proposal.summary.startswith("ENG-4: change priority, labels, due date, assignee")
    done = await approve(client, proposal, tmp_path)
    assert done.status == WRITTEN
    row = demo_server.store.jira_issue("ENG-4")
    assert row["priority_name"] == "High"
    assert json.loads(row["labels"]) == ["onboarding", "docs"]
    assert row["assignee_id"] == "63f2b9e1c7a4d5e6f7a8b9c0"
    assert stored_fields.values_of(demo_server.store, row["id"]) == {
        "duedate": "2026-12-31",
        "customfield_10016": 3,
    }
    puts = demo_server.requests.entries(method="PUT", path_prefix="/rest/api/3/issue/ENG-4")
    # the fields in one edit, the assignee through Jira's assign (its own permission), once each
    assert [p.path for p in puts] == ["/rest/api/3/issue/ENG-4", "/rest/api/3/issue/ENG-4/assignee"]


async def test_the_assignee_is_one_of_the_people_jira_lets_the_issue_go_to(
    client, tmp_path, demo_server
):
    kit = kit_for(client, tmp_path)
    nobody = await kit.call("propose_jira_fields", {"key": "ENG-4", "assignee": "Zed"})
    assert not nobody.ok and "Nobody named 'Zed' can be assigned ENG-4" in nobody.text
    cleared = await propose(kit, "propose_jira_fields", key="ENG-5", assignee=None)
    assert cleared.proposal.before == "assignee: Demo User\n"
    assert cleared.proposal.after == "assignee: (none)\n"
    done = await approve(client, cleared.proposal, tmp_path)
    assert done.message == "Changed assignee of ENG-5."
    assert demo_server.store.jira_issue("ENG-5")["assignee_id"] is None


async def test_a_field_changed_meanwhile_is_refused_with_what_it_is_now(
    client, tmp_path, demo_server
):
    kit = kit_for(client, tmp_path)
    result = await propose(kit, "propose_jira_fields", key="ENG-4", priority="High", labels=["x"])
    demo_server.store.jira_update_issue("ENG-4", {"priority": {"name": "Highest"}})
    with pytest.raises(ApplyConflict) as refused:
        await approve(client, result.proposal, tmp_path)
    assert "priority is now Highest (was Low)" in refused.value.message
    assert json.loads(demo_server.store.jira_issue("ENG-4")["labels"]) == ["onboarding"]
    assert not demo_server.requests.entries(method="PUT", path_prefix="/rest/api/3/issue/ENG-4")


async def test_a_field_proposal_refuses_bad_values_before_anything(client, tmp_path):
    kit = kit_for(client, tmp_path)
    cases = [
        ({"priority": "Urgent"}, "Jira has no priority 'Urgent'; it has: Highest, High, Medium"),
        ({"labels": ["two words"]}, "'two words' is not a Jira label"),
        ({"custom_fields": {"customfield_99": 1}}, "Jira has no custom field customfield_99"),
        ({"priority": "Low"}, "These values are ENG-4's already"),
        ({}, "Give at least one field to change."),
    ]
    for arguments, words in cases:
        result = await kit.call("propose_jira_fields", {"key": "ENG-4", **arguments})
        assert not result.ok and words in result.text, result.text
    assert kit.proposals == []


async def test_a_new_issue_is_created_once_with_its_fields(client, tmp_path, demo_server):
    kit = kit_for(client, tmp_path)
    result = await propose(
        kit,
        "propose_jira_issue",
        project="eng",
        issue_type="task",
        summary="Rotate the webhook signing keys",
        description="Rotate *both* keys.\n\n- old\n- new",
        priority="High",
        labels=["security"],
        assignee="Grace Liu",
    )
    proposal = result.proposal
    assert proposal.target == "new Jira issue in project ENG"
    assert proposal.after.splitlines()[:6] == [
        "project: ENG (Platform Engineering)",
        "type: Task",
        "summary: Rotate the webhook signing keys",
        "priority: High",
        "labels: security",
        "assignee: Grace Liu",
    ]
    assert "  Rotate *both* keys." in proposal.after
    done = await approve(client, proposal, tmp_path)
    assert done.status == WRITTEN and done.message == "Created Jira issue ENG-6."
    row = demo_server.store.jira_issue("ENG-6")
    assert row["summary"] == "Rotate the webhook signing keys" and row["type_name"] == "Task"
    assert row["priority_name"] == "High" and json.loads(row["labels"]) == ["security"]
    assert json.loads(row["description"])["content"][0]["content"][1]["marks"] == [{"type": "em"}]
    posts = demo_server.requests.entries(method="POST", path_prefix="/rest/api/3/issue")
    assert len([p for p in posts if p.path == "/rest/api/3/issue"]) == 1


async def test_a_new_issue_in_an_unknown_project_or_type_is_refused(client, tmp_path):
    kit = kit_for(client, tmp_path)
    result = await kit.call(
        "propose_jira_issue", {"project": "NOPE", "issue_type": "Task", "summary": "x"}
    )
    assert not result.ok and "There is no Jira project NOPE" in result.text
    result = await kit.call(
        "propose_jira_issue", {"project": "ENG", "issue_type": "Saga", "summary": "x"}
    )
    assert (
        not result.ok and "Project ENG has no issue type 'saga'; it has: Epic, Story" in result.text
    )


async def test_work_is_logged_once(client, tmp_path, demo_server):
    kit = kit_for(client, tmp_path)
    result = await propose(
        kit,
        "propose_jira_worklog",
        key="ENG-4",
        time_spent="1h 30m",
        started="2026-12-04T09:15",
        comment="Pairing on the checklist",
    )
    assert result.proposal.after == (
        "time spent: 1h 30m\nstarted: 2026-12-04 09:15 UTC\ncomment:\n  Pairing on the checklist\n"
    )
    bad = await kit.call("propose_jira_worklog", {"key": "ENG-4", "time_spent": "a while"})
    assert not bad.ok and "'a while' is not a time spent; write it like 1h 30m" in bad.text
    done = await approve(client, result.proposal, tmp_path)
    assert done.status == WRITTEN and done.message.startswith("Logged 1h 30m on ENG-4")
    logs = demo_server.store.jira_worklogs("ENG-4")
    assert [(w["seconds"], w["started"]) for w in logs] == [(5400, "2026-12-04T09:15:00.000Z")]


async def test_a_link_is_made_once_and_a_link_there_already_is_refused(
    client, tmp_path, demo_server
):
    kit = kit_for(client, tmp_path)
    result = await propose(
        kit, "propose_jira_link", key="ENG-4", link_type="blocks", other_key="ENG-5"
    )
    assert result.proposal.after == "ENG-4 blocks ENG-5  (link type Blocks)\n"
    done = await approve(client, result.proposal, tmp_path)
    assert done.status == WRITTEN and done.message == "Linked: ENG-4 blocks ENG-5."
    issue = await kit.call("jira_get_issue", {"key": "ENG-5"})
    assert "is blocked by ENG-4" in issue.text
    again = await kit.call(
        "propose_jira_link", {"key": "ENG-5", "link_type": "is blocked by", "other_key": "ENG-4"}
    )
    assert not again.ok and "ENG-4 blocks ENG-5 already" in again.text
    unknown = await kit.call(
        "propose_jira_link", {"key": "ENG-4", "link_type": "haunts", "other_key": "ENG-5"}
    )
    assert not unknown.ok and "Jira has no link type 'haunts'" in unknown.text


async def test_a_description_cannot_be_edited_by_hand_and_a_narrower_fence_cannot_apply(
    client, tmp_path, demo_server
):
    kit = kit_for(client, tmp_path)
    result = await propose(kit, "propose_jira_transition", key="ENG-4", transition="Done")
    result.proposal.edit_by_hand("status: Whatever\n")
    with pytest.raises(UsageError):
        await approve(client, result.proposal, tmp_path)
    fresh = await propose(kit, "propose_jira_transition", key="ENG-4", transition="Done")
    with pytest.raises(FenceRefusal):
        await approve(client, fresh.proposal, tmp_path, groups={"jira"})
    assert demo_server.store.jira_issue("ENG-4")["status_name"] == "To Do"


# -- answers lost on the way back: read back, never sent twice --------------------------------


def lossy(server, method: str, path: str) -> tuple[ConfluenceClient, LoseAnswers]:
    transport = LoseAnswers(method, path)
    return (
        ConfluenceClient(server.base_url, auth=AUTH, transport=transport, backoff_base=0.01),
        transport,
    )


@pytest.mark.parametrize(
    ("tool", "arguments", "method", "path"),
    [
        ("propose_jira_comment", {"key": "ENG-4", "markdown": "once"}, "POST", "/ENG-4/comment"),
        ("propose_jira_worklog", {"key": "ENG-4", "time_spent": "2h"}, "POST", "/ENG-4/worklog"),
        (
            "propose_jira_link",
            {"key": "ENG-4", "link_type": "Relates", "other_key": "ENG-1"},
            "POST",
            "/issueLink",
        ),
        (
            "propose_jira_issue",
            {"project": "ENG", "issue_type": "Bug", "summary": "Lost once"},
            "POST",
            "/rest/api/3/issue",
        ),
        ("propose_jira_fields", {"key": "ENG-4", "priority": "High"}, "PUT", "/issue/ENG-4"),
        (
            "propose_jira_transition",
            {"key": "ENG-4", "transition": "Start progress"},
            "POST",
            "/ENG-4/transitions",
        ),
    ],
)
async def test_a_lost_answer_is_read_back_and_the_write_lands_once(
    demo_server, tmp_path, tool, arguments, method, path
):
    store = demo_server.store
    counts = lambda: (  # noqa: E731 - the issue's state, read the same way before and after
        len(store.jira_comments("ENG-4")),
        len(store.jira_worklogs("ENG-4")),
        len(store.jira_links_of(store.jira_issue("ENG-4")["id"])),
        store.jira_count("1", []),
        store.jira_issue("ENG-4")["priority_name"],
        store.jira_issue("ENG-4")["status_name"],
    )
    before = counts()
    client, transport = lossy(demo_server, method, path)
    async with client:
        kit = kit_for(client, tmp_path)
        result = await propose(kit, tool, **arguments)
        done = await approve(client, result.proposal, tmp_path)
    assert done.status == WRITTEN
    assert transport.left == 0  # the answer was lost
    after = counts()
    changed = [a != b for a, b in zip(before, after, strict=True)]
    assert sum(changed) == 1  # exactly one thing changed …
    for a, b in zip(before, after, strict=True):
        if isinstance(a, int) and a != b:
            assert b == a + 1  # … and only once
    sent = [s for s in transport.sent if s.startswith(method) and path in s]
    assert len(sent) == 1  # never sent twice


# -- Data Center: REST v2, wiki markup ----------------------------------------------------------


async def test_data_center_creates_and_comments_through_v2_wiki_markup(local_confluence, tmp_path):
    from workbench.auth.connect import BearerAuth

    server = local_confluence(flavour="dc", context_path="/confluence")
    async with ConfluenceClient(
        server.base_url, auth=BearerAuth("demo-token"), kind="dc"
    ) as client:
        kit = kit_for(client, tmp_path)
        made = await propose(
            kit,
            "propose_jira_issue",
            project="PAY",
            issue_type="Bug",
            summary="Refund export drops the currency",
            description="The CSV has **no** currency column.",
        )
        done = await approve(client, made.proposal, tmp_path)
        assert done.status == WRITTEN and done.message == "Created Jira issue PAY-1433."
        said = await propose(kit, "propose_jira_comment", key="PAY-1433", markdown="Seen on *DC*")
        posted = await approve(client, said.proposal, tmp_path)
        assert posted.status == WRITTEN
        # Data Center names people by username ({"name": …}); the review shows the display name
        given = await propose(kit, "propose_jira_fields", key="PAY-1433", assignee="grace.liu")
        assert given.proposal.after == "assignee: Grace Liu\n"
        assert (await approve(client, given.proposal, tmp_path)).status == WRITTEN
    assert server.store.jira_issue("PAY-1433")["assignee_id"] == "63f2b9e1c7a4d5e6f7a8b9c0"
    row = server.store.jira_issue("PAY-1433")
    assert json.loads(row["description"])["content"][0]["content"][1] == {
        "type": "text",
        "text": "no",
        "marks": [{"type": "strong"}],
    }
    stored = json.loads(server.store.jira_comments("PAY-1433")[-1]["body"])
    assert stored["content"][0]["content"][1] == {
        "type": "text",
        "text": "DC",
        "marks": [{"type": "em"}],
    }
    assert server.requests.entries(method="POST", path_prefix="/rest/api/2/issue")
    assert not server.requests.entries(path_prefix="/rest/api/3/")


async def test_an_approval_cut_off_before_it_was_recorded_does_not_post_again(
    client, tmp_path, demo_server
):
    # the inbox is written after the write: a kill -9 between the two leaves the proposal pending,
    # and approving it again must find the comment, worklog or issue it made instead of another
    kit = kit_for(client, tmp_path)
    said = await propose(kit, "propose_jira_comment", key="ENG-4", markdown="Only once, please.")
    logged = await propose(kit, "propose_jira_worklog", key="ENG-4", time_spent="45m")
    made = await propose(
        kit, "propose_jira_issue", project="ENG", issue_type="Task", summary="Once only"
    )
    comments_before = len(demo_server.store.jira_comments("ENG-4"))
    issues_before = demo_server.store.jira_count("1", [])
    for proposal in (said.proposal, logged.proposal, made.proposal):
        first = await approve(client, proposal, tmp_path)
        again = await approve(client, proposal, tmp_path)
        assert first.status == again.status == WRITTEN
        assert "already (" in again.message and again.message.endswith("nothing was sent.")
        assert again.written.id == first.written.id
    assert len(demo_server.store.jira_comments("ENG-4")) == comments_before + 1
    assert [w["seconds"] for w in demo_server.store.jira_worklogs("ENG-4")] == [2700]
    assert demo_server.store.jira_count("1", []) == issues_before + 1
