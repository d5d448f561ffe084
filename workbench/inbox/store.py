"""The proposal inbox: one JSON file per proposal in ``data_dir()/inbox``, safe for many writers.

Several ``workbench mcp`` servers, the TUI and ``workbench proposals`` use one inbox at once, and
any of them may be killed at any moment (``kill -9``). So:

- **adding** writes the whole record to a private temporary file, ``fsync``s it, then hard-links it
  to ``N.json``. ``link`` fails if ``N.json`` exists, so two writers that picked the same number
  never overwrite each other: the loser takes the next number. A writer killed before the link
  leaves only a temporary file (ignored, cleaned up later); after it, a complete record;
- **changing** a record (a decision) happens under that proposal's lock file (``filelock``) and
  replaces the file atomically (temporary file, ``fsync``, ``os.replace``), so a reader sees the
  old record or the new one, never half of one, and two people cannot both approve one proposal;
- a record that cannot be read is listed as broken (never deleted, never guessed at).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError

SCHEMA = 1
PENDING, APPROVED, MERGED, REJECTED, FAILED = "pending", "approved", "merged", "rejected", "failed"
STATUSES = (PENDING, APPROVED, MERGED, REJECTED, FAILED)
_TMP_PREFIX = ".tmp-"
_STALE_TMP_SECONDS = 3600
MAX_REASON = 2000


class InboxError(WorkbenchError):
    """The inbox cannot do what was asked (no such proposal, decided already, being approved elsewhere)."""


class NoSuchProposal(InboxError):
    exit_code = 2


class InboxBusy(InboxError):
    """Someone else is deciding this proposal right now."""


@dataclass(slots=True)
class Item:
    """One stored proposal and what became of it."""

    id: int
    created: str
    site: str  # the base URL of the site it was made on
    agent: str  # who proposed it: the MCP client's name, or "workbench agent"
    profile: str  # the permission profile it was made under
    status: str
    proposal: dict[str, Any]  # :func:`workbench.inbox.record.proposal_to_data`
    reason: str = ""  # a rejection's reason, for the agent to read
    note: str = ""  # what the last attempt to approve said (a conflict, a page gone)
    new_version: int | None = None
    written_id: str | None = None  # the page or comment written
    decided: str | None = None
    decided_by: str | None = None  # "tui" or "cli"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return str(self.proposal.get("kind", ""))

    @property
    def title(self) -> str:
        return str(self.proposal.get("title", ""))

    @property
    def page_id(self) -> str | None:
        value = self.proposal.get("page_id")
        return str(value) if value is not None else None

    @property
    def space_key(self) -> str:
        return str(self.proposal.get("space_key", ""))

    @property
    def summary(self) -> str:
        return str(self.proposal.get("summary", ""))

    @property
    def target(self) -> str:
        """What the proposal is about, in a few words (a page, a new page, a group membership)."""
        if self.page_id:
            return f"page {self.page_id} '{self.title}'"
        issue = str(self.proposal.get("issue_key") or "")
        if issue:  # a Jira proposal (agent/jira_proposals.py)
            return f"Jira issue {issue} '{self.title}'"
        if self.proposal.get("project_key"):  # a new Jira issue
            return f"new Jira issue '{self.title}' in {self.proposal['project_key']}"
        group = str(self.proposal.get("group_name") or "")
        if group:  # a group membership change (agent/people_tools.py)
            who = str(self.proposal.get("person_name") or self.proposal.get("person_id") or "")
            return f"{who} {'to' if self.kind == 'add_member' else 'from'} group {group}"
        return f"new '{self.title}' in {self.space_key}"

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "id": self.id,
            "created": self.created,
            "site": self.site,
            "agent": self.agent,
            "profile": self.profile,
            "status": self.status,
            "reason": self.reason,
            "note": self.note,
            "new_version": self.new_version,
            "written_id": self.written_id,
            "decided": self.decided,
            "decided_by": self.decided_by,
            "extra": self.extra,
            "proposal": self.proposal,
        }

    @classmethod
    def from_json(cls, data: Any, expected_id: int) -> Item:
        if not isinstance(data, dict) or not isinstance(data.get("proposal"), dict):
            raise TypeError("not a proposal record")
        if data.get("id") != expected_id:
            raise ValueError(f"its id is {data.get('id')!r}")
        status = data.get("status")
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        return cls(
            id=expected_id,
            created=str(data.get("created", "")),
            site=str(data.get("site", "")),
            agent=str(data.get("agent", "")),
            profile=str(data.get("profile", "")),
            status=status,
            proposal=data["proposal"],
            reason=str(data.get("reason") or ""),
            note=str(data.get("note") or ""),
            new_version=data.get("new_version")
            if isinstance(data.get("new_version"), int)
            else None,
            written_id=str(data["written_id"]) if data.get("written_id") is not None else None,
            decided=data.get("decided"),
            decided_by=data.get("decided_by"),
            extra=dict(data["extra"]) if isinstance(data.get("extra"), dict) else {},
        )


@dataclass(frozen=True, slots=True)
class Broken:
    """A file in the inbox that is not a readable record: shown, never deleted."""

    name: str
    why: str


def inbox_dir() -> Path:
    # lazy, for start-up: workbench.config loads on first use
    from workbench.config import data_dir

    return data_dir() / "inbox"


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def age(created: str) -> str:
    """``3m``, ``2h``, ``5d`` since an ISO time from :func:`now_iso` (``?`` when it cannot be read)."""
    # lazy, for start-up: calendar loads on first use
    import calendar

    try:
        then = calendar.timegm(time.strptime(created, "%Y-%m-%dT%H:%M:%SZ"))
    except ValueError:
        return "?"
    seconds = max(0, int(time.time() - then))
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


class Inbox:
    """The proposals in one directory (default: ``data_dir()/inbox``)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or inbox_dir()

    # -- adding ----------------------------------------------------------------------------
    def add(
        self, *, site: str, agent: str, profile: str, proposal: dict[str, Any], **extra: Any
    ) -> Item:
        """Store a new pending proposal under the next free number; returns it with its id."""
        self._ensure_dir()
        self._clean_stale_tmp()
        item = Item(0, now_iso(), site, agent, profile, PENDING, proposal, extra=dict(extra))
        number = self._highest() + 1
        for _ in range(10_000):
            item.id = number
            tmp = self._write_tmp(item.to_json())
            try:
                os.link(tmp, self._file(number))  # fails if N.json exists: never overwrites
            except FileExistsError:
                number = max(number + 1, self._highest() + 1)
                continue
            finally:
                tmp.unlink(missing_ok=True)
            self._sync_dir()
            return item
        raise InboxError(f"Could not find a free number in the inbox {self.path}.")

    # -- reading ---------------------------------------------------------------------------
    def get(self, item_id: int) -> Item:
        path = self._file(item_id)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise NoSuchProposal(
                f"There is no proposal {item_id} in the inbox ({self.path})."
            ) from None
        except OSError as exc:
            raise InboxError(f"Proposal {item_id} cannot be read: {exc.strerror or exc}.") from None
        try:
            return Item.from_json(json.loads(raw.decode("utf-8")), item_id)
        except (ValueError, TypeError, UnicodeDecodeError) as exc:
            raise InboxError(
                f"Proposal {item_id} is damaged ({path}: {exc}); it is left as it is."
            ) from None

    def items(self, status: str | None = None) -> list[Item]:
        """Every readable record (oldest first), optionally only those with ``status``."""
        return [i for i in self.scan()[0] if status is None or i.status == status]

    def scan(self) -> tuple[list[Item], list[Broken]]:
        found: list[Item] = []
        broken: list[Broken] = []
        for number in self._numbers():
            try:
                found.append(self.get(number))
            except NoSuchProposal:
                continue
            except InboxError as exc:
                broken.append(Broken(f"{number}.json", exc.message))
        return found, broken

    def signature(self) -> tuple[tuple[str, int], ...]:
        """Names and modification times: changes when a proposal arrives or is decided (cheap to poll)."""
        try:
            entries = [
                (e.name, e.stat().st_mtime_ns)
                for e in os.scandir(self.path)
                if e.name.endswith(".json")
            ]
        except FileNotFoundError:
            return ()
        return tuple(sorted(entries))

    # -- deciding --------------------------------------------------------------------------
    @contextlib.contextmanager
    def deciding(self, item_id: int, *, wait: float = 2.0) -> Iterator[Item]:
        """Hold ``item_id``'s lock while deciding it; yields the record read under the lock."""
        # lazy, for start-up: filelock (with filelock) loads on first use
        from filelock import FileLock, Timeout

        self.get(item_id)  # NoSuchProposal before a lock file is made for nothing
        lock = FileLock(str(self.path / f".{item_id}.lock"))
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise InboxBusy(
                f"Proposal {item_id} is being decided elsewhere right now; try again in a moment."
            ) from None
        try:
            yield self.get(item_id)
        finally:
            lock.release()

    def save(self, item: Item) -> None:
        """Replace a record atomically (call inside :meth:`deciding`)."""
        tmp = self._write_tmp(item.to_json())
        try:
            os.replace(tmp, self._file(item.id))
        finally:
            tmp.unlink(missing_ok=True)
        self._sync_dir()

    # -- files -----------------------------------------------------------------------------
    def _file(self, number: int) -> Path:
        return self.path / f"{int(number)}.json"

    def _numbers(self) -> list[int]:
        try:
            names = os.listdir(self.path)
        except FileNotFoundError:
            return []
        return sorted(
            int(n[:-5])
            for n in names
            if n.endswith(".json") and n[:-5].isascii() and n[:-5].isdigit()
        )

    def _highest(self) -> int:
        numbers = self._numbers()
        return numbers[-1] if numbers else 0

    def _ensure_dir(self) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise InboxError(
                f"The inbox folder {self.path} cannot be created: {exc.strerror or exc}."
            ) from None

    def _write_tmp(self, data: dict[str, Any]) -> Path:
        self._ensure_dir()
        tmp = self.path / f"{_TMP_PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
        payload = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(fd, payload)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise InboxError(
                f"The inbox {self.path} cannot be written: {exc.strerror or exc}."
            ) from None
        return tmp

    def _sync_dir(self) -> None:
        with contextlib.suppress(OSError):  # not every platform can fsync a directory
            fd = os.open(self.path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def _clean_stale_tmp(self) -> None:
        """Temporary files left by a writer killed mid-write (older than an hour: never a live one)."""
        cutoff = time.time() - _STALE_TMP_SECONDS
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.path):
                if entry.name.startswith(_TMP_PREFIX) and entry.stat().st_mtime < cutoff:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
