"""Hostile server text, seeded into the local Confluence: what a page author (or a hostile site)
can put in front of every Workbench user who lists or opens a page.

Each payload is what the audit used (shared/reports/security-reliability.md, D1/D3/D12): OSC 0
(window title), CSI 2J (clear screen), OSC 52 (clipboard ← ``id | sh``), a C1 CSI, BEL, backspace,
carriage return, a bidi override, and Textual/Rich markup (``[/x]`` crashed the TUI, ``[WIP]``
vanished, ``[@click=…]`` became an action).
"""

from __future__ import annotations

import unicodedata

OSC_TITLE = "\x1b]0;PWNED-TITLE\x07"
CLEAR = "\x1b[2J"
CLIPBOARD = "\x1b]52;c;aWQgfCBzaA==\x07"  # base64 of "id | sh"
C1 = "\x9b2J\x9d0;PWNED-C1\x9c"
BIDI = "\u202egnp.exe"
MARKUP = "[/x] [WIP] [@click=app.quit]q[/] [b]"
PAYLOAD = f"{OSC_TITLE}{CLEAR}{CLIPBOARD}{C1} {BIDI}\rover\x08 {MARKUP}"

PAGE_TITLE = f"Zebra {PAYLOAD} notes"
CHILD_TITLE = f"Routing [/api/v2] {OSC_TITLE}child"
SPACE_NAME = f"Evil space {PAYLOAD}"
USER_NAME = f"Mallory {PAYLOAD}"
LABEL = f"evil{OSC_TITLE}{CLIPBOARD}[/x]"
MESSAGE = f"version message {PAYLOAD}"
# Storage must stay XML for the converter (XML 1.0 has no ESC): the body carries what XML allows
# (C1, bidi, markup) and the excerpt/search path carries the rest through the title.
BODY = f"<p>Zebra body \u009b2J {BIDI} {MARKUP} text</p><p>second line</p>"
# …and a body that is not even XML: ESC and BEL in the storage itself (a hostile server sends anything)
RAW_BODY = f"<p>raw {PAYLOAD} body</p>"
COMMENT = f"<p>Comment {BIDI} {MARKUP} \u009d0;PWNED-COMMENT\u009c</p>"

EVIL_ACCOUNT = "557058:evil-account"
BIDI_CONTROLS = set("\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029")


def dangerous(text: str, *, allow: str = "\n\t") -> list[str]:
    """Every character of ``text`` a terminal could act on (C0 but ``allow``, DEL, C1, bidi controls)."""
    return [
        c
        for c in text
        if (unicodedata.category(c) == "Cc" and c not in allow) or c in BIDI_CONTROLS
    ]


def seed_hostile(server) -> dict[str, str]:
    """Add a hostile space, pages (two versions), a label, a comment and an author to ``server``.

    Through the store (the server's own data), as a hostile site or page author would have it.
    Returns the ids: ``space_id``, ``home_id``, ``page_id``, ``child_id``, ``eng_page_id``.
    """
    store = server.store
    store.add_user(EVIL_ACCOUNT, USER_NAME, "mallory@example.com")
    space = store.create_space("EVIL", SPACE_NAME, description=PAYLOAD, author=EVIL_ACCOUNT)
    page = store.create_page(space["id"], PAGE_TITLE, BODY, author=EVIL_ACCOUNT, message=MESSAGE)
    store.update_page(page["id"], BODY + "<p>edited</p>", author=EVIL_ACCOUNT, message=MESSAGE)
    child = store.create_page(
        space["id"], CHILD_TITLE, "<p>child</p>", parent_id=page["id"], author=EVIL_ACCOUNT
    )
    eng = store.space_by_key("ENG")
    in_eng = store.create_page(eng["id"], f"Zebrafive {CLIPBOARD} clip", BODY, author=EVIL_ACCOUNT)
    with store.lock:  # a label name Confluence itself would refuse, as a hostile server may send it
        store.db.execute("INSERT INTO labels(name, prefix) VALUES (?, 'global')", (LABEL,))
        label_id = store.scalar("SELECT id FROM labels WHERE name = ?", (LABEL,))
        store.db.execute(
            "INSERT INTO page_labels(page_id, label_id) VALUES (?, ?)", (page["id"], label_id)
        )
    store.reindex(int(page["id"]))
    store.add_comment(COMMENT, page_id=page["id"], author=EVIL_ACCOUNT)
    raw = store.create_page(space["id"], "Raw body", RAW_BODY, author=EVIL_ACCOUNT)
    return {
        "space_id": str(space["id"]),
        "home_id": str(space["homepage_id"]),
        "page_id": str(page["id"]),
        "child_id": str(child["id"]),
        "eng_page_id": str(in_eng["id"]),
        "raw_id": str(raw["id"]),
    }
