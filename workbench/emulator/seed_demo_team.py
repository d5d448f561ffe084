"""Demo content: the Product & Design space, and the demo user's personal space; the longer
bodies are in ``seed_demo_team_text``."""

from __future__ import annotations

from workbench.emulator.schema import DEMO_ACCOUNT_ID as DEMO
from workbench.emulator.seed_demo_team_text import (
    A11Y,
    COLOURS,
    DIRECTORY,
    INTERVIEW,
    LAUNCH,
    OKRS,
    PERSONA,
    ROADMAP,
    sync_notes,
)
from workbench.emulator.seed_markup import (
    emoticon,
    h,
    layout,
    layouts,
    mention,
    p,
    page_link,
    panel,
    placeholder,
    table,
    tasks,
    ul,
)
from workbench.emulator.seed_people import GRACE, HANA, MARCUS, PRIYA, TOMAS

SPACE = {
    "key": "PROD",
    "name": "Product & Design",
    "description": "Roadmap, research, meeting notes and the design system.",
    "author": "grace",
    "days": 410,
    "home": layouts(
        layout(
            "three_equal",
            h(2, "Now") + ul("Workbench 1.0 launch", "Merchant balances"),
            h(2, "Next") + ul("Event-driven receipts", "Sandbox API keys"),
            h(2, "Later") + ul("Multi-currency payouts"),
        ),
        layout(
            "single",
            p(
                f"Product lead: {mention(GRACE)}. Plans change; the {page_link('Roadmap 2027')} is "
                "the source of truth."
            ),
        ),
    ),
}


PAGES = [
    {
        "title": "Roadmap 2027",
        "author": "grace",
        "days": 90,
        "labels": ["roadmap", "planning"],
        "body": ROADMAP,
        "edits": [
            {
                "author": "grace",
                "days": 30,
                "message": "Mark merchant self-service at risk",
                "body": ROADMAP.replace(
                    "Reliability of checkout", "Reliability of checkout and payouts"
                ),
            },
            {"author": "priya", "days": 5, "message": "Owners for every theme", "body": ROADMAP},
        ],
        "comments": [
            {
                "author": "tomas",
                "days": 4,
                "body": p("Can the event-driven work start in Q1 as a pilot?"),
                "replies": [
                    {"author": "grace", "days": 4, "body": p("Only the receipts pilot. Noted.")}
                ],
            }
        ],
    },
    {
        "title": "Q4 OKRs",
        "author": "grace",
        "days": 50,
        "labels": ["okr", "planning"],
        "body": OKRS,
    },
    {
        "title": "Meeting notes",
        "author": "grace",
        "days": 300,
        "labels": ["meeting-notes"],
        "body": p("Weekly product sync, newest at the bottom."),
    },
    {
        "title": "2026-11-03 Product sync",
        "parent": "Meeting notes",
        "author": "grace",
        "days": 17,
        "labels": ["meeting-notes"],
        "body": sync_notes(
            "2026-11-03",
            [GRACE, PRIYA, TOMAS],
            [
                "Beta feedback is positive; search is the top request.",
                "Balances endpoint slipped one week.",
            ],
            [(True, "Share beta survey"), (False, "Re-plan balances release")],
            "sync1103",
        ),
    },
    {
        "title": "2026-11-10 Product sync",
        "parent": "Meeting notes",
        "author": "grace",
        "days": 10,
        "labels": ["meeting-notes"],
        "body": sync_notes(
            "2026-11-10",
            [GRACE, PRIYA, MARCUS],
            [
                "Checkout success rate at 99.91 %.",
                "Decided to pilot the event bus on receipts only.",
            ],
            [(False, "Write the pilot success criteria"), (True, "Book the architecture review")],
            "sync1110",
        ),
    },
    {
        "title": "2026-11-17 Product sync",
        "parent": "Meeting notes",
        "author": "demo",
        "days": 3,
        "labels": ["meeting-notes"],
        "body": sync_notes(
            "2026-11-17",
            [GRACE, DEMO, HANA],
            [
                f"Tracing rollout done {emoticon('tick')}",
                "Launch plan reviewed; OAuth approval is the risk.",
            ],
            [(False, "Chase IT about the OAuth app"), (False, "Draft the launch announcement")],
            "sync1117",
        ),
    },
    {
        "title": "Customer research",
        "author": "grace",
        "days": 200,
        "labels": ["research"],
        "body": p("Interviews and personas. Quotes are anonymised."),
    },
    {
        "title": "Interview: logistics operations lead",
        "parent": "Customer research",
        "author": "grace",
        "days": 45,
        "labels": ["research", "interview"],
        "body": INTERVIEW,
    },
    {
        "title": "Persona: the on-call engineer",
        "parent": "Customer research",
        "author": "hana",
        "days": 140,
        "labels": ["research", "persona"],
        "body": PERSONA,
    },
    {
        "title": "Design system",
        "author": "hana",
        "days": 330,
        "labels": ["design-system"],
        "body": p("Tokens, components and rules shared by every product surface."),
    },
    {
        "title": "Colour tokens",
        "parent": "Design system",
        "author": "hana",
        "days": 150,
        "labels": ["design-system"],
        "body": COLOURS,
    },
    {
        "title": "Accessibility checklist",
        "parent": "Design system",
        "author": "hana",
        "days": 25,
        "labels": ["design-system", "accessibility"],
        "body": A11Y,
    },
    {
        "title": "Launch plan: Workbench 1.0",
        "author": "grace",
        "days": 21,
        "labels": ["launch", "planning"],
        "body": LAUNCH,
        "edits": [
            {
                "author": "demo",
                "days": 1,
                "message": "Beta milestone done",
                "body": LAUNCH.replace(
                    "Docs site published", "Docs site published and linked from the portal"
                ),
            }
        ],
    },
    {
        "title": "Team directory",
        "author": "grace",
        "days": 100,
        "labels": ["people"],
        "body": DIRECTORY,
    },
    {
        "title": "Meeting notes template",
        "parent": "Meeting notes",
        "author": "grace",
        "days": 280,
        "labels": ["template"],
        "body": table(
            ["Date", "Attendees"],
            [[placeholder("Type // to add a date"), placeholder("Type @ to mention attendees")]],
        )
        + h(2, "Notes")
        + ul(placeholder("What was discussed"))
        + h(2, "Action items")
        + tasks("template", (False, placeholder("Owner and task"))),
    },
]

PERSONAL_SPACE = {
    "key": "~demo",
    "name": "Demo User",
    "type": "personal",
    "description": "Personal notes.",
    "author": "demo",
    "days": 60,
    "home": p("My scratch space."),
}

PERSONAL_PAGES = [
    {
        "title": "Notes to self",
        "author": "demo",
        "days": 6,
        "labels": ["todo"],
        "body": tasks(
            "notes",
            (False, "Review ADR-003 before the architecture review"),
            (True, "Pair with Hana on the tracing dashboard"),
        )
        + panel("tip", p("Keyboard-first: <code>/</code> searches, <code>e</code> edits.")),
    },
]
