"""The local Jira's seed: the workflow and schema every seed gets, and for ``demo`` two projects.

Schema (every seed): issue types Epic/Story/Task/Bug/Sub-task, priorities Highest…Lowest, statuses
To Do / In Progress / In Review / Done with one workflow, link types Blocks/Relates/Duplicate/Cloners
(ids and names as a new Jira Cloud site has them; ``GET /rest/api/3/issueLinkType`` in the spec's
example lists the same four link types' words).

Demo: project PAY (Payments) holds the issues the demo's Confluence pages already show in Jira macros
(PAY-1311 and PAY-1329 on "Release 2026.10", PAY-1432 on "Runbook: Payments API latency"); project
ENG (Platform Engineering) holds a small board in every status. Timestamps are relative to seeding.
"""

from __future__ import annotations

from typing import Any

from workbench.emulator.jira.store import JiraMixin
from workbench.emulator.schema import DEMO_ACCOUNT_ID, iso_ago

PRIYA = "557058:6f1c2a9e-3b7d-4c1e-9a55-2d8e4f0b7c31"
MARCUS = "712020:0b9d8e2c-47a1-4f3e-b6c2-91e5d7a4f208"
HANA = "5b10ac8d82e05b22cc7d4ef5"
TOMAS = "557058:c4e7a1d2-8f3b-4a6c-b2d9-5e1f0a3c7b64"
GRACE = "63f2b9e1c7a4d5e6f7a8b9c0"

ISSUE_TYPES = (
    (10000, "Epic", "A big user story that needs to be broken down.", 0, 1),
    (10001, "Story", "Functionality or a feature expressed as a user goal.", 0, 0),
    (10002, "Task", "A small, distinct piece of work.", 0, 0),
    (10003, "Bug", "A problem or error.", 0, 0),
    (10004, "Sub-task", "A small piece of work that's part of a larger task.", 1, -1),
)
PRIORITIES = (
    (1, "Highest", "This problem will block progress.", "#d04437"),
    (2, "High", "Serious problem that could block progress.", "#f15C75"),
    (3, "Medium", "Has the potential to affect progress.", "#f79232"),
    (4, "Low", "Minor problem or easily worked around.", "#707070"),
    (5, "Lowest", "Trivial problem with little or no impact on progress.", "#999999"),
)
STATUSES = (
    (10000, "To Do", "", "new"),
    (
        3,
        "In Progress",
        "This issue is being actively worked on at the moment by the assignee.",
        "indeterminate",
    ),
    (10001, "In Review", "The work is waiting for a reviewer.", "indeterminate"),
    (10002, "Done", "", "done"),
)
# (id, name, from status or None for "from any", to status)
TRANSITIONS = (
    (11, "Start progress", 10000, 3),
    (21, "Send to review", 3, 10001),
    (31, "Done", None, 10002),
    (41, "Back to in progress", 10001, 3),
    (51, "Reopen", 10002, 10000),
    (61, "Stop progress", 3, 10000),
)
LINK_TYPES = (
    (10000, "Blocks", "is blocked by", "blocks"),
    (10001, "Cloners", "is cloned by", "clones"),
    (10002, "Duplicate", "is duplicated by", "duplicates"),
    (10003, "Relates", "relates to", "relates to"),
)


def seed_schema(store: JiraMixin) -> None:
    if store.jira_issue_types():
        return
    for tid, name, description, subtask, level in ISSUE_TYPES:
        store.jira_add_schema_row(
            "jira_issue_types",
            id=tid,
            name=name,
            description=description,
            subtask=subtask,
            hierarchy_level=level,
        )
    for position, (pid, name, description, colour) in enumerate(PRIORITIES):
        store.jira_add_schema_row(
            "jira_priorities",
            id=pid,
            name=name,
            description=description,
            colour=colour,
            position=position,
        )
    for sid, name, description, category in STATUSES:
        store.jira_add_schema_row(
            "jira_statuses", id=sid, name=name, description=description, category=category
        )
    for trid, name, source, target in TRANSITIONS:
        store.jira_add_schema_row(
            "jira_transitions", id=trid, name=name, from_status_id=source, to_status_id=target
        )
    for lid, name, inward, outward in LINK_TYPES:
        store.jira_add_schema_row(
            "jira_link_types", id=lid, name=name, inward=inward, outward=outward
        )


def doc(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {"version": 1, "type": "doc", "content": list(blocks)}


def para(*inlines: dict[str, Any] | str) -> dict[str, Any]:
    return {
        "type": "paragraph",
        "content": [{"type": "text", "text": i} if isinstance(i, str) else i for i in inlines],
    }


def text(value: str, *marks: str, href: str = "") -> dict[str, Any]:
    node: dict[str, Any] = {"type": "text", "text": value}
    all_marks: list[dict[str, Any]] = [{"type": m} for m in marks]
    if href:
        all_marks.append({"type": "link", "attrs": {"href": href}})
    if all_marks:
        node["marks"] = all_marks
    return node


def mention(account: str, name: str) -> dict[str, Any]:
    return {"type": "mention", "attrs": {"id": account, "text": "@" + name, "accessLevel": ""}}


def bullets(*items: str) -> dict[str, Any]:
    return {
        "type": "bulletList",
        "content": [{"type": "listItem", "content": [para(item)]} for item in items],
    }


def code(value: str, language: str) -> dict[str, Any]:
    return {
        "type": "codeBlock",
        "attrs": {"language": language},
        "content": [{"type": "text", "text": value}],
    }


# (project, number, type, summary, status, priority, assignee, reporter, labels, days ago, description)
_ISSUES: tuple[tuple[Any, ...], ...] = (
    (
        "PAY",
        1311,
        "Bug",
        "Webhook retries used the wrong backoff",
        "Done",
        "High",
        TOMAS,
        MARCUS,
        ["webhooks"],
        52,
        doc(
            para(
                "Retries of failed webhook deliveries used a fixed 5 s delay instead of the exponential "
                "backoff in the spec."
            ),
            para("Fixed in ", text("2026.10", "strong"), "."),
        ),
    ),
    (
        "PAY",
        1329,
        "Bug",
        "Currency rounding in JPY receipts",
        "Done",
        "Medium",
        HANA,
        PRIYA,
        ["receipts", "currency"],
        47,
        doc(
            para("Receipts for JPY charges showed two decimal places; JPY has none."),
            code("format_amount(Money(1200, 'JPY'))  # '¥1,200.00' -> '¥1,200'", "python"),
        ),
    ),
    (
        "PAY",
        1432,
        "Task",
        "Automate the scale-out step of the latency runbook",
        "In Progress",
        "High",
        MARCUS,
        PRIYA,
        ["oncall", "runbook"],
        12,
        doc(
            para(
                "The runbook's scale-out step is still manual. Automate it so on-call can run one command."
            ),
            bullets(
                "Add a scale-out job to the ops CLI",
                "Page on-call when it fails",
                "Update the runbook",
            ),
            para("Owner: ", mention(MARCUS, "Marcus Oyelaran")),
        ),
    ),
    (
        "ENG",
        1,
        "Epic",
        "Tracing everywhere",
        "Done",
        "Medium",
        PRIYA,
        PRIYA,
        ["observability"],
        90,
        doc(para("OpenTelemetry tracing across every service; see ADR-002.")),
    ),
    (
        "ENG",
        2,
        "Story",
        "Ledger failover drill every month",
        "In Progress",
        "High",
        GRACE,
        MARCUS,
        ["ledger", "oncall"],
        20,
        doc(
            {"type": "heading", "attrs": {"level": 2}, "content": [text("Goal")]},
            para("A monthly drill so failover stays boring."),
            {
                "type": "panel",
                "attrs": {"panelType": "info"},
                "content": [para("The first drill is on the on-call calendar.")],
            },
        ),
    ),
    (
        "ENG",
        3,
        "Bug",
        "Connection pool saturates under retry storms",
        "In Review",
        "Highest",
        TOMAS,
        GRACE,
        ["performance"],
        9,
        doc(para("When the payments API retries, the pool fills and p99 latency jumps.")),
    ),
    (
        "ENG",
        4,
        "Task",
        "Document the code review checklist",
        "To Do",
        "Low",
        None,
        PRIYA,
        ["onboarding"],
        5,
        doc(para("Turn the review guidelines page into a checklist.")),
    ),
    (
        "ENG",
        5,
        "Story",
        "Self-serve balances endpoint for merchants",
        "To Do",
        "Medium",
        DEMO_ACCOUNT_ID,
        HANA,
        [],
        3,
        None,
    ),
)


def seed_demo(store: JiraMixin) -> None:
    seed_schema(store)
    store.jira_add_project(
        "PAY",
        "Payments",
        lead=MARCUS,
        description="The payments API and its webhooks.",
        project_id=10000,
    )
    store.jira_add_project(
        "ENG",
        "Platform Engineering",
        lead=PRIYA,
        description="How the platform team builds, ships and runs the payments platform.",
        project_id=10001,
    )
    for (
        project,
        number,
        kind,
        summary,
        status,
        priority,
        assignee,
        reporter,
        labels,
        days,
        description,
    ) in _ISSUES:
        store.jira_create_issue(
            project,
            summary,
            issuetype={"name": kind},
            reporter=reporter,
            description=description,
            priority={"name": priority},
            assignee=assignee,
            labels=labels,
            status=status,
            number=number,
            created_at=iso_ago(days),
            updated_at=iso_ago(max(days - 2, 0.5)),
        )
        if status == "Done":
            store.db.execute(
                "UPDATE jira_issues SET resolved_at = updated_at WHERE key = ?",
                (f"{project}-{number}",),
            )
    store.jira_add_comment(
        "ENG-3",
        doc(para("Reproduced with 200 rps of retries; the fix is in review.")),
        TOMAS,
        created_at=iso_ago(2),
    )
    store.jira_add_comment(
        "ENG-3",
        doc(para("Looks good, one question on the pool size.")),
        GRACE,
        created_at=iso_ago(1),
    )
    store.jira_add_comment(
        "PAY-1432", doc(para("Draft job is on a branch.")), MARCUS, created_at=iso_ago(4)
    )
    store.jira_add_worklog("ENG-3", seconds=3 * 3600, author=TOMAS, comment=doc(para("Load test")))
    store.jira_add_link({"name": "Blocks"}, "ENG-3", "PAY-1432")  # PAY-1432 blocks ENG-3
    store.jira_add_link({"name": "Relates"}, "ENG-2", "ENG-1")
