"""Unit tests: the payload shapes real Confluence sends (from the API fact sheet) → models."""

from __future__ import annotations

from workbench.confluence import parse_v1, parse_v2

V2_PAGE = {
    "id": "123",
    "status": "current",
    "title": "Release notes",
    "spaceId": "98306",
    "parentId": "100",
    "parentType": "page",
    "position": 854,
    "authorId": "557058:abc",
    "ownerId": "557058:abc",
    "lastOwnerId": None,
    "createdAt": "2025-01-15T10:00:00.000Z",
    "version": {
        "number": 7,
        "message": "",
        "minorEdit": False,
        "authorId": "557058:def",
        "createdAt": "2025-01-16T14:30:00.000Z",
    },
    "body": {"storage": {"representation": "storage", "value": "<p>Hello</p>"}},
    "labels": {
        "results": [{"id": "9", "name": "release", "prefix": "global"}],
        "meta": {"hasMore": False},
    },
    "_links": {
        "webui": "/spaces/ENG/pages/123/Release+notes",
        "editui": "/pages/resumedraft.action?draftId=123",
        "tinyui": "/x/ewE",
        "base": "https://site.atlassian.net/wiki",
    },
}


def test_v2_page():
    page = parse_v2.page(V2_PAGE)
    assert (page.id, page.title, page.space_id, page.parent_id) == (
        "123",
        "Release notes",
        "98306",
        "100",
    )
    assert page.version.number == 7 and page.version.author_id == "557058:def"
    assert page.storage == "<p>Hello</p>" and page.space_key == "ENG"
    assert page.url == "https://site.atlassian.net/wiki/spaces/ENG/pages/123/Release+notes"
    assert [label.name for label in page.labels] == ["release"]


def test_v2_page_without_body_and_summary():
    bare = dict(V2_PAGE, body={})
    assert parse_v2.page(bare).storage is None
    summary = parse_v2.summary(V2_PAGE)
    assert summary.position == 854 and summary.version == 7 and summary.parent_id == "100"
    child = parse_v2.summary(
        {"id": 5, "status": "current", "title": "Child", "spaceId": 1, "childPosition": 2}
    )
    assert (child.id, child.space_id, child.position, child.parent_id) == ("5", "1", 2, None)


def test_v2_space_and_comment():
    space = parse_v2.space(
        {
            "id": "98306",
            "key": "ENG",
            "name": "Engineering",
            "type": "global",
            "status": "current",
            "homepageId": "65537",
            "description": {"plain": {"value": "Team space", "representation": "plain"}},
            "_links": {"webui": "/spaces/ENG"},
        }
    )
    assert (space.id, space.key, space.homepage_id, space.description) == (
        "98306",
        "ENG",
        "65537",
        "Team space",
    )
    comment = parse_v2.comment(
        {
            "id": "77",
            "status": "current",
            "pageId": "123",
            "parentCommentId": None,
            "version": {
                "number": 1,
                "authorId": "557058:abc",
                "createdAt": "2025-01-01T00:00:00.000Z",
            },
            "body": {"storage": {"value": "<p>LGTM</p>", "representation": "storage"}},
        }
    )
    assert (comment.page_id, comment.storage, comment.author_id, comment.parent_id) == (
        "123",
        "<p>LGTM</p>",
        "557058:abc",
        None,
    )


DC_PAGE = {
    "id": "123",
    "type": "page",
    "status": "current",
    "title": "Runbook",
    "space": {
        "id": 98306,
        "key": "OPS",
        "name": "Operations",
        "type": "global",
        "status": "current",
    },
    "version": {
        "by": {"username": "jdoe", "userKey": "ff80818c", "displayName": "Jane Doe"},
        "when": "2024-05-01T10:00:00.000+02:00",
        "message": "tidy",
        "number": 12,
        "minorEdit": True,
    },
    "body": {"storage": {"value": "<p>Steps</p>", "representation": "storage"}},
    "ancestors": [{"id": "1", "title": "Home"}, {"id": "50", "title": "Ops"}],
    "_links": {
        "webui": "/display/OPS/Runbook",
        "tinyui": "/x/AbC",
        "base": "https://dc.example.com/confluence",
        "context": "/confluence",
    },
}


def test_dc_page():
    page = parse_v1.page(DC_PAGE)
    assert (page.id, page.space_id, page.space_key, page.parent_id) == ("123", "OPS", "OPS", "50")
    assert (
        page.version.number == 12
        and page.version.minor_edit
        and page.version.author_id == "ff80818c"
    )
    assert (
        page.storage == "<p>Steps</p>"
        and page.url == "https://dc.example.com/confluence/display/OPS/Runbook"
    )
    summary = parse_v1.summary(DC_PAGE)
    assert summary.parent_id == "50" and summary.version == 12 and summary.space_id == "OPS"


def test_dc_space_uses_key_as_id_and_comment_parent():
    space = parse_v1.space(
        {"id": 98306, "key": "OPS", "name": "Operations", "type": "global", "homepage": {"id": "1"}}
    )
    assert (space.id, space.key, space.homepage_id) == ("OPS", "OPS", "1")
    reply = parse_v1.comment(
        {
            "id": "9",
            "type": "comment",
            "container": {"id": "123", "type": "page"},
            "ancestors": [{"id": "8", "type": "comment"}],
            "body": {"storage": {"value": "<p>re</p>"}},
            "version": {"number": 1},
        }
    )
    assert (reply.page_id, reply.parent_id, reply.storage) == ("123", "8", "<p>re</p>")


def test_search_result_shapes():
    web = "https://site.atlassian.net/wiki".__add__
    space_hit = parse_v1.search_result(
        {
            "space": {"key": "TEAM", "name": "Team Space"},
            "title": "@@@hl@@@Team@@@endhl@@@ Space",
            "excerpt": "",
            "url": "/spaces/TEAM",
            "entityType": "space",
        },
        web,
    )
    assert (space_hit.type, space_hit.id, space_hit.title) == ("space", "TEAM", "Team Space")
    assert space_hit.url == "https://site.atlassian.net/wiki/spaces/TEAM"
    content = parse_v1.search_result(
        {
            "id": "5",
            "type": "blogpost",
            "title": "News",
            "space": {"key": "N"},
            "_links": {"webui": "/spaces/N/blog/5"},
        },
        web,
    )
    assert (content.type, content.title, content.space_key, content.title_hl) == (
        "blogpost",
        "News",
        "N",
        "News",
    )
