"""The scope table (``confluence.scopes``) says what Atlassian's specs say each request needs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.auth.oauth import SCOPES as REQUESTED
from workbench.confluence.scopes import SCOPES, scopes_for

SPECS = Path(__file__).resolve().parents[1] / "specs"
V2 = json.loads((SPECS / "confluence-cloud-v2.openapi.json").read_text())
V1 = json.loads((SPECS / "confluence-cloud-v1.openapi.json").read_text())


def spec_scopes(method: str, path: str) -> tuple[str, ...] | None:
    if path.startswith("/api/v2"):
        spec, key = V2, path[len("/api/v2") :]
    else:
        spec, key = V1, "/wiki" + path
    for template, ops in spec["paths"].items():
        names = [part for part in template.split("/")]
        parts = key.split("/")
        if len(names) == len(parts) and all(
            n == p or (n.startswith("{") and p == "{id}") for n, p in zip(names, parts, strict=True)
        ):
            op = ops.get(method.lower())
            if op is None:
                return None
            found = [
                s
                for entry in op.get("security", [])
                for k, v in entry.items()
                if "oauth" in k.lower()
                for s in v
            ]
            return tuple(found)
    return None


@pytest.mark.parametrize(("method", "path", "scopes"), SCOPES)
def test_each_row_matches_the_spec(method, path, scopes):
    expected = spec_scopes(method, path)
    if expected is None:
        pytest.skip(f"{method} {path} is newer than the stored spec (marked [obs] in the table)")
    assert scopes == expected


def test_the_login_asks_for_every_scope_the_client_needs():
    needed = {s for _, _, scopes in SCOPES for s in scopes}
    assert needed <= set(REQUESTED)


def test_paths_are_matched_with_or_without_the_gateway():
    gateway = "/ex/confluence/abc/wiki/api/v2/pages/5/ancestors"
    assert scopes_for("GET", gateway) == ("read:content.metadata:confluence",)
    assert scopes_for("get", "/wiki/rest/api/search") == ("search:confluence",)
    assert scopes_for("PATCH", "/wiki/api/v2/pages/5") == ()
