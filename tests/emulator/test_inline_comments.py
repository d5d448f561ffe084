"""Inline comments on the local Confluence over HTTP: shapes from the v2 spec, the marker wrapped
around the selection in the page's storage WITHOUT a new page version (hunyadi/md2conf#277),
replies, resolution, ``dangling`` once a save drops the marker, and the v1 (Data Center) forms."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

AUTH = ("demo@example.com", "demo-token")
SPEC = json.loads(
    (Path(__file__).parents[1] / "specs" / "confluence-cloud-v2.openapi.json").read_text()
)


@pytest.fixture
def http(demo_server):
    with httpx.Client(base_url=demo_server.origin, auth=AUTH, timeout=10) as client:
        yield client


def _page(demo_server, storage: str) -> dict:
    space = demo_server.store.space_by_key("ENG")
    return demo_server.store.create_page(space["id"], "Inline target", storage)


def _props(schema: str) -> set[str]:
    return set(SPEC["components"]["schemas"][schema]["properties"])


def _post(http, page_id, selection, *, count=1, index=0, text="<p>Why?</p>"):
    return http.post(
        "/wiki/api/v2/inline-comments",
        json={
            "pageId": str(page_id),
            "body": {"representation": "storage", "value": text},
            "inlineCommentProperties": {
                "textSelection": selection,
                "textSelectionMatchCount": count,
                "textSelectionMatchIndex": index,
            },
        },
    )


def test_adding_one_wraps_the_selection_and_keeps_the_version(http, demo_server):
    page = _page(
        demo_server, "<p>Deploy on Tuesday, not on Friday &amp; never on Friday night.</p>"
    )
    answer = _post(http, page["id"], "Friday", count=2, index=1)
    assert answer.status_code == 201
    assert answer.headers["Location"].endswith(
        f"/wiki/api/v2/inline-comments/{answer.json()['id']}"
    )
    made = answer.json()
    assert set(made) <= _props("InlineCommentModel") | {"_links"}
    assert made["pageId"] == str(page["id"]) and made["resolutionStatus"] == "open"
    ref = made["properties"]["inlineMarkerRef"]
    assert made["properties"]["inlineOriginalSelection"] == "Friday"
    assert (
        made["properties"]["inline-marker-ref"] == ref
    )  # the deprecated spelling Cloud still sends
    after = demo_server.store.get_page(page["id"])
    assert after["version"] == page["version"] == 1  # no new version
    assert after["body"] == (
        "<p>Deploy on Tuesday, not on Friday &amp; never on "
        f'<ac:inline-comment-marker ac:ref="{ref}">Friday</ac:inline-comment-marker>'
        " night.</p>"
    )
    # GET ?version=1 (the same version) shows the marker as well: that version's storage changed
    v1 = http.get(
        f"/wiki/api/v2/pages/{page['id']}", params={"version": 1, "body-format": "storage"}
    ).json()
    assert ref in v1["body"]["storage"]["value"]


def test_selection_with_an_entity_and_in_code_or_parameters(http, demo_server):
    page = _page(
        demo_server,
        '<p>Fish &amp; chips</p><ac:structured-macro ac:name="code"><ac:parameter '
        'ac:name="title">chips</ac:parameter><ac:plain-text-body><![CDATA[chips]]>'
        "</ac:plain-text-body></ac:structured-macro>",
    )
    assert _post(http, page["id"], "Fish & chips").status_code == 201  # matched through &amp;
    body = demo_server.store.get_page(page["id"])["body"]
    assert ">Fish &amp; chips</ac:inline-comment-marker>" in body
    # "chips" now appears only in the parameter and the CDATA: neither can hold a marker
    missing = _post(http, page["id"], "potatoes")
    assert missing.status_code == 400 and "not found" in missing.json()["errors"][0]["title"]


def test_wrong_match_count_or_index_is_a_400(http, demo_server):
    page = _page(demo_server, "<p>one two one</p>")
    wrong = _post(http, page["id"], "one", count=1)
    assert wrong.status_code == 400 and "2 match" in wrong.json()["errors"][0]["title"]
    assert _post(http, page["id"], "one", count=2, index=2).status_code == 400
    no_selection = http.post(
        "/wiki/api/v2/inline-comments",
        json={
            "pageId": str(page["id"]),
            "body": {"representation": "storage", "value": "<p>x</p>"},
        },
    )
    assert no_selection.status_code == 400
    assert demo_server.store.get_page(page["id"])["body"] == "<p>one two one</p>"  # nothing wrapped


def test_list_replies_resolution_and_dangling(http, demo_server):
    page = _page(demo_server, "<p>alpha beta gamma</p>")
    root = _post(http, page["id"], "beta").json()
    reply = http.post(
        "/wiki/api/v2/inline-comments",
        json={
            "parentCommentId": root["id"],
            "body": {"representation": "storage", "value": "<p>Because.</p>"},
        },
    )
    assert reply.status_code == 201 and reply.json()["parentCommentId"] == root["id"]
    listed = http.get(
        f"/wiki/api/v2/pages/{page['id']}/inline-comments", params={"body-format": "storage"}
    ).json()
    assert [c["id"] for c in listed["results"]] == [root["id"]]  # roots only
    assert set(listed["results"][0]) <= _props("PageInlineCommentModel")
    kids = http.get(
        f"/wiki/api/v2/inline-comments/{root['id']}/children", params={"body-format": "storage"}
    )
    assert [c["id"] for c in kids.json()["results"]] == [reply.json()["id"]]
    assert set(kids.json()["results"][0]) <= _props("InlineCommentChildrenModel")
    # inline comments are not footer comments, either way round
    assert http.get(f"/wiki/api/v2/pages/{page['id']}/footer-comments").json()["results"] == []
    assert http.get(f"/wiki/api/v2/footer-comments/{root['id']}").status_code == 404
    # resolve, then filter by resolution status
    done = http.put(f"/wiki/api/v2/inline-comments/{root['id']}", json={"resolved": True})
    assert done.status_code == 200 and done.json()["resolutionStatus"] == "resolved"
    assert done.json()["resolutionLastModifierId"] == "557058:demo-user"
    open_only = http.get(
        f"/wiki/api/v2/pages/{page['id']}/inline-comments", params={"resolution-status": "open"}
    )
    assert open_only.json()["results"] == []
    reopened = http.put(
        f"/wiki/api/v2/inline-comments/{root['id']}", json={"resolved": False}
    ).json()
    assert reopened["resolutionStatus"] == "reopened"
    # a save that drops the marker leaves the comment dangling
    demo_server.store.update_page(page["id"], "<p>alpha beta gamma</p>")
    again = http.get(f"/wiki/api/v2/inline-comments/{root['id']}").json()
    assert again["resolutionStatus"] == "dangling"
    assert (
        http.put(f"/wiki/api/v2/inline-comments/{root['id']}", json={"resolved": True}).status_code
        == 400
    )


def test_v1_child_comments_by_location_and_v1_create(http, demo_server):
    page = _page(demo_server, "<p>red green blue</p>")
    demo_server.store.add_comment("<p>footer</p>", page_id=page["id"])
    made = http.post(
        "/wiki/rest/api/content",
        json={
            "type": "comment",
            "container": {"id": str(page["id"]), "type": "page"},
            "body": {"storage": {"value": "<p>Which green?</p>", "representation": "storage"}},
            "extensions": {
                "location": "inline",
                "inlineProperties": {
                    "originalSelection": "green",
                    "numMatches": 1,
                    "matchIndex": 0,
                },
            },
        },
    )
    assert made.status_code == 200
    ext = made.json()["extensions"]
    assert ext["location"] == "inline" and ext["inlineProperties"]["originalSelection"] == "green"
    assert ext["resolution"]["status"] == "open"
    assert (
        f'ac:ref="{ext["inlineProperties"]["markerRef"]}">green<'
        in demo_server.store.get_page(page["id"])["body"]
    )
    url = f"/wiki/rest/api/content/{page['id']}/child/comment"
    inline = http.get(
        url, params={"location": "inline", "expand": "extensions.inlineProperties"}
    ).json()
    footer = http.get(url, params={"location": "footer"}).json()
    both = http.get(url).json()
    assert [c["extensions"]["location"] for c in inline["results"]] == ["inline"]
    assert [c["extensions"]["location"] for c in footer["results"]] == ["footer"]
    assert len(both["results"]) == 2
    assert http.get(url, params={"location": "sideways"}).status_code == 400
