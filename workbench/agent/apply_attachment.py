"""Applying an approved attachment proposal: the file uploaded through the client's upload
(``ConfluenceClient.upload_attachment``: exactly once, an ambiguous answer settled by re-reading).

The accepted text (the accepted hunks, or the person's hand edit) is what is uploaded. The proposal
pinned what it saw: no file of that name (a new attachment), or version N of it (a new version).
Before sending, the page's file of that name is read again:

- as the proposal saw it → uploaded (a new attachment, or version N + 1);
- already holding exactly these bytes at the next version (this proposal applied before, its record
  not updated: a crash, a lost answer) → nothing is sent, the file is reported as written;
- anything else (someone added a file of that name, or a version since) → refused with
  :class:`~workbench.agent.apply.ApplyConflict`, nothing sent: the person looks and asks again.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.agent.apply_outcome import (
    NOTHING,
    ApplyConflict,
    ApplyResult,
    commit_message,
    record_refusal,
    refused,
    written,
)
from workbench.confluence.errors import VersionConflict

if TYPE_CHECKING:
    from workbench.agent.audit import AuditLog
    from workbench.agent.fences import Fence
    from workbench.agent.proposals import Proposal
    from workbench.confluence.client import ConfluenceClient


async def apply_attachment(
    client: ConfluenceClient,
    proposal: Proposal,
    text: str,
    fence: Fence,
    audit: AuditLog | None,
) -> ApplyResult:
    if not proposal.accepted or not text.strip() or text == proposal.before:
        return ApplyResult(NOTHING, "The file is not accepted, so nothing was uploaded.")
    page_id, name = proposal.page_id or "", proposal.file_name
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    pinned = proposal.replace_version or 0
    now = await client.find_attachment(page_id, name, kind=proposal.page_kind)
    number = now.version if now is not None else 0
    if now is not None and number == pinned + 1 and now.size == len(data):
        if await client.remote_digest(now) == digest:  # applied before: not sent again
            done = f"{name} on page {page_id} already holds this file (version {number})."
            return written(audit, fence, proposal, text, done, now)
    if number != pinned:
        seen = f"version {pinned}" if pinned else "no file of that name"
        why = (
            f"The attachment {name} on page {page_id} changed since the proposal ({seen}; now "
            f"{'version ' + str(number) if number else 'gone'}); nothing was uploaded. Look at it "
            "and ask the agent again."
        )
        raise refused(audit, fence, proposal, why)
    folder = tempfile.mkdtemp(prefix="workbench-attach-")
    path = Path(folder) / name
    try:
        await asyncio.to_thread(path.write_bytes, data)
        uploaded = await client.upload_attachment(
            page_id,
            path,
            name=name,
            comment=commit_message(proposal),  # the attachment's version comment
            kind=proposal.page_kind,
            new_version=bool(pinned),
        )
    except VersionConflict as exc:
        record_refusal(audit, fence, proposal, exc.message)
        raise ApplyConflict(exc.message + " Nothing more was uploaded.") from exc
    finally:
        path.unlink(missing_ok=True)
        os.rmdir(folder)
    verb = "Attached" if not pinned else f"Uploaded version {uploaded.version} of"
    done = f"{verb} {name} ({len(data):,} bytes) on page {page_id}."
    return written(audit, fence, proposal, text, done, uploaded)
