"""The command line's reads from the local index: ``search --local`` (plain words and the CQL the index
can answer, one site or every site), ``cat --offline`` and ``cat`` falling back to the index when the
site cannot be reached, ``sync --status``; and what happens with no index, a damaged one, hostile
page text, a page the index does not hold."""

from __future__ import annotations

import json

import pytest

from workbench.index.sites import resolve_site

LATENCY_RUNBOOK = (
    65539  # "Runbook: Payments API latency" in ENG (labels runbook, payments, latency)
)


@pytest.fixture
def synced(site, cli):
    server = site()
    ran = cli("sync", "--all")
    assert ran.code == 0, ran.err
    return server


def test_search_local_answers_with_the_site_down(synced, cli):
    synced.go_offline()
    ran = cli("search", "--local", "payments", "latency")
    assert ran.code == 0, ran.err
    first = ran.out.splitlines()[0].split()
    assert first[:3] == [str(LATENCY_RUNBOOK), "ENG", "Runbook:"]
    assert "from the local index of 127.0.0.1" in ran.err and "last sync just now" in ran.err
    assert "results." in ran.out


def test_search_local_takes_the_cql_the_index_can_answer(synced, cli):
    ran = cli("search", "--local", 'space = ENG and label = postgres and text ~ "failover"')
    assert ran.code == 0, ran.err
    titles = [
        line
        for line in ran.out.splitlines()
        if line[:1].isdigit() and not line.endswith("results.")
    ]
    assert titles and all(line.split()[1] == "ENG" for line in titles)
    assert "Runbook: Database failover" in titles[0]
    ran = cli("search", "--local", 'title ~ "runbook" and type = page', "--json")
    assert ran.code == 0, ran.err
    results = json.loads(ran.out)["sites"][0]["results"]
    assert results and all("runbook" in r["title"].lower() and r["type"] == "page" for r in results)


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("creator = currentUser()", "cannot answer"),
        ('text ~ "a" or text ~ "b"', "joined by 'and' only"),
        ('text ~ "deploy" order by lastmodified desc', "ranked by relevance"),
        ("type = attachment and text ~ x", "pages, blog posts and folders"),
        ('lastmodified > now("-2d") and text ~ x', "cannot answer"),
        ('text ~ "unclosed', "not valid CQL"),
        ("label = ", "not valid CQL"),
    ],
)
def test_search_local_refuses_what_it_cannot_answer_and_says_what(synced, cli, query, said):
    ran = cli("search", "--local", query)
    assert ran.code == 2 and said in ran.err and "Traceback" not in ran.err
    assert ran.out == ""


def test_search_local_json_has_snippets_versions_and_freshness(synced, cli):
    ran = cli("search", "--local", "payments", "--json", "--limit", "3")
    assert ran.code == 0, ran.err
    data = json.loads(ran.out)
    assert data["local"] is True and len(data["sites"]) == 1
    site = data["sites"][0]
    assert site["synced_at"].endswith("Z") and site["matches"] >= 1 and len(site["results"]) <= 3
    hit = site["results"][0]
    assert hit["id"] == str(LATENCY_RUNBOOK) and hit["version"] >= 1
    assert "@@@hl@@@" in hit["excerpt_highlighted"] and "@@@hl@@@" not in hit["excerpt"]


def test_search_local_without_an_index_says_how_to_make_one(site, cli):
    site()
    ran = cli("search", "--local", "anything")
    assert (
        ran.code == 2
        and "no local index of this site yet" in ran.err
        and "workbench sync" in ran.err
    )
    assert "Traceback" not in ran.err


def test_search_local_every_site_in_one_list(site, cli):
    site()
    assert cli("sync", "ENG").code == 0
    second = site("demo", flavour="dc")  # another site (another address): its own index
    assert cli("sync", "ENG").code == 0
    ran = cli("search", "--local", "--all-sites", "payments", "latency")
    assert ran.code == 0, ran.err
    assert ran.out.count("== ") == 2 and ran.err.count("from the local index of") == 2
    assert str(second.port) in ran.out
    status = cli("sync", "--status", "--json")
    assert status.code == 0, status.err
    sites = json.loads(status.out)
    assert len(sites) == 2 and all(
        s["spaces"] == ["ENG"] and s["pages"] > 0 and s["synced_at"] for s in sites
    )
    human = cli("sync", "--status")
    assert human.code == 0 and human.out.count("last sync just now") == 2


def test_cat_offline_prints_the_indexed_page_marked_offline(synced, cli):
    online = cli("cat", str(LATENCY_RUNBOOK))
    assert online.code == 0, online.err
    synced.go_offline()
    offline = cli("cat", "--offline", str(LATENCY_RUNBOOK))
    assert offline.code == 0, offline.err
    assert offline.out == online.out  # the same Markdown (mentions by name, from the index)
    assert "OFFLINE copy of page 65539" in offline.err and "version " in offline.err
    assert "synced just now" in offline.err
    as_json = json.loads(cli("cat", "--offline", str(LATENCY_RUNBOOK), "--format", "json").out)
    assert as_json["offline"] is True and as_json["synced_at"] and as_json["labels"]
    assert as_json["ancestors"][-1]["title"] == "Runbooks"


def test_cat_falls_back_to_the_index_when_the_site_cannot_be_reached(synced, cli):
    storage = synced.store.get_page(LATENCY_RUNBOOK)["body"]
    synced.go_offline()
    ran = cli("cat", str(LATENCY_RUNBOOK), "--format", "storage")
    assert ran.code == 0, ran.err
    assert ran.out.rstrip("\n") == storage.rstrip("\n")
    assert "OFFLINE copy (the site could not be reached" in ran.err
    # a page the index does not hold: the network error, as without an index
    missing = cli("cat", "999999999")
    assert missing.code != 0 and "OFFLINE" not in missing.err and "Traceback" not in missing.err


def test_cat_offline_of_a_page_deleted_since_and_of_another_version(synced, cli):
    synced.store.delete_page(LATENCY_RUNBOOK)
    assert cli("sync").code == 0
    ran = cli("cat", "--offline", str(LATENCY_RUNBOOK))
    assert ran.code == 2 and "not in the local index" in ran.err
    other = cli("cat", "--offline", "65542", "--version", "99")
    assert other.code == 2 and "holds version" in other.err


def test_a_damaged_index_is_reported_not_a_traceback(synced, cli):
    path = resolve_site().path
    for extra in path.parent.glob(path.name + "-*"):
        extra.unlink()
    path.write_bytes(b"this is not SQLite at all" * 100)
    for args in (
        ("search", "--local", "payments"),
        ("cat", "--offline", str(LATENCY_RUNBOOK)),
        ("sync",),
    ):
        ran = cli(*args)
        assert ran.code != 0 and "Traceback" not in ran.err, args
        assert "damaged" in ran.err and "remove it" in ran.err, (args, ran.err)


def test_hostile_titles_and_text_are_printed_as_text(synced, cli):
    eng = synced.store.space_by_key("ENG")["id"]
    synced.store.create_page(
        eng, "Evil \x1b]0;pwned\x07 \x1b[31mquokkafish", "<p>quokkafish \x1b[2J here</p>"
    )
    assert cli("sync").code == 0
    for args in (("search", "--local", "quokkafish"), ("sync", "--status")):
        ran = cli(*args)
        assert ran.code == 0, ran.err
        assert "\x1b" not in ran.out and "\x07" not in ran.out and "\x1b" not in ran.err
