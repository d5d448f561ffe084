"""``workbench agent PAGE "INSTRUCTION" [--approve] [--agent-profile P] [--tools-json]``.

Runs one agent turn about a page. The transcript (tool calls, the model's words) goes to stderr;
each proposal is printed to stdout as a unified diff of the Markdown. Nothing is written unless
``--approve`` is given: then every hunk of every proposal is applied; if the page changed since the
proposal's base, nothing is written and the exit code is 3.
"""

from __future__ import annotations

import argparse
import asyncio
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    from workbench.agent.fences import PROFILES

    p = subparsers.add_parser(
        "agent",
        help="ask the AI agent about a page; prints its proposals as diffs",
        description=(
            "Run one agent turn on a page and print the proposed change as a unified diff of the "
            "Markdown. Nothing is written without --approve. The model is any OpenAI-compatible "
            "endpoint: set WORKBENCH_MODEL (and OPENAI_API_KEY / OPENAI_BASE_URL) or [agent] in the config."
        ),
    )
    # also accepted after the command (workbench agent 123 "…" --profile work); the root flag still works
    p.add_argument("--profile", metavar="NAME", default=argparse.SUPPRESS,
                   help="stored site profile to use (see 'workbench sites')")
    p.add_argument("page", nargs="?", help="page id or page URL")
    p.add_argument("instruction", nargs="?", help="what the agent should do, in quotes")
    p.add_argument("--approve", action="store_true", help="apply every hunk of the proposals (never over a newer version)")
    p.add_argument(
        "--agent-profile",
        choices=tuple(PROFILES),
        help="permission profile for this run (default: the site's, else [agent] profile, else propose)",
    )
    p.add_argument("--tools-json", action="store_true", help="print the tools' JSON schemas and exit")
    p.add_argument("--no-stream", dest="stream", action="store_false", default=None,
                   help="ask the model for whole answers instead of a stream (for servers that drop streamed "
                   "tool calls; also WORKBENCH_AGENT_STREAM=0 or [agent] stream = false)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from workbench.errors import UsageError

    if args.tools_json:
        from workbench.agent.fences import PROFILES
        from workbench.agent.tool_specs import tools_json

        names = PROFILES[args.agent_profile] if args.agent_profile else None
        print(tools_json(names))
        return 0
    if not args.page or not args.instruction:
        raise UsageError('Usage: workbench agent PAGE "INSTRUCTION" [--approve]; PAGE is a page id or URL.')
    from workbench.agent.limits import Limits
    from workbench.agent.model import NoModelConfigured, require_model
    from workbench.config import config_path, load_settings

    settings = load_settings()
    try:
        model = require_model(settings, stream=getattr(args, "stream", None))  # before touching the network
        Limits.from_settings(settings)  # a broken cap in [agent] is a plain error before anything runs
    except NoModelConfigured:
        raise UsageError(
            "No AI model is configured. Set WORKBENCH_MODEL with OPENAI_API_KEY (or with "
            "OPENAI_BASE_URL=http://127.0.0.1:11434/v1 for a local Ollama), or model = \"…\" under [agent] "
            f"in {settings.path or config_path()}; docs/agent.md has examples."
        ) from None
    return asyncio.run(_run(args, settings, model))


async def _run(args: argparse.Namespace, settings, model) -> int:
    from workbench.agent.apply import CONFLICT, ApplyConflict, apply_proposal
    from workbench.agent.proposals import ACCEPTED
    from workbench.agent.prompt import page_context
    from workbench.agent.session import start_session
    from workbench.auth.connect import client_from_env, open_client

    from workbench.commands.content import resolve_page_id

    profile = getattr(args, "profile", None)
    site = None
    if profile or client_from_env() is None:
        site = settings.profile(profile)
    client = open_client(profile, settings)
    async with client:
        page_id = await resolve_page_id(client, args.page)  # a URL of another site is refused
        page = await client.get_page(page_id, body=False)
        session = start_session(
            client,
            settings=settings,
            site=site,
            profile=args.agent_profile,
            model=model,
            context=page_context(page.id, page.title, page.space_key, page.version.number),
        )
        printer = _Transcript()
        try:
            done = await session.ask(args.instruction, printer)
        finally:
            printer.end()
            await session.provider.aclose()
        proposals = session.toolkit.proposals
        if not proposals:
            # the answer is the output; at a terminal the transcript on stderr has just shown it
            if done.text.strip() and not (sys.stdout.isatty() and sys.stderr.isatty()):
                print(done.text.strip())
            return 0
        for proposal in proposals:
            print(f"# proposal {proposal.id}: {proposal.target}", file=sys.stderr)
            if proposal.summary:
                print(f"# {proposal.summary}", file=sys.stderr)
            sys.stdout.write(proposal.unified_diff())
        sys.stdout.flush()
        if not args.approve:
            print("Nothing was written; re-run with --approve to apply, or review it in the TUI.", file=sys.stderr)
            return 0
        conflicts = []
        for proposal in proposals:
            proposal.set_all(ACCEPTED)
            result = await apply_proposal(client, proposal, session.toolkit.fence, session.toolkit.audit)
            print(result.message, file=sys.stderr)
            if result.status == CONFLICT:
                conflicts.append(result.message)
        if conflicts:
            raise ApplyConflict(
                conflicts[0] + " Open the page in the workbench to review the merge, or run the agent again."
            )
        return 0


class _Transcript:
    """Prints the agent's progress to stderr as it happens (stdout stays the diff)."""

    def __init__(self) -> None:
        self._mid_text = False

    def __call__(self, event) -> None:
        from workbench.agent.loop import Notice, TextDelta, ToolFinished, ToolStarted, Waiting, describe_call

        if isinstance(event, TextDelta):
            sys.stderr.write(event.text)
            self._mid_text = True
        elif isinstance(event, ToolStarted):
            self.end()
            print(f"→ {describe_call(event.name, event.arguments)}", file=sys.stderr)
        elif isinstance(event, ToolFinished) and not event.ok:
            print(f"  {event.summary}", file=sys.stderr)
        elif isinstance(event, Waiting):
            self.end()
            print(f"… {event.reason} Waiting {event.seconds:g} s, then asking again.", file=sys.stderr)
        elif isinstance(event, Notice):
            self.end()
            print(f"⚠ {event.text}", file=sys.stderr)
        sys.stderr.flush()

    def end(self) -> None:
        if self._mid_text:
            sys.stderr.write("\n")
            self._mid_text = False
