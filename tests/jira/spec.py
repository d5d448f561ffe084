"""Validate answers against Jira's published OpenAPI spec (tests/specs/jira-cloud-platform-v3.openapi.json,
provenance in tests/specs/README.md). OpenAPI 3.0's ``nullable`` becomes JSON Schema's ``null`` type."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

import jsonschema

SPEC_PATH = Path(__file__).resolve().parents[1] / "specs" / "jira-cloud-platform-v3.openapi.json"


def _nullable(node):
    if isinstance(node, dict):
        node = {k: _nullable(v) for k, v in node.items()}
        if node.pop("nullable", False):
            if "type" in node:
                node["type"] = (
                    [node["type"], "null"]
                    if isinstance(node["type"], str)
                    else [*node["type"], "null"]
                )
            else:
                node = {"anyOf": [node, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [_nullable(v) for v in node]
    return node


@functools.cache
def spec() -> dict:
    return _nullable(json.loads(SPEC_PATH.read_text()))


def raw_spec() -> dict:
    return json.loads(SPEC_PATH.read_text())


def check(path: str, method: str, status: int, body) -> None:
    """``body`` validates against the response schema the spec gives ``method path`` for ``status``."""
    full = spec()
    operation = full["paths"]["/rest/api/3" + path][method]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    document = {**copy.deepcopy(schema), "components": full["components"]}
    validator = jsonschema.Draft7Validator(document)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    assert not errors, f"{method.upper()} {path}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors[:5]
    )
