"""Validate an answer against Atlassian's OpenAPI specs (``tests/specs``), as tests/emulator/test_schema
does: OpenAPI 3.0 ``nullable`` becomes JSON Schema's ``null`` type first."""

from __future__ import annotations

from tests.openapi_check import cached
from tests.openapi_check import check as check_against


def spec(version: str) -> dict:
    return cached(f"confluence-cloud-{version}.openapi.json")


def check(version: str, path: str, method: str, status: int, body) -> None:
    """Assert ``body`` is what the spec's ``path``/``method`` promises for ``status``."""
    check_against(spec(version), path, method, status, body)
