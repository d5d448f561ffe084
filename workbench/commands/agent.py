"""``workbench agent PAGE "INSTRUCTION" [--approve] [--approve-new-pages] [--approve-comments] …``.

Runs one agent turn about a page. The transcript (tool calls, the model's words) goes to stderr;
each proposal is printed to stdout as a unified diff of the Markdown, however the turn ended (an
answer, the step or time limit, a model error, ctrl+c). Nothing is written unless the person's flags
cover it (:mod:`workbench.agent.approval`): ``--approve`` writes edits to PAGE only,
``--approve-new-pages`` new pages in PAGE's space, ``--approve-comments`` comments on PAGE; flagged
proposals and anything else stay proposals. Exit codes: 0 nothing left unwritten, 3 the page changed
since the proposal's base (nothing written), 6 proposals were printed but not written, 1 the turn did
not finish (its proposals are printed, none written), 4 PAGE is outside the allow-list.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from workbench.textsafe import printable


def register(subparsers: argparse._SubParsersAction) -> None:
    # lazy, for start-up: workbench.config loads on first use
    from workbench.config import AGENT_PROFILES

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
    p.add_argument(
        "--profile",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="stored site profile to use (see 'workbench sites')",
    )
    p.add_argument("page", nargs="?", help="page id or page URL")
    p.add_argument("instruction", nargs="?", help="what the agent should do, in quotes")
    p.add_argument(
        "--approve",
        action="store_true",
        help="write the proposed edits to PAGE (never over a newer version); other proposals stay proposals",
    )
    p.add_argument(
        "--approve-new-pages",
        action="store_true",
        help="also create the proposed new pages in PAGE's space",
    )
    p.add_argument(
        "--approve-comments", action="store_true", help="also post the proposed comments on PAGE"
    )
    p.add_argument(
        "--agent-profile",
        metavar="NAME",
        help=f"permission profile for this run: {', '.join(AGENT_PROFILES)} or one of [agent.profiles] "
        "in the config (default: the site's, else [agent] profile, else propose)",
    )
    p.add_argument(
        "--tools-json", action="store_true", help="print the tools' JSON schemas and exit"
    )
    p.add_argument(
        "--no-stream",
        dest="stream",
        action="store_false",
        default=None,
        help="ask the model for whole answers instead of a stream (for servers that drop streamed "
        "tool calls; also WORKBENCH_AGENT_STREAM=0 or [agent] stream = false)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # lazy, for start-up: workbench.errors loads on first use
    from workbench.errors import UsageError

    if args.tools_json:
        # lazy, for start-up: workbench.agent.fences, workbench.agent.tool_specs … loads on first use
        from workbench.agent.fences import Profiles
        from workbench.agent.tool_specs import tools_json
        from workbench.config import load_settings

        names = None
        if args.agent_profile:
            names = Profiles.from_settings(load_settings()).tools(args.agent_profile)
        print(tools_json(names))
        return 0
    if not args.page or not args.instruction:
        raise UsageError(
            'Usage: workbench agent PAGE "INSTRUCTION" [--approve]; PAGE is a page id or URL.'
        )
    # lazy, for start-up: workbench.agent.limits, workbench.agent.model … loads on first use
    from workbench.agent.limits import Limits
    from workbench.agent.model import NoModelConfigured, require_model
    from workbench.config import config_path, load_settings

    settings = load_settings()
    if args.agent_profile:  # a wrong name is refused before anything is asked of the network
        # lazy, for start-up: workbench.agent.fences loads on first use
        from workbench.agent.fences import Profiles

        args.agent_profile = Profiles.from_settings(settings).check(args.agent_profile)
    try:
        model = require_model(
            settings, stream=getattr(args, "stream", None)
        )  # before touching the network
        Limits.from_settings(
            settings
        )  # a broken cap in [agent] is a plain error before anything runs
    except NoModelConfigured:
        raise UsageError(
            "No AI model is configured. Set WORKBENCH_MODEL with OPENAI_API_KEY (or with "
            'OPENAI_BASE_URL=http://127.0.0.1:11434/v1 for a local Ollama), or model = "…" under [agent] '
            f"in {settings.path or config_path()}; docs/agent.md has examples."
        ) from None
    return asyncio.run(_run(args, settings, model))


async def _run(args: argparse.Namespace, settings, model) -> int:
    # lazy, for start-up: workbench.agent.approval, workbench.agent.prompt … loads on first use
    from workbench.agent.approval import ApprovalScope
    from workbench.agent.prompt import page_context
    from workbench.agent.session import fence_for, site_profile_for, start_session
    from workbench.auth.connect import open_client
    from workbench.auth.env import env_site
    from workbench.commands.cat import read_content, resolve_content
    from workbench.errors import WorkbenchError

    profile = getattr(args, "profile", None)
    env = None if profile else env_site()  # open_client's order too
    env_url = env.url if env else ""
    # the allow-list applies whichever way the site was named: a stored profile, or CONFLUENCE_URL (then
    # the stored profile with the same URL, else [agent] allow_spaces, else PAGE's space)
    site = site_profile_for(settings, url=env_url) if env_url else settings.profile(profile)
    client = open_client(profile, settings)
    async with client:
        page_id, kind = await resolve_content(client, args.page)  # a URL of another site is refused
        page, kind = await read_content(
            client, page_id, kind, lambda k: client.get_page(page_id, body=False, kind=k)
        )
        space_key = page.space_key or (await client.get_space(page.space_id)).key
        fence = fence_for(
            settings,
            site,
            args.agent_profile,
            default_spaces=([space_key], "PAGE's space, the default of 'workbench agent'"),
        )
        fence.check_space(
            space_key
        )  # a fenced PAGE is refused before the model hears anything of it
        print(f"Fences: {fence.describe_source()}.", file=sys.stderr)
        session = start_session(client, settings=settings, site=site, fence=fence, model=model)
        session.toolkit.note_kind(page.id, kind)  # a blog post is read as one
        scope = ApprovalScope(
            page.id, space_key, args.approve, args.approve_new_pages, args.approve_comments
        )
        printer = _Transcript()
        ended: WorkbenchError | None = None
        try:
            done = await session.ask(
                args.instruction,
                printer,
                context=page_context(page.id, page.title, space_key, page.version.number, kind),
            )
        except (
            WorkbenchError
        ) as exc:  # the step or time limit, a model error: still show what was proposed
            ended, done = exc, None
        except (
            BaseException
        ):  # ctrl+c or a bug: the proposals are printed, then it ends as it would
            printer.end()
            _refused(session, _report(session.toolkit.proposals, scope, finished=False), scope)
            raise
        finally:
            printer.end()
            await session.provider.aclose()
        proposals = session.toolkit.proposals
        if not proposals:
            if ended is not None:
                raise ended
            # the answer is the output; at a terminal the transcript on stderr has just shown it
            if (
                done is not None
                and done.text.strip()
                and not (sys.stdout.isatty() and sys.stderr.isatty())
            ):
                print(done.text.strip())
            return 0
        decisions = _report(proposals, scope, finished=ended is None)
        if ended is not None:
            _refused(session, decisions, scope)
            raise ended
        return await _apply_approved(client, session, decisions, scope)


def _report(proposals, scope, *, finished: bool):
    """Print every proposal's diff (stdout) with its target, flags and what happens to it (stderr)."""
    # lazy, for start-up: workbench.agent.approval loads on first use
    from workbench.agent.approval import decide

    decisions = []
    for proposal in proposals:
        decision = decide(proposal, scope, finished=finished)
        decisions.append(decision)
        print(f"# proposal {proposal.id}: {printable(proposal.target)}", file=sys.stderr)
        if proposal.summary:
            print(f"# {printable(proposal.summary)}", file=sys.stderr)
        for flag in decision.risks:
            print(f"# ⚠ flagged: {printable(flag)}", file=sys.stderr)
        verdict = "will be written" if decision.approved else "left as a proposal"
        print(f"# → {verdict}: {printable(decision.why)}", file=sys.stderr)
        sys.stdout.write(proposal.unified_diff())
    sys.stdout.flush()
    sys.stderr.flush()
    return decisions


def _refused(session, decisions, scope) -> None:
    """A ``write`` line (``approval: refused``) for each proposal an approval flag was typed for but
    that is not written because the turn did not finish: the audit says the flag did not cover it."""
    # lazy, for start-up: workbench.agent.apply loads on first use
    from workbench.agent.apply import record_refusal

    if scope.any:
        for decision in decisions:
            record_refusal(
                session.toolkit.audit, session.toolkit.fence, decision.proposal, decision.why
            )


async def _apply_approved(client, session, decisions, scope) -> int:
    # lazy, for start-up: workbench.agent.apply, workbench.agent.approval … loads on first use
    from workbench.agent.apply import CONFLICT, ApplyConflict, apply_proposal, record_refusal
    from workbench.agent.approval import FLAG, NotApproved
    from workbench.agent.proposals import ACCEPTED

    fence, audit = session.toolkit.fence, session.toolkit.audit
    conflicts, left = [], []
    for decision in decisions:
        proposal = decision.proposal
        if not decision.approved:
            left.append(decision)
            if scope.any:
                record_refusal(audit, fence, proposal, decision.why)
            continue
        proposal.set_all(ACCEPTED)
        result = await apply_proposal(client, proposal, fence, audit, approval=FLAG)
        print(printable(result.message, multiline=True), file=sys.stderr)
        if result.status == CONFLICT:
            conflicts.append(result.message)
    if conflicts:
        raise ApplyConflict(
            conflicts[0]
            + " Open the page in the workbench to review the merge, or run the agent again."
        )
    if left:
        raise NotApproved.for_(left, scope)
    return 0


class _Transcript:
    """Prints the agent's progress to stderr as it happens (stdout stays the diff)."""

    def __init__(self) -> None:
        self._mid_text = False

    def __call__(self, event) -> None:
        # lazy, for start-up: workbench.agent.loop loads on first use
        from workbench.agent.loop import (
            Notice,
            TextDelta,
            ToolFinished,
            ToolStarted,
            Waiting,
            describe_call,
        )

        # the model's words and the pages' text: shown, never interpreted by the terminal
        if isinstance(event, TextDelta):
            sys.stderr.write(printable(event.text, multiline=True))
            self._mid_text = True
        elif isinstance(event, ToolStarted):
            self.end()
            print(f"→ {printable(describe_call(event.name, event.arguments))}", file=sys.stderr)
        elif isinstance(event, ToolFinished) and not event.ok:
            print(f"  {printable(event.summary)}", file=sys.stderr)
        elif isinstance(event, Waiting):
            self.end()
            print(
                f"… {printable(event.reason)} Waiting {event.seconds:g} s, then asking again.",
                file=sys.stderr,
            )
        elif isinstance(event, Notice):
            self.end()
            print(f"⚠ {printable(event.text, multiline=True)}", file=sys.stderr)
        sys.stderr.flush()

    def end(self) -> None:
        if self._mid_text:
            sys.stderr.write("\n")
            self._mid_text = False
