"""Assemble an agent session from settings: model, fences (profile + allow-list), audit log, toolkit.

Profile precedence: the ``--agent-profile`` flag (or the panel's choice) > the site profile's
``agent_profile`` > ``[agent] profile`` > ``propose``. The allow-list is the site profile's
``allow_spaces`` (empty: every space).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from workbench.agent.audit import AuditLog
from workbench.agent.fences import Fence
from workbench.agent.limits import Limits
from workbench.agent.loop import AgentSession
from workbench.agent.model import ModelConfig, require_model
from workbench.agent.provider import ChatProvider
from workbench.agent.toolkit import Toolkit

if TYPE_CHECKING:
    from workbench.agent.proposals import Proposal
    from workbench.config import Profile, Settings
    from workbench.confluence.client import ConfluenceClient


def fence_for(settings: Settings | None, site: Profile | None, override: str | None = None) -> Fence:
    agent = getattr(settings, "agent", None)
    name = override or (site.agent_profile if site else "") or getattr(agent, "profile", "")  # "" → DEFAULT_PROFILE
    return Fence.build(name, site.allow_spaces if site else ())


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
    toolkit = Toolkit(client, fence, audit if audit is not None else AuditLog(), on_proposal=on_proposal)
    return AgentSession(
        ChatProvider(model), toolkit, max_steps=model.max_steps, timeout=model.timeout, context=context,
        limits=limits or Limits.from_settings(settings),
    )
