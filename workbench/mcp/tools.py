"""The MCP tool list: the agent's own tools and JSON Schemas, plus ``get_proposal``, with true hints.

The schemas are :data:`workbench.agent.tool_specs.TOOL_SPECS` unchanged (full, not lean: MCP
clients validate with them), filtered by the permission profile. Annotations say what each tool
really does: the read tools only read (``readOnlyHint``); a ``propose_*`` tool writes nothing to
Confluence but adds a proposal to the inbox each time it is called, so it is not read-only, not
destructive and not idempotent; ``get_proposal`` only reads the inbox.
"""

from __future__ import annotations

import json
from typing import Any

from workbench.agent.fences import WRITE_TOOLS, Fence

GET_PROPOSAL = "get_proposal"

GET_PROPOSAL_SPEC: dict[str, Any] = {
    "description": (
        "The status of a proposal you made: pending, approved (as version N), rejected (with the person's "
        "reason), approved and merged after a concurrent edit, or not written (and why). Only a person "
        "approves; no tool can."
    ),
    "parameters": {
        "type": "object",
        "properties": {"proposal_id": {"type": "integer", "minimum": 1}},
        "required": ["proposal_id"],
        "additionalProperties": False,
    },
}

_PROPOSE_NOTE = (
    " Nothing is written: the proposal goes to the person's inbox in Confluence Workbench, where they review "
    "it hunk by hunk; call get_proposal with its id to learn what they decided."
)


def annotations_for(name: str) -> dict[str, Any]:
    """MCP tool annotations, stated truthfully (every tool reaches the Confluence site: open world)."""
    if name in WRITE_TOOLS:
        return {
            "readOnlyHint": False,
            "destructiveHint": False,
            "idempotentHint": False,
            "openWorldHint": True,
        }
    return {
        "readOnlyHint": True,
        "destructiveHint": False,
        "idempotentHint": True,
        "openWorldHint": name != GET_PROPOSAL,
    }


def tool_names(fence: Fence) -> list[str]:
    """The tools this fence offers, in the agent's order; ``get_proposal`` when it may propose."""
    # lazy, for start-up: workbench.agent.tool_specs loads on first use
    from workbench.agent.tool_specs import TOOL_SPECS

    names = [name for name in TOOL_SPECS if fence.allows_tool(name)]
    if any(fence.allows_tool(name) for name in WRITE_TOOLS):
        names.append(GET_PROPOSAL)
    return names


def tool_definitions(fence: Fence, site: Any = None, jira: Any = None) -> list[dict[str, Any]]:
    """``{name, description, inputSchema, annotations}`` per allowed tool (MCP ``tools/list`` shape).

    ``site`` (a :class:`~workbench.agent.site_schema.SiteSchema`) writes the allowed spaces and the CQL
    guide into the descriptions, as the built-in agent does; ``jira`` (a
    :class:`~workbench.services.jira_schema.JiraSchema`) the site's Jira schema."""
    # lazy, for start-up: workbench.agent.site_schema, workbench.agent.tool_specs loads on first use
    from workbench.agent.jira_schema_text import with_jira
    from workbench.agent.site_schema import with_site
    from workbench.agent.tool_specs import TOOL_SPECS

    names = tool_names(fence)
    openai_shape: list[dict[str, Any]] = [
        {"type": "function", "function": {"name": n, **TOOL_SPECS[n]}}
        for n in names
        if n in TOOL_SPECS
    ]
    if site is not None:
        openai_shape = with_site(openai_shape, site)
    openai_shape = with_jira(openai_shape, jira)
    specs: dict[str, dict[str, Any]] = {
        item["function"]["name"]: item["function"] for item in openai_shape
    }
    specs[GET_PROPOSAL] = {"name": GET_PROPOSAL, **GET_PROPOSAL_SPEC}
    out = []
    for name in names:
        spec = specs[name]
        description = spec["description"] + (_PROPOSE_NOTE if name in WRITE_TOOLS else "")
        out.append(
            {
                "name": name,
                "description": description,
                "inputSchema": spec["parameters"],
                "annotations": annotations_for(name),
            }
        )
    return out


def tools_json(fence: Fence) -> str:
    """``workbench mcp --tools-json``: the tools as MCP lists them (for frameworks that take JSON Schema)."""
    return json.dumps(tool_definitions(fence), indent=2, ensure_ascii=False)
