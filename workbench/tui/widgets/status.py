"""The status bar: site, user, connection state and a countdown while a rate limit is waited out."""

from __future__ import annotations

from rich.text import Text
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

    #: The dot's colour per state, and the countdown's: from the theme (``styles/main.tcss``).
    COMPONENT_CLASSES = {
        "status--connecting",
        "status--online",
        "status--offline",
        "status--error",
        "status--wait",
    }

    def on_mount(self) -> None:
        self._timer = self.set_interval(1.0, self._tick, pause=True)

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
        return text
