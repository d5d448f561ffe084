"""One source for keys: the ``?`` help, the palette's actions and the ``[keymap]`` check all come
from the ``BINDINGS`` of the app, the screens and the panes (nothing here repeats a key)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.dom import DOMNode

#: Palette actions that a widget's binding triggers there, run on the main screen from the palette:
#: (binding id whose key and words they take, the screen's action).
SCREEN_ACTIONS = {"tree.open": "open_selected", "tree.filter": "filter_tree"}

#: One key: ``ctrl+e``, ``f2``, ``question_mark``, ``A``; several are separated by commas.
_KEYS = re.compile(r"^[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*(,[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*)*$")


@dataclass(frozen=True, slots=True)
class KeyRow:
    """One binding as the help shows it."""

    area: str
    keys: str
    text: str
    binding_id: str
    action: str
    description: str


def areas() -> list[tuple[str, type[DOMNode]]]:
    """Every place with bindings, in the order the help lists them."""
    # imported here, not at the top: workbench.tui.screens.main imports this module (a cycle)
    from workbench.tui.agent.panel import AgentPanel
    from workbench.tui.agent.review import ProposalReview
    from workbench.tui.agent.screens import AuditLogScreen, MarkdownEditScreen
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.attachment_dialogs import ImageScreen
    from workbench.tui.attachments import AttachmentsScreen
    from workbench.tui.jira_dialogs import AssignScreen, JiraCommentScreen
    from workbench.tui.jira_issue import IssueScreen
    from workbench.tui.panes.history import VersionList
    from workbench.tui.panes.tree import TreeFilter
    from workbench.tui.panes.tree_sites import OtherSites
    from workbench.tui.screens.main import MainScreen
    from workbench.tui.widgets.cql_bar import CqlBar
    from workbench.tui.widgets.document import DocumentView
    from workbench.tui.widgets.editor import MdEditor
    from workbench.tui.widgets.find_bar import FindBar
    from workbench.tui.widgets.site_tree import SiteTree

    return [
        ("global", WorkbenchApp),
        ("main", MainScreen),
        ("tree", SiteTree),
        ("tree filter", TreeFilter),
        ("other sites", OtherSites),
        ("viewer", DocumentView),
        ("find bar", FindBar),
        ("search bar", CqlBar),
        ("editor", MdEditor),
        ("history", VersionList),
        ("attachments", AttachmentsScreen),
        ("image view", ImageScreen),
        ("jira issue", IssueScreen),
        ("jira comment", JiraCommentScreen),
        ("jira assign", AssignScreen),
        ("agent", AgentPanel),
        ("review", ProposalReview),
        ("agent editor", MarkdownEditScreen),
        ("audit log", AuditLogScreen),
    ]


def shown_key(keys: str) -> str:
    return keys.replace("question_mark", "?").replace("slash", "/")


def key_rows(keymap: Mapping[str, str] | None = None) -> list[KeyRow]:
    """Every binding with an id, the keymap applied."""
    keymap = keymap or {}
    rows = []
    for area, cls in areas():
        for binding in cls.BINDINGS:
            if not isinstance(binding, Binding) or not binding.id:
                continue
            keys = keymap.get(binding.id, binding.key)
            rows.append(
                KeyRow(
                    area,
                    shown_key(keys),
                    binding.tooltip or binding.description,
                    binding.id,
                    binding.action,
                    binding.description,
                )
            )
    return rows


def binding_ids() -> set[str]:
    return {row.binding_id for row in key_rows()}


@dataclass(frozen=True, slots=True)
class PaletteAction:
    """A palette entry: ``title`` runs ``action`` on the app (``on_app``) or on the main screen."""

    title: str
    action: str
    help: str
    on_app: bool


def palette_actions(keymap: Mapping[str, str] | None = None) -> list[PaletteAction]:
    """The actions the palette offers: every binding of the app and the main screen, the widgets'
    bindings that act on the screen (``screen.save``), and :data:`SCREEN_ACTIONS`."""
    out = []
    for row in key_rows(keymap):
        if row.keys == "escape":  # going back is where you are, not a command
            continue
        if row.area == "global" and row.binding_id.startswith("app."):
            action, on_app = row.action, True
        elif row.area == "main":
            action, on_app = row.action, False
        elif row.action.startswith("screen."):
            action, on_app = row.action.removeprefix("screen."), False
        elif row.binding_id in SCREEN_ACTIONS:
            action, on_app = SCREEN_ACTIONS[row.binding_id], False
        else:
            continue
        area = row.binding_id.partition(".")[0]
        out.append(
            PaletteAction(
                f"{area}: {row.description.lower()}", action, f"{row.text} ({row.keys})", on_app
            )
        )
    out.append(
        PaletteAction(
            "switch site",
            "switch_site",  # an app action without a key
            "Open another configured site (each with its state); the app keeps running",
            True,
        )
    )
    out.append(
        PaletteAction(
            "search: local index",
            "local_search",  # an app action without a key
            "Search the pages 'workbench sync' copied, as you type (offline too)",
            True,
        )
    )
    return out


def check_keymap(keymap: Mapping[str, object]) -> tuple[dict[str, str], list[str]]:
    """The ``[keymap]`` entries that can be applied, and a sentence for each one that cannot (an
    unknown binding id, or a value that is not a key such as ``"ctrl+e"`` or ``"f2,ctrl+e"``)."""
    known = binding_ids()
    good: dict[str, str] = {}
    problems = []
    for binding_id, value in keymap.items():
        keys = value.replace(" ", "") if isinstance(value, str) else None
        if binding_id not in known:
            problems.append(
                f"[keymap] {binding_id}: no binding has this id (the ids are listed by ? "
                "and in docs/keys.md); ignored."
            )
        elif keys is None or not _KEYS.match(keys):
            problems.append(
                f"[keymap] {binding_id} = {value!r}: not a key; write it as a string such "
                'as "ctrl+e", or several as "ctrl+e,f3". The default key stays.'
            )
        else:
            good[binding_id] = keys
    return good, problems


def key(
    keys: str,
    action: str,
    description: str,
    binding_id: str,
    tooltip: str,
    *,
    show: bool = True,
    priority: bool = False,
) -> Binding:
    """A binding as every binding here is written: with an id (``[keymap]``) and a tooltip."""
    return Binding(
        keys, action, description, show=show, id=binding_id, tooltip=tooltip, priority=priority
    )
