"""The propose tools for a page's text and for new content: ``propose_edit`` (edits to the
version the model read, mapped back through what it could not see), ``propose_page`` (a new page,
under the space's homepage when no parent is given) and ``propose_comment`` (a footer comment, or a
reply). Like every propose tool these only build a :class:`~workbench.agent.proposals.Proposal`;
nothing is written here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.agent.edits import ToolInputError, apply_edits
from workbench.agent.proposals import COMMENT, EDIT, NEW_PAGE, Proposal, about_page
from workbench.agent.tool_host import ToolHost
from workbench.agent.validate import page_id_text
from workbench.agent.world_proposals import clean_labels

if TYPE_CHECKING:
    from workbench.confluence.models import Space


class PageProposals(ToolHost):
    """``propose_edit``, ``propose_page``, ``propose_comment``."""

    if TYPE_CHECKING:

        async def propose_reply(self, page_id: str, comment_id: str, markdown: str) -> Proposal: ...

    async def _tool_propose_edit(
        self, page_id: str, base_version: int, edits: list[dict[str, Any]], summary: str = ""
    ) -> Proposal:
        try:
            version = int(base_version)
        except (TypeError, ValueError):
            raise ToolInputError(
                "base_version must be the version number you read (an integer)."
            ) from None
        seen, key = await self.open(page_id, version=version)
        opened, view = self.page_of(seen)
        edited = view.unmask(
            apply_edits(seen.markdown, edits, version)
        )  # hidden passages come back
        settled = await self.settle(edited, opened)
        if settled.markdown == opened.markdown:
            raise ToolInputError("These edits change nothing.")
        return Proposal(
            kind=EDIT,
            summary=summary.strip(),
            before=opened.markdown,
            after=settled.markdown,
            **about_page(opened, key),
            base_version=opened.base_version,
            base=opened,
            users=settled.users,
            unknown_mentions=settled.unknown,
        )

    async def _tool_propose_page(
        self,
        space_key: str,
        parent_id: str | None,
        title: str,
        markdown: str,
        labels: list[str] | None = None,
        draft: bool = False,
    ) -> Proposal:
        labels = clean_labels(labels)
        key = space_key.strip()
        if not key:
            raise ToolInputError(
                "space_key is required; find it with list_spaces (it is never guessed)."
            )
        self.fence.check_space(key)
        space = await self.client.space_by_key(key)
        title = title.strip()
        if not title:
            raise ToolInputError("A new page needs a title.")
        parent_title = ""
        # a real page (the schema allows digits only), or null: under the space's homepage, said so
        # in the proposal and sent as the parent (Cloud's v2 create puts a page without parentId
        # there anyway; Data Center's v1 create has no such rule and may put it at the space's top
        # level: naming the homepage makes both alike)
        if parent_id is None:
            parent_id, parent_title = await self._homepage(space)
        else:
            parent = await self.client.get_page(page_id_text(parent_id), body=False)
            if parent.space_id != space.id:
                raise ToolInputError(
                    f"Page {parent.id} is not in space {space.key}; give a parent_id from that space or null."
                )
            parent_id, parent_title = parent.id, parent.title
        existing = await self.client.find_page(space.id, title)
        if existing is not None:
            raise ToolInputError(
                f"Space {space.key} already has a page titled '{title}' (id {existing.id}); propose an edit to it "
                "or choose another title."
            )
        settled = await self.settle(_with_newline(markdown))
        return Proposal(
            kind=NEW_PAGE,
            summary=f"New page '{title}'",
            before="",
            after=settled.markdown,
            title=title,
            space_key=space.key,
            parent_id=parent_id,
            parent_title=parent_title,
            users=settled.users,
            unknown_mentions=settled.unknown,
            labels=tuple(labels),
            draft=draft,
        )

    async def _homepage(self, space: Space) -> tuple[str | None, str]:
        """``(id, title)`` of the space's homepage, where a page proposed with a null parent goes;
        ``(None, "")`` when the space has none (or it is gone): the page then goes at the top."""
        # lazy, for start-up: workbench.confluence.errors loads on first use
        from workbench.confluence.errors import NotFound

        if not space.homepage_id:
            return None, ""
        try:
            home = await self.client.get_page(space.homepage_id, body=False)
        except NotFound:
            return None, ""
        return home.id, home.title

    async def _tool_propose_comment(
        self, page_id: str, markdown: str, reply_to: str | None = None
    ) -> Proposal:
        if reply_to is not None:
            return await self.propose_reply(page_id, reply_to, markdown)
        opened, key = await self.open(page_id)
        if not markdown.strip():
            raise ToolInputError("The comment is empty.")
        settled = await self.settle(_with_newline(markdown))
        return Proposal(
            kind=COMMENT,
            summary=f"Comment on '{opened.page.title}'",
            before="",
            after=settled.markdown,
            **about_page(opened, key),
            base_version=None,
            users=settled.users,
            unknown_mentions=settled.unknown,
        )


def _with_newline(text: str) -> str:
    return text if text.endswith("\n") or not text else text + "\n"
