"""Unit tests: error bodies → typed errors, base URL forms, next-link resolution."""

from __future__ import annotations

import httpx
import pytest

from workbench.confluence.errors import (
    AuthError,
    BadQuery,
    BadRequest,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    VersionConflict,
)
from workbench.confluence.http_errors import conflict_numbers, error_for, json_body
from workbench.confluence.models import SearchResult, strip_highlight
from workbench.confluence.urls import ApiUrls, parse_link_header
from workbench.errors import ConfigError


def resp(status, *, json=None, text=None, ctype=None, headers=None):
    h = dict(headers or {})
    if ctype:
        h["Content-Type"] = ctype
    if json is not None:
        return httpx.Response(status, json=json, headers=h)
    return httpx.Response(status, text=text or "", headers=h)


def test_v2_conflict_numbers_parsed():
    body = {
        "errors": [
            {
                "status": 409,
                "code": "CONFLICT",
                "title": (
                    "Version must be incremented when updating a page. Current Version: "
                    "[7]. Provided version: [5]"
                ),
            }
        ]
    }
    err = error_for(resp(409, json=body), what="page 123")
    assert isinstance(err, VersionConflict) and err.exit_code == 3
    assert (err.current, err.provided) == (7, 5)
    assert "Page 123 changed" in err.message and "now version 7" in err.message


def test_v1_conflict_numbers_parsed_and_java_prefix_dropped():
    body = {
        "statusCode": 409,
        "message": "com.atlassian.confluence.api.service.exceptions.ConflictException: "
        "Version must be incremented on update. Current version is: 12",
    }
    err = error_for(resp(409, json=body), what="page 9")
    assert isinstance(err, VersionConflict) and err.current == 12 and err.provided is None
    assert "com.atlassian" not in err.message
    assert conflict_numbers("nothing here") == (None, None)


def test_invalid_cql_is_bad_query_with_confluence_message():
    body = {
        "statusCode": 400,
        "message": "com.atlassian.confluence.api.service.exceptions.BadRequestException: "
        "No field exists with the name: 'Grill'",
    }
    err = error_for(resp(400, json=body), search=True)
    assert isinstance(err, BadQuery) and err.exit_code == 2
    assert "No field exists with the name: 'Grill'" in err.message


def test_plain_400_is_bad_request_with_v2_title():
    body = {
        "errors": [
            {
                "status": 400,
                "code": "INVALID_REQUEST_PARAMETER",
                "title": "A page with this title already exists",
            }
        ]
    }
    err = error_for(resp(400, json=body), what="page 'X'")
    assert isinstance(err, BadRequest) and "already exists" in err.message
    assert (
        err.said == "A page with this title already exists"
    )  # Confluence's words, for callers' own messages
    assert error_for(resp(401, text=""), what="the current user").said == ""


def test_html_error_page_says_so():
    err = error_for(
        resp(400, text="<!DOCTYPE html><html><body>Oops</body></html>", ctype="text/html"),
        search=True,
    )
    assert isinstance(err, BadQuery) and err.html_body is True
    assert (
        error_for(resp(400, json={"message": "Could not parse cql"}), search=True).html_body
        is False
    )
    assert "HTML page instead of JSON (status 400)" in err.message and "/wiki" in err.message
    err = error_for(resp(500, text="<html>boom</html>", ctype="text/html"))
    assert isinstance(err, ServerError) and "HTML page" in err.message


def test_text_plain_401_and_empty_404():
    err = error_for(
        resp(401, text="Basic authentication with passwords is deprecated", ctype="text/plain")
    )
    assert isinstance(err, AuthError) and err.exit_code == 4
    assert "passwords is deprecated" in err.message and "workbench login" in err.message
    err = error_for(resp(404, text=""), what="page 77")
    assert isinstance(err, NotFound) and err.message.startswith("Page 77 was not found")


def test_gateway_scope_mismatch_and_403():
    err = error_for(resp(401, json={"code": 401, "message": "Unauthorized; scope does not match"}))
    assert isinstance(err, AuthError) and "scope does not match" in err.message
    assert isinstance(error_for(resp(403, json={"message": "nope"})), PermissionDenied)


def test_429_carries_retry_after():
    err = error_for(resp(429, json={}, headers={"Retry-After": "42"}))
    assert isinstance(err, RateLimited) and err.retry_after == 42.0 and "42 s" in err.message


def test_json_body_of_html_success_is_a_clear_error():
    with pytest.raises(ServerError, match="HTML page instead of JSON"):
        json_body(resp(200, text="<html><body>login</body></html>", ctype="text/html"))
    assert json_body(resp(204)) is None


def test_base_url_forms():
    site = ApiUrls("https://acme.atlassian.net")
    assert site.base == "https://acme.atlassian.net/wiki"
    assert site.v2("/pages") == "https://acme.atlassian.net/wiki/api/v2/pages"
    gw = ApiUrls("https://api.atlassian.com/ex/confluence/abc-123/")
    assert gw.base == "https://api.atlassian.com/ex/confluence/abc-123/wiki"
    dc = ApiUrls("https://dc.example.com/confluence", kind="dc")
    assert dc.v1("/space") == "https://dc.example.com/confluence/rest/api/space"
    with pytest.raises(ConfigError):
        ApiUrls("acme.atlassian.net")


def test_next_link_prefix_rules():
    site = ApiUrls("https://acme.atlassian.net/wiki")
    assert (
        site.resolve_next("/wiki/api/v2/pages?cursor=A")
        == "https://acme.atlassian.net/wiki/api/v2/pages?cursor=A"
    )
    assert (
        site.resolve_next("/rest/api/search?cursor=B")
        == "https://acme.atlassian.net/wiki/rest/api/search?cursor=B"
    )
    gw = ApiUrls("https://api.atlassian.com/ex/confluence/C1/wiki")
    assert (
        gw.resolve_next("/wiki/api/v2/spaces?cursor=Z")
        == "https://api.atlassian.com/ex/confluence/C1/wiki/api/v2/spaces?cursor=Z"
    )
    assert gw.resolve_next("/rest/api/search?cursor=Y", context="/wiki") == (
        "https://api.atlassian.com/ex/confluence/C1/wiki/rest/api/search?cursor=Y"
    )
    dc = ApiUrls("https://dc.example.com/confluence", kind="dc")
    assert dc.resolve_next("/rest/api/content?start=100", context="/confluence") == (
        "https://dc.example.com/confluence/rest/api/content?start=100"
    )
    assert dc.resolve_next("/confluence/rest/api/content?start=200") == (
        "https://dc.example.com/confluence/rest/api/content?start=200"
    )
    assert site.resolve_next(None) is None
    with pytest.raises(ServerError):
        site.resolve_next("https://evil.example.com/wiki/api/v2/pages")


def test_link_header():
    value = '</wiki/api/v2/pages?limit=5&cursor=T>; rel="next", <https://acme.atlassian.net/wiki>; rel="base"'
    assert parse_link_header(value) == "/wiki/api/v2/pages?limit=5&cursor=T"
    assert parse_link_header('<https://x/wiki>; rel="base"') is None


def test_highlight_helpers():
    r = SearchResult(
        id="1",
        type="page",
        title="",
        title_hl="@@@hl@@@Team@@@endhl@@@ meeting",
        excerpt="notes for the\n@@@hl@@@team@@@endhl@@@ …",
    )
    assert r.plain_title == "Team meeting"
    assert r.plain_excerpt == "notes for the team …"
    assert strip_highlight("a@@@hl@@@b@@@endhl@@@c") == "abc"


def _sentences(text: str) -> int:
    import re

    return len([s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z'])", text.strip()) if s])


@pytest.mark.parametrize(
    "response",
    [
        resp(401, text="Unauthorized", ctype="text/plain"),
        resp(403, json={"message": "Not permitted to edit"}),
        resp(404, text=""),
        resp(409, json={"errors": [{"title": "Current Version: [7]. Provided version: [5]"}]}),
        resp(429, json={}, headers={"Retry-After": "3"}),
        resp(410, json={"message": "Gone"}),
        resp(400, json={"errors": [{"title": "Title is required"}]}),
        resp(400, text="<html>x</html>", ctype="text/html"),
        resp(500, json={"message": "NullPointerException"}),
        resp(503, text=""),
    ],
)
def test_every_error_message_is_one_or_two_sentences(response):
    message = error_for(response, what="page 5").message
    assert 1 <= _sentences(message) <= 2, message
