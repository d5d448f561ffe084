"""Confluence Workbench: a keyboard-driven terminal workbench for Atlassian Confluence."""

import sys

__version__ = "0.1.0"

# httpx's __init__ imports its command-line client (httpx._main, with click, rich.console, rich.syntax
# and pygments: ~30 ms) whenever those happen to be installed — and they are here (uvicorn needs click,
# Textual needs rich and pygments). The workbench never runs httpx's command line: a None entry makes
# that one import fail at once, httpx falls back to its stub ``main`` (it prints how to install the
# CLI), and every workbench process starts without them. Nothing else changes in httpx.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
