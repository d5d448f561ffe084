"""The proposal review: a coloured diff, hunk by hunk, that the person accepts or rejects.

Keys: ``j``/``k`` next/previous hunk, ``y``/``n`` accept/reject the current hunk, ``Y``/``N`` all,
``e`` edit the result by hand, ``enter`` apply, ``escape`` put the proposal aside. The widget only
changes the review state of the proposal it shows; applying and editing are intents it posts
(:class:`ProposalReview.ApplyRequested`, :class:`ProposalReview.EditRequested`) for the panel.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from workbench.agent.proposals import (
    ACCEPTED,
    ADD_MEMBER,
    ATTACHMENT,
    COPY,
    DELETE,
    EDIT,
    JIRA_FIELDS,
    JIRA_ISSUE,
    JIRA_LINK,
    JIRA_TRANSITION,
    JIRA_WORKLOG,
    LABELS,
    MOVE,
    NEW_PAGE,
    PENDING,
    REJECTED,
    REMOVE_MEMBER,
    RENAME,
    Proposal,
)
from workbench.agent.risk import risks
from workbench.textsafe import printable
from workbench.tui.agent.file_preview import file_preview

MARKS = {PENDING: "·", ACCEPTED: "✓", REJECTED: "✗"}
WORDS = {PENDING: "pending", ACCEPTED: "accepted", REJECTED: "rejected"}


class ProposalReview(VerticalScroll, can_focus=True):
    """Shows one proposal; the current hunk has the ``-current`` class."""

    BINDINGS = [
        Binding("j,down", "move(1)", "Next hunk", id="review.next", tooltip="Go to the next hunk"),
        Binding(
            "k,up", "move(-1)", "Prev hunk", id="review.prev", tooltip="Go to the previous hunk"
        ),
        Binding("y", "mark('accepted')", "Accept", id="review.accept", tooltip="Accept this hunk"),
        Binding("n", "mark('rejected')", "Reject", id="review.reject", tooltip="Reject this hunk"),
        Binding(
            "Y",
            "mark_all('accepted')",
            "Accept all",
            id="review.accept_all",
            tooltip="Accept every hunk",
        ),
        Binding(
            "N",
            "mark_all('rejected')",
            "Reject all",
            id="review.reject_all",
            tooltip="Reject every hunk",
        ),
        Binding("e", "edit", "Edit", id="review.edit", tooltip="Edit the accepted result by hand"),
        Binding("enter", "apply", "Apply", id="review.apply", tooltip="Write the accepted hunks"),
        Binding("escape", "close", "Later", id="review.close", tooltip="Put this proposal aside"),
    ]

    @dataclass
    class ApplyRequested(Message):
        proposal: Proposal

    @dataclass
    class EditRequested(Message):
        proposal: Proposal

    @dataclass
    class Closed(Message):
        proposal: Proposal

    def __init__(self, proposal: Proposal, *, note: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        self.proposal = proposal
        self.note = note
        self.current = 0
        self.flags = risks(proposal)  # shown in the header; applying a flagged result asks twice

    def compose(self) -> ComposeResult:
        yield Static(self._header(), classes="review-header")
        for index in range(len(self.proposal.hunks)):
            yield Static(self._hunk_text(index), classes="hunk", id=f"hunk-{index}")
        yield Static(self._footer(), classes="review-footer")

    def on_mount(self) -> None:
        self._refresh_all()

    # -- rendering ---------------------------------------------------------------------------
    def _header(self) -> Text:
        p = self.proposal
        text = Text()
        text.append(f"Proposal {p.id}", style="bold")
        text.append(
            f" · {printable(p.target)}\n"
        )  # the model's and the page's words: shown, never sent
        if p.summary:
            text.append(printable(p.summary) + "\n", style="italic")
        if p.kind == ATTACHMENT:  # the file: name, size, type, and an SVG's picture in words
            text.append_text(file_preview(p))
        if self.note:
            text.append(printable(self.note, multiline=True) + "\n", style="bold yellow")
        for flag in self.flags:
            text.append(f"⚠ Flagged: {printable(flag)}\n", style="bold red")
        counts = {state: sum(1 for h in p.hunks if h.state == state) for state in WORDS}
        text.append(
            f"{len(p.hunks)} hunk(s): {counts[ACCEPTED]} accepted, {counts[REJECTED]} rejected, "
            f"{counts[PENDING]} pending",
            style="dim",
        )
        return text

    def _footer(self) -> Text:
        verb = {
            EDIT: "write",
            NEW_PAGE: "create",
            LABELS: "change",
            MOVE: "move",
            COPY: "copy",
            RENAME: "rename",
            DELETE: "trash",
            ATTACHMENT: "upload",
            REMOVE_MEMBER: "remove",
            ADD_MEMBER: "add",
            JIRA_ISSUE: "create",
            JIRA_FIELDS: "change",
            JIRA_TRANSITION: "move",
            JIRA_WORKLOG: "log",
            JIRA_LINK: "link",
        }.get(self.proposal.kind, "post")
        return Text(
            f"j/k move · y/n accept/reject · Y/N all · e edit · enter {verb} accepted · escape later",
            style="dim",
        )

    def _hunk_text(self, index: int) -> Text:
        p = self.proposal
        hunk = p.hunks[index]
        added = (
            self.app.theme_variables.get("wb-diff-added", "green") if self.is_mounted else "green"
        )
        removed = (
            self.app.theme_variables.get("wb-diff-removed", "red") if self.is_mounted else "red"
        )
        text = Text()
        marker = "▶ " if index == self.current else "  "
        (a1, a2), (b1, b2) = hunk.a_range, hunk.b_range
        text.append(
            f"{marker}{MARKS[hunk.state]} hunk {index + 1}/{len(p.hunks)} {WORDS[hunk.state]}"
            f"  @@ -{a1 + 1},{a2 - a1} +{b1 + 1},{b2 - b1} @@\n",
            style="bold" if index == self.current else "dim",
        )
        for kind, raw in p.hunk_lines(hunk):
            line = printable(raw)
            if kind == "-":
                text.append(
                    f"-{line}\n", style=f"{removed}" + (" strike" if hunk.state == ACCEPTED else "")
                )
            elif kind == "+":
                text.append(
                    f"+{line}\n", style=f"{added}" + (" strike" if hunk.state == REJECTED else "")
                )
            else:
                text.append(f" {line}\n", style="dim")
        text.rstrip()
        return text

    def _refresh_all(self) -> None:
        self.query_one(".review-header", Static).update(self._header())
        for index in range(len(self.proposal.hunks)):
            widget = self.query_one(f"#hunk-{index}", Static)
            hunk = self.proposal.hunks[index]
            widget.update(self._hunk_text(index))
            widget.set_class(index == self.current, "-current")
            for state in WORDS:
                widget.set_class(hunk.state == state, f"-{state}")

    def _scroll_to_current(self) -> None:
        if self.proposal.hunks:
            self.scroll_to_widget(
                self.query_one(f"#hunk-{self.current}", Static), animate=False, top=True
            )

    # -- actions -----------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        if not self.proposal.hunks:
            return
        self.current = max(0, min(self.current + step, len(self.proposal.hunks) - 1))
        self._refresh_all()
        self._scroll_to_current()

    def action_mark(self, state: str) -> None:
        if not self.proposal.hunks:
            return
        self.proposal.set_state(self.current, state)
        if self.current < len(self.proposal.hunks) - 1:
            self.current += 1  # like git add -p: answer, then move on
        self._refresh_all()
        self._scroll_to_current()

    def action_mark_all(self, state: str) -> None:
        self.proposal.set_all(state)
        self._refresh_all()

    def action_edit(self) -> None:
        self.post_message(self.EditRequested(self.proposal))

    def action_apply(self) -> None:
        self.post_message(self.ApplyRequested(self.proposal))

    def action_close(self) -> None:
        self.post_message(self.Closed(self.proposal))

    def reload(self, proposal: Proposal, note: str = "") -> None:
        """Show ``proposal`` again after its hunks changed (hand edit): recompose."""
        self.proposal, self.note, self.current = proposal, note, 0
        self.flags = risks(proposal)
        self.refresh(recompose=True)
        self.call_after_refresh(self._refresh_all)


def second_enter(
    proposal: Proposal, armed: tuple[int, str] | None
) -> tuple[str | None, tuple[int, str] | None]:
    """A flagged result (blanks the page, removes most of it, adds an external image or link) is
    written only on a second ``enter`` for the same accepted result. Returns the warning to show
    (``None``: write it) and what is armed now (keep it for the next call)."""
    result = proposal.result()
    flags = risks(proposal, result)
    if not flags:
        return None, armed
    key = (proposal.id, proposal.diff_hash(result))
    if armed == key:
        return None, None
    return (
        f"Flagged: {printable(flags[0])} Press enter again to write it anyway, or escape to put "
        "it aside.",
        key,
    )


def edit_result_by_hand(host: Widget, proposal: Proposal) -> None:
    """Open the proposal's result (or its full text when no hunk is accepted) in an editor; what
    the person keeps becomes the proposal with every hunk accepted, shown again in ``host``'s
    review."""
    # lazy, for start-up: workbench.tui.agent.screens (with attr, rich …) loads on first use
    from workbench.tui.agent.screens import MarkdownEditScreen

    text = proposal.result() if proposal.accepted else proposal.after

    def edited(result: str | None) -> None:
        if result is None:
            return
        proposal.edit_by_hand(result)
        host.query_one(ProposalReview).reload(
            proposal, note="Edited by hand; every hunk is accepted."
        )

    host.app.push_screen(MarkdownEditScreen(f"Edit the result · {proposal.target}", text), edited)
