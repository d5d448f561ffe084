"""Colour a unified diff for display."""

from __future__ import annotations

from rich.text import Text


def diff_text(lines: list[str], empty: str = "No differences.") -> Text:
    """A Text of unified-diff lines: additions green, removals red, hunk headers dim."""
    if not lines:
        return Text(empty, style="italic")
    text = Text()
    for line in lines:
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("@@"):
            style = "cyan"
        elif line.startswith("+"):
            style = "green"
        elif line.startswith("-"):
            style = "red"
        elif line.startswith(("<<<<<<<", "=======", ">>>>>>>")):
            style = "bold yellow"
        else:
            style = ""
        text.append(line + "\n", style=style)
    return text
