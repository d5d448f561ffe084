"""The local files a Markdown document points at, uploaded as the page's attachments before the
page is saved (``workbench push``).

A relative image or link target (``![d](img/diagram.png)``, ``[spec](spec.pdf)``) becomes an
attachment reference when the Markdown is converted (``ri:attachment ri:filename="diagram.png"``:
:func:`workbench.convert.local_attachment`); this module finds those targets (outside code), the files
they name next to the Markdown file, and makes the page's attachments match them:

- a name the page does not have yet: uploaded;
- a name it has with other bytes (size, then SHA-256): uploaded as a new version;
- a name it has with the same bytes: left alone.

Uploads land exactly once (:meth:`ConfluenceClient.upload_attachment`), and unchanged files are never
sent, so a push that fails after the uploads (a conflict, a lost connection) can simply be run again:
nothing is uploaded twice. A target that names no local file is fine when the page already has an
attachment of that name (it was attached before); otherwise nothing is sent and the push says which.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from workbench.errors import UsageError
from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.confluence.attachment_model import Attachment
    from workbench.confluence.client import ConfluenceClient

NEW = "new"
NEW_VERSION = "new version"
SAME = "unchanged"
ATTACHED = "already attached"


@dataclass(frozen=True, slots=True)
class LocalFile:
    name: str  # the attachment name (the file's base name)
    path: Path | None  # the file next to the Markdown, None when there is none
    target: str  # the target as written in the Markdown


@dataclass(frozen=True, slots=True)
class FileSync:
    file: LocalFile
    action: str  # NEW, NEW_VERSION, SAME or ATTACHED
    existing: Attachment | None = None
    result: Attachment | None = None


def relative_targets(markdown: str) -> list[str]:
    """Image and link targets in ``markdown`` that are relative paths (not in code), in order."""
    # lazy, for start-up: mistune and workbench.convert load on first use
    import mistune

    from workbench.convert import local_attachment

    tokens = mistune.create_markdown(renderer=None)(markdown)
    found: list[str] = []
    for token in _walk(tokens if isinstance(tokens, list) else []):
        if token.get("type") in ("image", "link"):
            url = str((token.get("attrs") or {}).get("url") or "")
            if local_attachment(url) is not None and url not in found:
                found.append(url)
    return found


def _walk(tokens: list[Any]) -> Iterator[dict]:
    for token in tokens:
        if isinstance(token, dict):
            yield token
            children = token.get("children")
            if isinstance(children, list):
                yield from _walk(children)


def local_files(markdown: str, folder: Path) -> list[LocalFile]:
    """The attachment each relative target stands for and the file it names under ``folder``.
    Two different files that would share an attachment name are refused (nothing is sent)."""
    # lazy, for start-up: workbench.convert loads on first use
    from workbench.convert import local_attachment

    by_name: dict[str, LocalFile] = {}
    for target in relative_targets(markdown):
        name = local_attachment(target)
        if name is None:
            continue
        relative = unquote(target.split("#", 1)[0].split("?", 1)[0])
        candidate = (folder / relative).resolve()
        path = candidate if candidate.is_file() else None
        seen = by_name.get(name)
        if seen is not None:
            if seen.path != path:
                raise UsageError(
                    f"'{printable(seen.target)}' and '{printable(target)}' would both be the "
                    f"attachment '{printable(name)}'; rename one of the files. Nothing was sent."
                )
            continue
        by_name[name] = LocalFile(name=name, path=path, target=target)
    return list(by_name.values())


async def plan(
    client: ConfluenceClient, page_id: str, files: list[LocalFile], *, kind: str = "page"
) -> list[FileSync]:
    """What each file needs (nothing is sent). A target with no file and no attachment of its name
    on the page is a ``UsageError`` naming them all."""
    if not files:
        return []
    current = {a.title: a for a in await client.list_attachments(page_id, kind=kind)}
    missing = [f for f in files if f.path is None and f.name not in current]
    if missing:
        listed = ", ".join(f"'{printable(f.target)}'" for f in missing)
        raise UsageError(
            f"{listed}: no such file next to the Markdown, and page {page_id} has no attachment of "
            "that name; nothing was sent."
        )
    steps = []
    for item in files:
        existing = current.get(item.name)
        if item.path is None:
            steps.append(FileSync(item, ATTACHED, existing))
        elif existing is None:
            steps.append(FileSync(item, NEW))
        elif await client.same_bytes(existing, item.path):
            steps.append(FileSync(item, SAME, existing))
        else:
            steps.append(FileSync(item, NEW_VERSION, existing))
    return steps


async def upload(
    client: ConfluenceClient,
    page_id: str,
    steps: list[FileSync],
    *,
    kind: str = "page",
    comment: str = "",
    progress: Callable[[str], Callable[[int, int], None] | None] | None = None,
) -> list[FileSync]:
    """Upload what :func:`plan` found new or changed; the steps with their results."""
    done = []
    for step in steps:
        if step.action not in (NEW, NEW_VERSION) or step.file.path is None:
            done.append(step)
            continue
        made = await client.upload_attachment(
            page_id,
            step.file.path,
            name=step.file.name,
            comment=comment,
            kind=kind,
            progress=progress(step.file.name) if progress else None,
        )
        done.append(FileSync(step.file, step.action, step.existing, made))
    return done


def as_attachment_targets(markdown: str, files: list[LocalFile]) -> str:
    """``markdown`` with each relative target of ``files`` written as ``attachment:name`` (the form
    ``workbench cat`` prints), outside fenced code and code spans. The page's storage is the same
    either way; this keeps an unchanged document equal to the page's own Markdown, so pushing it again
    saves nothing."""
    # lazy, for start-up: workbench.convert.mdsplit, workbench.convert.placeholders load on first use
    from workbench.convert.mdsplit import FENCE_RE
    from workbench.convert.placeholders import url_part

    forms = {f.target: "attachment:" + url_part(f.name) for f in files}
    for f in files:
        anchor = f.target.partition("#")[2]
        if anchor:
            forms[f.target] += "#" + anchor
    if not forms:
        return markdown
    out: list[str] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        m = FENCE_RE.match(line)
        if fence is not None:
            if (
                m
                and m.group(1)[0] == fence[0]
                and len(m.group(1)) >= len(fence)
                and not m.group(2).strip()
            ):
                fence = None
            out.append(line)
            continue
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = m.group(1)
            out.append(line)
            continue
        parts = line.split("`")
        for index in range(0, len(parts), 2):  # even parts are outside code spans
            for target, form in forms.items():
                parts[index] = parts[index].replace(f"]({target})", f"]({form})")
                parts[index] = parts[index].replace(f"]({target} ", f"]({form} ")
        out.append("`".join(parts))
    return "\n".join(out)
