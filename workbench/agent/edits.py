"""The model's edits: ``{old, new}`` replacements against the Markdown of one page version."""

from __future__ import annotations

from typing import Any

from workbench.errors import WorkbenchError


class ToolInputError(WorkbenchError):
    """The model called a tool with arguments that cannot work; the message says how to fix them."""

    exit_code = 2


def apply_edits(markdown: str, edits: Any, version: int) -> str:
    """Replace each ``old`` (which must occur exactly once in ``markdown``) with its ``new``."""
    if not isinstance(edits, list) or not edits:
        raise ToolInputError("edits must be a non-empty list of {old, new} objects.")
    spans: list[tuple[int, int, str, int]] = []
    for n, edit in enumerate(edits, 1):
        if (
            not isinstance(edit, dict)
            or not isinstance(edit.get("old"), str)
            or not isinstance(edit.get("new"), str)
        ):
            raise ToolInputError(f"Edit {n} must be an object with string fields 'old' and 'new'.")
        old, new = edit["old"], edit["new"]
        if not old:
            raise ToolInputError(f"Edit {n}: 'old' is empty; quote the existing text to replace.")
        count = markdown.count(old)
        if count == 0:
            raise ToolInputError(
                f"Edit {n}: the 'old' text does not occur in version {version}. Copy it exactly from "
                "get_page or get_section (Markdown, same whitespace)."
            )
        if count > 1:
            raise ToolInputError(
                f"Edit {n}: the 'old' text occurs {count} times in version {version}; include more "
                "surrounding text so it matches exactly once."
            )
        start = markdown.index(old)
        spans.append((start, start + len(old), new, n))
    spans.sort()
    for (_, e1, _, n1), (s2, _, _, n2) in zip(spans, spans[1:], strict=False):
        if s2 < e1:
            raise ToolInputError(f"Edits {n1} and {n2} overlap; merge them into one edit.")
    out, pos = [], 0
    for start, end, new, _ in spans:
        out.append(markdown[pos:start])
        out.append(new)
        pos = end
    out.append(markdown[pos:])
    return "".join(out)
