"""CQL search on the local Confluence over loopback HTTP (v1 ``/rest/api/search``)."""

from __future__ import annotations

import httpx
import pytest

AUTH = ("demo@example.com", "demo-token")


@pytest.fixture(scope="module")
def server():
    from workbench.emulator.runner import start_in_thread

    running = start_in_thread(seed="demo")
    yield running
    running.stop()


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.base_url, auth=AUTH, timeout=10) as client:
        yield client


def search(http, cql: str, **params) -> dict:
    r = http.get("/rest/api/search", params={"cql": cql, **params})
    assert r.status_code == 200, r.text
    return r.json()


def titles(http, cql: str, **params) -> list[str]:
    return [r["content"]["title"] for r in search(http, cql, limit=250, **params)["results"]]


def page_id(http, title: str) -> str:
    return search(http, f"title = {quote(title)}")["results"][0]["content"]["id"]


def quote(value: str) -> str:
    from workbench.confluence.cql import quote_value

    return quote_value(value)


def test_result_shape_and_highlights(http):
    body = search(http, 'type = page and text ~ "failover"', limit=2)
    assert (
        body["totalSize"] >= 3 and body["size"] == 2 and body["limit"] == 2 and body["start"] == 0
    )
    assert body["cqlQuery"] == 'type = page and text ~ "failover"'
    assert body["_links"]["context"] == "/wiki"
    assert body["_links"]["next"].startswith("/rest/api/search?")
    hit = body["results"][0]
    content = hit["content"]
    assert set(content) >= {"id", "type", "status", "title", "space", "_links"}
    assert content["type"] == "page" and content["space"]["key"] == "ENG"
    assert hit["url"].startswith("/spaces/ENG/pages/")
    assert {"excerpt", "lastModified", "entityType", "resultGlobalContainer"} <= set(hit)
    everything = search(http, 'text ~ "failover"', limit=25)["results"]
    assert any("@@@hl@@@failover@@@endhl@@@" in r["title"].lower() for r in everything)
    in_body = [r for r in everything if "failover" in r["excerpt"].lower()]
    assert in_body and all("@@@hl@@@failover@@@endhl@@@" in r["excerpt"].lower() for r in in_body)


def test_cursor_paging_covers_every_result(http, server):
    first = search(http, "space = ENG", limit=5)
    total, seen, body = first["totalSize"], [], first
    while True:
        seen += [r["content"]["id"] for r in body["results"]]
        nxt = body["_links"].get("next")
        if not nxt:
            break
        body = http.get(server.base_url + nxt).json()
    assert len(seen) == len(set(seen)) == total >= 18


def test_offset_paging_for_data_center_clients(http):
    body = search(http, "space = PROD order by title", limit=4, start=4)
    assert (
        body["start"] == 4
        and "start=8" in body["_links"]["next"]
        and "start=0" in body["_links"]["prev"]
    )


@pytest.mark.parametrize(
    ("cql", "expected"),
    [
        ("title = Runbooks", {"Runbooks"}),
        (
            'title ~ "runbook" and space = ENG',
            {
                "Runbook: Payments API latency",
                "Runbook: Database failover",
                "Runbook: Rotating TLS certificates",
            },
        ),
        (
            'label = adr and title !~ "003"',
            {
                "Architecture decisions",
                "ADR-001: Use PostgreSQL for the ledger",
                "ADR-002: Adopt OpenTelemetry",
            },
        ),
        (
            "label in (postmortem, persona)",
            {
                "Incident postmortem: 2026-09-14 checkout outage",
                "Persona: the on-call engineer",
                "Postmortem digest: November",
            },
        ),
        ('space = "~demo"', {"Demo User", "Notes to self"}),
        ('text ~ "\\"connection limit\\""', {"Incident postmortem: 2026-09-14 checkout outage"}),
        ("macro = jira", {"Runbook: Payments API latency", "Release 2026.10"}),
        (
            "type = blogpost",
            {
                "Postmortem digest: November",
                "Workbench 1.0 beta opens to all teams",
                "What we learned from five merchant interviews",
            },
        ),
        ("type = folder and space = PROD", {"Design handbook", "Components", "Forms"}),
        (
            "type in (whiteboard, database, embed)",
            {"Checkout flow board", "Research participants", "Figma: checkout redesign"},
        ),
        (
            "text ~ postmortem",
            {"Incident postmortem: 2026-09-14 checkout outage", "Postmortem digest: November"},
        ),
        ("text ~ postmortem and type = page", {"Incident postmortem: 2026-09-14 checkout outage"}),
        ('text ~ "persona"', {"Persona: the on-call engineer"}),
        ('siteSearch ~ "colour tokens"', {"Colour tokens"}),
        (
            'space.title ~ "product" and label = research',
            {
                "Customer research",
                "Interview: logistics operations lead",
                "Persona: the on-call engineer",
                "What we learned from five merchant interviews",
            },
        ),
    ],
)
def test_fields_and_operators(http, cql, expected):
    assert set(titles(http, cql)) == expected


def test_tree_fields(http):
    runbooks = page_id(http, "Runbooks")
    kids = set(titles(http, f"parent = {runbooks}"))
    assert kids == {
        "Runbook: Payments API latency",
        "Runbook: Database failover",
        "Runbook: Rotating TLS certificates",
    }
    home = page_id(http, "Platform Engineering")
    below_home = set(titles(http, f"ancestor = {home}"))
    assert (
        kids <= below_home and "Runbooks" in below_home and "Platform Engineering" not in below_home
    )
    assert set(titles(http, f"id in ({runbooks}, {home})")) == {"Runbooks", "Platform Engineering"}
    assert "Runbooks" not in titles(http, f"ancestor = {home} and not id = {runbooks}")


def test_people_fields(http):
    mine = set(titles(http, "creator = currentUser()"))
    assert {"Notes to self", "Release 2026.12 (draft notes)"} <= mine
    assert "Runbooks" not in mine
    edited = set(titles(http, 'contributor = "557058:demo-user"'))
    assert "Launch plan: Workbench 1.0" in edited and "Launch plan: Workbench 1.0" not in mine
    assert "Team directory" in titles(http, 'mention = "63f2b9e1c7a4d5e6f7a8b9c0"')


def test_dates_and_ordering(http, server):
    recent = titles(http, 'lastmodified >= now("-2w") order by lastmodified desc')
    old = set(titles(http, 'lastmodified < now("-2w")'))
    assert recent and not (set(recent) & old)
    assert recent[0] == "Launch plan: Workbench 1.0"  # edited one day ago
    assert (
        len(recent) + len(old)
        == search(http, "type in (page, blogpost, folder, whiteboard, database, embed)")[
            "totalSize"
        ]
    )
    created = server.store.query_one("SELECT created_at FROM pages WHERE title = 'Runbooks'")[
        "created_at"
    ]
    day = created[:10]
    assert "Runbooks" in titles(http, f'created = "{day}"')
    assert "Runbooks" not in titles(http, f'created != "{day.replace("-", "/")}"')
    by_title = titles(http, "space = PROD order by title asc")
    assert by_title == sorted(by_title, key=str.lower)
    assert titles(http, "space = PROD order by title desc") == by_title[::-1]


def test_boolean_logic(http):
    eng = set(titles(http, "space = ENG"))
    runbooks = set(titles(http, "label = runbook"))
    assert set(titles(http, "space = ENG and not label = runbook")) == eng - runbooks
    assert set(titles(http, "label = runbook or label = adr")) == runbooks | set(
        titles(http, "label = adr")
    )
    assert set(titles(http, "(label = runbook or label = adr) and title ~ database")) == {
        "Runbook: Database failover"
    }
    assert set(titles(http, "space = ENG and label != runbook")) == eng - runbooks


def test_search_sees_writes(http, server):
    runbooks = page_id(http, "Runbooks")
    before = search(http, 'text ~ "zebracorn"')["totalSize"]
    server.store.update_page(
        runbooks, "<p>The zebracorn procedure.</p>", author="5b10ac8d82e05b22cc7d4ef5"
    )
    assert search(http, 'text ~ "zebracorn"')["totalSize"] == before + 1


@pytest.mark.parametrize(
    ("cql", "fragment"),
    [
        ('type = page and titl "x"', "(at character 22: expected an operator after 'titl'"),
        ("space = ~demo", "must be quoted"),
        ("", "cql parameter is required"),
    ],
)
def test_invalid_cql_is_a_v1_400(http, cql, fragment):
    r = http.get("/rest/api/search", params={"cql": cql})
    assert r.status_code == 400
    body = r.json()
    assert body["statusCode"] == 400 and body["message"].startswith("Could not parse cql : ")
    assert fragment in body["message"]
    assert set(body["data"]) >= {"authorized", "valid", "errors", "successful"}


def test_odd_values_answer_cleanly(http):
    assert search(http, "id = 99999999999999999999999")["totalSize"] == 0
    r = http.get("/rest/api/search", params={"cql": 'created > "2026-02-30 10:00"'})
    assert r.status_code == 400 and "not a valid date" in r.json()["message"]
    assert search(http, 'text ~ "***"')["totalSize"] == 0


def test_an_unknown_field_is_clouds_own_400(http):
    r = http.get("/rest/api/search", params={"cql": "Grill = x"})
    assert r.status_code == 400
    assert r.json()["message"] == (
        "com.atlassian.confluence.api.service.exceptions.BadRequestException: "
        "No field exists with the name: 'Grill'"
    )  # fact sheet §4 [obs]
    r = http.get("/rest/api/search", params={"cql": "id in lastWeeksPages()"})
    assert r.status_code == 400 and "unknown function 'lastWeeksPages()'" in r.json()["message"]


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("space in favouriteSpaces()", 0),  # nobody has favourites here
        ("id in recentlyViewedContent(10)", 0),  # nor a viewing history
        ("watcher = currentUser()", 0),
        ("favourite = currentUser()", 0),
        ("space.category = engineering", 0),
        ("content.property[status].state = done", 0),
        (
            "type = page and space = ENG and watcher != currentUser()",
            None,
        ),  # negating "nothing" is everything
        ('space.desc ~ "platform"', None),
        ('creator.fullname ~ "Marcus"', None),
    ],
)
def test_documented_fields_are_answered_as_far_as_the_local_data_goes(http, query, total):
    body = search(http, query)
    if total is not None:
        assert body["totalSize"] == total
    else:
        assert body["totalSize"] > 0


def test_full_names_and_space_descriptions_match_what_they_say(http, server):
    marcus = server.store.query_one(
        "SELECT account_id FROM users WHERE display_name LIKE 'Marcus%'"
    )
    hits = search(http, 'creator.fullname ~ "marcus oyelaran"', limit=100)["results"]
    authors = {server.store.get_page(int(h["content"]["id"]))["author_id"] for h in hits}
    assert authors == {marcus["account_id"]}
    keys = {
        h["content"]["space"]["key"]
        for h in search(http, 'space.desc ~ "platform"', limit=100)["results"]
    }
    eng = server.store.space_by_key("ENG")
    assert keys and all(
        "platform" in server.store.space_by_key(k)["description"].lower() for k in keys
    )
    assert "ENG" in keys or "platform" not in eng["description"].lower()


def test_content_search_returns_content(http):
    r = http.get(
        "/rest/api/content/search", params={"cql": "label = runbook", "expand": "version,space"}
    )
    assert r.status_code == 200
    body = r.json()
    assert "totalSize" not in body and body["size"] == len(body["results"]) == 4
    assert all(c["type"] == "page" and c["version"]["number"] >= 1 for c in body["results"])
