"""Shared content and helpers for the agent tests (page bodies with macros, scripted-turn helpers)."""

from __future__ import annotations

import json
from typing import Any

INFO_MACRO = (
    '<ac:structured-macro ac:name="info" ac:schema-version="1" ac:macro-id="7f1d0c2e-1111">'
    "<ac:rich-text-body><p>Ask in #ops before you start.</p></ac:rich-text-body></ac:structured-macro>"
)
CODE_MACRO = (
    '<ac:structured-macro ac:name="code" ac:schema-version="1" ac:macro-id="7f1d0c2e-2222">'
    '<ac:parameter ac:name="language">bash</ac:parameter>'
    "<ac:plain-text-body><![CDATA[./deploy.sh --prod --wait]]></ac:plain-text-body></ac:structured-macro>"
)
STATUS_MACRO = (
    '<ac:structured-macro ac:name="status" ac:schema-version="1" ac:macro-id="7f1d0c2e-3333">'
    '<ac:parameter ac:name="title">DRAFT</ac:parameter><ac:parameter ac:name="colour">Yellow</ac:parameter>'
    "</ac:structured-macro>"
)
RUNBOOK = (
    "<h1>Runbook</h1><p>Deploys happen on Tuesdays.</p>"
    + INFO_MACRO
    + "<h2>Steps</h2><p>Run the deploy script from the release branch.</p>"
    + CODE_MACRO
    + "<p>Watch the dashboards for ten minutes.</p>"
    + "<h2>Rollback</h2><p>Revert the release commit and deploy again.</p>"
    + f"<p>Status: {STATUS_MACRO}</p>"
    + "<h2>Contacts</h2><p>The on-call engineer owns the rollback.</p>"
)
SECRET_BODY = "<p>The launch codename is BLUEBIRD.</p>"


def call(name: str, **arguments: Any) -> dict[str, Any]:
    return {"name": name, "arguments": arguments}


def last_tool_result(body: dict[str, Any]) -> str:
    tools = [m for m in body["messages"] if m.get("role") == "tool"]
    return tools[-1]["content"] if tools else ""


def version_in(text: str) -> int:
    """The version number from a tool result header (``… | version 3 | …``)."""
    for part in text.split("|"):
        part = part.strip()
        if part.startswith("version "):
            return int(part.split()[1])
    raise AssertionError(f"no version in {text[:200]!r}")


def dumps(value: Any) -> str:
    return json.dumps(value)


def session_for(
    client,
    model_server,
    *,
    profile="propose",
    allow=(),
    stream=True,
    audit=None,
    max_steps=8,
    timeout=30.0,
    context="",
    request_timeout=None,
):
    """An agent session on ``client`` talking to the scripted model server (``request_timeout``
    defaults to the turn's ``timeout``)."""
    from workbench.agent.audit import AuditLog
    from workbench.agent.fences import Fence
    from workbench.agent.model import ModelConfig
    from workbench.agent.session import start_session

    model = ModelConfig(
        base_url=model_server.base_url,
        model="scripted",
        stream=stream,
        max_steps=max_steps,
        timeout=timeout,
        request_timeout=request_timeout or timeout,
    )
    return start_session(
        client,
        model=model,
        fence=Fence.build(profile, allow),
        audit=audit or AuditLog(),
        context=context,
    )


def tool_entries(audit) -> list[dict[str, Any]]:
    """The audit's ``tool`` lines (each turn also starts with a ``turn`` line: the instruction)."""
    return [e for e in audit.entries() if e["event"] == "tool"]
