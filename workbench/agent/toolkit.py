"""Running the agent's tools against Confluence, inside the fences, with an audit line per call.

:meth:`Toolkit.call` is the only way the model reaches Confluence. It checks the permission profile
first, then the space allow-list on every call that touches a space (by page id too: the page's
space is resolved and refused *before* any content is returned), runs the tool, and records the
call in the audit log. Results are compact text for the model; failures come back as text the model
can act on (``error: …``/``refused: …``), never as exceptions. The write tools only create
:class:`~workbench.agent.proposals.Proposal` objects; nothing here can apply one.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from workbench.agent.attachment_proposals import AttachmentProposals
from workbench.agent.attachment_tools import AttachmentTools, ImageAnswer
from workbench.agent.edits import ToolInputError, apply_edits
from workbench.agent.fences import Fence, FenceRefusal
from workbench.agent.hidden import ModelView, hide_in_text, model_view
from workbench.agent.jira_proposals import JiraProposals
from workbench.agent.jira_tools import JiraTools
from workbench.agent.lifecycle_proposals import LifecycleProposals
from workbench.agent.page_proposals import PageProposals
from workbench.agent.people_tools import PeopleTools
from workbench.agent.proposals import Proposal
from workbench.agent.reading import PAGE_INLINE_LIMIT, PageReading
from workbench.agent.site_schema import MAX_SPACES, SiteSchema
from workbench.agent.site_tools import SiteTools
from workbench.agent.untrusted import DataMarkers
from workbench.agent.validate import check_arguments, ids_as_text, page_id_text
from workbench.agent.world import WorldTools
from workbench.agent.world_proposals import WorldProposals
from workbench.confluence.models import BLOGPOST, PAGE
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.agent.audit import AuditLog
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import Page
    from workbench.services.pages import OpenedPage

log = logging.getLogger(__name__)

__all__ = ["ToolInputError", "ToolResult", "Toolkit", "apply_edits"]  # tests import them here


@dataclass(frozen=True, slots=True)
class ToolResult:
    text: str
    ok: bool
    proposal: Proposal | None = None
    image: dict[str, Any] | None = None  # an image part for the model (view_image)


class Toolkit(
    SiteTools,
    PageReading,
    PageProposals,
    WorldTools,
    WorldProposals,
    AttachmentTools,
    AttachmentProposals,
    LifecycleProposals,
    JiraTools,
    JiraProposals,
    PeopleTools,
):
    """The tools of one agent session: a client, its fence, an audit log, the proposals made.

    Here: running a call (fence, schema, handler, audit) and the fenced access every tool goes
    through (:meth:`open`, :meth:`fetch`). Finding spaces and pages lives in :class:`SiteTools`;
    reading a page (whole, by outline and section, or by the lines holding some words) in
    :class:`PageReading`; proposing edits, pages and comments in :class:`PageProposals`; the tools
    about a page's world (comments, tree, history; replies, labels) in :class:`WorldTools` and
    :class:`WorldProposals`."""

    def __init__(
        self,
        client: ConfluenceClient,
        fence: Fence,
        audit: AuditLog | None = None,
        *,
        on_proposal: Callable[[Proposal], None] | None = None,
        page_inline_limit: int = PAGE_INLINE_LIMIT,
    ) -> None:
        self.client = client
        self.fence = fence
        self.audit = audit
        self.on_proposal = on_proposal
        self.page_inline_limit = page_inline_limit
        self.proposals: list[Proposal] = []
        self.markers = (
            DataMarkers()
        )  # a code per session: page text cannot fake the end of its data
        self.bytes_returned = 0
        self.accepts_images = False  # [agent] images: the model takes image parts (view_image)
        self.site: SiteSchema | None = None  # the allowed spaces, for the tool descriptions
        self._space_keys: dict[str, str] = {}
        self._views: dict[tuple[str, int], OpenedPage] = {}
        self._seen: dict[
            tuple[str, int], tuple[OpenedPage, ModelView]
        ] = {}  # what the model reads of each
        self.kinds: dict[str, str] = {}  # content id → page / blogpost, as known (see fetch)
        # lazy, for start-up: workbench.services.users loads on first use
        from workbench.services.users import UserDirectory

        self.directory = UserDirectory.for_client(client)  # shared with the TUI on the same client

    # -- entry point ---------------------------------------------------------------------
    async def call(self, name: str, arguments: str | dict[str, Any] | None) -> ToolResult:
        """Run one tool call: fence, schema check, handler; the result and an audit line, never an exception."""
        started = time.monotonic()
        args: dict[str, Any] | None = None
        proposal: Proposal | None = None
        try:
            args = _parse_arguments(arguments)
            self.fence.check_tool(name)
            check_arguments(name, args)
            args = ids_as_text(name, args)  # an id sent as a number: its digits
            handler = getattr(self, f"_tool_{name}")
            out = await handler(**args)
            image = None
            if isinstance(out, Proposal):
                proposal = out
                text = self._adopt(out)
            elif isinstance(out, ImageAnswer):
                text, image = out.text, out.part
            else:
                text = out
            result = ToolResult(text, True, proposal, image)
            outcome = "ok" if proposal is None else f"proposal {proposal.id}"
        except FenceRefusal as exc:
            result, outcome = (
                ToolResult(f"refused: {exc.message}", False),
                f"refused: {exc.message}",
            )
        except WorkbenchError as exc:
            result, outcome = ToolResult(f"error: {exc.message}", False), f"error: {exc.message}"
        except Exception as exc:  # a bug in a tool must not end the turn (nor hang the panel)
            log.warning("agent tool %s failed", name, exc_info=True)
            text = (
                f"The tool {name} failed unexpectedly ({type(exc).__name__}); this is a fault in Confluence "
                "Workbench, not in your arguments. Try another way or tell the person."
            )
            result, outcome = ToolResult(f"error: {text}", False), f"crashed: {type(exc).__name__}"
        self.bytes_returned += len(result.text.encode("utf-8"))
        self._record(name, arguments, args, outcome, started, proposal)
        return result

    def refuse(self, name: str, arguments: str | dict[str, Any] | None, reason: str) -> ToolResult:
        """A call the loop does not run (a cap was reached): the model is told why; the audit says so too."""
        self._record(name, arguments, None, f"refused: {reason}", time.monotonic(), None)
        return ToolResult(f"refused: {reason}", False)

    def _record(
        self,
        name: str,
        sent: str | dict[str, Any] | None,
        args: dict[str, Any] | None,
        outcome: str,
        started: float,
        proposal: Proposal | None,
    ) -> None:
        if self.audit is None:
            return
        if args is None and isinstance(sent, dict):
            args = sent
        page = (proposal.page_id if proposal else None) or (args or {}).get("page_id")
        self.audit.record(
            "tool",
            profile=self.fence.profile,
            tool=name,
            arguments=args,
            # not a JSON object: the text exactly as the model sent it (shortened, secrets removed by name)
            arguments_sent=sent if args is None and sent not in (None, "") else None,
            duration_ms=round((time.monotonic() - started) * 1000),
            outcome=outcome,
            page=page if isinstance(page, str | int) else None,
            space=proposal.space_key if proposal else None,
            base_version=proposal.base_version if proposal else None,
            diff_hash=proposal.diff_hash() if proposal else None,
        )

    def data(self, text: str, label: str = "page content") -> str:
        """Site text for the model: invisible characters as tokens, between this session's data markers."""
        return self.markers.wrap(hide_in_text(text), label)

    def _adopt(self, proposal: Proposal) -> str:
        self.proposals.append(proposal)
        if self.on_proposal is not None:
            self.on_proposal(proposal)
        hunks = len(proposal.hunks)
        text = (
            f"Proposal {proposal.id} created: {proposal.target}; {hunks} hunk{'s' if hunks != 1 else ''}. "
            "The person will review it; nothing has been written."
        )
        if proposal.unknown_mentions:
            names = ", ".join(f"'{n}'" for n in proposal.unknown_mentions)
            text += (
                f" No known person is called {names}, so the mention was left as plain text "
                "(mention people by the names the page shows)."
            )
        return text

    # -- fenced access -------------------------------------------------------------------
    async def space_key_of(self, page: Page) -> str:
        if page.space_key:
            return page.space_key
        if page.space_id not in self._space_keys:
            space = await self.client.get_space(page.space_id)
            self._space_keys[page.space_id] = space.key
        return self._space_keys[page.space_id]

    def note_kind(self, page_id: str, kind: str) -> None:
        """Say what a content id is (``page`` or ``blogpost``), e.g. the one the person has open,
        so reading it takes one request."""
        if kind in (PAGE, BLOGPOST):
            self.kinds[page_id] = kind

    async def fetch(self, page_id: str, version: int | None = None) -> Page:
        """A page or blog post by id. Cloud serves the two at separate endpoints (ids are shared):
        an id not known as a blog post is asked for as a page, then, after a 404, as a blog post;
        Data Center serves both at ``/content/{id}``. The kind found is remembered."""
        # lazy, for start-up: workbench.confluence.errors loads on first use
        from workbench.confluence.errors import NotFound

        kind = self.kinds.get(page_id, PAGE)
        try:
            page = await self.client.get_page(page_id, version=version, kind=kind)
        except NotFound as exc:
            if kind != PAGE or self.client.is_dc:
                raise
            try:
                page = await self.client.get_page(page_id, version=version, kind=BLOGPOST)
            except NotFound:
                raise exc from None
        self.note_kind(page.id, page.type)
        return page

    async def open(self, page_id: str, version: int | None = None) -> tuple[OpenedPage, str]:
        """A page version as the model may read it, plus its space key, refused before use if the space
        is fenced. Its ``markdown`` is the model's view (:mod:`.hidden`: text a reader cannot see is a
        token); :meth:`page_of` gives the page itself and the way back."""
        # lazy, for start-up: workbench.services.pages loads on first use
        from workbench.services.pages import view_of

        page_id = page_id_text(page_id)
        if version is not None and (page_id, version) in self._seen:
            # a version never changes: the one the model read is the one it names (no request;
            # e.g. get_page, then propose_edit with that base_version)
            known = self._seen[(page_id, version)][0]
            key = await self.space_key_of(known.page)
            self.fence.check_space(key)
            return known, key
        page = await self.fetch(page_id, version)
        key = await self.space_key_of(page)
        self.fence.check_space(key)
        cache_key = (page.id, page.version.number)
        if cache_key not in self._views or self._views[cache_key].page.storage != page.storage:
            # Names of the people mentioned (one users request when some are not known yet); the
            # first rendering of a version is kept, so the text the model quotes stays stable.
            from workbench.convert import mentioned_accounts

            try:
                await self.directory.learn(mentioned_accounts(page.storage or ""))
            except WorkbenchError:
                pass  # no names: mentions show as account ids, which still map back exactly
            real = view_of(page, self.directory.mapping_for(page.storage or ""))
            self._views[cache_key] = real
            seen = model_view(page.storage or "", real.markdown, real.users)
            self._seen[cache_key] = (replace(real, markdown=seen.text), seen)
        return self._seen[cache_key][0], key

    def page_of(self, opened: OpenedPage) -> tuple[OpenedPage, ModelView]:
        """The page itself behind a model's view from :meth:`open`, and the view (to map edits back)."""
        cache_key = (opened.page.id, opened.base_version)
        return self._views[cache_key], self._seen[cache_key][1]

    async def settle(self, text: str, opened: OpenedPage | None = None):
        """The model's Markdown with its mentions made real or plain (see :mod:`.mentions`)."""
        # lazy, for start-up: workbench.agent.mentions loads on first use
        from workbench.agent.mentions import settle_model_mentions

        return await settle_model_mentions(self.directory, text, opened)

    async def discover_site(self) -> SiteSchema | None:
        """The allowed spaces for the tool descriptions (one spaces listing); None when it fails."""
        try:
            allowed = []
            async for space in self.client.spaces():
                if self.fence.allows_space(space.key):
                    allowed.append((space.key, space.name))
                if len(allowed) > MAX_SPACES:
                    break
        except WorkbenchError:
            return self.site
        self.site = SiteSchema.of(allowed)
        return self.site


def _parse_arguments(arguments: str | dict[str, Any] | None) -> dict[str, Any]:
    if arguments is None or arguments == "":
        return {}
    if isinstance(arguments, dict):
        return arguments
    try:
        value = json.loads(arguments)
    except json.JSONDecodeError as exc:
        raise ToolInputError(
            f"The arguments are not valid JSON ({exc.msg}, character {exc.pos})."
        ) from None
    if not isinstance(value, dict):
        raise ToolInputError("The arguments must be a JSON object.")
    return value
