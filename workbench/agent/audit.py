"""The agent's audit log: append-only JSON Lines in the user data directory (``audit.jsonl``).

One line per tool call and one per applied write: time, profile, tool, arguments, duration,
outcome, page, base → new version, diff hash. Arguments are stored without secrets: keys that look
like credentials are dropped and long text (Markdown bodies) is replaced by its size and hash, so
the log stays small and never holds page content the person did not see. Lines are written with a
single ``O_APPEND`` write, so concurrent writers never interleave within a line.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

_SECRET_WORDS = ("key", "token", "secret", "password", "authorization", "cookie")
_MAX_TEXT = 200


def audit_path() -> Path:
    from workbench.config import data_dir

    return data_dir() / "audit.jsonl"


def scrub(value: Any, key: str = "") -> Any:
    """Arguments fit for the log: no secrets, no long bodies."""
    if any(word in key.lower() for word in _SECRET_WORDS):
        return "[removed]"
    if isinstance(value, dict):
        return {str(k): scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v, key) for v in value[:50]]
    if isinstance(value, str) and len(value) > _MAX_TEXT:
        digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]
        return f"[{len(value.encode('utf-8'))} bytes sha256:{digest}]"
    return value


class AuditLog:
    """Appends records; ``path=None`` uses the user data directory."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or audit_path()

    def record(self, event: str, **fields: Any) -> dict[str, Any]:
        entry: dict[str, Any] = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "event": event}
        for name, value in fields.items():
            if value is None:
                continue
            entry[name] = scrub(value, name) if name == "arguments" else value
        line = (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
        return entry

    def entries(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The last ``limit`` records (all when None), oldest first; broken lines are skipped."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        if limit is not None:
            lines = lines[-limit:]
        out = []
        for line in lines:
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return out


def format_entry(entry: dict[str, Any]) -> str:
    """One readable line for the audit view."""
    parts = [entry.get("time", "?"), entry.get("event", "?")]
    if entry.get("tool"):
        parts.append(str(entry["tool"]))
    if entry.get("profile"):
        parts.append(f"[{entry['profile']}]")
    if entry.get("page"):
        parts.append(f"page {entry['page']}")
    if entry.get("base_version") is not None and entry.get("new_version") is not None:
        parts.append(f"v{entry['base_version']}→v{entry['new_version']}")
    if entry.get("outcome"):
        parts.append(str(entry["outcome"]))
    if entry.get("duration_ms") is not None:
        parts.append(f"{entry['duration_ms']} ms")
    if entry.get("diff_hash"):
        parts.append(str(entry["diff_hash"]))
    return "  ".join(parts)
