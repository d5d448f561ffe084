"""The status bar: site, user, connection state, a countdown while a rate limit is waited out, and
the inbox badge: how many proposals from agents wait for the person (live; a click or the inbox key
opens the inbox)."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widgets import Static

from workbench.textsafe import printable


class StatusBar(Static):
    """Shows what the screen tells it; counts a rate-limit wait down by itself."""

    site = reactive("")
    user = reactive("")
    state = reactive("connecting")  # connecting | online | offline | error
    detail = reactive("")
    wait_left = reactive(0)
    proposals = reactive(0)  # pending in the inbox (every site); the badge shows when above 0
    inbox_key = reactive("ctrl+g")
    _badge_at: tuple[int, int] = (
        0,
        0,
    )  # the badge's cells in the bar (a click there opens the inbox)

    #: The dot's colour per state, the countdown's and the badge's: from the theme (``styles/main.tcss``).
    COMPONENT_CLASSES = {
        "status--connecting",
        "status--online",
        "status--offline",
        "status--error",
        "status--wait",
        "status--inbox",
    }

    def on_mount(self) -> None:
        self._timer = self.set_interval(1.0, self._tick, pause=True)
        # imported here: the app imports the screens that hold this bar
        from workbench.tui.app import WorkbenchApp

        app = self.app
        if isinstance(app, WorkbenchApp):  # follows the app's count of the inbox, live
            self.inbox_key = app.inbox_key()
            self.watch(app, "pending_proposals", self._inbox_count, init=True)

    def _inbox_count(self, count: int) -> None:
        self.proposals = count

    def badge(self) -> str:
        """The badge's words ("" when nothing waits)."""
        if self.proposals <= 0:
            return ""
        noun = "proposal" if self.proposals == 1 else "proposals"
        return f"✉ {self.proposals} {noun} from agents · {self.inbox_key}"

    async def on_click(self, event: events.Click) -> None:
        start, end = self._badge_at
        offset = event.get_content_offset(self)
        if self.proposals > 0 and offset is not None and start <= offset.x < end:
            event.stop()
            await self.run_action("app.inbox")

    def rate_limited(self, seconds: float, reason: str = "") -> None:
        """Start (or extend) the visible countdown."""
        self.wait_left = max(self.wait_left, int(seconds + 0.999))
        self.detail = reason
        self._timer.resume()

    def _tick(self) -> None:
        if self.wait_left > 0:
            self.wait_left -= 1
        if self.wait_left <= 0:
            self._timer.pause()
            self.detail = ""

    def render(self) -> Text:
        text = Text()
        state = (
            self.state if self.state in ("connecting", "online", "offline", "error") else "error"
        )
        text.append(" ● ", style=self.get_component_rich_style(f"status--{state}", partial=True))
        wait = self.get_component_rich_style("status--wait", partial=True)
        text.append(self.state)
        if self.site:
            text.append("  │  ")
            text.append(printable(self.site), style="bold")
        if self.user:
            text.append("  │  ")
            text.append(printable(self.user))
        if self.wait_left > 0 and self.detail.startswith(
            ("paused by Confluence", "waiting out Confluence")
        ):
            # lazy, for start-up: workbench.confluence.pauses loads on first use
            from workbench.confluence.pauses import duration

            text.append(
                "  │  "
            )  # a long pause the site asked for: calls fail (or wait) until it ends
            text.append(f"{self.detail}: {duration(self.wait_left)} left", style=wait)
        elif self.wait_left > 0:
            text.append("  │  ")
            text.append(f"rate limited: retrying in {self.wait_left}s", style=wait)
        elif self.detail:
            text.append("  │  ")
            text.append(printable(self.detail), style="italic")
        badge = self.badge()
        if badge:
            text.append("  │  ")
            start = text.cell_len
            text.append(badge, style=self.get_component_rich_style("status--inbox", partial=True))
            self._badge_at = (start, text.cell_len)
        return text
