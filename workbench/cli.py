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
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from typing import NoReturn

from workbench import __version__

#: Each command module and the subcommands it registers (``register(subparsers)``), in the order
#: ``workbench --help`` lists them. The names let :func:`command_modules` load only the module of the
#: command given (tests/test_cli_parser.py checks them against what each module registers).
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "workbench.commands.tui": ("demo",),
    "workbench.commands.serve": ("serve-local",),
    "workbench.commands.auth": ("login", "logout", "sites"),
    "workbench.commands.content": ("spaces", "search", "cat", "push"),
    "workbench.commands.attachments": ("attachments", "attach", "download"),
    "workbench.commands.index": ("sync",),
    "workbench.commands.convert": ("convert",),
    "workbench.commands.agent": ("agent",),
    "workbench.commands.mcp": ("mcp",),
    "workbench.commands.proposals": ("proposals",),
    "workbench.commands.lifecycle": ("rename", "move", "copy", "delete", "restore", "trash"),
    "workbench.commands.people": ("users", "groups"),
    "workbench.commands.jira": ("jira",),
    "workbench.commands.schema": ("schema",),
}

_HELP = ("-h", "--help")


class _Partial(argparse.ArgumentParser):
    """A parser holding only some commands: any error it finds is re-checked by the whole parser
    (which says it exactly as before), so a partial parser never gives a message of its own."""

    def error(self, message: str) -> NoReturn:
        raise _Incomplete(message)


class _Incomplete(Exception):
    pass


def build_parser(modules: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser: every command, or only those of ``modules``."""
    parser = (argparse.ArgumentParser if modules is None else _Partial)(
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
    for name in COMMAND_MODULES if modules is None else modules:
        importlib.import_module(name).register(sub)
    return parser


def command_modules(argv: Sequence[str]) -> list[str] | None:
    """The command modules parsing ``argv`` needs: the one module of the command named (none for
    bare ``workbench``), or None (every module) for ``workbench --help``, an unknown command, or
    anything this quick look cannot be sure of. Building ~14 modules' parsers costs ~40 ms of
    imports that a TUI start or one command does not need."""
    words = iter(argv)
    for word in words:
        if word == "--profile":
            next(words, None)  # its value
        elif word in _HELP or word == "--":
            return None
        elif not word.startswith("-"):
            for module, commands in COMMAND_MODULES.items():
                if word in commands:
                    return [module]
            return None
    return []


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """``argv`` parsed as the whole parser would, building only the parsers it needs (any error, or
    a case :func:`command_modules` is unsure of, goes to the whole parser, which says it)."""
    words = sys.argv[1:] if argv is None else list(argv)
    modules = command_modules(words)
    if modules is not None:
        try:
            return build_parser(modules).parse_args(words)
        except _Incomplete:
            pass
    return build_parser().parse_args(words)


def main(argv: Sequence[str] | None = None) -> int:
    # lazy, for start-up: workbench.tui.warmup (no Textual) loads on first use
    from workbench.tui.warmup import pause_collector, resume_collector

    pause_collector()  # for the TUI's start-up (workbench.tui.warmup); any other command: below
    tui = False
    try:
        # lazy, for start-up: workbench.errors, workbench.textsafe loads on first use
        from workbench.errors import WorkbenchError
        from workbench.textsafe import guard_terminal, printable

        args = parse_arguments(argv)
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
