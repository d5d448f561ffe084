"""Markdown alerts ⇄ Confluence panel macros: the one table.

A GitHub-style alert (``> [!NOTE]``, ``> [!TIP]`` …, plus ``[!INFO]``) becomes a panel macro when
written; a panel macro is read back as the alert kind below. Several kinds share a panel (Confluence
has four), so a page read back shows the kind named in :data:`ALERT_OF_PANEL`. The converter, the
local index's plain text and the TUI's viewer take the kinds from here.
"""

from __future__ import annotations

import re

#: alert kind (upper case, as written in Markdown) -> the panel macro it is saved as
PANEL_OF_ALERT: dict[str, str] = {
    "NOTE": "info",
    "INFO": "info",
    "TIP": "tip",
    "IMPORTANT": "note",
    "WARNING": "note",
    "CAUTION": "warning",
}
#: panel macro -> the alert kind it is read back as
ALERT_OF_PANEL: dict[str, str] = {
    "info": "NOTE",
    "tip": "TIP",
    "note": "WARNING",
    "warning": "CAUTION",
}
#: the alert kinds the converter knows (another ``[!WORD]`` is saved as an info panel)
ALERT_KINDS: tuple[str, ...] = tuple(PANEL_OF_ALERT)
#: the panel any other ``[!WORD]`` becomes
DEFAULT_PANEL = "info"
#: an alert marker of a known kind, anywhere in a line
ALERT_MARKER = re.compile(r"\[!(" + "|".join(ALERT_KINDS) + r")\]", re.IGNORECASE)


def panel_for(kind: str) -> str:
    """The panel macro an alert of ``kind`` is saved as (any case; unknown kinds: an info panel)."""
    return PANEL_OF_ALERT.get(kind.upper(), DEFAULT_PANEL)
