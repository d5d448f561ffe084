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

COMMAND_MODULES = (
    "workbench.commands.tui",
    "workbench.commands.serve",
    "workbench.commands.auth",
    "workbench.commands.content",
    "workbench.commands.convert",
    "workbench.commands.agent",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description=(
            "Confluence Workbench: browse, search, read and edit Confluence pages in the terminal, "
            "with an AI agent that proposes edits as diffs. With no subcommand, opens the TUI."
        ),
    )
    from workbench import __version__

    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    parser.add_argument("--profile", metavar="NAME", help="stored site profile to use (see 'workbench sites')")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from workbench.errors import WorkbenchError

    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        handler = importlib.import_module("workbench.commands.tui").run_default
    try:
        return int(handler(args) or 0)
    except WorkbenchError as exc:
        print(f"workbench: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("workbench: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0

