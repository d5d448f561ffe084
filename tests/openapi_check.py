"""Validate answers against Atlassian's published OpenAPI specs (``tests/specs``, verbatim copies;
provenance in tests/specs/README.md): the one helper of every suite that checks shapes.

The specs are OpenAPI 3.0: ``nullable: true`` becomes JSON Schema's ``null`` type before
validating. One documented deviation (``null_at_root``): the v2 spec types ``parentId`` and
``parentType`` as plain strings while its own descriptions (and the live service) say they are null
for a root page, so those two may be null in the schemas named.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterable
from pathlib import Path

import jsonschema

SPECS = Path(__file__).resolve().parent / "specs"


def nullable(node):
    """``node`` (a spec, or part of one) with OpenAPI's ``nullable`` as JSON Schema's ``null``."""
    if isinstance(node, dict):
        node = {k: nullable(v) for k, v in node.items()}
        if node.pop("nullable", False):
            if "type" in node:
                kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
                node["type"] = [*kinds, "null"]
            else:
                node = {"anyOf": [node, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [nullable(v) for v in node]
    return node


def raw(name: str) -> dict:
    """The spec file ``name`` of ``tests/specs`` as it is."""
    return json.loads((SPECS / name).read_text())


def load(name: str, *, null_at_root: Iterable[str] = ()) -> dict:
    """The spec ``name`` ready to validate against; ``parentId``/``parentType`` of the schemas in
    ``null_at_root`` may be null."""
    spec = raw(name)
    schemas = spec["components"]["schemas"]
    for schema_name in null_at_root:
        for prop in ("parentId", "parentType"):
            if prop in schemas[schema_name]["properties"]:
                schemas[schema_name]["properties"][prop]["nullable"] = True
    return nullable(spec)


@functools.cache
def cached(name: str) -> dict:
    """:func:`load` once per run (no schema changed)."""
    return load(name)


def check(
    spec: dict, path: str, method: str, status: int, body, *, longest: int | None = None
) -> None:
    """Assert ``body`` is what ``spec`` promises for ``method path`` answering ``status`` (the first
    five problems said, each cut to ``longest`` characters when given)."""
    operation = spec["paths"][path][method]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    document = {**copy.deepcopy(schema), "components": spec["components"]}
    validator = jsonschema.Draft7Validator(document)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, f"{method.upper()} {path}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:longest]}" for e in errors[:5]
    )
