"""The layering contracts: which part of ``workbench`` may import which, read from the source.

The same contract import-linter's ``layers`` type states (import-linter itself cannot be installed
here), checked over the AST of every module so nothing is missed: module-level imports, imports
inside functions, under ``if TYPE_CHECKING:``, relative imports, and ``importlib.import_module`` with
a literal name.

``LAYERS`` runs from the top down. A module may import any module of a layer *below* its own; never one
above, and never a sibling in its own layer (siblings are independent of each other). Every module of
the package must belong to a layer, so a new sub-package has to be placed before it can land.
``docs/architecture.md`` shows the same graph: the test checks that it does.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import workbench

PACKAGE = Path(workbench.__file__).resolve().parent
ROOT = PACKAGE.parent

# Top to bottom. Names not present in the tree are allowed (planned parts keep their place).
LAYERS: list[tuple[str, ...]] = [
    ("workbench.__main__",),  # python -m workbench
    ("workbench.cli",),  # the dispatcher
    ("workbench.commands",),  # one module per group of subcommands
    ("workbench.tui", "workbench.mcp"),  # the front ends (Textual; the MCP server, issue 13)
    ("workbench.inbox",),  # proposals from MCP agents kept on disk; approved through agent.apply
    ("workbench.agent",),  # model provider, tools, proposals, apply
    ("workbench.index",),  # the local index of whole sites (issue 16); reads services.search
    ("workbench.services",),  # the editing session, workspace, drafts, search, sites
    ("workbench.auth", "workbench.emulator"),  # logins and keyring; the local Confluence
    ("workbench.jira",),  # the Jira client (issue 17)
    ("workbench.convert", "workbench.confluence"),  # storage <-> Markdown; the REST client
    ("workbench.config",),  # settings, profiles, paths
    ("workbench.errors", "workbench.textsafe"),  # typed errors; server text made printable
    ("workbench.redact",),  # secrets kept out of every message
    ("workbench", "workbench.styles"),  # the package itself (__version__); Textual CSS (data)
]


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported module
    where: str  # path:line
    in_function: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _all_modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(node: ast.ImportFrom, module: str, is_package: bool, known: set[str]) -> list[str]:
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    targets = []
    for alias in node.names:
        # `from workbench import errors` imports the module workbench.errors.
        sub = f"{prefix}.{alias.name}"
        targets.append(sub if sub in known else prefix)
    return targets


def _function_nodes(tree: ast.AST) -> set[int]:
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            inside.update(id(n) for n in ast.walk(node) if n is not node)
    return inside


def _imports() -> list[Import]:
    modules = _all_modules()
    known = set(modules)
    found: list[Import] = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        inside = _function_nodes(tree)
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                targets = _resolve(node, module, is_package, known)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute | ast.Name)
                and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
                == "import_module"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                targets = [node.args[0].value]
            else:
                continue
            where = f"{path.relative_to(ROOT).as_posix()}:{node.lineno}"
            for target in targets:
                if target == "workbench" or target.startswith("workbench."):
                    found.append(Import(module, target, where, id(node) in inside))
    return found


def _component(module: str) -> str | None:
    """The LAYERS entry a module belongs to: the longest name that is it or a package above it."""
    best = None
    for layer in LAYERS:
        for name in layer:
            if (module == name or module.startswith(name + ".")) and (
                best is None or len(name) > len(best)
            ):
                best = name
    return best


def _layer(component: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if component in layer)


def _violations(imports: list[Import]) -> list[str]:
    problems = []
    for imp in imports:
        src, dst = _component(imp.source), _component(imp.target)
        if src is None or dst is None or src == dst:
            continue
        kind = "inside a function" if imp.in_function else "at module level"
        if _layer(dst) < _layer(src):
            problems.append(
                f"{imp.where}: {imp.source} imports {imp.target} ({kind}) — {src} is below {dst}: "
                f"the layers go {_arrows()}"
            )
        elif _layer(dst) == _layer(src):
            problems.append(
                f"{imp.where}: {imp.source} imports {imp.target} ({kind}) — {src} and {dst} are "
                "independent siblings in one layer"
            )
    return problems


def _arrows() -> str:
    def short(name: str) -> str:
        return name.removeprefix("workbench.") if name != "workbench" else "workbench"

    hidden = {("workbench.__main__",), ("workbench", "workbench.styles")}
    rows = [row for row in LAYERS if row not in hidden]
    return " → ".join(" | ".join(short(n) for n in row) for row in rows)


def test_every_module_is_in_a_layer():
    unplaced = sorted(m for m in _all_modules() if _component(m) is None)
    assert not unplaced, (
        f"{unplaced} belong to no layer: place them in LAYERS in tests/test_layering.py "
        "(and in the graph in docs/architecture.md)"
    )


def test_imports_follow_the_layers():
    imports = _imports()
    assert len(imports) > 500, "the import scan found too little to be reading the package"
    problems = _violations(imports)
    assert not problems, "imports against the layering contract:\n" + "\n".join(problems)


def test_architecture_doc_shows_the_layers():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert f"`{_arrows()}`" in doc, (
        f"docs/architecture.md should state the layers as `{_arrows()}` (from tests/test_layering.py)"
    )


# The checker itself, on imports made up for it: a contract test that can't fail proves nothing.


def test_the_checker_catches_upward_sideways_and_function_level_imports():
    made_up = [
        Import("workbench.confluence.client", "workbench.services.pages", "x.py:1", False),
        Import("workbench.config", "workbench.auth.store", "x.py:2", True),
        Import("workbench.convert.api", "workbench.confluence.models", "x.py:3", False),
        Import("workbench.auth.oauth", "workbench.emulator.oauth", "x.py:4", True),
        Import("workbench.tui.app", "workbench.services.pages", "x.py:5", False),  # allowed
        Import("workbench.cli", "workbench.errors", "x.py:6", True),  # allowed
        Import("workbench.agent.loop", "workbench.agent.model", "x.py:7", False),  # same part
    ]
    problems = _violations(made_up)
    assert [p.split(":")[0] + ":" + p.split(":")[1] for p in problems] == [
        "x.py:1",
        "x.py:2",
        "x.py:3",
        "x.py:4",
    ]
    assert (
        "workbench.confluence.client imports workbench.services.pages (at module level)"
        in problems[0]
    )
    assert "(inside a function)" in problems[1]
    assert "independent siblings" in problems[2]


def test_the_scan_sees_function_level_relative_and_dynamic_imports():
    imports = _imports()
    # cli.py imports its command modules by name and the errors inside main().
    assert any(
        i.source == "workbench.cli" and i.target == "workbench.errors" and i.in_function
        for i in imports
    )
    # relative imports are resolved to full names
    assert all(not i.target.startswith(".") for i in imports)
    assert any(
        i.target.startswith("workbench.commands.") and i.source == "workbench.cli" for i in imports
    )


# -- imports inside functions -------------------------------------------------------------------


def _import_runs(body: list[ast.stmt]) -> list[list[ast.stmt]]:
    """Consecutive import statements of one block."""
    runs: list[list[ast.stmt]] = []
    run: list[ast.stmt] = []
    for stmt in body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            run.append(stmt)
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def _function_import_runs(tree: ast.AST) -> list[list[ast.stmt]]:
    seen: set[int] = set()
    runs = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(fn):
            for name in ("body", "orelse", "finalbody"):
                block = getattr(node, name, None)
                if not isinstance(block, list) or (
                    node is not fn and isinstance(node, ast.FunctionDef)
                ):
                    continue
                for run in _import_runs(block):
                    if id(run[0]) not in seen:
                        seen.add(id(run[0]))
                        runs.append(run)
    return runs


def test_every_import_inside_a_function_says_why():
    """Imports inside functions only where they keep start-up fast (or break an import cycle), each
    run of them with a comment saying so: on the line above or on one of its lines. An import that
    saves nothing (its module is loaded with this one anyway) belongs at the top."""
    unexplained = []
    for path in _all_modules().values():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for run in _function_import_runs(ast.parse(source)):
            first, last = run[0].lineno, max(s.end_lineno or s.lineno for s in run)
            above = lines[first - 2].strip() if first >= 2 else ""
            if above.startswith("#") or any("#" in lines[i - 1] for i in range(first, last + 1)):
                continue
            unexplained.append(f"{path.relative_to(ROOT).as_posix()}:{first}")
    assert not unexplained, (
        "imports inside a function without a comment saying why (what they keep out of start-up, or "
        "the cycle they break) — or move them to the top:\n" + "\n".join(unexplained)
    )
