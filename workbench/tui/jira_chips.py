"""How a page's Jira issue macros show once Jira has answered: the viewer's ``⟦jira: KEY⟧``
placeholders become ``◆ KEY summary STATUS`` (the status a lozenge coloured by its category), a link
that opens the issue view (``jira:KEY``: click, ``enter`` in the viewer, ``g``); an issue that could
not be shown keeps its key with a short reason (``⟦jira-note: …⟧``), still a link (the view says it in
full and can ask again) — except a macro of another Jira server, which has nothing to open.

Pure text: :func:`with_live_jira` rewrites the Markdown the viewer renders
(:func:`workbench.tui.render.render_markdown` calls it); :func:`jira_chip` draws the two chips for
:func:`workbench.tui.render_base.chip`. Every server string is made printable and escaped here, so a
summary is never Markdown, a placeholder or a terminal control.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rich.style import Style

from workbench.textsafe import printable
from workbench.tui.render_base import Palette
from workbench.tui.theme import JIRA_CATEGORY_COLOURS

#: a Jira macro's placeholder as the converter writes it for a macro with a ``key``
MACRO = re.compile(r"(?<!\\)⟦jira:\s*([A-Za-z][A-Za-z0-9_]*-\d+)\s*⟧")
SUMMARY_WIDTH = 60
OTHER_SERVER = "other Jira server"
_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


@dataclass(frozen=True)
class JiraChip:
    """What a macro shows: the issue (``summary``, ``status``, its ``category``) or, when it could not
    be shown, ``note`` (a short reason: "not found, or you may not see it", "Jira not reachable")."""

    key: str
    summary: str = ""
    status: str = ""
    category: str = ""
    note: str = ""

    @property
    def found(self) -> bool:
        return not self.note


def _md_text(text: str) -> str:
    """Server text as Markdown that reads back as exactly that text, on one line: ASCII punctuation
    backslash-escaped (CommonMark), a placeholder bracket escaped (the dialect's ``\\⟦``)."""
    flat = " ".join(printable(text).split())
    return "".join("\\" + ch if ch in _ASCII_PUNCT or ch == "⟦" else ch for ch in flat)


def _chip_text(text: str) -> str:
    """Server text inside a ``⟦…⟧`` placeholder: one line, no brackets of the placeholder."""
    return " ".join(printable(text).replace("⟦", "(").replace("⟧", ")").split())[:80]


def shorten(text: str, width: int = SUMMARY_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def with_live_jira(markdown: str, chips: Mapping[str, JiraChip]) -> str:
    """``markdown`` with each Jira macro whose key ``chips`` knows drawn live (see the module)."""
    if "⟦jira" not in markdown:
        return markdown

    def live(match: re.Match[str]) -> str:
        key = match.group(1).upper()
        chip = chips.get(key)
        if chip is None:
            return match.group(0)
        if chip.note == OTHER_SERVER:  # nothing to open here
            return f"{match.group(0)} ⟦jira-note: {OTHER_SERVER}⟧"
        if not chip.found:  # the view says it in full, and may ask again
            return f"[{match.group(0)} ⟦jira-note: {_chip_text(chip.note)}⟧](jira:{key})"
        status = _chip_text(chip.status) or "no status"
        summary = _md_text(shorten(chip.summary))
        category = chip.category if chip.category in JIRA_CATEGORY_COLOURS else "none"
        return f"[{match.group(0)} {summary} ⟦jira-status {category}: {status}⟧](jira:{key})"

    return MACRO.sub(live, markdown)


def jira_chip(kind: str, value: str, p: Palette) -> tuple[str, Style] | None:
    """The chips :func:`with_live_jira` writes (None: not one of them)."""
    if kind.startswith("jira-status"):
        category = kind.removeprefix("jira-status").strip()
        colour = p.get(JIRA_CATEGORY_COLOURS.get(category, "muted"))
        return f" {value.upper()} ", Style(
            color="#000000", bgcolor=colour, bold=True, underline=False
        )
    if kind == "jira-note":
        return f"({value})", Style(color=p.muted, italic=True, underline=False)
    return None
