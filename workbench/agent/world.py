"""What a person sees beside a page, as read tools: its place in the tree, its labels, its comments,
its history. Mixed into :class:`~workbench.agent.toolkit.Toolkit`, which supplies the fenced
``open`` (the page's space is checked before anything is returned) and the user directory.

Every result is compact text with ids the model can pass on (a comment id to
``propose_comment(reply_to=…)``, a parent id to ``propose_page``, a version to ``get_history``). Text
written by people (comment bodies, a diff, titles, labels, version messages) sits between the
session's data markers, like page text (``Toolkit.data``: :mod:`workbench.agent.untrusted`; hidden
text as tokens, :mod:`.hidden`). Every result is bounded in bytes, and the tree is paged.
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, Any

from workbench.agent.edits import ToolInputError
from workbench.agent.outline import human_size
from workbench.agent.tool_host import ToolHost
from workbench.confluence.models import BLOGPOST
from workbench.confluence.reads import noun

if TYPE_CHECKING:
    from workbench.confluence.models import Comment, Page, PageSummary
    from workbench.services.pages import OpenedPage

CHILDREN_SHOWN = 20  # children listed in get_page's header
COMMENT_CHARS = 1_500  # one comment's Markdown in get_comments
COMMENTS_BYTES = 16_000  # all of get_comments
TREE_PAGES_READ = 2_000  # pages of a space read to draw its tree
TREE_LINES = 100  # lines of the tree per call (then offset=…)
VERSIONS_SHOWN = 25
DIFF_BYTES = 16_000

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def one_line(text: str, limit: int = 120) -> str:
    """A title or name on one line (no control characters, no line breaks), quoted for the model."""
    text = " ".join(_CONTROL.sub(" ", text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class WorldTools(ToolHost):
    """``get_comments``, ``get_page_tree``, ``get_history`` and get_page's context lines."""

    # -- get_page's header: parent, ancestors, children, labels -----------------------------------
    async def page_context(self, opened: OpenedPage) -> str:
        """Lines under get_page's header: ``path:``, ``children:``, ``labels:`` (one request each)."""
        page = opened.page
        lines = []
        if page.type == BLOGPOST:  # blog posts sit outside the page tree
            lines.append("a blog post in the space's blog: no parent, no children")
            return await self._with_labels(page, lines)
        ancestors = await self.client.ancestors(page.id, kind=page.type)
        if ancestors:
            path = " › ".join(f'{a.id} "{one_line(a.title, 60)}"' for a in ancestors)
            lines.append(f"parent: {ancestors[-1].id} | path: {path}")
        elif page.parent_id:
            lines.append(f"parent: {page.parent_id}")
        else:
            lines.append("parent: none (top level of the space)")
        kids: list[PageSummary] = []
        more = False
        async for child in self.client.children(page.id):
            if len(kids) == CHILDREN_SHOWN:
                more = True
                break
            kids.append(child)
        if kids:
            shown = ", ".join(f'{k.id} "{one_line(k.title, 60)}"' for k in kids)
            extra = f", and more (get_page_tree(page_id={page.id}))" if more else ""
            lines.append(f"children ({len(kids)}{'+' if more else ''}): {shown}{extra}")
        else:
            lines.append("children: none")
        return await self._with_labels(page, lines)

    async def _with_labels(self, page: Page, lines: list[str]) -> str:
        labels = [label.name for label in page.labels] or [
            label.name for label in await self.client.labels(page.id, kind=page.type)
        ]
        lines.append(
            f"labels: {', '.join(one_line(n, 60) for n in labels)}" if labels else "labels: none"
        )
        return self.data("\n".join(lines), "the page's place: parent, path, children, labels")

    # -- comments ----------------------------------------------------------------------------------
    async def _tool_get_comments(self, page_id: str) -> str:
        opened, key = await self.open(page_id)
        page = opened.page
        footer = await self.client.comments(page.id, kind=page.type)
        inline = await self.client.inline_comments(page.id, kind=page.type)
        everyone = [c.author_id for c in _walk(footer + inline) if c.author_id]
        try:
            await self.directory.learn(everyone)
        except Exception:  # names are a nicety: ids still identify people
            pass
        count_f, count_i = sum(1 for _ in _walk(footer)), sum(1 for _ in _walk(inline))
        head = (
            f'page {page.id} "{one_line(page.title)}" | space {key} | {count_f} footer comment(s), '
            f"{count_i} inline comment(s)"
        )
        if not footer and not inline:
            return head + "\nNo comments."
        rows: list[str] = []
        for comment in footer:
            rows.extend(self._comment_rows(comment, 0, "footer"))
        for comment in inline:
            rows.extend(self._comment_rows(comment, 0, "inline"))
        body, used, cut = [], 0, 0
        for row in rows:
            size = len(row.encode("utf-8")) + 1
            if used + size > COMMENTS_BYTES:
                cut += 1
                continue
            body.append(row)
            used += size
        tail = (
            f"\n({cut} more comment line(s) not shown: over {human_size(COMMENTS_BYTES)})"
            if cut
            else ""
        )
        return (
            f"{head}\nReply with propose_comment(page_id, markdown, reply_to=ID).\n"
            + self.data("\n".join(body), "comments")
            + tail
        )

    def _comment_rows(self, comment: Comment, depth: int, where: str) -> list[str]:
        # lazy, for start-up: workbench.agent.hidden, workbench.convert loads on first use
        from workbench.agent.hidden import hide_in_text
        from workbench.convert import storage_to_markdown

        pad = "  " * depth
        who = one_line(
            self.directory.name_of(comment.author_id) or comment.author_id or "someone", 60
        )
        when = (comment.created_at or comment.version.created_at or "")[:10]
        label = "reply" if depth else where
        extra = ""
        if comment.selection:
            extra += f' on "{one_line(comment.selection, 80)}"'
        if comment.resolution and not depth:
            extra += f" ({one_line(comment.resolution, 20)})"
        # a comment can hide text too (white text, an HTML comment): tokens, as in pages
        markdown = hide_in_text(
            storage_to_markdown(comment.storage or ""), comment.storage or ""
        ).strip()
        if len(markdown) > COMMENT_CHARS:
            markdown = markdown[: COMMENT_CHARS - 1] + "… (cut)"
        rows = [
            f"{pad}[comment {comment.id}] {label} by {who}{', ' + when if when else ''}{extra}:"
        ]
        rows.extend(f"{pad}  {line}" for line in (markdown.splitlines() or ["(empty)"]))
        for reply in comment.replies:
            rows.extend(self._comment_rows(reply, depth + 1, where))
        return rows

    # -- a space's page tree -----------------------------------------------------------------------
    async def _tool_get_page_tree(
        self,
        space_key: str | None = None,
        page_id: str | None = None,
        depth: int = 2,
        offset: int = 0,
    ) -> str:
        depth = _bounded(depth, "depth", 1, 6)
        offset = _bounded(offset, "offset", 0, 10**6)
        if page_id not in (None, ""):
            opened, key = await self.open(str(page_id))
            if opened.page.type == BLOGPOST:
                raise ToolInputError(
                    f"{opened.page.id} is a blog post: blog posts are outside the page tree and "
                    "have no children; pass space_key for the space's tree."
                )
            roots, children = await self._subtree(opened.page.id, depth)
            head = f'page tree under {opened.page.id} "{one_line(opened.page.title)}" | space {key}'
        else:
            key = str(space_key or "").strip()
            if not key:
                raise ToolInputError("get_page_tree needs space_key (see list_spaces) or page_id.")
            self.fence.check_space(key)
            space = await self.client.space_by_key(key)
            roots, children, complete = await self._space_tree(space.id)
            head = f"page tree of space {space.key} ({one_line(space.name)})"
            if not complete:
                head += f" | only the first {TREE_PAGES_READ} pages were read; pass page_id to see deeper"
        lines: list[str] = []

        def below(page_id: str) -> int:
            return sum(1 + below(k.id) for k in children.get(page_id, ()))

        def draw(items: list[PageSummary], level: int) -> None:
            for item in items:
                kids = children.get(item.id, [])
                hidden = below(item.id) if level + 1 >= depth else 0
                kind = item.type or "page"
                tag = f" [{kind}]" if kind != "page" else ""
                more = f" (+{hidden} below)" if hidden else ""
                lines.append(f'{"  " * level}{item.id} "{one_line(item.title, 80)}"{tag}{more}')
                if level + 1 < depth:
                    draw(kids, level + 1)

        draw(roots, 0)
        if not lines:
            return head + "\n(no pages)"
        window = lines[offset : offset + TREE_LINES]
        if not window:
            return f"{head}\n(offset {offset} is past the end: {len(lines)} lines)"
        end = offset + len(window)
        tail = (
            f"\n(lines {offset + 1}–{end} of {len(lines)}; call again with offset={end})"
            if end < len(lines)
            else ""
        )
        return (
            f'{head} | id "title" (+N below: deeper pages not shown)\n'
            + self.data("\n".join(window), "page titles")
            + tail
        )

    async def _space_tree(
        self, space_id: str
    ) -> tuple[list[PageSummary], dict[str, list[PageSummary]], bool]:
        pages: list[PageSummary] = []
        complete = True
        async for item in self.client.space_pages(space_id, depth="all"):
            if len(pages) >= TREE_PAGES_READ:
                complete = False
                break
            pages.append(item)
        ids = {p.id for p in pages}
        children: dict[str, list[PageSummary]] = {}
        roots = []
        for item in pages:
            if item.parent_id and item.parent_id in ids:
                children.setdefault(item.parent_id, []).append(item)
            else:
                roots.append(item)
        for kids in children.values():
            kids.sort(key=_position)
        roots.sort(key=_position)
        return roots, children, complete

    async def _subtree(
        self, page_id: str, depth: int
    ) -> tuple[list[PageSummary], dict[str, list[PageSummary]]]:
        children: dict[str, list[PageSummary]] = {}
        frontier, reads = [page_id], 0
        for _ in range(depth + 1):  # one level more than shown, for the "+N below" counts
            following: list[str] = []
            for parent in frontier:
                if reads >= 40:  # bounded: one request per page listed
                    break
                reads += 1
                kids = [k async for k in self.client.children(parent)]
                children[parent] = kids
                following.extend(k.id for k in kids)
            frontier = following
        return children.get(page_id, []), children

    # -- history -----------------------------------------------------------------------------------
    async def _tool_get_history(
        self, page_id: str, from_version: int | None = None, to_version: int | None = None
    ) -> str:
        if from_version is not None:
            return await self._diff(page_id, from_version, to_version)
        if to_version is not None:
            raise ToolInputError("to_version needs from_version (the older version of the two).")
        return await self._versions(page_id)

    async def _versions(self, page_id: str) -> str:
        opened, key = await self.open(page_id)
        page = opened.page
        versions = []
        async for version in self.client.versions(page.id, kind=page.type):
            versions.append(version)
            if len(versions) > VERSIONS_SHOWN:
                break
        try:
            await self.directory.learn(v.author_id for v in versions if v.author_id)
        except Exception:
            pass
        rows = []
        for v in versions[:VERSIONS_SHOWN]:
            who = one_line(self.directory.name_of(v.author_id) or v.author_id or "", 40)
            message = f' "{one_line(v.message, 100)}"' if v.message else ""
            minor = " (minor edit)" if v.minor_edit else ""
            rows.append(
                f"v{v.number}  {(v.created_at or '')[:16].replace('T', ' ')}  {who}{message}{minor}"
            )
        more = "\n(older versions not shown)" if len(versions) > VERSIONS_SHOWN else ""
        return (
            f'{noun(page.type)} {page.id} "{one_line(page.title)}" | space {key} | '
            f"current version {page.version.number}\n"
            "Compare two with get_history(page_id, from_version, to_version).\n"
            + self.data("\n".join(rows), "versions: number, date, author, message")
            + more
        )

    async def _diff(
        self, page_id: str, from_version: int, to_version: int | str | None = None
    ) -> str:
        old_n = _version_number(from_version, "from_version")
        current, key = await self.open(page_id)
        new_n = (
            current.base_version
            if to_version in (None, "")
            else _version_number(to_version, "to_version")
        )
        if old_n == new_n:
            raise ToolInputError("from_version and to_version are the same version.")
        old, _ = await self.open(page_id, version=old_n)
        new = (
            current
            if new_n == current.base_version
            else (await self.open(page_id, version=new_n))[0]
        )
        lines = list(
            difflib.unified_diff(
                old.markdown.splitlines(),
                new.markdown.splitlines(),
                fromfile=f"version {old_n}",
                tofile=f"version {new_n}",
                n=2,
                lineterm="",
            )
        )
        head = (
            f'{noun(current.page.type)} {current.page.id} "{one_line(current.page.title)}" | '
            f"space {key} | "
            f"version {old_n} → {new_n}"
        )
        if not lines:
            return head + "\nNo difference in the text."
        text, used, cut = [], 0, 0
        for line in lines:
            size = len(line.encode("utf-8")) + 1
            if used + size > DIFF_BYTES:
                cut += 1
                continue
            text.append(line)
            used += size
        tail = (
            f"\n({cut} more diff line(s) not shown: over {human_size(DIFF_BYTES)})" if cut else ""
        )
        return f"{head}\n" + self.data("\n".join(text), "diff of the page's text") + tail


def _walk(comments: list[Comment]):
    for c in comments:
        yield c
        yield from _walk(list(c.replies))


def _position(item: PageSummary) -> tuple[int, str]:
    return (item.position if item.position is not None else 10**9, item.title.lower())


def _bounded(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ToolInputError(f"{name} must be a whole number from {low} to {high}.")
    return max(low, min(value, high))


def _version_number(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ToolInputError(f"{name} must be a version number (1, 2, …; see get_history).")
    return value
