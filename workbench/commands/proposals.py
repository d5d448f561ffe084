"""``workbench proposals [list|show ID|approve ID|reject ID --reason TEXT] [--json]``: the inbox from the shell.

Approving writes through the same path as the agent panel (the editing session, base+1, verified);
if the page moved on since the proposal, nothing is written and the merge is shown: ``--merge``
writes a clean merge on top of the newer version. Exit codes: 0 done; 2 no such proposal or wrong
usage; 3 the page changed since (nothing written); 4 outside the allow-list or another site;
5 decided already; 1 anything else that stopped it (the page is gone, Confluence refused).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "proposals",
        help="list, show, approve or reject the proposals agents made through 'workbench mcp'",
        description=(
            "The inbox of proposals made by agents over MCP. Nothing an agent proposes is written until a "
            "person approves it here or in the workbench."
        ),
    )
    p.add_argument(
        "--profile",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="stored site profile to approve with (default: the one whose URL the proposal was made on)",
    )
    p.add_argument(
        "action", nargs="?", default="list", choices=("list", "show", "approve", "reject")
    )
    p.add_argument("id", nargs="?", type=int, help="the proposal's number")
    p.add_argument(
        "--all", action="store_true", help="list: decided proposals too (default: pending only)"
    )
    p.add_argument("--reason", metavar="TEXT", help="reject: why (the agent reads it)")
    p.add_argument(
        "--hunks",
        metavar="N,N",
        help="approve: only these hunks (numbers from 'show'); default all",
    )
    p.add_argument(
        "--merge",
        action="store_true",
        help="approve: if the page changed since, write the clean merge on top of the newer version",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # lazy, for start-up: workbench.errors, workbench.inbox.store loads on first use
    from workbench.errors import UsageError
    from workbench.inbox.store import Inbox

    inbox = Inbox()
    if args.action == "list":
        return _list(inbox, args)
    if args.id is None:
        raise UsageError(
            f"Usage: workbench proposals {args.action} ID (numbers from 'workbench proposals')."
        )
    if args.action == "show":
        return _show(inbox, args.id, args.json)
    if args.action == "reject":
        return _reject(inbox, args)
    return asyncio.run(_approve(inbox, args))


def _list(inbox, args: argparse.Namespace) -> int:
    # lazy, for start-up: urllib.parse, workbench.inbox.decide … loads on first use
    from urllib.parse import urlsplit

    from workbench.inbox.decide import describe_status
    from workbench.inbox.store import age
    from workbench.textsafe import printable

    items, broken = inbox.scan()
    if not args.all:
        items = [i for i in items if i.status == "pending"]
    if args.json:
        print(json.dumps([_summary(i) for i in items], indent=2, ensure_ascii=False))
        return 0
    for note in broken:
        print(f"⚠ {printable(note.name)}: {printable(note.why)}", file=sys.stderr)
    if not items:
        print("No pending proposals." if not args.all else "The inbox is empty.")
        return 0
    for item in items:
        host = urlsplit(item.site).netloc
        print(
            printable(
                f"{item.id:>4}  {describe_status(item)[:40]:<40}  {age(item.created):>5}  {host}  "
                f"{item.kind:<7} {_target(item)}  by {item.agent}"
            )
        )
    return 0


def _show(inbox, number: int, as_json: bool) -> int:
    # lazy, for start-up: workbench.agent.risk, workbench.inbox.decide … loads on first use
    from workbench.agent.risk import risks
    from workbench.inbox.decide import describe_status, proposal_of
    from workbench.textsafe import printable

    item = inbox.get(number)
    proposal = proposal_of(item)
    if as_json:
        data = _summary(item)
        data["hunks"] = [
            [f"{kind}{text}" for kind, text in proposal.hunk_lines(h)] for h in proposal.hunks
        ]
        data["diff"] = proposal.unified_diff()
        data["flags"] = risks(proposal)
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(printable(f"# proposal {item.id}: {proposal.target}"))
    print(
        printable(
            f"# {describe_status(item)}; by {item.agent} ({item.profile}), {item.created}, on {item.site}"
        )
    )
    if item.summary:
        print(printable(f"# {item.summary}"))
    for flag in risks(proposal):
        print(printable(f"# ⚠ flagged: {flag}"))
    for hunk in proposal.hunks:
        print(f"@@ hunk {hunk.index + 1} of {len(proposal.hunks)} @@")
        for kind, text in proposal.hunk_lines(hunk):
            print(printable(f"{kind}{text}"))
    return 0


def _reject(inbox, args: argparse.Namespace) -> int:
    # lazy, for start-up: workbench.agent.audit, workbench.errors … loads on first use
    from workbench.agent.audit import AuditLog
    from workbench.errors import UsageError
    from workbench.inbox.decide import reject

    if not (args.reason or "").strip():
        raise UsageError(
            "Say why with --reason TEXT: the agent reads the reason and can try again."
        )
    item = reject(inbox, args.id, args.reason, by="cli", audit=AuditLog())
    if args.json:
        print(json.dumps(_summary(item), indent=2, ensure_ascii=False))
    else:
        print(f"Rejected proposal {item.id}; the agent can read why with get_proposal.")
    return 0


async def _approve(inbox, args: argparse.Namespace) -> int:
    # lazy, for start-up: workbench.agent.apply, workbench.agent.audit … loads on first use
    from workbench.agent import apply
    from workbench.agent.audit import AuditLog
    from workbench.agent.session import fence_for, site_profile_for
    from workbench.auth.connect import open_client
    from workbench.config import load_settings
    from workbench.errors import UsageError
    from workbench.inbox.decide import approve
    from workbench.textsafe import printable

    accepted = _hunk_numbers(args.hunks) if args.hunks else None
    item = inbox.get(args.id)
    settings = load_settings()
    profile = getattr(args, "profile", None)
    # lazy, for start-up: workbench.auth.env loads on first use
    from workbench.auth.env import env_site

    env = None if profile else env_site()  # open_client's order too
    env_url = env.url if env else ""
    if profile:
        site = settings.profile(profile)
    elif env_url:
        site = site_profile_for(settings, url=env_url)
    else:  # the stored site the proposal was made on
        site = site_profile_for(settings, url=item.site)
        profile = site.name if site is not None else None
    fence = fence_for(settings, site, None)
    client = open_client(profile, settings)
    async with client:
        decision = await approve(
            inbox, args.id, client, fence, AuditLog(), by="cli", accepted=accepted, merge=args.merge
        )
    result = decision.result
    if args.json:
        data = _summary(decision.item)
        data["result"] = result.status
        data["message"] = result.message
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(printable(result.message))
    if result.status == apply.CONFLICT:
        conflict = result.conflict
        if not args.json and conflict is not None:
            print(printable(decision.proposal.unified_diff(conflict.merge.text)), end="")
        if conflict is not None and conflict.merge.clean:
            hint = (
                "The merge is clean: approve it with --merge, or reject the proposal with a reason."
            )
        else:
            hint = (
                "The merge has conflicts: resolve them in the workbench's inbox (ctrl+g), or reject "
                "the proposal with a reason so the agent proposes again."
            )
        print(hint, file=sys.stderr)
        return 3
    if result.status == apply.GONE:
        return 1
    if result.status == apply.NOTHING and decision.item.status == "pending":
        raise UsageError(result.message)
    return 0


def _hunk_numbers(text: str) -> set[int]:
    # lazy, for start-up: workbench.errors loads on first use
    from workbench.errors import UsageError

    try:
        numbers = {int(part) for part in text.replace(" ", "").split(",") if part}
    except ValueError:
        raise UsageError(
            f"--hunks takes hunk numbers separated by commas (e.g. 1,3), not '{text}'."
        ) from None
    if not numbers:
        raise UsageError("--hunks needs at least one hunk number.")
    return numbers


def _summary(item) -> dict[str, Any]:
    # lazy, for start-up: workbench.inbox.decide loads on first use
    from workbench.inbox.decide import describe_status

    return {
        "id": item.id,
        "status": item.status,
        "status_text": describe_status(item),
        "created": item.created,
        "site": item.site,
        "agent": item.agent,
        "profile": item.profile,
        "kind": item.kind,
        "page_id": item.page_id,
        "title": item.title,
        "space": item.space_key,
        "summary": item.summary,
        "base_version": item.proposal.get("base_version"),
        "new_version": item.new_version,
        "written_id": item.written_id,
        "reason": item.reason or None,
        "note": item.note or None,
        "decided": item.decided,
        "decided_by": item.decided_by,
    }


def _target(item) -> str:
    if item.page_id or item.proposal.get("group_name") or item.proposal.get("issue_key"):
        return item.target
    if item.proposal.get("project_key"):
        return item.target
    return f"'{item.title}' in {item.space_key}"
