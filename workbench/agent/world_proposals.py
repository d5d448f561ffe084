"""Proposals about a page's world: a reply to a comment, and a change of the page's labels.

Like every propose tool these only build a :class:`~workbench.agent.proposals.Proposal`; nothing is
written here. Applying is :mod:`workbench.agent.apply`'s job, after a person approved.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from workbench.agent.edits import ToolInputError
from workbench.agent.proposals import LABELS, REPLY, Proposal, about_page
from workbench.agent.tool_host import ToolHost
from workbench.agent.world import one_line
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.confluence.models import Comment

#: Confluence refuses labels with spaces or these characters (the label dialog says so); it keeps
#: them in lower case.
_LABEL_FORBIDDEN = re.compile(r"[\s!#&()*,.:;<>?@\[\]^]")
MAX_LABEL = 255
MAX_LABELS = 20


def clean_labels(values: Any, name: str = "labels") -> list[str]:
    """Label names as Confluence keeps them (lower case), or a ToolInputError saying what is wrong."""
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ToolInputError(f"{name} must be a list of label names (strings).")
    out: list[str] = []
    for value in values:
        label = value.strip().lower()
        if not label:
            raise ToolInputError(f"{name} has an empty label.")
        if _LABEL_FORBIDDEN.search(label):
            raise ToolInputError(
                f"'{one_line(value, 60)}' is not a valid label: no spaces or !#&()*,.:;<>?@[]^ (use - or _)."
            )
        if len(label) > MAX_LABEL:
            raise ToolInputError(f"A label is at most {MAX_LABEL} characters.")
        if label not in out:
            out.append(label)
    if len(out) > MAX_LABELS:
        raise ToolInputError(f"At most {MAX_LABELS} labels at a time.")
    return out


def label_lines(labels: list[str]) -> str:
    """A label list as proposal text: one label per line, sorted."""
    return "".join(f"{label}\n" for label in sorted(set(labels)))


def labels_of(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if line.strip()}


class WorldProposals(ToolHost):
    """Replies (``propose_comment(…, reply_to=ID)``) and ``propose_labels``."""

    async def propose_reply(self, page_id: str, comment_id: str, markdown: str) -> Proposal:
        opened, key = await self.open(page_id)
        wanted = str(comment_id or "").strip()
        if not wanted.isascii() or not wanted.isdigit():
            raise ToolInputError(
                f"'{one_line(wanted, 40)}' is not a comment id; get_comments lists them."
            )
        if not isinstance(markdown, str) or not markdown.strip():
            raise ToolInputError("The reply is empty.")
        found, inline = None, False
        for comment in _walk(await self.client.comments(opened.page.id, kind=opened.page.type)):
            if comment.id == wanted:
                found = comment
        if found is None:
            for comment in _walk(
                await self.client.inline_comments(opened.page.id, kind=opened.page.type)
            ):
                if comment.id == wanted:
                    found, inline = comment, True
        if found is None:
            raise ToolInputError(
                f"Page {opened.page.id} has no comment {wanted}; get_comments(page_id) lists its comments."
            )
        # lazy, for start-up: workbench.convert loads on first use
        from workbench.convert import storage_to_markdown

        try:
            await self.directory.learn([found.author_id] if found.author_id else [])
        except WorkbenchError:
            pass  # the summary then names the account id
        settled = await self.settle(markdown if markdown.endswith("\n") else markdown + "\n")
        who = self.directory.name_of(found.author_id) or found.author_id or "someone"
        said = one_line(storage_to_markdown(found.storage or ""), 80)
        return Proposal(
            kind=REPLY,
            summary=f"Reply to {one_line(who, 40)}: \u201c{said}\u201d",
            before="",
            after=settled.markdown,
            **about_page(opened, key),
            comment_id=found.id,
            comment_inline=inline,
            users=settled.users,
            unknown_mentions=settled.unknown,
        )

    async def _tool_propose_labels(
        self, page_id: str, add: list[str] | None = None, remove: list[str] | None = None
    ) -> Proposal:
        opened, key = await self.open(page_id)
        adding, removing = clean_labels(add, "add"), clean_labels(remove, "remove")
        if not adding and not removing:
            raise ToolInputError("Give labels to add or to remove.")
        both = set(adding) & set(removing)
        if both:
            raise ToolInputError(f"Label(s) {', '.join(sorted(both))} are both added and removed.")
        current = [
            label.name for label in await self.client.labels(opened.page.id, kind=opened.page.type)
        ]
        after = (set(current) | set(adding)) - set(removing)
        if after == set(current):
            raise ToolInputError(
                f"These labels change nothing; the page has: {', '.join(sorted(current)) or 'none'}."
            )
        missing = sorted(set(removing) - set(current))
        note = f" ({', '.join(missing)} not on the page)" if missing else ""
        parts = []
        if set(adding) - set(current):
            parts.append("add " + ", ".join(sorted(set(adding) - set(current))))
        if set(removing) & set(current):
            parts.append("remove " + ", ".join(sorted(set(removing) & set(current))))
        return Proposal(
            kind=LABELS,
            summary="Labels: " + "; ".join(parts) + note,
            before=label_lines(current),
            after=label_lines(sorted(after)),
            **about_page(opened, key),
        )


def _walk(comments: list[Comment]):
    for c in comments:
        yield c
        yield from _walk(list(c.replies))
