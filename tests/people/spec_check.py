"""Validate an answer against Atlassian's OpenAPI specs (``tests/specs``), as tests/emulator/test_schema
does: OpenAPI 3.0 ``nullable`` becomes JSON Schema's ``null`` type first."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

import jsonschema

SPECS = Path(__file__).resolve().parents[1] / "specs"


def _nullable(node):
    if isinstance(node, dict):
        node = {k: _nullable(v) for k, v in node.items()}
        if node.pop("nullable", False):
            if "type" in node:
                kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
                node["type"] = [*kinds, "null"]
            else:
                node = {"anyOf": [node, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [_nullable(v) for v in node]
    return node


@functools.cache
def spec(version: str) -> dict:
    return _nullable(json.loads((SPECS / f"confluence-cloud-{version}.openapi.json").read_text()))


def check(version: str, path: str, method: str, status: int, body) -> None:
    """Assert ``body`` is what the spec's ``path``/``method`` promises for ``status``."""
    document = spec(version)
    operation = document["paths"][path][method]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    validator = jsonschema.Draft7Validator(
        {**copy.deepcopy(schema), "components": document["components"]}
    )
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, f"{method.upper()} {path}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]
    )
