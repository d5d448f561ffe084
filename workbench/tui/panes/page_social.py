"""The page pane's labels and comments dialogs: ``l`` edits the labels, ``m`` adds a comment or a
reply (an unsent comment's text is kept for the next try)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import work

from workbench.errors import WorkbenchError
from workbench.tui.panes.page_base import PageBase

if TYPE_CHECKING:
    from workbench.services.workspace import CommentView


class LabelsCommentsMixin(PageBase):
    # -- labels and comments ------------------------------------------------------------------
    def ask_labels(self) -> None:
        current = self.current
        if current is None:
            return
        # lazy, for start-up: workbench.tui.screens.modals (with textual …) loads on first use
        from workbench.tui.screens.modals import PromptScreen

        page_id, kind = current.page.id, current.page.type
        labels = ", ".join(self.extras.labels) if self.extras else ""

        def answered(value: str | None) -> None:
            if value is not None:
                self.save_labels(page_id, value, kind)

        self.app.push_screen(
            PromptScreen(
                "Labels (comma separated)", labels, "e.g. runbook, team-a", id="labels-prompt"
            ),
            answered,
        )

    @work(exclusive=True, group="labels", exit_on_error=False)
    async def save_labels(self, page_id: str, value: str, kind: str = "page") -> None:
        ws = await self.host.ready_workspace()
        labels = await ws.set_labels(page_id, list(value.split(",")), kind=kind)
        if self.extras is not None:
            self.extras = replace(self.extras, labels=tuple(label.name for label in labels))
            self.post_message(self.ExtrasLoaded(self.extras))
        if ws.current is not None:
            self.show_header(ws.current)
        self.notify("Labels: " + (", ".join(label.name for label in labels) or "none"))

    def ask_comment(self) -> None:
        current = self.current
        if current is None:
            return
        # lazy, for start-up: workbench.tui.screens.modals (with textual …) loads on first use
        from workbench.tui.screens.modals import CommentScreen

        threads: list[tuple[str, str]] = []

        def walk(comments: tuple[CommentView, ...], depth: int) -> None:
            for c in comments:
                first = " ".join(c.markdown.split())[:50]
                threads.append((c.id, f"{'  ' * depth}Reply to {c.author}: {first}"))
                walk(c.replies, depth + 1)

        walk(self.extras.comments if self.extras else (), 0)
        page_id, kind = current.page.id, current.page.type
        unsent = (
            self._unsent_comment
            if self._unsent_comment and self._unsent_comment[0] == page_id
            else None
        )

        def answered(result: tuple[str, str | None] | None) -> None:
            if result is not None:
                self.send_comment(page_id, result[0], result[1], kind=kind)

        self.app.push_screen(CommentScreen(threads, text=unsent[1] if unsent else ""), answered)

    @work(exclusive=True, group="comment", exit_on_error=False)
    async def send_comment(
        self, page_id: str, markdown: str, parent_id: str | None, kind: str = "page"
    ) -> None:
        ws = await self.host.ready_workspace()
        try:
            await ws.add_comment(page_id, markdown, parent_id, kind=kind)
        except WorkbenchError as exc:
            self._unsent_comment = (page_id, markdown)
            self.host.mark_connection(exc)
            self.notify(
                f"{exc.message} The comment was not added; press m to try again (your text is "
                "kept).",
                severity="error",
            )
            return
        self._unsent_comment = None
        self.notify("Reply added." if parent_id else "Comment added.")
        if ws.current is not None and ws.current.page.id == page_id:
            self.host.open_page(page_id, self.trail, kind=kind)
