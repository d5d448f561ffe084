"""Every command answers ``--help``: exit 0, a usage line, a description; ``workbench --help`` lists them all.

Commands are discovered from ``workbench.cli.build_parser()`` (nested ones such as ``convert to-md``
included), so a command added later is covered without editing this file. All of them are run
in-process; a few also in a subprocess, the way a person runs them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest

from workbench.cli import build_parser, main


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _commands(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> list[tuple[str, ...]]:
    found = []
    for name, sub in _subparsers(parser).items():
        found.append((*prefix, name))
        found += _commands(sub, (*prefix, name))
    return found


COMMANDS = _commands(build_parser())


def test_the_known_commands_are_discovered():
    names = {" ".join(c) for c in COMMANDS}
    expected = {
        "demo",
        "serve-local",
        "login",
        "logout",
        "sites",
        "spaces",
        "search",
        "cat",
        "push",
        "convert",
        "convert to-md",
        "convert to-storage",
        "agent",
    }
    assert expected <= names


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_answers_help(command, capsys):
    with pytest.raises(SystemExit) as stop:
        main([*command, "--help"])
    out, err = capsys.readouterr()
    assert stop.value.code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith(f"usage: workbench {' '.join(command)}")
    assert "-h, --help" in out
    # a sentence about what the command does, not just the option list
    parser = build_parser()
    for name in command:
        parser = _subparsers(parser)[name]
    assert parser.description and len(parser.description.split()) >= 4, (
        f"{command} has no description"
    )
    assert parser.description.split()[0] in out


def test_bare_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--help"])
    out = capsys.readouterr().out
    assert stop.value.code == 0 and out.startswith("usage: workbench")
    top = [c[0] for c in COMMANDS if len(c) == 1]
    assert len(top) >= 11
    listed = {
        line.split()[0] for line in out.splitlines() if line.startswith("    ") and line.split()
    }
    assert set(top) <= listed, set(top) - listed
    assert "--profile NAME" in out and "--version" in out


@pytest.mark.parametrize(
    "command",
    [(), ("spaces",), ("convert", "to-md"), ("agent",), ("login",)],
    ids=["workbench", "spaces", "convert to-md", "agent", "login"],
)
def test_help_in_a_subprocess(command, tmp_path):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "COLUMNS": "100"}
    env.pop("CONFLUENCE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "workbench", *command, "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith(" ".join(("usage: workbench", *command)))
    assert "Traceback" not in done.stdout


def test_an_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["no-such-command"])
    err = capsys.readouterr().err
    assert (
        stop.value.code == 2
        and "invalid choice: 'no-such-command'" in err
        and "Traceback" not in err
    )
