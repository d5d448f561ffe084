"""Entry point: ``workbench [SUBCOMMAND] …``.

Each area of the product registers its own subcommands from a module in ``workbench.commands``
(``register(subparsers)``), so this file stays a dispatcher. Command modules import their heavy
dependencies inside the handler, never at module level, so ``workbench --help`` and the TUI start fast.

Every handler returns an exit code. An expected failure raises ``WorkbenchError``: it is printed
as one or two plain sentences on stderr, with that error's exit code and no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from contextlib import nullcontext

from workbench import __version__

COMMAND_MODULES = (
    "workbench.commands.tui",
    "workbench.commands.serve",
    "workbench.commands.auth",
    "workbench.commands.content",
    "workbench.commands.attachments",
    "workbench.commands.index",
    "workbench.commands.convert",
    "workbench.commands.agent",
    "workbench.commands.mcp",
    "workbench.commands.proposals",
    "workbench.commands.lifecycle",
    "workbench.commands.people",
    "workbench.commands.jira",
    "workbench.commands.schema",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description=(
            "Confluence Workbench: browse, search, read and edit Confluence pages in the terminal, "
            "with an AI agent that proposes edits as diffs. With no subcommand, opens the TUI."
        ),
    )

    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    parser.add_argument(
        "--profile", metavar="NAME", help="stored site profile to use (see 'workbench sites')"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # lazy, for start-up: workbench.tui.warmup (no Textual) loads on first use
    from workbench.tui.warmup import pause_collector, resume_collector

    pause_collector()  # for the TUI's start-up (workbench.tui.warmup); any other command: below
    tui = False
    try:
        # lazy, for start-up: workbench.errors, workbench.textsafe loads on first use
        from workbench.errors import WorkbenchError
        from workbench.textsafe import guard_terminal, printable

        parser = build_parser()
        args = parser.parse_args(argv)
        handler = getattr(args, "handler", None)
        if handler is None:
            handler = importlib.import_module("workbench.commands.tui").run_default
        tui = handler.__module__ == "workbench.commands.tui"
    finally:
        if not tui:
            resume_collector()
    # Every command but the TUI prints through a guard when its output is a terminal: no control
    # character any server sent can reach the terminal (the TUI draws with escape codes itself).
    guard = guard_terminal() if handler.__module__ != "workbench.commands.tui" else nullcontext()
    try:
        _check_arguments_are_text(args)
        with guard:
            return int(handler(args) or 0)
    except WorkbenchError as exc:
        # redacted when it was made; shown here so no server text in it can drive the terminal
        print(f"workbench: {printable(exc.message, multiline=True)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("workbench: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _check_arguments_are_text(args: argparse.Namespace) -> None:
    """A UsageError for an argument that was not valid UTF-8 on the command line (Python keeps such
    bytes as lone surrogates, which cannot be sent, printed or stored)."""
    # lazy, for start-up: workbench.errors, workbench.textsafe loads on first use
    from workbench.errors import UsageError
    from workbench.textsafe import printable

    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, str):
                continue
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                option = name.replace("_", "-")
                raise UsageError(
                    f"The {option} argument '{printable(item)}' is not valid UTF-8 text; "
                    "check the terminal's encoding (LANG/LC_ALL) or how the argument was made."
                ) from None
