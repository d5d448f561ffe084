"""Text pieces of the page view: the header line and the comments section (pure functions)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text

from workbench.services.search import HL_END, HL_START
from workbench.textsafe import printable

if TYPE_CHECKING:
    from workbench.services.pages import OpenedPage
    from workbench.services.workspace import CommentView, PageExtras


def header_text(opened: OpenedPage, extras: PageExtras | None, trail: list[str]) -> Text:
    """Breadcrumb › title, version, last editor, time and labels."""
    page = opened.page
    crumbs = list(extras.ancestors) if extras else trail[:-1]
    if len(crumbs) > 1 and crumbs[0] == crumbs[1]:  # the space, then its homepage of the same name
        del crumbs[1]
    if crumbs == [page.title]:  # the homepage of a space with the same name
        crumbs = []
    text = Text()  # every piece is server text: printable, and Text (never markup)
    if crumbs:
        text.append(" › ".join(printable(c) for c in crumbs) + " › ", style="dim")
    text.append(printable(page.title), style="bold")
    text.append(f"   v{page.version.number}", style="cyan")
    who = extras.editor_name if extras else ""
    if who:
        text.append(f" · {printable(who)}")
    if page.version.created_at:
        text.append(f" · {printable(page.version.created_at[:16].replace('T', ' '))}", style="dim")
    if extras and extras.labels:
        text.append("  ")
        for label in extras.labels:
            text.append(f" {printable(label)} ", style="reverse")
            text.append(" ")
    return text


def comments_markdown(extras: PageExtras) -> str:
    """The footer comments and their replies as Markdown, shown below the page."""
    parts = [f"\n---\n\n## Comments ({len(extras.comments)})\n"]

    def add(comment: CommentView, depth: int) -> None:
        prefix = "> " * depth
        when = comment.created_at[:16].replace("T", " ")
        author = "".join(
            "\\" + ch if ch in "[]\\*_`<" else ch for ch in comment.author
        )  # a name, not Markdown
        parts.append(f"{prefix}**{author}** · {when}\n{prefix}")
        parts.extend(f"{prefix}{line}" for line in comment.markdown.strip().splitlines())
        parts.append("")
        for reply in comment.replies:
            add(reply, depth + 1)

    for comment in extras.comments:
        add(comment, 0)
    return "\n".join(parts)


def conflicts_phrase(count: int) -> str:
    return "1 conflict" if count == 1 else f"{count} conflicts"


def extras_after_save(extras, saved: OpenedPage, ws, *, created: bool):
    """The header after a save: you are the last editor; a new page has the parent's breadcrumb plus
    the parent, and no labels or comments of its own (all known without asking the server)."""
    # lazy, for start-up: workbench.services.workspace loads on first use
    from workbench.services.workspace import PageExtras

    me = (ws.user.display_name or ws.user.email) if ws.user is not None else ""
    if extras is None:
        return None
    if created:
        parent = ws.current.page if ws.current is not None else None
        if parent is None or parent.id != saved.page.parent_id:
            return PageExtras(ancestors=(), editor_name=me)
        return PageExtras(ancestors=(*extras.ancestors, parent.title), editor_name=me)
    return replace(extras, editor_name=me or extras.editor_name)


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary near ``limit`` characters, with an ellipsis (highlight markers kept whole)."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    out = text[: cut if cut > limit // 2 else limit].rstrip(" ,.;:")
    if out.count(HL_START) != out.count(HL_END):
        out += HL_END
    return out + "…"
