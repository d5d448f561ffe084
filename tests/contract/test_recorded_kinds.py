"""Recorded real answers about content kinds and Data Center history, replayed through the client.

Sources and licences: ``SOURCES.md`` next to this file. The bodies are served unchanged by an
``httpx.MockTransport`` at the paths the client asks for.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from workbench.confluence import parse_v2
from workbench.confluence.client import ConfluenceClient
from workbench.emulator.shapes import content_webui

RECORDED = Path(__file__).resolve().parent / "recorded"


def recorded(name: str) -> str:
    return (RECORDED / name).read_text(encoding="utf-8")


async def test_dc_history_parses_the_real_experimental_version_list():
    body = recorded("virtomize__dc7_experimental_version_list.json")
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/confluence/rest/experimental/content/65551/version":
            return httpx.Response(200, text=body, headers={"Content-Type": "application/json"})
        return httpx.Response(404, json={"statusCode": 404, "message": "null for uri"})

    client = ConfluenceClient(
        "http://my_confluence:1990/confluence",
        kind="dc",
        auth=httpx.BasicAuth("u", "p"),
        transport=httpx.MockTransport(handler),
        backoff_base=0,
    )
    async with client:
        versions = [v async for v in client.versions("65551")]
    assert [(v.number, v.created_at, v.author_id, v.minor_edit) for v in versions] == [
        (1, "2021-09-09T05:17:57.822Z", "", False)
    ]  # an anonymous author has no key
    assert seen == [
        "/confluence/rest/experimental/content/65551/version"
    ]  # one request, DC's own resource


def test_a_real_page_inside_a_folder_parses_with_its_folder_parent():
    wrapped = json.loads(recorded("arcade__cloud_create_page_under_folder_tool_output.json"))
    page = parse_v2.page(wrapped["page"], "https://ericconfluence.atlassian.net/wiki")
    assert (page.id, page.parent_id, page.type, page.version.number) == (
        "5439489",
        "4653064",
        "page",
        1,
    )
    assert page.storage.startswith("<h1>TODOs for Today</h1>")
    summary = parse_v2.summary(wrapped["page"])
    assert summary.position == 1675 and summary.parent_id == "4653064"


def test_the_local_server_names_databases_and_whiteboards_as_the_real_site_does():
    tree = json.loads(recorded("arcade__cloud_space_hierarchy_tool_output.json"))
    home = next(iter(tree.values()))
    by_kind = {c["type"]: c for c in home["children"]}
    for kind in ("database", "whiteboard"):
        real = by_kind[kind]
        key = real["url"].split("/spaces/", 1)[1].split("/", 1)[0]
        ours = content_webui({"id": int(real["id"]), "type": kind, "title": real["title"]}, key)
        assert real["url"].endswith("/wiki" + ours), (real["url"], ours)
    kinds = {c["type"] for c in home["children"]}
    assert kinds == {
        "database",
        "folder",
        "whiteboard",
    }  # direct children of the homepage, every kind
    folders = [c for c in home["children"] if c["type"] == "folder"]
    assert all(child["type"] == "page" for f in folders for child in f["children"])
