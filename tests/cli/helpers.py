"""Shared by the CLI tests: point ``workbench`` at a site through the environment, run it in-process."""

from __future__ import annotations

import pytest

from workbench.cli import main


def use_site(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    """Configure the site through ``CONFLUENCE_*`` with the local Confluence's demo credentials."""
    monkeypatch.setenv("CONFLUENCE_URL", url)
    monkeypatch.setenv("CONFLUENCE_USERNAME", "demo@example.com")
    monkeypatch.setenv("CONFLUENCE_API_TOKEN", "demo-token")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``workbench ARGV`` through ``workbench.cli.main``: exit code, standard output, standard error."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
