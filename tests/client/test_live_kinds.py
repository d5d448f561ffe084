"""The client against the local Confluence, for every kind of content: the all-content tree (folders
three deep), the blog, blog posts read/saved/labelled/commented, ancestors through folders, web
links, and version history as Cloud and Data Center each serve it."""

from __future__ import annotations

import httpx
import pytest

from tests.client.helpers import client_for
from workbench.confluence.client import ConfluenceClient
from workbench.confluence.errors import NotAvailable, NotFound, VersionConflict
from workbench.confluence.models import BLOGPOST

DC_AUTH = ("demo", "demo-password")


def ident(server, title: str) -> str:
    row = server.store.query_one("SELECT id FROM pages WHERE title = ?", (title,))
    assert row is not None, title
    return str(row["id"])


async def walk(client: ConfluenceClient, space) -> dict[str, tuple[str, list[str]]]:
    """Every item reachable from the space's root level: id → (kind, path of titles)."""
    seen: dict[str, tuple[str, list[str]]] = {}
    stack = [(r, []) async for r in client.space_pages(space.id, depth="root")]
    while stack:
        item, path = stack.pop()
        if item.id in seen:
            continue
        seen[item.id] = (item.type, [*path, item.title])
        async for child in client.children(item.id, kind=item.type):
            stack.append((child, [*path, item.title]))
    return seen


async def test_every_page_of_a_space_with_folders_is_reachable(demo_server):
    async with client_for(demo_server) as client:
        space = await client.space_by_key("PROD")
        seen = await walk(client, space)
    pages = demo_server.store.query(
        "SELECT id, type FROM pages WHERE space_id = ? AND status = 'current' "
        "AND type != 'blogpost'",
        (int(space.id),),
    )
    assert {str(p["id"]) for p in pages} == set(seen)
    kind, path = seen[ident(demo_server, "Validation messages")]
    assert kind == "page" and path == [
        "Product & Design",
        "Design handbook",
        "Components",
        "Forms",
        "Validation messages",
    ]
    assert {k for k, _ in seen.values()} == {"page", "folder", "whiteboard", "database", "embed"}


async def test_children_keep_confluence_order_and_kinds(demo_server):
    async with client_for(demo_server) as client:
        inside = [
            c async for c in client.children(ident(demo_server, "Design handbook"), kind="folder")
        ]
    assert [(c.title, c.type, c.position) for c in inside] == [
        ("Handbook overview", "page", 0),
        ("Components", "folder", 1),
        ("Figma: checkout redesign", "embed", 2),
    ]
    assert all(c.parent_id == ident(demo_server, "Design handbook") for c in inside)


async def test_ancestors_include_folders_with_their_titles(demo_server):
    async with client_for(demo_server) as client:
        chain = await client.ancestors(ident(demo_server, "Form field guidelines"))
    assert [(a.title, a.type) for a in chain] == [
        ("Product & Design", "page"),
        ("Design handbook", "folder"),
        ("Components", "folder"),
        ("Forms", "folder"),
    ]


async def test_a_page_is_created_inside_a_folder(demo_server):
    folder = ident(demo_server, "Forms")
    async with client_for(demo_server) as client:
        space = await client.space_by_key("PROD")
        made = await client.create_page(
            space_id=space.id,
            title="Checkbox groups",
            storage="<p>Group them.</p>",
            parent_id=folder,
        )
        assert made.parent_id == folder
        kids = [c.title async for c in client.children(folder, kind="folder")]
    assert kids[-1] == "Checkbox groups"


async def test_blog_posts_newest_first_and_their_whole_life(demo_server):
    async with client_for(demo_server) as client:
        space = await client.space_by_key("PROD")
        posts = [p async for p in client.blog_posts(space.id)]
        assert [p.title for p in posts] == [
            "Workbench 1.0 beta opens to all teams",
            "What we learned from five merchant interviews",
        ]
        assert all(p.type == BLOGPOST for p in posts)
        post = await client.get_page(posts[0].id, kind=BLOGPOST)
        assert post.type == BLOGPOST and "/blog/" in post.url and post.storage
        saved = await client.update_page(
            post.id,
            title=post.title,
            storage=post.storage + "<p>Edited.</p>",
            base_version=post.version.number,
            message="a line more",
            kind=BLOGPOST,
        )
        assert saved.version.number == post.version.number + 1
        with pytest.raises(VersionConflict):
            await client.update_page(
                post.id,
                title=post.title,
                storage="<p>stale</p>",
                base_version=post.version.number,
                kind=BLOGPOST,
            )
        labels = await client.add_labels(post.id, ["beta"], kind=BLOGPOST)
        assert "beta" in {label.name for label in labels}
        await client.remove_label(post.id, "beta", kind=BLOGPOST)
        assert "beta" not in {label.name for label in await client.labels(post.id, kind=BLOGPOST)}
        before = await client.comments(post.id, kind=BLOGPOST)
        made = await client.add_comment(post.id, "<p>Congrats!</p>", kind=BLOGPOST)
        reply = await client.add_comment(post.id, "<p>Thanks</p>", parent_id=made.id, kind=BLOGPOST)
        after = await client.comments(post.id, kind=BLOGPOST)
        assert len(after) == len(before) + 1 and after[-1].replies[0].id == reply.id
        versions = [v.number async for v in client.versions(post.id, kind=BLOGPOST)]
        assert versions[0] == saved.version.number
        with pytest.raises(NotFound):  # a blog post is not a page on Cloud
            await client.get_page(post.id)


async def test_web_url_of_folders_and_whiteboards(demo_server):
    async with client_for(demo_server) as client:
        url = await client.web_url(ident(demo_server, "Checkout flow board"), kind="whiteboard")
        assert url.startswith(demo_server.base_url) and "/whiteboard/" in url


async def test_data_center_history_from_rest_experimental(local_confluence):
    server = local_confluence("demo", flavour="dc", context_path="/confluence")
    base = f"{server.origin}/confluence"
    async with ConfluenceClient(base, auth=httpx.BasicAuth(*DC_AUTH), kind="dc") as client:
        page = ident(server, "Runbook: Payments API latency")
        versions = [v async for v in client.versions(page)]
        assert [v.number for v in versions] == [3, 2, 1] and versions[0].author_id
        old = await client.get_page(page, version=1)
        assert old.version.number == 1 and old.storage
        posts = [p async for p in client.blog_posts("PROD")]
        assert len(posts) == 2 and posts[0].created_at > posts[1].created_at
        post = await client.get_page(posts[0].id, kind=BLOGPOST)
        assert post.type == BLOGPOST
        saved = await client.update_page(
            post.id,
            title=post.title,
            storage="<p>DC edit</p>",
            base_version=post.version.number,
            kind=BLOGPOST,
        )
        assert saved.type == BLOGPOST and saved.version.number == post.version.number + 1
    seen = [
        e.path for e in server.requests.entries(path_prefix="/wiki/rest/")
    ]  # the log keeps canonical paths
    assert any("/rest/experimental/content/" in p for p in seen)
    assert not any(p.endswith(f"/rest/api/content/{page}/version") for p in seen)


def _dc_without_history(page_exists: bool):
    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/version"):
            return httpx.Response(
                404, json={"statusCode": 404, "message": "null for uri: " + str(request.url)}
            )
        if page_exists:
            return httpx.Response(
                200,
                json={
                    "id": "7",
                    "type": "page",
                    "title": "T",
                    "version": {"number": 2},
                    "space": {"key": "K"},
                },
            )
        return httpx.Response(
            404, json={"statusCode": 404, "message": "No content found with id: 7"}
        )

    return handler


async def test_a_server_without_any_history_resource_says_so(monkeypatch):
    client = ConfluenceClient(
        "https://wiki.acme.test",
        kind="dc",
        auth=httpx.BasicAuth("u", "p"),
        transport=httpx.MockTransport(_dc_without_history(True)),
        backoff_base=0,
    )
    async with client:
        with pytest.raises(NotAvailable, match="history is not available on this server"):
            _ = [v async for v in client.versions("7")]
    missing = ConfluenceClient(
        "https://wiki.acme.test",
        kind="dc",
        auth=httpx.BasicAuth("u", "p"),
        transport=httpx.MockTransport(_dc_without_history(False)),
        backoff_base=0,
    )
    async with missing:
        with pytest.raises(NotFound, match="[Pp]age 7"):  # here it is the page that is missing
            _ = [v async for v in missing.versions("7")]
