"""Demo content of the other kinds Confluence Cloud has: nested folders with pages inside them, a
whiteboard, a database, a smart link, and blog posts (with an edit, labels and a comment).

Added after the pages of each space (``seed_demo.build_demo``); fixed data like the rest of the demo.
"""

from __future__ import annotations

from typing import Any

from workbench.emulator.seed_markup import h, mention, p, panel, ul
from workbench.emulator.seed_people import GRACE

#: The tree of the Product & Design space gains a folder three deep (``kind`` folder, with pages).
#: ``parent``: a title (page or folder) in the same space, or None for the homepage.
PROD_TREE: list[dict[str, Any]] = [
    {"kind": "folder", "title": "Design handbook", "parent": None, "author": "hana", "days": 60},
    {
        "kind": "page",
        "title": "Handbook overview",
        "parent": "Design handbook",
        "author": "hana",
        "days": 58,
        "body": p("How we design: principles first, then the components, then the patterns.")
        + ul("Start from the customer's task", "Prefer one clear path", "Write the words first"),
    },
    {
        "kind": "folder",
        "title": "Components",
        "parent": "Design handbook",
        "author": "hana",
        "days": 57,
    },
    {
        "kind": "page",
        "title": "Buttons",
        "parent": "Components",
        "author": "hana",
        "days": 55,
        "body": h(2, "Variants")
        + ul("Primary: one per view", "Secondary", "Subtle")
        + p("Labels are verbs."),
    },
    {"kind": "folder", "title": "Forms", "parent": "Components", "author": "hana", "days": 54},
    {
        "kind": "page",
        "title": "Form field guidelines",
        "parent": "Forms",
        "author": "hana",
        "days": 50,
        "body": panel(
            "info", p("Every field has a visible label; placeholders are examples, never labels.")
        )
        + ul("Errors say what to do", "Required fields are marked, optional ones say so"),
    },
    {
        "kind": "page",
        "title": "Validation messages",
        "parent": "Forms",
        "author": "grace",
        "days": 30,
        "body": p("Say what happened and how to fix it, next to the field, in plain words."),
    },
    {
        "kind": "embed",
        "title": "Figma: checkout redesign",
        "parent": "Design handbook",
        "author": "hana",
        "days": 45,
        "embed_url": "https://www.figma.com/file/demo-checkout-redesign",
    },
    {
        "kind": "whiteboard",
        "title": "Checkout flow board",
        "parent": None,
        "author": "grace",
        "days": 35,
    },
    {
        "kind": "database",
        "title": "Research participants",
        "parent": None,
        "author": "grace",
        "days": 33,
    },
]

BLOG_POSTS: dict[str, list[dict[str, Any]]] = {
    "PROD": [
        {
            "title": "Workbench 1.0 beta opens to all teams",
            "author": "grace",
            "days": 12,
            "labels": ["launch", "announcement"],
            "body": p(f"The beta is open. Thanks to {mention(GRACE)} and everyone who tested it.")
            + h(2, "What is in it")
            + ul("Browse and search", "Edit as Markdown", "Proposals from the agent"),
            "comments": [
                {
                    "author": "marcus",
                    "days": 11,
                    "body": p("Great news. Rolling it out to platform on Monday."),
                }
            ],
        },
        {
            "title": "What we learned from five merchant interviews",
            "author": "hana",
            "days": 40,
            "labels": ["research"],
            "body": p("Five interviews, three patterns: balances, payouts and receipts."),
            "edits": [
                {
                    "author": "hana",
                    "days": 38,
                    "message": "Added the third pattern",
                    "body": p("Five interviews, three patterns: balances, payouts and receipts.")
                    + h(2, "Receipts")
                    + p("Merchants want receipts sent when the payment settles."),
                }
            ],
        },
    ],
    "ENG": [
        {
            "title": "Postmortem digest: November",
            "author": "marcus",
            "days": 5,
            "labels": ["postmortem"],
            "body": p("Two incidents this month, both resolved within the hour.")
            + ul("Checkout latency after a cache eviction storm", "Webhook retries piling up"),
        },
    ],
}
