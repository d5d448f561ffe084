"""Styles for Rich text built in Python, taken from the app's theme (no literal colours here).

Widgets that build ``rich.text.Text`` themselves (diffs, search hits, version lists) get their
colours from ``App.theme_variables`` through these helpers, so light and dark themes both apply;
without a theme (a unit test) they fall back to text attributes only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


def _style(variables: Mapping[str, str], name: str, attributes: str = "") -> str:
    colour = variables.get(name, "")
    return f"{attributes} {colour}".strip()


@dataclass(frozen=True, slots=True)
class DiffStyles:
    """How a unified diff is shown."""

    added: str = ""
    removed: str = ""
    hunk: str = "dim"
    marker: str = "bold"
    header: str = "bold"
    changed_words: str = "bold reverse"

    @classmethod
    def from_theme(cls, variables: Mapping[str, str]) -> DiffStyles:
        return cls(
            added=_style(variables, "wb-diff-added"),
            removed=_style(variables, "wb-diff-removed"),
            hunk=_style(variables, "accent"),
            marker=_style(variables, "warning", "bold"),
        )


@dataclass(frozen=True, slots=True)
class TextStyles:
    """Accents in lists and headers: a version number, a space name, a search match."""

    accent: str = "bold"
    match: str = "bold"
    warning: str = "bold"

    @classmethod
    def from_theme(cls, variables: Mapping[str, str]) -> TextStyles:
        return cls(
            accent=_style(variables, "accent"),
            match=_style(variables, "warning", "bold"),
            warning=_style(variables, "warning", "bold"),
        )


def cql_styles(variables: Mapping[str, str]) -> dict[str, str]:
    """How the search bar colours each kind of CQL token (``workbench.confluence.cql.tokenize``)."""
    error = variables.get("error", "")
    foreground = variables.get("foreground", "")
    return {
        "string": _style(variables, "text-success"),
        "value": _style(variables, "text-success"),
        "comma": "dim",
        "keyword": _style(variables, "text-secondary", "bold"),
        "operator": _style(variables, "text-warning", "bold"),
        "function": _style(variables, "text-accent"),
        "field": _style(variables, "text-primary", "bold"),
        "number": _style(variables, "text-accent"),
        "paren": "dim",
        "error": f"bold {foreground} on {error}" if error and foreground else "bold reverse",
    }


#: A Jira status's colour by its category (Jira's ``statusCategory.key``), as names of the theme's
#: colours (the viewer's Palette and the theme's variables both know them): to do grey, in progress
#: the primary colour, done green — Jira's own lozenges are grey, blue and green.
JIRA_CATEGORY_COLOURS = {"new": "muted", "indeterminate": "primary", "done": "success"}


def jira_status_style(variables: Mapping[str, str], category: str) -> str:
    """A Jira status lozenge's style in a list (results, the issue view), from the theme."""
    name = JIRA_CATEGORY_COLOURS.get(category, "muted")
    colour = variables.get("secondary" if name == "muted" else name, "")
    return f"bold #000000 on {colour}" if colour else "bold reverse"
