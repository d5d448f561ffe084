"""Content kinds: the client's page methods route blog posts to the blog-post endpoints.

Cloud serves blog posts at ``/wiki/api/v2/blogposts/{id}`` (+ ``/versions``, ``/labels``,
``/footer-comments``), pages at ``/pages/{id}``; Data Center serves both at
``/rest/api/content/{id}`` with ``type: blogpost`` in writes. Every request the client builds is
checked here against the path list and the request-body schemas of Atlassian's v2 spec
(``tests/specs``); the answers are spec-shaped (``BlogPostSingle`` has no ``type`` member, so the
client must know the kind from the endpoint).
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import jsonschema
import pytest

from workbench.confluence.client import ConfluenceClient
from workbench.confluence.models import BLOGPOST, PageSummary
from workbench.errors import UsageError

SPEC = json.loads(
    (Path(__file__).resolve().parents[1] / "specs" / "confluence-cloud-v2.openapi.json").read_text()
)

BLOG = {
    "id": "4456449",
    "status": "current",
    "title": "Release 2.0 is out",
    "spaceId": "98305",
    "authorId": "557058:demo-user",
    "createdAt": "2026-01-05T10:00:00.000Z",
    "version": {
        "number": 3,
        "message": "",
        "minorEdit": False,
        "authorId": "557058:demo-user",
        "createdAt": "2026-01-06T10:00:00.000Z",
    },
    "body": {"storage": {"representation": "storage", "value": "<p>Out now.</p>"}},
    "_links": {
        "webui": "/spaces/ENG/blog/2026/01/05/4456449/Release+2.0+is+out",
        "base": "https://acme.atlassian.net/wiki",
    },
}


def _any_of(node):
    """The spec's body ``oneOf`` lists overlapping shapes with no discriminator (a flat body is valid
    under both); read it as ``anyOf``, as Confluence accepts either form."""
    if isinstance(node, dict):
        return {("anyOf" if k == "oneOf" else k): _any_of(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_any_of(v) for v in node]
    return node


def request_schema(path: str, method: str) -> dict:
    body = SPEC["paths"][path][method]["requestBody"]
    if "$ref" in body:
        body = SPEC["components"]["requestBodies"][body["$ref"].split("/")[-1]]
    return _any_of(
        {**body["content"]["application/json"]["schema"], "components": SPEC["components"]}
    )


def spec_path_of(path: str) -> str:
    """The spec's path template a concrete ``/wiki/api/v2/...`` path matches (or an assertion error)."""
    parts = path.removeprefix("/wiki/api/v2").split("/")
    for template in SPEC["paths"]:
        tparts = template.split("/")
        if len(tparts) == len(parts) and all(
            t == p or t.startswith("{") for t, p in zip(tparts, parts, strict=True)
        ):
            return template
    raise AssertionError(f"{path} is not a v2 endpoint in the spec")


class Recorder:
    def __init__(self, answer) -> None:
        self.answer = answer
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return self.answer(request)


def cloud(recorder) -> ConfluenceClient:
    return ConfluenceClient(
        "https://acme.atlassian.net/wiki",
        auth=httpx.BasicAuth("u", "t"),
        transport=httpx.MockTransport(recorder),
        backoff_base=0,
    )


def cloud_answer(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if request.method == "DELETE":
        return httpx.Response(204)
    if path.endswith("/labels") or path.endswith("/versions") or path.endswith("/footer-comments"):
        item = {"results": []}
        if path.endswith("/versions"):
            item = {
                "results": [
                    {
                        "number": 3,
                        "message": "",
                        "minorEdit": False,
                        "authorId": "a",
                        "createdAt": "2026-01-06T10:00:00.000Z",
                        "blogpost": {"id": "4456449"},
                    }
                ]
            }
        if path.endswith("/labels"):
            item = {"results": [{"id": "1", "name": "release", "prefix": "global"}]}
        return httpx.Response(200, json={**item, "_links": {}})
    if path.endswith("/footer-comments") or path == "/wiki/api/v2/footer-comments":
        body = json.loads(request.content)
        return httpx.Response(
            201,
            json={
                "id": "777",
                "status": "current",
                "title": "Re: x",
                "blogPostId": body.get("blogPostId"),
                "version": {"number": 1, "authorId": "a", "createdAt": "x"},
                "body": {"storage": {"representation": "storage", "value": "<p>hi</p>"}},
                "_links": {},
            },
        )
    if path.startswith("/wiki/rest/api/content/") and path.endswith("/label"):
        return httpx.Response(
            200,
            json={
                "results": [{"prefix": "global", "name": "release", "id": "1"}],
                "start": 0,
                "limit": 200,
                "size": 1,
            },
        )
    if request.method in ("PUT", "POST"):
        body = json.loads(request.content)
        number = body.get("version", {}).get("number", 1)
        storage = {"storage": {"representation": "storage", "value": body["body"]["value"]}}
        return httpx.Response(
            200,
            json={
                **BLOG,
                "title": body["title"],
                "body": storage,
                "version": {**BLOG["version"], "number": number},
            },
        )
    return httpx.Response(200, json=BLOG)


async def test_cloud_blogpost_calls_go_to_the_blogpost_endpoints_and_match_the_spec():
    rec = Recorder(cloud_answer)
    async with cloud(rec) as client:
        post = await client.get_page("4456449", kind=BLOGPOST)
        assert (post.type, post.title, post.version.number) == ("blogpost", "Release 2.0 is out", 3)
        assert post.url.endswith("/spaces/ENG/blog/2026/01/05/4456449/Release+2.0+is+out")
        assert [v.number async for v in client.versions("4456449", kind=BLOGPOST)] == [3]
        assert [label.name for label in await client.labels("4456449", kind=BLOGPOST)] == [
            "release"
        ]
        assert await client.comments("4456449", kind=BLOGPOST) == []
        assert (
            await client.ancestors("4456449", kind=BLOGPOST) == []
        )  # blog posts sit outside the page tree
        saved = await client.update_page(
            "4456449",
            title="Release 2.0 is out",
            storage="<p>Out today.</p>",
            base_version=3,
            message="typo",
            kind=BLOGPOST,
        )
        assert (saved.type, saved.version.number, saved.storage) == (
            "blogpost",
            4,
            "<p>Out today.</p>",
        )
        made = await client.create_page(
            space_id="98305", title="Next", storage="<p>Soon.</p>", kind=BLOGPOST
        )
        assert made.type == "blogpost"
        comment = await client.add_comment("4456449", "<p>hi</p>", kind=BLOGPOST)
        assert comment.page_id == "4456449"
        await client.add_labels("4456449", ["release"], kind=BLOGPOST)
        await client.remove_label("4456449", "release", kind=BLOGPOST)
        await client.delete_page("4456449", kind=BLOGPOST)

    routes = [(r.method, r.url.path) for r in rec.seen]
    assert routes == [
        ("GET", "/wiki/api/v2/blogposts/4456449"),
        ("GET", "/wiki/api/v2/blogposts/4456449/versions"),
        ("GET", "/wiki/api/v2/blogposts/4456449/labels"),
        ("GET", "/wiki/api/v2/blogposts/4456449/footer-comments"),
        ("PUT", "/wiki/api/v2/blogposts/4456449"),
        ("POST", "/wiki/api/v2/blogposts"),
        ("POST", "/wiki/api/v2/footer-comments"),
        (
            "POST",
            "/wiki/rest/api/content/4456449/label",
        ),  # v2 cannot add labels; v1 takes any content id
        ("DELETE", "/wiki/rest/api/content/4456449/label/release"),
        ("DELETE", "/wiki/api/v2/blogposts/4456449"),
    ]
    for request in rec.seen:
        if request.url.path.startswith("/wiki/api/v2/"):
            template = spec_path_of(request.url.path)
            assert request.method.lower() in SPEC["paths"][template], (request.method, template)
            if request.content:
                schema = request_schema(template, request.method.lower())
                jsonschema.Draft7Validator(schema).validate(json.loads(request.content))
    comment_body = json.loads(rec.seen[6].content)
    assert comment_body["blogPostId"] == "4456449" and "pageId" not in comment_body


async def test_pages_stay_on_the_page_endpoints():
    rec = Recorder(
        lambda r: httpx.Response(
            200, json={**BLOG, "id": "65537", "_links": {"webui": "/spaces/ENG/pages/65537/Home"}}
        )
    )
    async with cloud(rec) as client:
        page = await client.get_page("65537")
    assert page.type == "page"
    assert rec.seen[0].url.path == "/wiki/api/v2/pages/65537"


def dc_answer(request: httpx.Request) -> httpx.Response:
    content = {
        "id": "4456449",
        "type": "blogpost",
        "status": "current",
        "title": "Release 2.0 is out",
        "space": {"key": "ENG", "name": "Engineering"},
        "version": {"number": 3, "when": "2026-01-06T10:00:00.000Z", "by": {"userKey": "u1"}},
        "body": {"storage": {"value": "<p>Out now.</p>", "representation": "storage"}},
        "ancestors": [],
        "_links": {
            "webui": "/display/ENG/2026/01/05/Release+2.0+is+out",
            "base": "https://wiki.acme.test/confluence",
            "context": "/confluence",
        },
    }
    if request.method == "POST" and request.url.path.endswith("/content"):
        body = json.loads(request.content)
        if body["type"] == "comment":
            return httpx.Response(
                200,
                json={
                    "id": "900",
                    "type": "comment",
                    "container": body["container"],
                    "body": body["body"],
                    "version": {"number": 1},
                    "ancestors": [],
                },
            )
        return httpx.Response(200, json=content)
    if request.method == "PUT":
        body = json.loads(request.content)
        return httpx.Response(
            200, json={**content, "version": {"number": body["version"]["number"]}}
        )
    return httpx.Response(200, json=content)


async def test_dc_blogposts_use_content_with_their_type():
    rec = Recorder(dc_answer)
    client = ConfluenceClient(
        "https://wiki.acme.test/confluence",
        kind="dc",
        auth=httpx.BasicAuth("u", "p"),
        transport=httpx.MockTransport(rec),
        backoff_base=0,
    )
    async with client:
        post = await client.get_page("4456449", kind=BLOGPOST)
        assert post.type == "blogpost" and post.space_id == "ENG"
        await client.update_page(
            "4456449", title=post.title, storage="<p>x</p>", base_version=3, kind=BLOGPOST
        )
        await client.create_page(space_id="ENG", title="Next", storage="<p>y</p>", kind=BLOGPOST)
        await client.add_comment("4456449", "<p>hi</p>", kind=BLOGPOST)
    put, create, comment = (json.loads(r.content) for r in rec.seen[1:4])
    assert rec.seen[0].url.path == "/confluence/rest/api/content/4456449"
    assert put["type"] == "blogpost" and put["version"]["number"] == 4
    assert create["type"] == "blogpost" and "ancestors" not in create
    assert comment["container"] == {"id": "4456449", "type": "blogpost"}


async def test_kinds_without_a_body_are_refused_before_any_request():
    rec = Recorder(cloud_answer)
    async with cloud(rec) as client:
        for call in (
            lambda: client.get_page("1", kind="folder"),
            lambda: client.comments("1", kind="whiteboard"),
            lambda: client.update_page("1", title="t", storage="", base_version=1, kind="database"),
        ):
            with pytest.raises(UsageError, match="only pages and blog posts"):
                await call()
        with pytest.raises(UsageError, match="no parent page"):
            await client.create_page(
                space_id="1", title="t", storage="", parent_id="5", kind=BLOGPOST
            )
    assert rec.seen == []


def test_summaries_know_their_kind():
    from workbench.confluence import parse_v1, parse_v2

    child = parse_v2.summary(
        {
            "id": "9",
            "status": "current",
            "title": "Specs",
            "type": "folder",
            "spaceId": "1",
            "childPosition": 3,
        }
    )
    assert (child.type, child.position, child.has_body) == ("folder", 3, False)
    assert parse_v2.summary({"id": "1", "title": "Home"}).type == "page"
    assert parse_v2.blogpost_summary({"id": "2", "title": "News"}).type == "blogpost"
    assert parse_v1.summary({"id": "3", "type": "blogpost", "title": "News"}).type == "blogpost"
    assert PageSummary(id="4", title="x").has_body
