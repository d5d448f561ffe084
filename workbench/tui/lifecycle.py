"""The page lifecycle in the TUI: move (``M``), copy (``C``), delete to the trash (``D``), the space's
trash with restore (``T``) on the selected tree row, and restore a version (``R`` in the history).

Each action asks (a dialog, then a confirmation that says what will happen and which request does
it), then runs the client's lifecycle method (``confluence/lifecycle.py``: pinned to the version
read for the confirmation where the API allows), then refreshes the tree where things changed and
selects the page at its new place. Refusals (409, no permission, a taken title) are notifications;
nothing is half done. A delete is undone from the trash (``T``, enter on the page).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from workbench.confluence.models import BODY_KINDS
from workbench.services.moved_up import MovedUpRecord, children_back_plan, put_children_back
from workbench.textsafe import printable
from workbench.tui.lifecycle_screens import CopyScreen, MoveScreen, TrashScreen
from workbench.tui.messages import PageSaved
from workbench.tui.screens.modals import ConfirmScreen

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient
    from workbench.tui.panes.tree import TreePane
    from workbench.tui.widgets.site_rows import Row

_DIGITS = re.compile(r"[0-9]{1,19}")
WORDS = {"append": "under", "before": "just before", "after": "just after"}


async def resolve_target(client: ConfluenceClient, space_id: str, text: str) -> str:
    """A page id for what was typed: an id, a page URL, or an exact title in ``space_id``."""
    # lazy: page_ref and errors load when a dialog is answered
    from workbench.confluence.errors import NotFound
    from workbench.confluence.page_ref import parse_page_ref
    from workbench.errors import UsageError

    text = text.strip()
    if _DIGITS.fullmatch(text):
        return text
    if "/" in text:
        try:
            ref = parse_page_ref(text)
        except UsageError:
            ref = None
        if ref is not None and ref.page_id:
            return ref.page_id
    found = await client.find_page(space_id, text)
    if found is None:
        raise NotFound(f"No page titled “{printable(text)}” in this space.", status=404)
    return found.id


class Lifecycle:
    """The flows, run as workers of the tree pane (its errors go to ``report_error``)."""

    def __init__(self, pane: TreePane) -> None:
        self.pane = pane

    @property
    def app(self):
        return self.pane.app

    def _selected(self, *, pages_only: bool = False) -> Row | None:
        node = self.pane.site_tree.cursor_node
        row = node.data if node is not None else None
        kinds = ("page",) if pages_only else BODY_KINDS
        if row is None or row.kind not in kinds:
            what = "a page" if pages_only else "a page or a blog post"
            self.pane.notify(f"Select {what} in the tree first.", severity="warning")
            return None
        return row

    async def _client(self) -> ConfluenceClient:
        return (await self.pane.host.ready_workspace()).client

    async def _confirm(self, question: str, yes: str) -> bool:
        return bool(await self.app.push_screen_wait(ConfirmScreen(question, yes=yes, no="Cancel")))

    def start(self, action: str) -> None:
        flows = {"move": self.move, "copy": self.copy, "delete": self.delete, "trash": self.trash}
        self.pane.run_worker(
            flows[action](), group="lifecycle", exclusive=True, exit_on_error=False
        )

    # -- refreshing the tree ------------------------------------------------------------------
    async def _refresh(
        self, parents: list[str | None], select: str | None = None, *, blog_of: str = ""
    ) -> None:
        """Reload the rows under each parent (ids; None is skipped) — and the space's Blog node
        for a blog post (``blog_of``: its space id) — then select ``select``."""
        tree = self.pane.site_tree
        keys = [tree.key_of(p) or f"page:{p}" for p in dict.fromkeys(p for p in parents if p)]
        if blog_of and tree.node_for(f"blog:{blog_of}") is not None:
            keys.append(f"blog:{blog_of}")
        for key in keys:
            await self.pane.load_children(key).wait()
        if select is None:
            return
        node = tree.node_for(select)
        if node is None:
            return
        above = node.parent
        while above is not None:  # show it: every row above it expanded
            above.expand()
            above = above.parent

        def put_cursor() -> None:  # once the tree has laid the expanded rows out
            shown = tree.node_for(select)
            if shown is not None:
                tree.move_cursor(shown)
                tree.scroll_to_node(shown)

        tree.call_after_refresh(put_cursor)
        tree.focus()

    # -- move ---------------------------------------------------------------------------------
    async def move(self) -> None:
        row = self._selected(pages_only=True)
        if row is None:
            return
        answer = await self.app.push_screen_wait(MoveScreen(row.title))
        if answer is None:
            return
        client = await self._client()
        target_id = await resolve_target(client, row.space_id, answer.target)
        page = await client.get_page(row.ident, body=False)
        target = await client.move_target(target_id)  # a page, or (Cloud) a folder
        await client.check_move_target(page, target)
        how = (
            f"It is saved as version {page.version.number + 1}, refused if anyone changed it since "
            f"version {page.version.number}."
            if answer.position == "append"
            and target.type == "page"
            and target.space_id == page.space_id
            else "Confluence moves it without a new version (this request cannot be pinned to a version)."
        )
        where = (
            f"{WORDS[answer.position]} the folder"
            if target.type == "folder"
            else WORDS[answer.position]
        )
        question = f"Move “{page.title}” {where} “{target.title}”? {how}"
        if not await self._confirm(question, "Move"):
            return
        result = await client.move_page(
            page.id, target.id, position=answer.position, base_version=page.version.number
        )
        where = f"“{result.parent_title}”" if result.parent_title else "the top level"
        self.pane.notify(printable(f"Moved “{page.title}”: now under {where}."), markup=False)
        if result.new_version:
            self.pane.post_message(PageSaved(page.id, result.page.version.number))
        await self._refresh([page.parent_id, result.page.parent_id], f"page:{page.id}")

    # -- copy ---------------------------------------------------------------------------------
    async def copy(self) -> None:
        row = self._selected(pages_only=True)
        if row is None:
            return
        node = self.pane.site_tree.node_for(row.key)
        has_children = bool(node is not None and (node.children or node.allow_expand))
        answer = await self.app.push_screen_wait(CopyScreen(row.title, has_children))
        if answer is None:
            return
        client = await self._client()
        parent_id = await resolve_target(client, row.space_id, answer.parent)
        named = bool(answer.name.strip())  # a prefix keeps its trailing space ("Old ")
        plan = await client.copy_plan(
            row.ident,
            parent_id,
            title=answer.name.strip() if named and not answer.tree else None,
            tree=answer.tree,
            prefix=answer.name.lstrip() if named and answer.tree else None,
        )
        lines = [f"Copy under “{plan.parent.title}” creates {len(plan.items)} page(s):"]
        lines += [
            f"{'  ' * i.depth}• {i.title}{'  ✗ title taken' if i.clash else ''}"
            for i in plan.items[:30]
        ]
        if len(plan.items) > 30:
            lines.append(f"… and {len(plan.items) - 30} more")
        if plan.clashes:
            self.pane.notify(
                printable(
                    "\n".join([*lines, "Nothing was copied: choose another title or prefix."]),
                    multiline=True,
                ),
                severity="error",
                markup=False,
            )
            return
        if not await self._confirm("\n".join(lines), "Copy"):
            return
        result = await client.copy(plan)
        self.pane.notify(
            printable(
                f"Copied: “{result.title}” ({result.created} page(s)). {result.note}".strip()
            ),
            markup=False,
        )
        await self._refresh([plan.parent.id], f"page:{result.root_id}" if result.root_id else None)

    # -- delete -------------------------------------------------------------------------------
    async def delete(self) -> None:
        row = self._selected()
        if row is None:
            return
        client = await self._client()
        plan = await client.delete_plan(row.ident, kind=row.kind)
        lines = [f"Move “{plan.page.title}” to the space's trash?"]
        if plan.children:
            where = f"“{plan.parent.title}”" if plan.parent else "the space's top level"
            names = ", ".join(f"“{c.title}”" for c in plan.children[:8])
            more = f" and {len(plan.children) - 8} more" if len(plan.children) > 8 else ""
            lines.append(
                f"Its {len(plan.children)} child page(s) move up under {where}: {names}{more}."
            )
        if plan.links.pages:
            names = ", ".join(f"“{p.title}”" for p in plan.links.pages[:8])
            lines.append(
                f"Links to it from {len(plan.links.pages)} page(s) will lead nowhere: {names}."
            )
        else:
            lines.append("No page was found linking to it (searched by its title).")
        lines.append("Undo: T shows the trash, where it can be restored.")
        if not await self._confirm("\n".join(lines), "Move to trash"):
            return
        await client.trash_page(plan.page.id, base_version=plan.page.version.number, kind=row.kind)
        if plan.children:  # kept for the restore (here or ``workbench restore``)
            record = MovedUpRecord.of(client)
            record.remember(
                plan.page.id, plan.page.title, plan.parent.id if plan.parent else "", plan.children
            )
            if record.problem:
                self.pane.notify(printable(record.problem), severity="warning", markup=False)
        self.pane.notify(
            printable(
                f"Moved “{plan.page.title}” to the trash. T shows the trash (restore there)."
            ),
            markup=False,
        )
        blog = plan.page.space_id if plan.page.type == "blogpost" else ""
        await self._refresh([plan.page.parent_id], blog_of=blog)

    # -- trash and restore --------------------------------------------------------------------
    async def trash(self) -> None:
        node = self.pane.site_tree.cursor_node
        row = node.data if node is not None else None
        if row is None or not row.space_id:
            self.pane.notify("Select a space or a page of the space first.", severity="warning")
            return
        client = await self._client()
        space = await client.get_space(row.space_id)
        rows = await client.trash_list(space.id, space.key)
        chosen = await self.app.push_screen_wait(
            TrashScreen(space.name, [(r.id, r.type, r.title, r.modified_at) for r in rows])
        )
        if chosen is None:
            return
        content_id, kind = chosen
        title = next((r.title for r in rows if r.id == content_id), content_id)
        if not await self._confirm(f"Restore “{title}” from the trash?", "Restore"):
            return
        page = await client.restore_from_trash(content_id, kind=kind)
        self.pane.notify(printable(f"Restored “{page.title}”."), markup=False)
        moved_back = await self._children_back(client, page.id, page.title)
        blog = page.space_id if page.type == "blogpost" else ""
        await self._refresh([page.parent_id, *moved_back], f"{page.type}:{page.id}", blog_of=blog)

    async def _children_back(self, client: ConfluenceClient, page_id: str, title: str) -> list[str]:
        """Offer to put back the children that moved up when this page was trashed by the
        workbench (here or ``workbench delete``; Confluence's restore leaves them where they
        went); the parents they leave, to reload."""
        record = MovedUpRecord.of(client)
        entry = record.get(page_id)
        if entry is None:
            return []
        plan = await children_back_plan(client, entry)
        record.forget(page_id)
        stays = [f"“{c.title}” stays: {c.reason}." for c in plan.staying]
        if not plan.going:
            if stays:
                self.pane.notify(printable(" ".join(stays)), severity="warning", markup=False)
            return []
        question = (
            f"When “{title}” was moved to the trash, {len(entry.children)} child page(s) moved up. "
            f"Move {len(plan.going)} of them back under it? (each is saved as a new version, "
            "pinned to the version it has now)"
        )
        if stays:
            question += "\n" + "\n".join(stays)
        if not await self._confirm(question, "Move them back"):
            return []
        moved, left = await put_children_back(client, plan)
        for child in left[len(plan.staying) :]:  # one that could not go back; the others went
            self.pane.notify(
                printable(f"“{child.title}” stays: {child.reason}"),
                severity="warning",
                markup=False,
            )
        return [c.now_under for c in moved if c.now_under]


async def restore_version(pane, page_id: str, kind: str, number: int) -> None:
    """``R`` in the history: version ``number`` saved as the page's new version, pinned to the
    current one, after a confirmation. The page (if shown) and the history reload."""
    ws = await pane.host.ready_workspace()
    client = ws.client
    page = await client.get_page(page_id, body=False, kind=kind)
    if number == page.version.number:
        pane.notify(f"v{number} is the current version.", severity="warning")
        return
    question = (
        f"Save v{number} of “{page.title}” as its new version v{page.version.number + 1}? "
        f"Refused if anyone saves after v{page.version.number} meanwhile; the versions in between stay "
        "in the history."
    )
    if not await pane.app.push_screen_wait(ConfirmScreen(question, yes="Restore", no="Cancel")):
        return
    done = await client.restore_version(
        page_id, number, base_version=page.version.number, kind=kind
    )
    pane.notify(
        printable(f"Restored v{number} of “{done.title}” as v{done.version.number}."), markup=False
    )
    pane.post_message(PageSaved(page_id, done.version.number))
    pane.load_history(page_id, kind)
