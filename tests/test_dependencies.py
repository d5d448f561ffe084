"""pyproject.toml declares what the code imports, and nothing it does not.

Every third-party import in ``workbench/`` (module level or inside a function) must come from a
distribution in ``[project] dependencies``; every import in ``tests/``, ``bench/`` and ``scripts/``
from the run-time or the ``dev`` dependencies. The other way round, every declared distribution must
be imported somewhere, or be listed below with the reason nobody imports it.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from collections.abc import Iterable
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Declared but not imported by our code, and why.
RUNTIME_NOT_IMPORTED = {
    "tree-sitter": "Textual loads it for TextArea(language='markdown') (the editor)",
    "tree-sitter-markdown": "the grammar Textual's TextArea loads for language='markdown'",
    "python-multipart": "Starlette's request.form() loads it (serve-local's multipart attachment uploads)",
}
DEV_NOT_IMPORTED = {
    "pytest-asyncio": "pytest plugin (asyncio_mode = auto)",
    "pytest-textual-snapshot": "pytest plugin (the snap_compare fixture)",
    "pytest-xdist": "pytest plugin (make test runs -n auto)",
    "pytest-timeout": "pytest plugin (timeout = 300)",
    "keyrings-alt": "the keyring backend tests select through PYTHON_KEYRING_BACKEND",
    "ruff": "a gate in make test (command line)",
    "mypy": "a gate in make test (command line)",
}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(spec: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
    assert match, f"unreadable requirement in pyproject.toml: {spec!r}"
    return _norm(match.group(1))


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_requirement_name(s) for s in project["dependencies"]}
    dev = {_requirement_name(s) for s in project["optional-dependencies"]["dev"]}
    return runtime, dev


def _local_names(folder: Path) -> set[str]:
    """Modules a script in ``folder`` imports from beside itself (bench/_local.py, tests/...)."""
    names = {p.stem for p in folder.rglob("*.py")} | {
        p.name for p in folder.rglob("*") if p.is_dir()
    }
    return names | {folder.name}


def _imports(folders: Iterable[Path]) -> dict[str, list[str]]:
    """Top-level module name → where it is imported (``path:line``), absolute imports only."""
    found: dict[str, list[str]] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.setdefault(name.split(".")[0], []).append(where)
    return found


def _third_party(found: dict[str, list[str]], local: set[str]) -> dict[str, list[str]]:
    return {
        name: where
        for name, where in found.items()
        if name not in sys.stdlib_module_names and name != "workbench" and name not in local
    }


def _distributions(module: str) -> set[str]:
    return {_norm(d) for d in packages_distributions().get(module, [])}


def _undeclared(found: dict[str, list[str]], allowed: set[str]) -> list[str]:
    problems = []
    for module, where in sorted(found.items()):
        dists = _distributions(module)
        if not dists:
            problems.append(
                f"{module} (imported at {where[0]}) belongs to no installed distribution"
            )
        elif not dists & allowed:
            problems.append(
                f"{module} (imported at {where[0]}) comes from {sorted(dists)}: not declared"
            )
    return problems


def test_every_runtime_import_is_a_declared_dependency():
    runtime, _ = _declared()
    found = _third_party(_imports([ROOT / "workbench"]), set())
    problems = _undeclared(found, runtime)
    assert not problems, "add to [project] dependencies in pyproject.toml:\n" + "\n".join(problems)


def test_every_test_bench_and_script_import_is_declared():
    runtime, dev = _declared()
    folders = [ROOT / "tests", ROOT / "bench", ROOT / "scripts"]
    local = set().union(*(_local_names(f) for f in folders))
    found = _third_party(_imports(folders), local)
    problems = _undeclared(found, runtime | dev)
    assert not problems, "add to the dev dependencies in pyproject.toml:\n" + "\n".join(problems)


def test_every_runtime_dependency_is_imported_or_explained():
    runtime, _ = _declared()
    imported = set().union(*(_distributions(m) for m in _imports([ROOT / "workbench"])))
    unused = sorted(runtime - imported - set(RUNTIME_NOT_IMPORTED))
    assert not unused, (
        f"{unused} are run-time dependencies that workbench/ never imports: move them to dev (if "
        "tests or bench use them), drop them, or say why in RUNTIME_NOT_IMPORTED"
    )
    stale = sorted(set(RUNTIME_NOT_IMPORTED) - runtime)
    assert not stale, f"RUNTIME_NOT_IMPORTED names {stale}, which pyproject.toml does not declare"


def test_every_dev_dependency_is_used_or_explained():
    runtime, dev = _declared()
    folders = [ROOT / "tests", ROOT / "bench", ROOT / "scripts"]
    imported = set().union(*(_distributions(m) for m in _imports(folders)))
    unused = sorted(dev - imported - set(DEV_NOT_IMPORTED))
    assert not unused, f"{unused} are dev dependencies nothing imports: drop them or say why"
    stale = sorted(set(DEV_NOT_IMPORTED) - dev)
    assert not stale, f"DEV_NOT_IMPORTED names {stale}, which pyproject.toml does not declare"
    both = sorted(runtime & dev)
    assert not both, f"{both} are declared both as run-time and dev dependencies"


def test_markdownify_is_not_a_runtime_dependency():
    # The converter is our own (workbench.convert); markdownify is only bench/convert.py's baseline.
    runtime, dev = _declared()
    assert "markdownify" not in runtime and "markdownify" in dev
