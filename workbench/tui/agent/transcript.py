"""The agent panel's transcript: what was asked, the reply as it streams, the tools the agent calls
(a failed one marked), waits and notices. Everything in it is the model's or the server's text:
shown as plain text (``workbench.tui.safe``)."""

from __future__ import annotations

from typing import Any

from textual.containers import VerticalScroll
from textual.widgets import Static

from workbench.tui import safe


class Transcript(VerticalScroll):
    """``#agent-transcript``: one line a message, the newest in view."""

    def __init__(self, *, id: str | None = "agent-transcript") -> None:
        super().__init__(id=id)
        self._reply: Static | None = None  # the assistant's reply being streamed
        self._reply_text = ""
        self._tool_lines: dict[str, Static] = {}  # call id -> its line (marked if it fails)

    def add(self, widget: Static) -> Static:
        self.mount(widget)
        self.scroll_end(animate=False)
        return widget

    def note(self, text: str, cls: str = "msg-note") -> Static:
        return self.add(Static(safe.text(text, multiline=True), classes=cls))

    def end_reply(self) -> None:
        """The next text the model streams starts a new reply."""
        self._reply = None

    def show(self, event: Any) -> None:
        """One event of an agent turn (``workbench.agent.loop``) that the transcript shows."""
        # lazy, for start-up: workbench.agent.loop loads on first use
        from workbench.agent.loop import (
            Notice,
            TextDelta,
            ToolFinished,
            ToolStarted,
            Waiting,
            describe_call,
        )

        if isinstance(event, TextDelta):
            if self._reply is None:
                self._reply_text = ""
                self._reply = self.add(Static("", classes="msg-assistant"))
            self._reply_text += event.text
            self._reply.update(safe.text(self._reply_text, multiline=True))
            self.scroll_end(animate=False)
        elif isinstance(event, ToolStarted):
            self._reply = None
            line = self.add(
                Static(
                    safe.text(f"→ {describe_call(event.name, event.arguments)}"), classes="msg-tool"
                )
            )
            self._tool_lines[event.call_id] = line
        elif isinstance(event, ToolFinished):
            shown = self._tool_lines.get(event.call_id)
            if shown is not None and not event.ok:
                shown.update(safe.text(f"✗ {event.name}: {event.summary}"))
                shown.add_class("-failed")
        elif isinstance(event, Waiting):
            self._reply = None
            self.note(
                f"⚠ {event.reason} (waiting {event.seconds:g} s, then asking again)", cls="msg-tool"
            )
        elif isinstance(event, Notice):
            self._reply = None
            self.note(f"⚠ {event.text}", cls="msg-tool")
