"""Unit tests: what a person types to name a page."""

from __future__ import annotations

import pytest

from workbench.confluence.page_ref import check_same_site, id_to_tiny, parse_page_ref, tiny_to_id
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


def test_a_real_tiny_link_decodes_to_its_page_id():
    # a real pair, both forms quoted in catetrai/compscimisc ("Confluence Tiny URLs and the magic
    # of Base64"): https://wiki.softwareplant.com/x/LIQHD is viewpage.action?pageId=201819180
    assert parse_page_ref("https://wiki.softwareplant.com/x/LIQHD").page_id == "201819180"
    assert parse_page_ref("https://wiki.softwareplant.com/x/LIQHD").host == "wiki.softwareplant.com"
    assert id_to_tiny(201819180) == "LIQHD"


@pytest.mark.parametrize(
    "page_id",
    [1, 65, 255, 65539, 1234567, 201819180, 2**31 - 1, 2**32 + 5, 3_456_789_012_345, 2**63 - 1],
)
def test_tiny_links_round_trip_with_confluences_alphabet(page_id):
    code = id_to_tiny(page_id)
    assert "=" not in code and not code.endswith("A") and len(code) <= 11
    assert tiny_to_id(code) == page_id
    for path in (f"/wiki/x/{code}", f"https://acme.atlassian.net/wiki/x/{code}", f"/x/{code}/"):
        assert parse_page_ref(path).page_id == str(page_id)


def test_tiny_links_swap_plus_and_slash_the_other_way_round_from_rfc_4648():
    # Confluence writes base64 '/' as '-' and '+' as '_' (the Atlassian KB's script; the URL-safe
    # alphabet of RFC 4648 does the opposite). 0xFBFF… encodes to '+/…' in base64.
    assert id_to_tiny(0xBFFB) == "_78"  # base64 '+78A…'
    assert id_to_tiny(0xFFFF) == "--8"  # base64 '//8A…'
    assert tiny_to_id("_78") == 0xBFFB and tiny_to_id("--8") == 0xFFFF


@pytest.mark.parametrize("code", ["AAAAAAAAAAAAAAA", "a.b", ""])
def test_a_bad_tiny_code_is_refused(code):
    with pytest.raises(ValueError):
        tiny_to_id(code)


def test_a_bad_short_link_says_what_to_paste_instead():
    with pytest.raises(UsageError) as info:
        parse_page_ref("https://acme.atlassian.net/wiki/x/AAAAAAAAAAAAAAAAA")
    assert "short link" in info.value.message and "page id" in info.value.message


@pytest.mark.parametrize(
    "text",
    [
        "https://acme.atlassian.net/wiki/spaces/ENG/overview",
        "https://acme.atlassian.net/wiki/spaces/ENG",
        "https://acme.atlassian.net/wiki/spaces/ENG/",
        "https://dc.example.com/display/ENG",
        "https://dc.example.com/confluence/display/ENG/",
    ],
)
def test_a_space_address_names_the_space(text):
    ref = parse_page_ref(text)
    assert (ref.space_key, ref.title, ref.page_id) == ("ENG", None, None)


def test_a_title_is_a_reference_only_where_the_caller_allows_it():
    assert parse_page_ref("Release notes 4.2", titles=True).title == "Release notes 4.2"
    assert parse_page_ref("123", titles=True).page_id == "123"
    with pytest.raises(UsageError):
        parse_page_ref("Release notes 4.2")
    with pytest.raises(UsageError):  # an address that names nothing stays an error
        parse_page_ref("https://acme.atlassian.net/wiki/foo", titles=True)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "release-notes",
        "https://acme.atlassian.net/wiki/spaces/ENG/pages",
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
