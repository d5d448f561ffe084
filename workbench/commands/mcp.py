"""``workbench mcp``: serve the agent's tools to any MCP client; writes become proposals in the inbox.

``workbench mcp [--profile SITE] [--agent-profile P] [--transport stdio|http] [--port N] [--tools-json]``

stdout belongs to the protocol on stdio; everything for the person (the fence, the HTTP address and
token) goes to stderr. The token is printed once and never logged.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    # lazy, for start-up: workbench.config loads on first use
    from workbench.config import AGENT_PROFILES

    p = subparsers.add_parser(
        "mcp",
        help="serve the agent's tools over the Model Context Protocol (proposals go to the inbox)",
        description=(
            "Serve Confluence to any MCP client (Claude Code, Codex, Cursor, VS Code…) with the workbench's "
            "fences: the agent's read tools, and propose tools whose proposals go to the inbox, never to "
            "Confluence. A person approves them in the workbench or with 'workbench proposals'."
        ),
    )
    p.add_argument(
        "--profile",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="stored site profile to use (see 'workbench sites')",
    )
    p.add_argument(
        "--agent-profile",
        metavar="NAME",
        help=f"permission profile: {', '.join(AGENT_PROFILES)} or one of [agent.profiles] in the config "
        "(default: the site's, else [agent] profile, else propose); the tool list shows only what it allows",
    )
    p.add_argument(
        "--transport",
        choices=("stdio", "http"),
        default="stdio",
        help="stdio (default) or Streamable HTTP on 127.0.0.1 with a bearer token",
    )
    p.add_argument(
        "--port",
        type=int,
        default=0,
        metavar="N",
        help="HTTP port on 127.0.0.1 (default: a free one, printed at start)",
    )
    p.add_argument(
        "--tools-json",
        action="store_true",
        help="print the tools (name, description, inputSchema, annotations) as JSON and exit",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # lazy, for start-up: workbench.errors loads on first use
    from workbench.errors import UsageError

    if args.tools_json:
        # lazy, for start-up: workbench.agent.session, workbench.config … loads on first use
        from workbench.agent.session import fence_for
        from workbench.config import load_settings
        from workbench.mcp.tools import tools_json

        settings = load_settings()
        site = _site(args, settings)
        print(tools_json(fence_for(settings, site, args.agent_profile)))
        return 0
    if not 0 <= args.port <= 65535:
        raise UsageError(
            f"--port must be between 1 and 65535 (or 0 for a free one), not {args.port}."
        )
    try:
        return asyncio.run(_serve(args))
    except KeyboardInterrupt:
        return 130


async def _serve(args: argparse.Namespace) -> int:
    # lazy, for start-up: workbench.agent.audit, workbench.agent.limits … loads on first use
    from workbench.agent.audit import AuditLog
    from workbench.agent.limits import Limits
    from workbench.agent.session import fence_for
    from workbench.auth.connect import open_client
    from workbench.config import load_settings
    from workbench.inbox.store import Inbox
    from workbench.mcp.bridge import McpBridge

    settings = load_settings()
    limits = Limits.from_settings(
        settings
    )  # a broken cap is a plain error before anything is served
    profile = getattr(args, "profile", None)
    site = _site(args, settings)
    fence = fence_for(settings, site, args.agent_profile)  # a wrong name: refused before serving
    client = open_client(profile, settings)
    async with client:
        inbox = Inbox()
        bridge = McpBridge(client, fence, inbox=inbox, audit=AuditLog(), limits=limits)
        await bridge.discover()
        print(
            f"workbench mcp: {client.base_url}; fences: {fence.describe_source()}; inbox: {inbox.path}",
            file=sys.stderr,
            flush=True,
        )
        if args.transport == "stdio":
            # lazy, for start-up: workbench.mcp.server loads on first use
            from workbench.mcp.server import serve_stdio

            await serve_stdio(bridge)
        else:
            await _serve_http(bridge, args.port)
    return 0


def _site(args: argparse.Namespace, settings):
    """The stored site profile the server works for: ``--profile``, else the one whose URL is
    ``CONFLUENCE_URL``, else the default (``open_client``'s order too)."""
    # lazy, for start-up: workbench.agent.session, workbench.auth.env loads on first use
    from workbench.agent.session import site_profile_for
    from workbench.auth.env import env_site

    profile = getattr(args, "profile", None)
    env = None if profile else env_site()
    env_url = env.url if env else ""
    return site_profile_for(settings, url=env_url) if env_url else settings.profile(profile)


async def _serve_http(bridge, port: int) -> None:
    # lazy, for start-up: uvicorn, workbench.mcp.server (with click, uvicorn) loads on first use
    import uvicorn

    from workbench.mcp.server import http_app, new_token

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as exc:
        # lazy, for start-up: workbench.errors loads on first use
        from workbench.errors import UsageError

        sock.close()
        raise UsageError(
            f"Port {port} on 127.0.0.1 is not free ({exc.strerror}); choose another with --port."
        ) from None
    sock.listen(64)
    token = new_token()
    bound = sock.getsockname()[1]
    config = uvicorn.Config(
        http_app(bridge, token), log_level="warning", access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    print(f"MCP over HTTP at http://127.0.0.1:{bound}/mcp (127.0.0.1 only)", file=sys.stderr)
    print(
        f"Bearer token (shown once; give it to your MCP client): {token}",
        file=sys.stderr,
        flush=True,
    )
    await server.serve(sockets=[sock])
