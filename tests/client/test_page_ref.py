"""Unit tests: what a person types to name a page."""

from __future__ import annotations

import pytest

from workbench.confluence.page_ref import check_same_site, parse_page_ref
from workbench.errors import UsageError


@pytest.mark.parametrize(
    "text",
    [
        "123456",
        " 123456 ",
        "https://acme.atlassian.net/wiki/spaces/ENG/pages/123456/Release+notes",
        "https://acme.atlassian.net/wiki/spaces/ENG/pages/123456",
        "https://acme.atlassian.net/wiki/spaces/ENG/pages/edit-v2/123456",
        "https://acme.atlassian.net/wiki/spaces/~5570581/pages/123456/My+page?focusedCommentId=9#comment-9",
        "https://dc.example.com/pages/viewpage.action?pageId=123456",
        "https://dc.example.com/confluence/pages/viewpage.action?spaceKey=ENG&pageId=123456",
        "/spaces/ENG/pages/123456/Title",
    ],
)
def test_page_id_forms(text):
    assert parse_page_ref(text).page_id == "123456"


def test_display_url_gives_space_and_title():
    ref = parse_page_ref("https://dc.example.com/display/ENG/Release+notes+4.2")
    assert (ref.space_key, ref.title, ref.page_id) == ("ENG", "Release notes 4.2", None)


def test_short_link_is_refused_with_what_to_do():
    with pytest.raises(UsageError) as info:
        parse_page_ref("https://acme.atlassian.net/wiki/x/ewE")
    assert "short link" in info.value.message and "page id" in info.value.message


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "release-notes",
        "https://acme.atlassian.net/wiki/spaces/ENG/overview",
        "https://example.com/pages/viewpage.action?pageId=abc",
    ],
)
def test_not_a_page(text):
    with pytest.raises(UsageError):
        parse_page_ref(text)


def test_url_of_another_site_is_refused():
    ref = parse_page_ref("https://other.atlassian.net/wiki/spaces/ENG/pages/123456/X")
    assert ref.host == "other.atlassian.net"
    with pytest.raises(UsageError, match="configured site is acme.atlassian.net"):
        check_same_site(ref, "acme.atlassian.net")
    check_same_site(ref, "other.atlassian.net")
    check_same_site(ref, "api.atlassian.com")  # OAuth gateway: the site host is not known
    check_same_site(parse_page_ref("123456"), "acme.atlassian.net")  # ids carry no site
