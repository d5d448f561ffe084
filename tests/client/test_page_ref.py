"""Unit tests: what a person types to name a page."""

from __future__ import annotations

import pytest

from workbench.confluence.page_ref import PageRef, parse_page_ref
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
    assert parse_page_ref(text) == PageRef(page_id="123456")


def test_display_url_gives_space_and_title():
    ref = parse_page_ref("https://dc.example.com/display/ENG/Release+notes+4.2")
    assert ref == PageRef(space_key="ENG", title="Release notes 4.2")


def test_short_link_is_refused_with_what_to_do():
    with pytest.raises(UsageError) as info:
        parse_page_ref("https://acme.atlassian.net/wiki/x/ewE")
    assert "short link" in info.value.message and "page id" in info.value.message


@pytest.mark.parametrize("text", ["", "   ", "release-notes", "https://acme.atlassian.net/wiki/spaces/ENG/overview",
                                  "https://example.com/pages/viewpage.action?pageId=abc"])
def test_not_a_page(text):
    with pytest.raises(UsageError):
        parse_page_ref(text)
