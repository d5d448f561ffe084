"""Reading a small JSON record of the workbench's own (recent pages, the children a delete moved up):
a record that cannot be read is set aside, never lost and never fatal — the record starts empty and
the reason is said once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_record(path: Path, what: str) -> tuple[dict[str, Any], str | None]:
    """The JSON object kept in ``path`` (empty when there is none yet) and what went wrong reading it
    (``None`` when nothing did). A file that is not a readable JSON object is moved aside to
    ``<name>.unreadable``; ``what`` names the record in the message ("The list of recent pages")."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, _set_aside(path, what, exc)
    if not isinstance(data, dict):
        return {}, _set_aside(path, what, ValueError("not an object"))
    return data, None


def _set_aside(path: Path, what: str, exc: BaseException) -> str:
    aside = path.with_name(path.name + ".unreadable")
    try:
        path.replace(aside)
    except OSError:
        aside = path
    return f"{what} ({path}) could not be read ({exc}); it starts empty. The old file is {aside}."
