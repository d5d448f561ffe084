"""Assemble an agent session from settings: model, fences (profile + allow-list), audit log, toolkit.

Profile precedence: the ``--agent-profile`` flag (or the panel's choice) > the site profile's
``agent_profile`` > ``[agent] profile`` > ``propose``. A name is a built-in profile or one composed
of permission groups in ``[agent.profiles.NAME]`` (:mod:`workbench.agent.fences`).

The allow-list applies however the site was chosen (a stored profile, ``CONFLUENCE_URL``, the TUI's
site list). The first of these that is set wins:

1. the site profile's ``allow_spaces``; for a site named by ``CONFLUENCE_URL``, the stored profile
   with the same URL (:func:`site_profile_for`);
2. ``[agent] allow_spaces``: every site without its own list;
3. the caller's default: ``workbench agent PAGE`` uses PAGE's space, so a run on a site with no
   allow-list anywhere stays in the space the person named; the TUI panel has no default (every write
   is a keystroke there).

``allow_spaces = ["*"]`` means every space, said explicitly (a site lifts ``[agent] allow_spaces``,
or the command line its default).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from workbench.agent.audit import AuditLog
from workbench.agent.fences import Fence, Profiles
from workbench.agent.limits import Limits
from workbench.agent.loop import AgentSession
from workbench.agent.model import ModelConfig, require_model
from workbench.agent.provider import ChatProvider
from workbench.agent.toolkit import Toolkit

if TYPE_CHECKING:
    from workbench.agent.proposals import Proposal
    from workbench.config import Profile, Settings
    from workbench.confluence.client import ConfluenceClient


def fence_for(
    settings: Settings | None,
    site: Profile | None,
    override: str | None = None,
    *,
    default_spaces: tuple[list[str], str] = ([], ""),
) -> Fence:
    """The session's fence: the permission profile and the allow-list with where it came from."""
    agent = getattr(settings, "agent", None)
    name = (
        override or (site.agent_profile if site else "") or getattr(agent, "profile", "")
    )  # "" → DEFAULT_PROFILE
    if site is not None and site.allow_spaces:
        keys, source = site.allow_spaces, f"the site profile '{site.name}'"
    elif agent is not None and agent.allow_spaces:
        keys, source = agent.allow_spaces, "[agent] allow_spaces"
    else:
        keys, source = default_spaces
    return Fence.build(
        name, keys, source if keys else "", profiles=Profiles.from_settings(settings)
    )


def site_profile_for(
    settings: Settings | None, name: str | None = None, url: str | None = None
) -> Profile | None:
    """The stored profile for a site: by name, else the one whose URL is ``url`` (``CONFLUENCE_URL``);
    ``workbench.auth.profiles.stored_profile_for``."""
    # here, not at the top: auth.profiles loads httpx, which the agent's modules defer
    from workbench.auth.profiles import stored_profile_for

    return stored_profile_for(settings, name, url)


def same_site(a: str, b: str) -> bool:
    """Two base URLs of one site (``workbench.confluence.urls.same_site``: case of scheme and host, a
    trailing slash and ``/wiki`` do not matter)."""
    from workbench.confluence.urls import same_site as one_site  # the one URL normalisation

    return one_site(a, b)


def start_session(
    client: ConfluenceClient,
    *,
    settings: Settings | None = None,
    site: Profile | None = None,
    profile: str | None = None,
    fence: Fence | None = None,
    model: ModelConfig | None = None,
    audit: AuditLog | None = None,
    context: str = "",
    on_proposal: Callable[[Proposal], None] | None = None,
    limits: Limits | None = None,
) -> AgentSession:
    """A ready session; raises ``NoModelConfigured`` (with instructions) when no model is set."""
    model = model or require_model(settings)
    fence = fence or fence_for(settings, site, profile)
    toolkit = Toolkit(
        client, fence, audit if audit is not None else AuditLog(), on_proposal=on_proposal
    )
    agent = getattr(settings, "agent", None)
    toolkit.accepts_images = bool(getattr(agent, "images", False))
    return AgentSession(
        ChatProvider(model),
        toolkit,
        max_steps=model.max_steps,
        timeout=model.timeout,
        context=context,
        limits=limits or Limits.from_settings(settings),
        compact_history=bool(getattr(agent, "compact_history", True)),
    )
