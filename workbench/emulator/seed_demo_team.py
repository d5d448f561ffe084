"""Demo content: the Product & Design space, and the demo user's personal space."""

from __future__ import annotations

from workbench.emulator.schema import DEMO_ACCOUNT_ID as DEMO
from workbench.emulator.seed_markup import (
    code,
    date,
    emoticon,
    expand,
    h,
    inline_comment,
    layout,
    layouts,
    mention,
    ol,
    p,
    page_link,
    panel,
    placeholder,
    status,
    table,
    tasks,
    toc,
    ul,
    url_image,
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


def _sync(
    day: str, attendees: list[str], notes: list[str], actions: list[tuple[bool, str]], key: str
) -> str:
    return (
        table(["Date", "Attendees"], [[date(day), " ".join(mention(a) for a in attendees)]])
        + h(2, "Notes")
        + ul(*notes)
        + h(2, "Action items")
        + tasks(key, *actions)
    )


_ROADMAP = (
    toc(2)
    + h(2, "Themes")
    + table(
        ["Theme", "Quarter", "Status", "Owner"],
        [
            ["Reliability of checkout", "@2:Q1 2027", status("Green", "On track"), mention(MARCUS)],
            ["Merchant self-service", "-", status("Yellow", "At risk"), mention(GRACE)],
            ["Event-driven platform", "Q2 2027", status("Blue", "Planned"), mention(TOMAS)],
            [
                "=2:Multi-currency payouts (needs licensing review first)",
                status("Grey", "Not started"),
                mention(PRIYA),
            ],
        ],
    )
    + h(2, "Out of scope")
    + p("Card issuing and lending are not on the 2027 roadmap.")
)

_OKRS = (
    h(2, "Objective 1: checkout never loses a payment")
    + table(
        ["Key result", "Target", "Now"],
        [["Successful checkout rate", "99.95 %", "99.91 %"], ["SEV1 incidents", "0", "1"]],
    )
    + h(2, "Objective 2: merchants serve themselves")
    + table(
        ["Key result", "Target", "Now"],
        [
            ["Support tickets about balances", "-40 %", "-12 %"],
            ["Sandbox sign-ups per week", "150", "96"],
        ],
    )
    + panel("note", p("Scores are updated in the last week of each month."))
)

_INTERVIEW = (
    panel(
        "info",
        p("Interview with the operations lead of a mid-size logistics company (anonymised)."),
        "About this interview",
    )
    + h(2, "Key quotes")
    + "<blockquote><p>We reconcile payouts by hand every Friday. It takes half a day.</p></blockquote>"
    + "<blockquote><p>If I could see the balance per carrier, I would stop exporting CSVs.</p></blockquote>"
    + h(2, "Takeaways")
    + ul(
        "Balance per sub-account matters more than per day.",
        "CSV export must stay; it feeds their ERP.",
    )
    + expand(
        "Raw notes",
        p(
            "Company of 180 people, 12 in finance. Uses our API through a plugin. Pays 3 000 "
            "carriers weekly. Pain: reconciliation, failed payouts to closed accounts."
        ),
    )
)

_PERSONA = layouts(
    layout(
        "two_left_sidebar",
        url_image("https://avatars.example.com/persona-oncall.png", "Illustration of Sam"),
        h(2, "Sam, the on-call engineer")
        + p(
            "Sam carries the pager one week in five. At 3 a.m. Sam wants one page that says what to do."
        )
        + h(3, "Needs")
        + ul(
            "Runbooks that open fast and read well on a phone.",
            "Links from alerts straight to the right section.",
        )
        + h(3, "Frustrations")
        + ul("Stale runbooks.", "Dashboards with forty panels."),
    )
)

_COLOURS = (
    p("Colour tokens of the design system. Use the token, never the hex value.")
    + table(
        ["Token", "Hex", "Use"],
        [
            ["<code>color.text</code>", "#172B4D", "body text"],
            ["<code>color.background.success</code>", "#DCFFF1", "success panels"],
            ["<code>color.border.danger</code>", "#E2483D", "destructive actions"],
        ],
    )
    + code("css", ":root {\n  --color-text: #172B4D;\n  --color-background-success: #DCFFF1;\n}")
)

_A11Y = p("Every screen we ship passes this checklist.") + tasks(
    "a11y",
    (True, "Text contrast at least 4.5:1"),
    (True, "Every action reachable by keyboard"),
    (False, "Focus order follows reading order"),
    (False, "Screen reader labels on icon buttons"),
)

_LAUNCH = (
    p(f"Launch owner: {mention(GRACE)} {status('Yellow', 'In progress')}")
    + toc(2)
    + h(2, "Goals")
    + ol(
        "Ship the Workbench 1.0 to all internal teams.",
        "Collect feedback from 20 power users in two weeks.",
    )
    + h(2, "Timeline")
    + table(
        ["Milestone", "Date", "Status"],
        [
            ["Beta to platform team", date("2026-11-02"), status("Green", "Done")],
            ["All engineering", date("2026-12-01"), status("Blue", "Next")],
            ["Company-wide", date("2027-01-12"), status("Grey", "Planned")],
        ],
    )
    + h(2, "Risks")
    + panel(
        "warning",
        p(
            inline_comment("OAuth app approval by IT may take two weeks", "launch-oauth")
            + "; start the request now."
        ),
    )
    + h(2, "Checklist")
    + tasks(
        "launch",
        (True, "Docs site published"),
        (False, "Announcement drafted"),
        (False, f"Support rota agreed with {mention(HANA)}"),
    )
)

_DIRECTORY = table(
    ["Name", "Role", "Time zone"],
    [
        [mention(PRIYA), "Engineering lead", "Asia/Kolkata"],
        [mention(MARCUS), "Infrastructure", "Europe/Berlin"],
        [mention(HANA), "Observability", "Europe/Warsaw"],
        [mention(TOMAS), "Payments domain", "America/Sao_Paulo"],
        [mention(GRACE), "Product lead", "America/Los_Angeles"],
        [mention(DEMO), "You", "Europe/London"],
    ],
)

PAGES = [
    {
        "title": "Roadmap 2027",
        "author": "grace",
        "days": 90,
        "labels": ["roadmap", "planning"],
        "body": _ROADMAP,
        "edits": [
            {
                "author": "grace",
                "days": 30,
                "message": "Mark merchant self-service at risk",
                "body": _ROADMAP.replace(
                    "Reliability of checkout", "Reliability of checkout and payouts"
                ),
            },
            {"author": "priya", "days": 5, "message": "Owners for every theme", "body": _ROADMAP},
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
        "body": _OKRS,
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
        "body": _sync(
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
        "body": _sync(
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
        "body": _sync(
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
        "body": _INTERVIEW,
    },
    {
        "title": "Persona: the on-call engineer",
        "parent": "Customer research",
        "author": "hana",
        "days": 140,
        "labels": ["research", "persona"],
        "body": _PERSONA,
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
        "body": _COLOURS,
    },
    {
        "title": "Accessibility checklist",
        "parent": "Design system",
        "author": "hana",
        "days": 25,
        "labels": ["design-system", "accessibility"],
        "body": _A11Y,
    },
    {
        "title": "Launch plan: Workbench 1.0",
        "author": "grace",
        "days": 21,
        "labels": ["launch", "planning"],
        "body": _LAUNCH,
        "edits": [
            {
                "author": "demo",
                "days": 1,
                "message": "Beta milestone done",
                "body": _LAUNCH.replace(
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
        "body": _DIRECTORY,
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
