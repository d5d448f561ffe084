"""The minimal web view: "open in browser" on the demo shows the page."""

from __future__ import annotations

import xml.dom.minidom

import httpx
import pytest

AUTH = ("demo@example.com", "demo-token")


@pytest.fixture
def web(demo_server):
    with httpx.Client(base_url=demo_server.origin, auth=AUTH, timeout=10) as client:
        yield client


def test_every_demo_page_renders_as_well_formed_xhtml(web, demo_server):
    pages = demo_server.store.query(
        "SELECT p.id, p.title, s.key FROM pages p JOIN spaces s ON s.id = p.space_id "
        "WHERE p.type = 'page'"
    )
    for page in pages:
        api = web.get(f"/wiki/api/v2/pages/{page['id']}").json()
        r = web.get("/wiki" + api["_links"]["webui"])
        assert r.status_code == 200, page
        assert r.headers["content-type"].startswith("application/xhtml+xml")
        doc = xml.dom.minidom.parseString(r.content)
        assert doc.getElementsByTagName("h1")[0].firstChild.data == page["title"]


def test_breadcrumbs_space_list_and_tiny_links(web, demo_server):
    page = web.get("/wiki/api/v2/pages", params={"title": "Runbook: Database failover"}).json()[
        "results"
    ][0]
    view = web.get("/wiki" + page["_links"]["webui"]).text
    assert "Platform Engineering</a> / " in view and ">Runbooks</a>" in view and "Version 2" in view
    latency = web.get(
        "/wiki/api/v2/pages", params={"title": "Runbook: Payments API latency"}
    ).json()["results"][0]
    rendered = web.get("/wiki" + latency["_links"]["webui"]).text
    assert '<span class="mention">@Marcus Oyelaran</span>' in rendered  # mentions show names
    assert (
        f'href="/wiki{page["_links"]["webui"]}">Runbook: Database failover</a>' in rendered
    )  # links resolve
    space = web.get("/wiki/spaces/ENG").text
    assert "Runbook: Database failover" in space and "Service catalogue" in space
    hop = web.get("/wiki" + page["_links"]["tinyui"], follow_redirects=False)
    assert hop.status_code == 302 and hop.headers["location"] == "/wiki" + page["_links"]["webui"]
    wrong_space = web.get(f"/wiki/spaces/PROD/pages/{page['id']}", follow_redirects=False)
    assert wrong_space.status_code == 302
    assert web.get("/wiki/spaces/NOPE").status_code == 404
    assert web.get("/wiki/x/!!").status_code == 404


def test_browser_is_asked_for_credentials(demo_server):
    r = httpx.get(demo_server.origin + "/wiki/spaces/ENG")
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Basic")


def test_malformed_storage_shows_its_source(web, demo_server):
    page = demo_server.store.query_one("SELECT id FROM pages WHERE title = 'Team directory'")
    demo_server.store.update_page(page["id"], "<p>unclosed <strong>bold</p>")
    r = web.get(f"/wiki/spaces/PROD/pages/{page['id']}")
    assert r.status_code == 200 and "not well-formed" in r.text
    xml.dom.minidom.parseString(r.content)
