"""The command line builds only the parser of the command given (``workbench.cli.parse_arguments``),
and what it parses, prints and refuses is exactly what the whole parser does.

The whole parser imports every command module (~40 ms of imports before a TUI or one command can
start); the command's own module is enough. These tests hold the shortcut to the whole parser's
behaviour: the same namespace for good command lines, the same message and exit status for bad
ones, the same help, and the table of command names right for every module.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

import pytest

from workbench.cli import COMMAND_MODULES, build_parser, command_modules, main, parse_arguments

GOOD = [
    [],
    ["demo"],
    ["demo", "--seed", "large:10", "--data", "/tmp/x"],
    ["--profile", "work"],
    ["--profile", "work", "spaces", "--json"],
    ["--profile=work", "search", "release", "notes", "--limit", "3"],
    ["spaces"],
    ["cat", "123"],
    ["convert", "to-md", "page.xml"],
    ["sites"],
    ["serve-local", "--seed", "empty"],
    # an abbreviated --profile: the quick look takes its value for the command, the whole parser
    # does not — the result must still be the whole parser's
    ["--prof", "demo", "spaces"],
    ["--prof", "spaces", "search", "x"],
]

BAD = [
    ["nosuch"],
    ["demo", "--bogus"],
    ["demo", "--seed"],
    ["--profile"],
    ["spaces", "extra"],
    ["search"],
    ["cat"],
    ["--prof", "demo", "nosuch"],
    ["--bogus", "demo"],
    ["convert", "nosuch"],
]


def _vars(namespace: argparse.Namespace) -> dict[str, object]:
    return vars(namespace)


@pytest.mark.parametrize("argv", GOOD, ids=[" ".join(a) or "(none)" for a in GOOD])
def test_a_command_line_parses_as_the_whole_parser_parses_it(argv):
    assert _vars(parse_arguments(argv)) == _vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", BAD, ids=[" ".join(a) for a in BAD])
def test_a_bad_command_line_is_refused_with_the_whole_parsers_words(argv, capsys):
    with pytest.raises(SystemExit) as whole:
        build_parser().parse_args(argv)
    expected = capsys.readouterr()
    with pytest.raises(SystemExit) as quick:
        parse_arguments(argv)
    got = capsys.readouterr()
    assert quick.value.code == whole.value.code == 2
    assert got.err == expected.err and got.out == expected.out
    assert "usage: workbench" in got.err


@pytest.mark.parametrize(
    "argv", [["--help"], ["-h", "demo"], ["demo", "--help"], ["spaces", "-h"], ["--version"]]
)
def test_help_and_version_are_the_whole_parsers(argv, capsys):
    with pytest.raises(SystemExit) as whole:
        build_parser().parse_args(argv)
    expected = capsys.readouterr().out
    with pytest.raises(SystemExit) as quick:
        main(argv)
    assert quick.value.code == whole.value.code == 0
    assert capsys.readouterr().out == expected


def test_bare_help_still_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for commands in COMMAND_MODULES.values():
        for name in commands:
            assert name in out


@pytest.mark.parametrize("module", list(COMMAND_MODULES))
def test_the_table_names_what_each_module_registers(module):
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    importlib.import_module(module).register(sub)
    assert tuple(sub.choices) == COMMAND_MODULES[module]


def test_every_command_name_is_in_one_module_only():
    names = [name for commands in COMMAND_MODULES.values() for name in commands]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("argv", "modules"),
    [
        (["demo"], ["workbench.commands.tui"]),
        (["--profile", "x", "spaces"], ["workbench.commands.content"]),
        (["trash", "SPACE"], ["workbench.commands.lifecycle"]),
        ([], []),
        (["--profile", "work"], []),
        (["--help"], None),
        (["-h", "demo"], None),
        (["nosuch"], None),
        (["--", "demo"], None),
    ],
)
def test_the_quick_look_names_the_commands_module(argv, modules):
    assert command_modules(argv) == modules


def test_a_tui_start_imports_no_other_commands_parser():
    """In a fresh interpreter: after parsing ``demo`` only its own command module is loaded."""
    code = (
        "import sys; from workbench.cli import parse_arguments; parse_arguments(['demo']); "
        "print(sorted(m for m in sys.modules if m.startswith('workbench.commands.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['workbench.commands.tui']"
