"""``workbench convert to-md [FILE]`` and ``workbench convert to-storage [--base STORAGE_FILE] [FILE]``.

Offline conversion between Confluence storage format and our Markdown dialect
(``docs/markdown-dialect.md``). With no FILE (or ``-``) the input is standard input; output goes to
standard output.
"""

from __future__ import annotations

import argparse
import sys

from workbench.commands.inputs import read_text_input


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "convert",
        help="convert between storage format and Markdown (offline)",
        description="Convert between Confluence storage format (XHTML) and Markdown, offline. "
        "See docs/markdown-dialect.md for the Markdown forms.",
    )
    sub = p.add_subparsers(dest="convert_command", metavar="DIRECTION")
    p.set_defaults(handler=lambda args: _usage(p))

    md = sub.add_parser(
        "to-md",
        help="storage XHTML → Markdown",
        description="Print the Markdown view of a storage-format document.",
    )
    md.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE",
        help="storage file (default: standard input)",
    )
    md.set_defaults(handler=run_to_md)

    st = sub.add_parser(
        "to-storage",
        help="Markdown → storage XHTML",
        description="Print storage format for a Markdown file. With --base (the storage the Markdown was "
        "read from), everything the Markdown did not change is kept byte for byte.",
    )
    st.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE",
        help="Markdown file (default: standard input)",
    )
    st.add_argument(
        "--base", metavar="STORAGE_FILE", help="the storage the Markdown was converted from"
    )
    st.set_defaults(handler=run_to_storage)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_to_md(args: argparse.Namespace) -> int:
    # lazy, for start-up: workbench.convert, workbench.convert.validate loads on first use
    from workbench.convert import storage_to_markdown
    from workbench.convert.validate import storage_problem

    storage = read_text_input(args.file, "Storage file")
    problem = storage_problem(storage) if storage.strip() else None
    if problem:
        print(
            f"workbench: warning: the storage is not well-formed ({problem}); the parts that could not be "
            "read are kept as placeholders and restored unchanged.",
            file=sys.stderr,
        )
    _emit(storage_to_markdown(storage))
    return 0


def run_to_storage(args: argparse.Namespace) -> int:
    # lazy, for start-up: workbench.convert loads on first use
    from workbench.convert import markdown_to_storage

    base = read_text_input(args.base, "Base storage file") if args.base else None
    markdown = read_text_input(args.file, "Markdown file")
    _emit(markdown_to_storage(markdown, base=base))
    return 0


def _emit(text: str) -> None:
    """Write the result as is; at a terminal, end with a newline so the prompt starts on its own line."""
    sys.stdout.write(text)
    if sys.stdout.isatty() and text and not text.endswith("\n"):
        sys.stdout.write("\n")
