"""A notification when agents add proposals to the inbox while the workbench runs (``ctrl+g`` opens it)."""

from __future__ import annotations

from typing import Any


def watch_inbox(app: Any, every: float = 2.0) -> None:
    """Tell the person when new proposals arrive while the app runs (a notification, ``ctrl+g`` opens them)."""
    # lazy, for start-up: workbench.inbox.store loads on first use
    from workbench.inbox.store import PENDING, Inbox

    inbox = Inbox()
    state: dict[str, Any] = {"signature": inbox.signature(), "pending": len(inbox.items(PENDING))}

    def check() -> None:
        signature = inbox.signature()
        if signature == state["signature"]:
            return
        state["signature"] = signature
        pending = len(inbox.items(PENDING))
        if pending > state["pending"]:
            app.notify(
                f"{pending} proposal(s) from agents waiting · ctrl+g opens the inbox", title="Inbox"
            )
        state["pending"] = pending

    app.set_interval(every, check)
