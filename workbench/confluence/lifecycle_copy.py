"""Copy a page or a page tree, with a plan first (the dry run lists what will be created).

Endpoints (v1 spec, ``tests/specs/confluence-cloud-v1.openapi.json``; Data Center serves the same
paths under ``/rest/api``): one page is ``POST /content/{id}/copy`` with a ``CopyPageRequest``
(``destination: {type: parent_page, value: id}``, ``pageTitle``, ``copyLabels``, ``copyProperties``,
``copyAttachments``) answering the new ``Content``; a tree is ``POST /content/{id}/pagehierarchy/copy``
with a ``CopyPageHierarchyRequest`` (``destinationPageId``, ``titleOptions.prefix`` — "required for
copying page in the same space") answering 202 and a long task, polled at
``GET /longtask/{id}`` until ``finished`` (``LongTaskStatusWithLinks``;
``additionalDetails.destinationId`` names the new root).

Exactly once: a copy is a create, so a lost answer is settled by looking the new title up in the
destination space (``find_page``): there with the source's body → it landed; absent → sent once
more; there with another body → refused (a page of that title already exists).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from workbench.confluence import parse_v1
from workbench.confluence.errors import BadRequest, ConfluenceError, ServerError
from workbench.confluence.models import PAGE, Page
from workbench.confluence.tree import TreeApi
from workbench.confluence.urls import segment
from workbench.confluence.writes import SETTLE_ROUNDS, is_ambiguous, same_storage
from workbench.errors import UsageError

#: Pages a tree copy may plan (the plan reads each one's children: one request per page).
MAX_TREE = 500
#: Polls of a long task before giving up (with POLL_INTERVAL seconds between them).
MAX_POLLS = 240
POLL_INTERVAL = 0.5
SAME_SPACE_PREFIX = "Copy of "


@dataclass(frozen=True, slots=True)
class CopyItem:
    source_id: str
    source_title: str
    title: str  # the copy's title
    depth: int  # 0: the copied page itself
    type: str = PAGE
    clash: bool = False  # a page with this title already exists in the destination space

    def as_json(self) -> dict[str, object]:
        return {
            "source_id": self.source_id,
            "source_title": self.source_title,
            "title": self.title,
            "depth": self.depth,
            "type": self.type,
            "title_taken": self.clash,
        }


@dataclass(frozen=True, slots=True)
class CopyPlan:
    source: Page
    parent: Page  # the copy's new parent
    items: tuple[CopyItem, ...]
    tree: bool
    prefix: str  # the title prefix of a tree copy ("" for one page)

    @property
    def clashes(self) -> tuple[CopyItem, ...]:
        return tuple(i for i in self.items if i.clash)

    def as_json(self) -> dict[str, object]:
        return {
            "source": {"id": self.source.id, "title": self.source.title},
            "parent": {"id": self.parent.id, "title": self.parent.title},
            "tree": self.tree,
            "creates": [i.as_json() for i in self.items],
        }


@dataclass(frozen=True, slots=True)
class CopyResult:
    root_id: str
    title: str
    created: int
    note: str = ""

    def as_json(self) -> dict[str, object]:
        return {"id": self.root_id, "title": self.title, "created": self.created, "note": self.note}


class CopyApi(TreeApi):
    async def copy_plan(
        self,
        page_id: str,
        parent_id: str,
        *,
        title: str | None = None,
        tree: bool = False,
        prefix: str | None = None,
    ) -> CopyPlan:
        """What a copy would create, with the titles already taken in the destination space. Reads
        only: the page, the parent, each page of the tree (children), one title look-up per copy."""
        source = await self.get_page(page_id)
        parent = await self.get_page(parent_id, body=False)
        same_space = source.space_id == parent.space_id
        if tree:
            if title is not None:
                raise UsageError(
                    "A tree copy names its pages with a prefix (--prefix), not a title."
                )
            if prefix is None:
                prefix = SAME_SPACE_PREFIX if same_space else ""
            if same_space and not prefix.strip():
                raise UsageError(
                    "Copying a tree within its space needs a title prefix (Confluence requires "
                    "one there): pass --prefix."
                )
            rows = [(source.id, source.title, 0, PAGE)]
            frontier = [(source.id, 0)]
            while frontier:
                node, depth = frontier.pop(0)
                async for child in self.children(node):
                    rows.append((child.id, child.title, depth + 1, child.type))
                    frontier.append((child.id, depth + 1))
                    if len(rows) > MAX_TREE:
                        raise UsageError(
                            f"The tree under {source.title!r} has more than {MAX_TREE} pages; "
                            "copy it in parts."
                        )
            items = [(i, t, prefix + t, d, k) for i, t, d, k in rows]
        else:
            if prefix is not None:
                raise UsageError("A prefix is for tree copies (--tree); give one page a --title.")
            new = title if title is not None else source.title
            if same_space and new.casefold() == source.title.casefold():
                new = SAME_SPACE_PREFIX + source.title
            items = [(source.id, source.title, new, 0, PAGE)]
            prefix = ""
        planned = []
        for source_id, source_title, new_title, depth, kind in items:
            if not new_title.strip():
                raise UsageError("A copied page cannot have an empty title.")
            taken = kind == PAGE and await self.find_page(parent.space_id, new_title) is not None
            planned.append(CopyItem(source_id, source_title, new_title, depth, kind, taken))
        return CopyPlan(source, parent, tuple(planned), tree, prefix)

    async def copy(
        self,
        plan: CopyPlan,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> CopyResult:
        """Carry out a plan (refused when a title is taken: nothing is sent)."""
        if plan.clashes:
            names = ", ".join(repr(i.title) for i in plan.clashes[:5])
            raise BadRequest(
                f"Nothing was copied: the destination space already has pages titled {names}. "
                "Pick another title or prefix."
            )
        if plan.tree:
            return await self._copy_tree(plan, sleep)
        return await self._copy_one(plan)

    async def _copy_one(self, plan: CopyPlan) -> CopyResult:
        item = plan.items[0]
        payload = {
            "destination": {"type": "parent_page", "value": plan.parent.id},
            "pageTitle": item.title,
            "copyLabels": True,
            "copyProperties": True,
            "copyAttachments": True,
        }
        url = self.urls.v1(f"/content/{segment(plan.source.id)}/copy")
        what = f"the copy of page {plan.source.id}"
        for round_ in range(SETTLE_ROUNDS + 1):
            try:
                data = await self._json("POST", url, json=payload, what=what)
                page = parse_v1.page(data, self.urls.web_base)
                return CopyResult(page.id, page.title, 1)
            except ConfluenceError as exc:
                if not is_ambiguous(exc) or round_ == SETTLE_ROUNDS:
                    raise
                failure = exc
            landed = await self._reread(
                self.find_page(plan.parent.space_id, item.title), failure, f"page '{item.title}'"
            )
            if landed is not None:
                if same_storage(landed.storage, plan.source.storage):
                    return CopyResult(landed.id, landed.title, 1)
                raise BadRequest(
                    f"A page titled '{item.title}' now exists with other content, so the copy was "
                    "not repeated."
                )
        raise failure  # pragma: no cover - the loop always returns or raises

    async def _copy_tree(
        self, plan: CopyPlan, sleep: Callable[[float], Awaitable[None]]
    ) -> CopyResult:
        payload = {
            "destinationPageId": plan.parent.id,
            "titleOptions": {"prefix": plan.prefix},
            "copyLabels": True,
            "copyProperties": True,
            "copyAttachments": True,
            "copyPermissions": False,
        }
        url = self.urls.v1(f"/content/{segment(plan.source.id)}/pagehierarchy/copy")
        root = plan.items[0]
        try:
            task = await self._json(
                "POST", url, json=payload, what=f"the copy of {root.source_title!r}"
            )
        except ConfluenceError as exc:
            if not is_ambiguous(exc):
                raise
            landed = await self._reread(
                self.find_page(plan.parent.space_id, root.title), exc, f"page '{root.title}'"
            )
            if landed is None:
                raise
            return CopyResult(
                landed.id,
                landed.title,
                len(plan.items),
                note="The answer to the copy request was lost; the copied tree's top page exists, "
                "but whether every page below it was copied could not be followed.",
            )
        task_id = str(task.get("id", "")) if isinstance(task, dict) else ""
        if not task_id:
            raise ServerError("Confluence started the copy but did not say which task runs it.")
        status: dict = {}
        for _ in range(MAX_POLLS):
            status = await self._get(
                self.urls.v1(f"/longtask/{segment(task_id)}"), what="the copy's progress"
            )
            if status.get("finished") is True or (
                "finished" not in status and status.get("percentageComplete") == 100
            ):
                break
            await sleep(POLL_INTERVAL)
        else:
            raise ServerError(
                f"The copy (task {task_id}) was still running after {MAX_POLLS} checks; look in "
                "the destination to see how far it got."
            )
        if status.get("successful") is False:
            words = "; ".join(
                str(m.get("translation", ""))
                for m in status.get("errors") or status.get("messages") or []
                if isinstance(m, dict)
            )
            raise ServerError(f"Confluence reports the copy failed: {words or 'no reason given'}.")
        details = status.get("additionalDetails")
        new_id = str(details.get("destinationId", "")) if isinstance(details, dict) else ""
        if not new_id:
            found = await self.find_page(plan.parent.space_id, root.title)
            new_id = found.id if found is not None else ""
        return CopyResult(new_id, root.title, len(plan.items))
