"""``confluence.discover``: which product answers at a URL, asked of the server (scripted answers), and
the way Data Center's refusals are read (headers of real answers, see tests/contract/SOURCES.md)."""

from __future__ import annotations

import httpx
import pytest

from workbench.confluence.discover import discover, split_site_url
from workbench.confluence.errors import AuthError, LoginBlocked, NotFound
from workbench.confluence.http_errors import error_for

CLOUD_USER = {"type": "known", "accountId": "557058:abc", "displayName": "Ada"}
DC_USER = {"type": "known", "username": "ada", "userKey": "8a7f808a5e", "displayName": "Ada"}


def site(routes: dict[str, httpx.Response]) -> tuple[httpx.MockTransport, list[tuple[str, bool]]]:
    """A scripted server: path → answer (404 otherwise); records (path, had credentials)."""
    seen: list[tuple[str, bool]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, "authorization" in request.headers))
        return routes.get(
            request.url.path,
            httpx.Response(
                404, text="<html>Page Not Found</html>", headers={"Content-Type": "text/html"}
            ),
        )

    return httpx.MockTransport(handler), seen


def test_a_cloud_custom_domain_without_wiki():
    transport, seen = site(
        {
            "/_edge/tenant_info": httpx.Response(200, json={"cloudId": "c-1"}),
            "/wiki/rest/api/user/current": httpx.Response(200, json=CLOUD_USER),
        }
    )
    found = discover("https://docs.example.com", httpx.BasicAuth("ada@x", "t"), transport=transport)
    assert (found.base_url, found.kind, found.user.account_id) == (
        "https://docs.example.com/wiki",
        "cloud",
        "557058:abc",
    )
    assert seen == [("/_edge/tenant_info", False), ("/wiki/rest/api/user/current", True)]


def test_data_center_under_a_context_path_found_from_the_bare_host():
    refused = httpx.Response(
        401,
        text="<html>401</html>",
        headers={"Content-Type": "text/html", "X-Seraph-LoginReason": "AUTHENTICATED_FAILED"},
    )
    transport, seen = site(
        {
            "/confluence/rest/api/space": refused,
            "/confluence/rest/api/user/current": httpx.Response(200, json=DC_USER),
        }
    )
    found = discover("https://wiki.corp.example", httpx.BasicAuth("ada", "pw"), transport=transport)
    assert (found.base_url, found.kind, found.user.display_name) == (
        "https://wiki.corp.example/confluence",
        "dc",
        "Ada",
    )
    # the password went out twice at most (never to a path that turned out not to be the API's twice)
    credentialed = [path for path, auth in seen if auth]
    assert credentialed == ["/rest/api/user/current", "/confluence/rest/api/user/current"]


def test_a_given_path_is_respected_and_named_when_nothing_answers():
    transport, seen = site({})
    with pytest.raises(
        NotFound, match=r"No Confluence REST API answered at https://h\.example/x/rest/api\."
    ):
        discover("https://h.example/x/display/ENG/Home", None, transport=transport)
    assert [p for p, _ in seen] == ["/_edge/tenant_info", "/x/rest/api/user/current"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://acme.atlassian.net/wiki/spaces/ENG/pages/123/Title",
            ("https://acme.atlassian.net", "/wiki"),
        ),
        (
            "https://me:pw@dc.example.com:8443/confluence/pages/viewpage.action?pageId=5",
            ("https://dc.example.com:8443", "/confluence"),
        ),
        (
            "https://api.atlassian.com/ex/confluence/abc-123/wiki/rest/api",
            ("https://api.atlassian.com", "/ex/confluence/abc-123/wiki"),
        ),
        ("https://dc.example.com/", ("https://dc.example.com", "")),
    ],
)
def test_site_urls_are_cut_before_page_addresses(url, expected):
    assert split_site_url(url) == expected


def _answer(status: int, headers: dict[str, str]) -> httpx.Response:
    request = httpx.Request("GET", "https://dc.example.com/confluence/rest/api/space")
    return httpx.Response(
        status,
        text="<html></html>",
        headers={"Content-Type": "text/html", **headers},
        request=request,
    )


def test_a_captcha_names_the_login_page_only_on_the_same_host():
    same = error_for(
        _answer(
            401,
            {
                "X-Seraph-LoginReason": "AUTHENTICATION_DENIED",
                "X-Authentication-Denied-Reason": "CAPTCHA_CHALLENGE; login-url=https://dc.example.com/confluence/login.action",
            },
        )
    )
    assert isinstance(same, LoginBlocked)
    assert (
        same.login_url == "https://dc.example.com/confluence/login.action"
        and same.login_url in same.message
    )
    elsewhere = error_for(
        _answer(
            403,
            {
                "X-Authentication-Denied-Reason": "CAPTCHA_CHALLENGE; login-url=https://evil.example/phish"
            },
        )
    )
    assert isinstance(elsewhere, LoginBlocked) and "evil" not in elsewhere.message
    assert "in a browser on dc.example.com" in elsewhere.message
    denied = error_for(_answer(401, {"X-Seraph-LoginReason": "AUTHENTICATION_DENIED"}))
    assert isinstance(denied, LoginBlocked) and "AUTHENTICATION_DENIED" in denied.message
    plain = error_for(_answer(401, {}))
    assert type(plain) is AuthError
