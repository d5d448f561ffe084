"""Validate answers against Jira's published OpenAPI spec (tests/specs/jira-cloud-platform-v3.openapi.json,
provenance in tests/specs/README.md). OpenAPI 3.0's ``nullable`` becomes JSON Schema's ``null`` type."""

from __future__ import annotations

import functools

from tests.openapi_check import check as check_against
from tests.openapi_check import load, raw

SPEC_NAME = "jira-cloud-platform-v3.openapi.json"


@functools.cache
def spec() -> dict:
    return load(SPEC_NAME)


def raw_spec() -> dict:
    return raw(SPEC_NAME)


def check(path: str, method: str, status: int, body) -> None:
    """``body`` validates against the response schema the spec gives ``method path`` for ``status``."""
    check_against(spec(), "/rest/api/3" + path, method, status, body, longest=200)
