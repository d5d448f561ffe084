"""The agent side panel: a prompt, the streaming transcript, and the review of each proposal.

Mounted lazily by the main screen in its ``#agent-slot`` (``ctrl+a``). Made of: where it takes the
client, the page, the settings and the site (:mod:`.panel_sources`), one turn's page context and
failures (:mod:`.panel_turn`), the transcript (:mod:`.transcript`) and the review of proposals
(:mod:`.panel_review`); this module is the widget that holds them, its keys and its status line.
The agent runs in an exclusive worker; ``escape`` cancels it (the model stream is closed). A write
happens only when the person presses ``enter`` in a review — never from anything the model says.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.widgets import Input, Static

from workbench.agent.fences import DEFAULT_PROFILE, Fence
from workbench.agent.proposals import Proposal
from workbench.config import AGENT_PROFILES
from workbench.errors import WorkbenchError
from workbench.tui import safe
from workbench.tui.agent.panel_review import ReviewQueue
from workbench.tui.agent.panel_sources import PanelSources
from workbench.tui.agent.panel_turn import failure_of, page_context
from workbench.tui.agent.review import ProposalReview
from workbench.tui.agent.transcript import Transcript

if TYPE_CHECKING:
    from workbench.agent.audit import AuditLog
    from workbench.agent.loop import AgentSession
    from workbench.agent.model import ModelConfig
    from workbench.config import Profile, Settings
    from workbench.confluence.client import ConfluenceClient
    from workbench.services.pages import OpenedPage

_UNSET: Any = object()
#: the agent profiles as the panel cycles them, widest first (the names: workbench.config)
PROFILE_ORDER = tuple(reversed(AGENT_PROFILES))


def _css() -> str:
    return files("workbench.styles").joinpath("agent.tcss").read_text(encoding="utf-8")


class AgentPanel(Vertical):
    """Ask the agent; review and apply what it proposes (the review: :class:`ReviewQueue`, given
    this panel as its :class:`~workbench.tui.agent.panel_review.ReviewHost`)."""

    DEFAULT_CSS = _css()
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Stop",
            id="agent.cancel",
            tooltip="Stop the agent (closes the model stream)",
        ),
        Binding(
            "ctrl+r", "retry", "Retry", id="agent.retry", tooltip="Send the failed request again"
        ),
        Binding(
            "ctrl+o",
            "cycle_profile",
            "Profile",
            id="agent.profile",
            tooltip="Switch the permission profile",
        ),
        Binding(
            "ctrl+l",
            "audit_log",
            "Audit",
            show=False,
            id="agent.audit",
            tooltip="View the agent's audit log",
        ),
        Binding(
            "ctrl+n",
            "new_conversation",
            "New chat",
            show=False,
            id="agent.new",
            tooltip="Start a new conversation (proposals under review stay)",
        ),
    ]

    def __init__(
        self,
        *,
        client: Any = None,
        current_page: Callable[[], OpenedPage | None] | None = None,
        settings: Settings | None = None,
        site: Profile | None = None,
        model: ModelConfig | None = _UNSET,
        audit: AuditLog | None = None,
        profile: str | None = None,
        id: str | None = "agent-panel",
    ) -> None:
        super().__init__(id=id)
        self.sources = PanelSources(
            lambda: self.app, client=client, current_page=current_page, settings=settings, site=site
        )
        self._model, self._audit = model, audit
        self._profile_override = profile
        self.session: AgentSession | None = None
        self.fence: Fence | None = None
        self.model: ModelConfig | None = None
        self.running = False
        self.can_retry = False
        self.reviews = ReviewQueue(self, id="agent-review-slot", classes="-empty")

    @property
    def settings(self) -> Settings | None:
        return self.sources.settings

    def client(self) -> ConfluenceClient | None:
        return self.sources.client()

    def compose(self) -> ComposeResult:
        yield Static("", id="agent-header")
        yield Transcript()
        yield self.reviews
        yield Static("", id="agent-status")
        yield Input(placeholder="Ask the agent about this page…", id="agent-input")

    def on_mount(self) -> None:
        # lazy, for start-up: workbench.agent.model, workbench.agent.session loads on first use
        from workbench.agent.model import HOW_TO_CONFIGURE, resolve_model
        from workbench.agent.session import fence_for

        self.model = resolve_model(self.settings) if self._model is _UNSET else self._model
        try:
            self.fence = fence_for(self.settings, self.sources.site_profile, self._profile_override)
        except WorkbenchError as exc:
            self.fence = fence_for(self.settings, self.sources.site_profile, "read-only")
            self.note(f"{exc.message} Using read-only.")
        self._update_header()
        if self.model is None:
            self.note(HOW_TO_CONFIGURE.rstrip(), cls="msg-note")
            self.status("No model configured; see above.")
        else:
            self.status("Ask about the page you are reading; escape stops the agent.")

    @property
    def reviewing(self) -> Proposal | None:
        """The proposal under review, if any."""
        return self.reviews.reviewing

    def show_proposal(self, proposal: Proposal, note: str = "") -> None:
        """Review ``proposal`` now (ahead of any queued ones)."""
        self.reviews.show_proposal(proposal, note)

    # -- the review's host (ReviewHost) ----------------------------------------------------------
    def audit_log(self) -> AuditLog | None:
        return self.session.toolkit.audit if self.session is not None else self._audit

    def reviewing_changed(self, reviewing: bool) -> None:
        self.set_class(reviewing, "-reviewing")
        self._widen(reviewing)
        if not reviewing:
            self.query_one(Input).focus()

    def _widen(self, wide: bool) -> None:
        """A diff needs room: while reviewing, the host slot (``#agent-slot``) takes half the screen."""
        host = self.parent
        if not isinstance(host, Container) or host.id != "agent-slot":
            return
        if wide:
            host.styles.width = "50%"
        else:
            host.styles.clear_rule("width")

    def focus(self, scroll_visible: bool = True) -> AgentPanel:
        """Focus the review when one is open, else the prompt."""
        targets = self.query(ProposalReview) if self.reviewing is not None else self.query(Input)
        if targets:
            targets.first().focus(scroll_visible)
        else:
            self.call_after_refresh(self.focus, scroll_visible)
        return self

    # -- transcript ------------------------------------------------------------------------
    def _update_header(self) -> None:
        model = self.model.model if self.model else "no model"
        fence = self.fence.describe_source() if self.fence else ""
        self.query_one("#agent-header", Static).update(safe.text(f"Agent · {model} · {fence}"))

    @property
    def transcript(self) -> Transcript:
        return self.query_one("#agent-transcript", Transcript)

    def _add(self, widget: Static) -> Static:
        return self.transcript.add(widget)

    def note(self, text: str, cls: str = "msg-note") -> Static:
        return self.transcript.note(text, cls)

    def status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#agent-status", Static)
        status.update(safe.text(text, multiline=True))
        status.set_class(error, "-error")

    def _on_event(self, event: Any) -> None:
        # lazy, for start-up: workbench.agent.loop loads on first use
        from workbench.agent.loop import ProposalReady, Waiting

        if isinstance(event, ProposalReady):
            self.reviews.add(event.proposal)
            return
        self.transcript.show(event)
        if isinstance(event, Waiting):
            self.status(f"Waiting {event.seconds:g} s for the model endpoint… (escape stops)")

    # -- running the agent -------------------------------------------------------------------
    @on(Input.Submitted, "#agent-input")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        if self.model is None:
            self.status("No model configured: set WORKBENCH_MODEL (see above).", error=True)
            return
        if self.running:
            self.status("The agent is still working; escape stops it.")
            return
        event.input.value = ""
        self._add(Static(safe.text(f"› {text}"), classes="msg-user"))
        self.run_agent(text)

    def _ensure_session(self) -> AgentSession:
        if self.session is None:
            # lazy, for start-up: workbench.agent.session loads on first use
            from workbench.agent.session import start_session

            client = self.client()
            if client is None:
                raise WorkbenchError("Not connected to a site yet; wait for the tree to load.")
            self.session = start_session(
                client,
                settings=self.settings,
                site=self.sources.site_profile,
                fence=self.fence,
                model=self.model,
                audit=self._audit,
            )
        return self.session

    @work(exclusive=True, group="agent", exit_on_error=False)
    async def run_agent(self, instruction: str | None) -> None:
        self.running, self.can_retry = True, False
        self.transcript.end_reply()
        self.refresh_bindings()
        self.status("Working… (escape stops)")
        try:
            session = self._ensure_session()
            if instruction is None:
                await session.retry(self._on_event)
            else:
                context = await page_context(session, self.sources.current_page())
                await session.ask(instruction, self._on_event, context=context)
            waiting = self.reviews.waiting
            self.status(f"Done; {waiting} proposal(s) to review." if waiting else "Done.")
        except (
            Exception
        ) as exc:  # every failure is said (panel_turn.failure_of); cancelling is not one
            failure = failure_of(exc)
            self.can_retry = failure.retryable
            if failure.note:
                self.note(failure.note, cls="msg-tool")
            self.status(failure.status, error=True)
        finally:
            self.running = False
            self.transcript.end_reply()
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.running
        if action == "retry":
            return self.can_retry and not self.running
        return True

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "agent")
        self.running = False
        self.note("Stopped.")
        self.status("Stopped. Ask again when ready.")
        self.refresh_bindings()

    def action_retry(self) -> None:
        self.note("Retrying…")
        self.run_agent(None)

    def action_cycle_profile(self) -> None:
        current = self.fence.profile if self.fence else DEFAULT_PROFILE
        order = self.fence.profiles.cycle_order() if self.fence else PROFILE_ORDER  # + your own
        self.set_profile(order[(order.index(current) + 1) % len(order)])

    def set_profile(self, name: str) -> None:
        """The person picks a permission profile (key or palette); the allow-list stays as configured."""
        self.fence = self.fence.with_profile(name) if self.fence else Fence.build(name)
        if self.session is not None:
            self.session.set_fence(self.fence)
        self._update_header()
        self.status(f"Profile: {name}.")

    def action_new_conversation(self) -> None:
        if self.running:
            self.status("The agent is working; escape stops it first.")
            return
        if self.session is not None:
            self.run_worker(self.session.provider.aclose(), group="agent-close")
        self.session = None  # the next prompt starts a fresh conversation with the same fence
        self.can_retry = False
        self.transcript.remove_children()
        self.status("New conversation.")
        self.refresh_bindings()

    def action_audit_log(self) -> None:
        # lazy, for start-up: workbench.tui.agent.screens (with attr, rich …) loads on first use
        from workbench.tui.agent.screens import AuditLogScreen

        self.app.push_screen(AuditLogScreen(self._audit.path if self._audit is not None else None))

    async def on_unmount(self) -> None:
        if self.session is not None:
            await self.session.provider.aclose()
