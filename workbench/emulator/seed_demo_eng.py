"""Demo content: the Platform Engineering space (runbooks, ADRs, release notes, onboarding): the
space and its pages; the bodies are in ``seed_demo_eng_text``."""

from __future__ import annotations

from workbench.emulator.seed_demo_eng_text import (
    ADR1,
    ADR2,
    ADR3,
    CERTS,
    DEVENV,
    FAILOVER,
    LATENCY_V1,
    LATENCY_V2,
    LATENCY_V3,
    ONBOARDING,
    ONCALL,
    POSTMORTEM,
    RELEASE_1,
    RELEASE_2,
    RELEASE_3,
    REVIEW,
)
from workbench.emulator.seed_markup import (
    children_macro,
    emoticon,
    excerpt,
    h,
    layout,
    layouts,
    mention,
    p,
    page_link,
    panel,
)
from workbench.emulator.seed_people import PRIYA

SPACE = {
    "key": "ENG",
    "name": "Platform Engineering",
    "description": "How the platform team builds, ships and runs the payments platform.",
    "author": "priya",
    "days": 420,
    "home": layouts(
        layout(
            "two_right_sidebar",
            h(1, "Platform Engineering")
            + excerpt(
                p(
                    "Everything the platform team writes down: how we run "
                    "production, why we built it this way, and what shipped."
                )
            )
            + p(
                f"New here? Start with {page_link('Onboarding: your first week')}. On call this week? The "
                f"{page_link('On-call handbook')} and the {page_link('Runbooks')} are what you need."
            )
            + children_macro(1),
            panel(
                "info",
                p(
                    f"Team lead: {mention(PRIYA)}<br/>Slack: <code>#platform-eng</code><br/>"
                    f"Escalation: {page_link('On-call handbook', 'pager rota')}"
                ),
                "Contacts",
            ),
        ),
    ),
}


def _catalogue_link() -> str:
    return page_link("Service catalogue", "the service catalogue")


PAGES = [
    {
        "title": "Runbooks",
        "author": "marcus",
        "days": 400,
        "labels": ["runbook"],
        "body": p(
            "Step-by-step procedures for production. Every runbook says when to use it, what to check and how "
            "to roll back."
        )
        + children_macro(1),
    },
    {
        "title": "Runbook: Payments API latency",
        "parent": "Runbooks",
        "author": "marcus",
        "days": 300,
        "labels": ["runbook", "payments", "latency"],
        "body": LATENCY_V1,
        "edits": [
            {
                "author": "hana",
                "days": 120,
                "message": "Lower threshold to 600 ms, warn about restarts",
                "body": LATENCY_V2,
            },
            {
                "author": "priya",
                "days": 9,
                "message": "Add escalation and follow-up tasks",
                "body": LATENCY_V3,
            },
        ],
        "comments": [
            {
                "author": "tomas",
                "days": 8,
                "body": p("Should the scale-out be automatic above 800 ms?"),
                "replies": [
                    {
                        "author": "marcus",
                        "days": 7,
                        "body": p("Yes, that is the open task. HPA on pool saturation, not CPU."),
                    }
                ],
            }
        ],
    },
    {
        "title": "Runbook: Database failover",
        "parent": "Runbooks",
        "author": "marcus",
        "days": 280,
        "labels": ["runbook", "postgres"],
        "body": FAILOVER,
        "edits": [
            {
                "author": "marcus",
                "days": 40,
                "message": "Explain why not to promote by hand",
                "body": FAILOVER.replace("ten minutes", "fifteen minutes"),
            }
        ],
    },
    {
        "title": "Runbook: Rotating TLS certificates",
        "parent": "Runbooks",
        "author": "hana",
        "days": 200,
        "labels": ["runbook", "security"],
        "body": CERTS,
    },
    {
        "title": "Architecture decisions",
        "author": "priya",
        "days": 390,
        "labels": ["adr"],
        "body": p(
            "Architecture decision records (ADRs): one page per decision, never deleted, superseded instead."
        )
        + children_macro(1),
    },
    {
        "title": "ADR-001: Use PostgreSQL for the ledger",
        "parent": "Architecture decisions",
        "author": "priya",
        "days": 380,
        "labels": ["adr", "postgres"],
        "body": ADR1,
    },
    {
        "title": "ADR-002: Adopt OpenTelemetry",
        "parent": "Architecture decisions",
        "author": "hana",
        "days": 280,
        "labels": ["adr", "observability"],
        "body": ADR2,
    },
    {
        "title": "ADR-003: Event bus on NATS JetStream",
        "parent": "Architecture decisions",
        "author": "tomas",
        "days": 18,
        "labels": ["adr", "proposal"],
        "body": ADR3,
        "comments": [
            {
                "author": "priya",
                "days": 12,
                "body": p("How do we replay events for a new consumer?"),
                "replies": [
                    {
                        "author": "tomas",
                        "days": 11,
                        "body": p(
                            "JetStream keeps 7 days; longer history comes from the outbox table."
                        ),
                    },
                    {"author": "grace", "days": 10, "body": p("Worth a paragraph in the ADR.")},
                ],
            },
            {
                "author": "marcus",
                "days": 6,
                "body": p(f"Ops view: fine by me {emoticon('thumbs-up')}"),
            },
        ],
    },
    {
        "title": "Release notes",
        "author": "priya",
        "days": 370,
        "labels": ["release-notes"],
        "body": p("What shipped, newest first.") + children_macro(1),
    },
    {
        "title": "Release 2026.10",
        "parent": "Release notes",
        "author": "tomas",
        "days": 36,
        "labels": ["release-notes"],
        "body": RELEASE_1,
    },
    {
        "title": "Release 2026.11",
        "parent": "Release notes",
        "author": "tomas",
        "days": 8,
        "labels": ["release-notes"],
        "body": RELEASE_2,
        "edits": [
            {
                "author": "demo",
                "days": 3,
                "message": "Add known issue",
                "body": RELEASE_2 + p("Thanks to everyone who tested the tracing rollout."),
            }
        ],
    },
    {
        "title": "Release 2026.12 (draft notes)",
        "parent": "Release notes",
        "author": "demo",
        "days": 2,
        "labels": ["release-notes", "draft"],
        "body": RELEASE_3,
    },
    {
        "title": "Onboarding: your first week",
        "author": "priya",
        "days": 250,
        "labels": ["onboarding"],
        "body": ONBOARDING,
    },
    {
        "title": "Development environment setup",
        "parent": "Onboarding: your first week",
        "author": "tomas",
        "days": 240,
        "labels": ["onboarding", "howto"],
        "body": DEVENV,
    },
    {
        "title": "Code review guidelines",
        "parent": "Onboarding: your first week",
        "author": "priya",
        "days": 230,
        "labels": ["onboarding", "process"],
        "body": REVIEW,
    },
    {
        "title": "On-call handbook",
        "author": "marcus",
        "days": 260,
        "labels": ["oncall", "process"],
        "body": ONCALL + p(f"Service owners are listed in {_catalogue_link()}."),
    },
    {
        "title": "Incident postmortem: 2026-09-14 checkout outage",
        "author": "grace",
        "days": 66,
        "labels": ["postmortem", "incident"],
        "body": POSTMORTEM,
        "comments": [
            {"author": "priya", "days": 60, "body": p("Thank you for the clear write-up.")}
        ],
    },
]
