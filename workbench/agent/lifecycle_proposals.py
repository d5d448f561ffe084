"""Proposals about where a page lives: move it, copy it, rename it — and, only in the ``delete``
permission group (in no default profile), move it to the trash.

Like every propose tool these only build a :class:`~workbench.agent.proposals.Proposal`; nothing is
written here. The text a person reviews is the page's place (its path of titles) or its title before
and after, so the review, the inbox and ``workbench proposals`` show them as a one-hunk diff like any
other proposal. Each pins the version the agent saw (``base_version``); applying
(:mod:`workbench.agent.apply_lifecycle`) goes through the client's lifecycle methods with that
version, so a page changed meanwhile is refused, never overwritten.
"""

from __future__ import annotations

from workbench.agent.edits import ToolInputError
from workbench.agent.proposals import COPY, DELETE, MOVE, RENAME, Proposal, about_page
from workbench.agent.tool_host import ToolHost
from workbench.agent.world import one_line

POSITION_WORDS = {"append": "under", "before": "just before", "after": "just after"}


def path_line(titles: list[str]) -> str:
    return " › ".join(one_line(t, 80) for t in titles) + "\n"


class LifecycleProposals(ToolHost):
    """``propose_move``, ``propose_copy``, ``propose_rename``, ``propose_delete``."""

    async def _path(self, page_id: str, title: str) -> list[str]:
        return [a.title for a in await self.client.ancestors(page_id)] + [title]

    async def _tool_propose_rename(self, page_id: str, title: str, summary: str = "") -> Proposal:
        opened, key = await self.open(page_id)
        new = " ".join(str(title or "").split())
        if not new:
            raise ToolInputError("The new title is empty.")
        if new == opened.page.title:
            raise ToolInputError("That is the page's title already.")
        if len(new) > 255:
            raise ToolInputError("A page title is at most 255 characters.")
        return Proposal(
            kind=RENAME,
            summary=summary.strip() or f"Rename to \u201c{one_line(new, 80)}\u201d",
            before=opened.page.title + "\n",
            after=new + "\n",
            **about_page(opened, key),
            base_version=opened.base_version,
        )

    async def _tool_propose_move(
        self, page_id: str, target_id: str, position: str = "append", summary: str = ""
    ) -> Proposal:
        if position not in POSITION_WORDS:
            raise ToolInputError("position is append (under the target), before or after.")
        opened, key = await self.open(page_id)
        if opened.page.type != "page":
            raise ToolInputError("Only pages move in the tree (a blog post has no place there).")
        target, target_key = await self.open(target_id)
        if target.page.id == opened.page.id:
            raise ToolInputError("A page cannot move under or next to itself.")
        old_path = await self._path(opened.page.id, opened.page.title)
        chain = await self.client.ancestors(target.page.id)
        if opened.page.id in {a.id for a in chain}:
            raise ToolInputError("The target is below the page: a page cannot move into itself.")
        above = [a.title for a in chain] + [target.page.title]
        words = POSITION_WORDS[position]
        if position == "append":
            new_path = [*above, opened.page.title]
            if new_path == old_path:
                raise ToolInputError("The page is already there.")
        else:  # among the target's siblings, next to it
            place = f"{opened.page.title}  ({words} \u201c{target.page.title}\u201d)"
            new_path = [*above[:-1], place]
        return Proposal(
            kind=MOVE,
            summary=summary.strip()
            or f"Move {words} \u201c{one_line(target.page.title, 60)}\u201d",
            before=path_line(old_path),
            after=path_line(new_path),
            page_id=opened.page.id,
            title=opened.page.title,
            space_key=key,
            parent_id=target.page.id,
            parent_title=target.page.title,
            target_space=target_key,
            position=position,
            base_version=opened.base_version,
            described=path_line(new_path),
        )

    async def _tool_propose_copy(
        self,
        page_id: str,
        parent_id: str,
        title: str | None = None,
        with_children: bool = False,
        summary: str = "",
    ) -> Proposal:
        opened, key = await self.open(page_id)
        parent, parent_key = await self.open(parent_id)
        name = " ".join(str(title).split()) if title else None
        plan = await self.client.copy_plan(
            opened.page.id,
            parent.page.id,
            title=None if with_children else name,
            tree=bool(with_children),
            prefix=name if with_children else None,
        )
        if plan.clashes:
            taken = ", ".join(f"'{one_line(i.title, 60)}'" for i in plan.clashes[:5])
            raise ToolInputError(
                f"Titles already taken in that space: {taken}; pick another title."
            )
        above = await self._path(parent.page.id, parent.page.title)
        lines = path_line([*above, plan.items[0].title]) + "".join(
            f"{'  ' * i.depth}{one_line(i.title, 80)}\n" for i in plan.items[1:]
        )
        return Proposal(
            kind=COPY,
            summary=summary.strip()
            or f"Copy {len(plan.items)} page(s) under \u201c{one_line(parent.page.title, 60)}\u201d",
            before="",
            after=lines,
            **about_page(opened, key),
            parent_id=parent.page.id,
            parent_title=parent.page.title,
            target_space=parent_key,
            tree=bool(with_children),
            new_name=name or "",
            described=lines,
            base_version=opened.base_version,
        )

    async def _tool_propose_delete(self, page_id: str, summary: str = "") -> Proposal:
        opened, key = await self.open(page_id)
        plan = await self.client.delete_plan(opened.page.id, kind=opened.page.type)
        before = path_line(await self._path(opened.page.id, opened.page.title))
        notes = []
        if plan.children:
            where = plan.parent.title if plan.parent else "the top level"
            notes.append(
                f"{len(plan.children)} child page(s) move up under '{one_line(where, 60)}'"
            )
        if plan.links.pages:
            notes.append(f"{len(plan.links.pages)} page(s) link to it")
        extra = f" ({'; '.join(notes)})" if notes else ""
        return Proposal(
            kind=DELETE,
            summary=(summary.strip() or "Move to the trash") + extra,
            before=before,
            after="",
            described="",
            **about_page(opened, key),
            base_version=opened.base_version,
        )
