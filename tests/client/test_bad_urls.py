"""URLs a person may mistype: every one is a plain ``WorkbenchError``, never a traceback, and a
``user:password@`` part is never echoed in the message."""

from __future__ import annotations

import pytest

from workbench.confluence.client import ConfluenceClient
from workbench.confluence.page_ref import parse_page_ref
from workbench.confluence.urls import without_userinfo
from workbench.errors import ConfigError, UsageError


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1",
        "http://127.0.0.1:abc/wiki",
        "http://127.0.0.1:99999/wiki",
        "ftp://u:s3cret@host/wiki",
        "http://u:s3cret@:80/wiki",
        "127.0.0.1:8090/wiki",
        "http://",
        "",
        "http://u:p@s3cret@host:99999/wiki",
        "ftp://u:s3cret@@host/wiki",
    ],
)
def test_a_base_url_that_cannot_work_is_a_config_error(url):
    with pytest.raises(ConfigError) as info:
        ConfluenceClient(url)
    assert "is not a Confluence URL" in info.value.message and "s3cret" not in info.value.message


@pytest.mark.parametrize(
    "url, shown",
    [
        ("https://u:s3cret@acme.atlassian.net/wiki", "https://acme.atlassian.net/wiki"),
        (
            "https://u:p@s3cret@acme.atlassian.net/wiki",
            "https://acme.atlassian.net/wiki",
        ),  # '@' in the password
        (
            "http://127.0.0.1:8090/wiki?next=a@b",
            "http://127.0.0.1:8090/wiki?next=a@b",
        ),  # not an authority
        ("https://acme.atlassian.net/wiki/x@y", "https://acme.atlassian.net/wiki/x@y"),
        ("", ""),
    ],
)
def test_without_userinfo_drops_the_whole_user_password_part(url, shown):
    assert without_userinfo(url) == shown


def test_an_ipv6_base_url_is_fine():
    client = ConfluenceClient("http://[::1]:8090/wiki")
    assert client.urls.host == "[::1]:8090"


@pytest.mark.parametrize(
    "text, says",
    [
        ("http://[::1/wiki/x", "is not a page id or a page URL"),
        ("https://u:s3cret@acme.atlassian.net/wiki/x/AAAAAAAAAAAAAAAAAAA", "short link"),
        ("https://u:s3cret@acme.atlassian.net/wiki/foo", "is not a page id or a page URL"),
        ("https://u:p@s3cret@acme.atlassian.net/wiki/foo", "is not a page id or a page URL"),
    ],
)
def test_a_page_ref_that_cannot_work_is_a_usage_error(text, says):
    with pytest.raises(UsageError) as info:
        parse_page_ref(text)
    assert says in info.value.message and "s3cret" not in info.value.message


def test_a_missing_owner_is_named_in_a_404():
    import httpx

    from workbench.confluence.http_errors import error_for

    response = httpx.Response(
        404,
        json={"errors": [{"title": "Not found"}]},
        request=httpx.Request("GET", "http://h/wiki/api/v2/pages/5/children"),
    )
    assert error_for(response, what="children of page 5").message == (
        "Page 5 was not found, or you may not see it (404: Not found)."
    )
    assert error_for(response, what="pages of space ENG").message.startswith(
        "Space ENG was not found"
    )
    assert error_for(response, what="version 3 of page 5").message.startswith(
        "Version 3 of page 5 was not found"
    )
    assert error_for(response, what="spaces").message == (
        "The server has no Confluence API at /wiki/api/v2/pages/5/children (404: Not found). "
        "Is the URL the Confluence base URL (ending in /wiki on Cloud)?"
    )


def test_a_busy_server_is_not_called_broken():
    import httpx

    from workbench.confluence.http_errors import error_for

    request = httpx.Request("GET", "http://h/wiki/api/v2/pages/5")
    busy = error_for(httpx.Response(503, text="", request=request), what="page 5").message
    broken = error_for(
        httpx.Response(500, json={"message": "NullPointerException"}, request=request)
    ).message
    assert busy == "Confluence is unavailable or overloaded right now (503). Try again in a moment."
    assert broken.startswith("Confluence had an internal problem (500: NullPointerException)")
