"""``workbench mcp``: the bridge served with the official MCP Python SDK (``mcp``, imported here only).

Transports: stdio (the default; what Claude Code, Codex, Cursor and VS Code start), and Streamable
HTTP bound to 127.0.0.1 only, behind a bearer token made at start (printed once on stderr, never
logged; a request without it, or with another, gets 401 before the SDK sees it). The SDK's own
DNS-rebinding protection (Host/Origin of 127.0.0.1/localhost only) stays on.
"""

from __future__ import annotations

import hmac
import secrets
from typing import TYPE_CHECKING, Any

from workbench import __version__

if TYPE_CHECKING:
    from workbench.mcp.bridge import McpBridge

SERVER_NAME = "confluence-workbench"
INSTRUCTIONS = (
    "Confluence through Confluence Workbench. Read with search_pages, get_page (a large page: its "
    "outline, then get_section). You cannot write: propose_edit, propose_page, propose_comment, "
    "propose_labels, propose_attachment and propose_move/copy/rename (and, where the profile allows, "
    "propose_jira_* for Jira issues) put a proposal in the person's inbox; they review it "
    "hunk by hunk and approve or reject it. Edit with exact old→new replacements against the version "
    "you read. Check a proposal with get_proposal."
)


def build_server(bridge: McpBridge) -> Any:
    """The SDK's low-level server with the bridge's tools and page resources."""
    # lazy, for start-up: mcp, mcp.server.lowlevel, workbench.errors loads on first use
    from mcp import types
    from mcp.server.lowlevel import Server

    from workbench.errors import WorkbenchError

    async def list_tools(ctx: Any, params: Any) -> types.ListToolsResult:
        tools = [
            types.Tool(
                name=t["name"],
                description=t["description"],
                input_schema=t["inputSchema"],
                annotations=types.ToolAnnotations(
                    read_only_hint=t["annotations"]["readOnlyHint"],
                    destructive_hint=t["annotations"]["destructiveHint"],
                    idempotent_hint=t["annotations"]["idempotentHint"],
                    open_world_hint=t["annotations"]["openWorldHint"],
                ),
            )
            for t in bridge.tools()
        ]
        return types.ListToolsResult(tools=tools)

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        bridge.agent = _client_name(ctx) or bridge.agent
        answer = await bridge.call(params.name, params.arguments)
        structured = {"proposal_id": answer.proposal_id} if answer.proposal_id is not None else None
        content: list[types.ContentBlock] = [types.TextContent(text=answer.text)]
        if answer.image is not None:
            content.append(types.ImageContent(data=answer.image[1], mime_type=answer.image[0]))
        return types.CallToolResult(
            content=content,
            is_error=answer.is_error,
            structured_content=structured,
        )

    async def list_resources(ctx: Any, params: Any) -> types.ListResourcesResult:
        return types.ListResourcesResult(
            resources=[]
        )  # pages are many: they are offered by template

    async def list_templates(ctx: Any, params: Any) -> types.ListResourceTemplatesResult:
        if not bridge.fence.allows_tool("get_page"):
            return types.ListResourceTemplatesResult(resource_templates=[])
        return types.ListResourceTemplatesResult(
            resource_templates=[
                types.ResourceTemplate(
                    name="page",
                    uri_template=bridge.uri_template(),
                    description="A Confluence page of this site as Markdown (page ids from search_pages).",
                    mime_type="text/markdown",
                )
            ]
        )

    async def read_resource(
        ctx: Any, params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        # lazy, for start-up: mcp.shared.exceptions (with annotated_types …) loads on first use
        from mcp.shared.exceptions import MCPError

        try:
            text = await bridge.read_page(params.uri)
        except WorkbenchError as exc:
            raise MCPError(code=types.INVALID_PARAMS, message=exc.message) from None
        return types.ReadResourceResult(
            contents=[
                types.TextResourceContents(uri=params.uri, mime_type="text/markdown", text=text)
            ]
        )

    return Server(
        SERVER_NAME,
        version=__version__,
        instructions=f"{INSTRUCTIONS} {bridge.instructions()}",
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_list_resource_templates=list_templates,
        on_read_resource=read_resource,
    )


def _client_name(ctx: Any) -> str:
    try:
        params = ctx.session.client_params
    except (AttributeError, RuntimeError):
        return ""
    info = params.client_info if params is not None else None
    if info is None:
        return ""
    name = " ".join(str(info.name).split())[:80]
    version = " ".join(str(info.version or "").split())[:40]
    return f"{name} {version}".strip()


async def serve_stdio(bridge: McpBridge) -> None:
    # lazy, for start-up: mcp.server.stdio (with annotated_types, anyio …) loads on first use
    from mcp.server.stdio import stdio_server

    server = build_server(bridge)
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def new_token() -> str:
    return secrets.token_urlsafe(32)


def http_app(bridge: McpBridge, token: str) -> Any:
    """The Streamable HTTP app at ``/mcp``, behind ``Authorization: Bearer <token>``."""
    server = build_server(bridge)
    return BearerGate(server.streamable_http_app(host="127.0.0.1"), token)


class BearerGate:
    """ASGI middleware: 401 unless the request carries the server's bearer token (compared in constant time)."""

    def __init__(self, app: Any, token: str) -> None:
        self.app = app
        self._expected = f"Bearer {token}".encode()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            sent = dict(scope.get("headers") or []).get(b"authorization", b"")
            if not hmac.compare_digest(sent, self._expected):
                body = b'{"error": "unauthorized: send Authorization: Bearer <the token workbench mcp printed>"}'
                await send(
                    {
                        "type": "http.response.start",
                        "status": 401,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"www-authenticate", b'Bearer realm="workbench"'),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    def __repr__(self) -> str:  # never the token
        return "BearerGate(…)"
