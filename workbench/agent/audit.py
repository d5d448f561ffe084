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
import re
import time
from pathlib import Path
from typing import Any

#: Argument names whose values are credentials, compared whole (lower case, "-" read as "_"): a
#: ``space_key`` or ``base_version`` is a fact the log must keep, an ``api_key`` is not.
SECRET_NAMES = frozenset(
    {
        "api_key",
        "apikey",
        "api_token",
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "bearer",
        "password",
        "passwd",
        "secret",
        "client_secret",
        "private_key",
        "authorization",
        "cookie",
        "set_cookie",
        "credentials",
        "session_token",
    }
)
SECRET_SUFFIXES = ("_token", "_secret", "_password", "_api_key")
_MAX_TEXT = 200
_MAX_SENT = (
    2000  # arguments that were not a JSON object are kept as sent, up to this many characters
)
_QUOTED_PAIR = re.compile(
    r'("([^"\\]{1,64})"\s*:\s*)"(?:[^"\\]|\\.)*"?'
)  # "name": "value" in broken JSON


def is_secret_name(name: str) -> bool:
    key = name.strip().lower().replace("-", "_")
    return key in SECRET_NAMES or key.endswith(SECRET_SUFFIXES)


def audit_path() -> Path:
    # lazy, for start-up: workbench.config loads on first use
    from workbench.config import data_dir

    return data_dir() / "audit.jsonl"


def scrub(value: Any, key: str = "") -> Any:
    """Arguments fit for the log: no secrets, no long bodies."""
    if key and is_secret_name(key):
        return "[removed]"
    if isinstance(value, dict):
        return {str(k): scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v, key) for v in value[:50]]
    if isinstance(value, str) and len(value) > _MAX_TEXT:
        digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]
        return f"[{len(value.encode('utf-8'))} bytes sha256:{digest}]"
    return value


def sent_text(value: Any) -> str:
    """Arguments that are not a JSON object, kept as the model sent them (shortened, never parsed)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = _QUOTED_PAIR.sub(
        lambda m: m.group(1) + '"[removed]"' if is_secret_name(m.group(2)) else m.group(0), text
    )
    return text if len(text) <= _MAX_SENT else text[:_MAX_SENT] + f"… [{len(text)} characters]"


class AuditLog:
    """Appends records; ``path=None`` uses the user data directory."""

    def __init__(self, path: Path | None = None, **fixed: Any) -> None:
        self.path = path or audit_path()
        self.fixed = fixed  # fields every record of this log gets (e.g. ``approval``)

    def bound(self, **fields: Any) -> AuditLog:
        """The same file, with ``fields`` added to every record written through the result."""
        return AuditLog(self.path, **{**self.fixed, **fields})

    def record(self, event: str, **fields: Any) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "event": event,
        }
        for name, value in {**self.fixed, **fields}.items():
            if value is None:
                continue
            if name == "arguments":
                value = scrub(value)
            elif name == "arguments_sent":
                value = sent_text(value)
            entry[name] = value
        line = (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        # lazy, for start-up: workbench.config loads on first use
        from workbench.config import private_dir

        private_dir(self.path.parent)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
        return entry

    def entries(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The last ``limit`` records (all when None), oldest first; broken lines are skipped."""
        try:
            lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
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
