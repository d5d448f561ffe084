"""The Jira scope table (``workbench.jira.scopes``) says what Jira's published spec says each request
needs (its classic OAuth2 scopes), and the login asks for all of them."""

from __future__ import annotations

import pytest

from tests.jira.spec import raw_spec
from workbench.auth.oauth import SCOPES as REQUESTED
from workbench.auth.oauth import WITHOUT_JIRA
from workbench.jira.scopes import JIRA_SCOPES, SCOPES, has_jira, jira_scopes_for

PATHS = raw_spec()["paths"]


def spec_scopes(method: str, path: str) -> tuple[str, ...]:
    for template, ops in PATHS.items():
        if not template.startswith("/rest/api/3/"):
            continue
        names = template[len("/rest/api/3") :].split("/")
        parts = path.split("/")
        if len(names) == len(parts) and all(
            n == p or (n.startswith("{") and p == "{x}") for n, p in zip(names, parts, strict=True)
        ):
            op = ops[method.lower()]
            return tuple(s for entry in op.get("security", []) for s in entry.get("OAuth2", []))
    raise AssertionError(f"{method} {path} is not in the spec")


@pytest.mark.parametrize(("method", "path", "scopes"), SCOPES)
def test_each_row_matches_the_spec(method, path, scopes):
    assert scopes == spec_scopes(method, path)


def test_the_login_asks_for_jiras_scopes_unless_told_not_to():
    needed = {s for _, _, scopes in SCOPES for s in scopes}
    assert needed <= set(JIRA_SCOPES) <= set(REQUESTED)
    assert not has_jira(WITHOUT_JIRA) and has_jira(REQUESTED)


def test_paths_with_or_without_the_gateway_and_on_v2():
    assert jira_scopes_for("GET", "/ex/jira/abc/rest/api/3/issue/ENG-1") == ("read:jira-work",)
    assert jira_scopes_for("post", "/rest/api/2/issue/ENG-1/comment") == ("write:jira-work",)
    assert jira_scopes_for("GET", "/rest/api/3/myself") == ("read:jira-user",)
    assert jira_scopes_for("PATCH", "/rest/api/3/issue/ENG-1") == ()
    assert jira_scopes_for("GET", "/wiki/api/v2/pages") == ()
