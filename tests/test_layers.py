"""Layering rules, checked at run time in fresh interpreters.

Only ``workbench.tui`` may import textual or rich; no headless module may pull in an LLM SDK or the
keyring at import time; and the TUI's entry module must not load the heavy libraries it only needs
on first use (converter, keyring, LLM SDKs), so the first frame stays fast.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import workbench

ROOT = Path(workbench.__file__).parent
UI = ("textual", "rich")
SDKS = ("openai", "anthropic")
HEAVY = ("keyring", "markdownify", "mistune", "bs4", "lxml", "authlib")


def _headless_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(ROOT)], prefix="workbench."):
        if (
            info.name.startswith(("workbench.tui", "workbench.styles"))
            or info.name == "workbench.__main__"
        ):
            continue
        names.append(info.name)
    return sorted(names)


def _loaded_after_import(module: str) -> set[str]:
    code = (
        f"import importlib, json, sys; importlib.import_module({module!r}); "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


def test_headless_modules_do_not_import_ui_or_sdks():
    modules = _headless_modules()
    assert "workbench.cli" in modules and "workbench.config" in modules
    code = (
        "import importlib, json, sys\n"
        f"mods = {modules!r}\n"
        "for name in mods:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules})\n"
        "print(json.dumps(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    loaded = set(json.loads(out.stdout))
    # rich is not checked here: httpx loads it for its own command line when rich is installed.
    assert "textual" not in loaded, "a headless module imports textual"
    assert not loaded & set(SDKS), f"a headless module imports {loaded & set(SDKS)} at import time"


def test_only_the_tui_imports_textual_or_rich_in_source():
    offenders = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT.parent).as_posix()
        if rel.startswith("workbench/tui/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{rel}: {n}" for n in names if n.split(".")[0] in UI]
    assert not offenders


@pytest.mark.parametrize("module", ["workbench.cli", "workbench.config", "workbench.convert"])
def test_entry_points_stay_light(module):
    if module == "workbench.convert" and not (ROOT / "convert" / "__init__.py").exists():
        pytest.skip("converter not present")
    loaded = _loaded_after_import(module)
    assert not loaded & {"textual", *SDKS}
    if module == "workbench.cli":
        assert not loaded & set(HEAVY), f"'workbench --help' would load {loaded & set(HEAVY)}"


def test_tui_entry_does_not_load_sdks_or_converters():
    if not (ROOT / "tui" / "app.py").exists():
        pytest.skip("TUI not present")
    loaded = _loaded_after_import("workbench.tui.app")
    assert "textual" in loaded
    assert not loaded & set(SDKS + HEAVY), (
        f"the TUI's first frame would load {loaded & set(SDKS + HEAVY)}"
    )
