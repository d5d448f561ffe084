"""URLs a person may mistype: every one is a plain ``WorkbenchError``, never a traceback, and a
``user:password@`` part is never echoed in the message."""

from __future__ import annotations

import pytest

from workbench.confluence.client import ConfluenceClient
from workbench.confluence.page_ref import parse_page_ref
from workbench.errors import ConfigError, UsageError


@pytest.mark.parametrize("url", [
    "http://[::1", "http://127.0.0.1:abc/wiki", "http://127.0.0.1:99999/wiki", "ftp://u:s3cret@host/wiki",
    "http://u:s3cret@:80/wiki", "127.0.0.1:8090/wiki", "http://", "",
])
def test_a_base_url_that_cannot_work_is_a_config_error(url):
    with pytest.raises(ConfigError) as info:
        ConfluenceClient(url)
    assert "is not a Confluence URL" in info.value.message and "s3cret" not in info.value.message


def test_an_ipv6_base_url_is_fine():
    client = ConfluenceClient("http://[::1]:8090/wiki")
    assert client.urls.host == "[::1]:8090"


@pytest.mark.parametrize("text, says", [
    ("http://[::1/wiki/x", "is not a page id or a page URL"),
    ("https://u:s3cret@acme.atlassian.net/wiki/x/AbC", "is a short link"),
    ("https://u:s3cret@acme.atlassian.net/wiki/foo", "is not a page id or a page URL"),
])
def test_a_page_ref_that_cannot_work_is_a_usage_error(text, says):
    with pytest.raises(UsageError) as info:
        parse_page_ref(text)
    assert says in info.value.message and "s3cret" not in info.value.message
