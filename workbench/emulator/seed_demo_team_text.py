"""Demo content: the longer page bodies of the Product & Design space (``seed_demo_team`` makes
them pages, with their titles, authors, labels and edits), and the shape of a team sync's notes."""

from __future__ import annotations

from workbench.emulator.schema import DEMO_ACCOUNT_ID as DEMO
from workbench.emulator.seed_markup import (
    code,
    date,
    expand,
    h,
    inline_comment,
    layout,
    layouts,
    mention,
    ol,
    p,
    panel,
    status,
    table,
    tasks,
    toc,
    ul,
    url_image,
)
from workbench.emulator.seed_people import GRACE, HANA, MARCUS, PRIYA, TOMAS


def sync_notes(
    day: str, attendees: list[str], notes: list[str], actions: list[tuple[bool, str]], key: str
) -> str:
    return (
        table(["Date", "Attendees"], [[date(day), " ".join(mention(a) for a in attendees)]])
        + h(2, "Notes")
        + ul(*notes)
        + h(2, "Action items")
        + tasks(key, *actions)
    )


ROADMAP = (
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

OKRS = (
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

INTERVIEW = (
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

PERSONA = layouts(
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

COLOURS = (
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

A11Y = p("Every screen we ship passes this checklist.") + tasks(
    "a11y",
    (True, "Text contrast at least 4.5:1"),
    (True, "Every action reachable by keyboard"),
    (False, "Focus order follows reading order"),
    (False, "Screen reader labels on icon buttons"),
)

LAUNCH = (
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

DIRECTORY = table(
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
