"""Shared helpers for the converter tests: the corpus, a strict well-formedness check, tree walks."""

from __future__ import annotations

import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CORPUS_FILES = sorted(CORPUS.glob("*.xml"))


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def assert_well_formed(storage: str) -> None:
    """Parse with lxml inside a root declaring the ac/ri/at namespaces (HTML entities mapped)."""
    from lxml import etree

    from workbench.convert.validate import wrap_for_xml

    etree.fromstring(wrap_for_xml(storage))


def walk_units(flow, path=()):
    """Yield ``(unit, path)`` for every unit in a flow, depth first; ``path`` names the containers."""
    from workbench.convert.blocks import ContainerUnit, ItemUnit, ListUnit
    from workbench.convert.tables import TableUnit

    for unit in flow.units:
        yield unit, path
        if isinstance(unit, ContainerUnit):
            name = unit.kind if unit.kind != "div" else "div:" + unit.head.split(" ")[0]
            yield from walk_units(unit.flow, path + (name,))
        elif isinstance(unit, ListUnit):
            yield from walk_units(unit.flow, path + (unit.kind,))
        elif isinstance(unit, ItemUnit):
            yield from walk_units(unit.flow, path + ("task" if unit.task is not None else "item",))
        elif isinstance(unit, TableUnit):
            for row in unit.flow.units:
                for cell in row.cells:
                    yield cell, path + ("gfm-cell",)


_CODE_FENCE = re.compile(r"(?ms)^( *)(`{3,}).*?^\1\2[ \t]*$")


def without_fences(md: str) -> str:
    return _CODE_FENCE.sub("", md)


_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)


def without_code(md: str) -> str:
    """Markdown with fenced blocks and code spans removed (their content is literal text)."""
    return _CODE_SPAN.sub("", without_fences(md))
