"""Local search (``workbench.index.search.LocalSearch``) over an index synced from the local Confluence:
ranking, snippets, as-you-type prefixes, filters, what people type that is no query, and a search
that follows later syncs (edits, the trash)."""

from __future__ import annotations

import pytest

from workbench.index import search as local
from workbench.index.search import END_HL, HL, LocalSearch, parse_query
from workbench.index.sites import resolve_site

LATENCY_RUNBOOK = 65539  # "Runbook: Payments API latency" (labels runbook, payments, latency)


@pytest.fixture
def synced(site, cli):
    server = site()
    assert cli("sync", "--all").code == 0
    opened: list[LocalSearch] = []

    def open_() -> LocalSearch:
        opened.append(LocalSearch(resolve_site().path))
        return opened[-1]

    yield server, open_
    for found in opened:
        found.close()


def test_a_title_hit_ranks_first_and_the_snippet_highlights_the_words(synced):
    _, open_ = synced
    answer = open_().search("payments latency", exhaustive=True)
    assert answer.complete and answer.matches >= 1
    best = answer.hits[0]
    assert int(best.id) == LATENCY_RUNBOOK
    assert best.space_key == "ENG" and best.type == "page" and best.version >= 1
    assert f"{HL}Payments{END_HL}" in best.title_hl and f"{HL}latency{END_HL}" in best.title_hl
    assert HL in best.excerpt and best.plain_excerpt and HL not in best.plain_excerpt
    assert best.url.endswith(f"/pages/{LATENCY_RUNBOOK}/Runbook%3A+Payments+API+latency")
    assert [h.score for h in answer.hits] == sorted((h.score for h in answer.hits), reverse=True)


def test_as_you_type_the_last_word_is_a_prefix_from_three_letters(synced):
    _, open_ = synced
    found = open_()
    assert found.search("pa", as_you_type=True).hits == ()  # too little to search for yet
    typed = found.search("paymen", as_you_type=True)
    assert LATENCY_RUNBOOK in {int(h.id) for h in typed.hits}
    assert found.search("paymen", exhaustive=True).hits == ()  # on enter a word is a word
    assert LATENCY_RUNBOOK in {int(h.id) for h in found.search("paymen*", exhaustive=True).hits}
    # a word still being typed after complete words: left out while short
    assert (
        found.search("latency pa", as_you_type=True).matches
        == found.search("latency", exhaustive=True).matches
    )


def test_filters_by_space_type_and_label(synced):
    server, open_ = synced
    found = open_()
    everywhere = found.search("runbook", exhaustive=True, limit=100)
    assert {h.space_key for h in everywhere.hits} >= {"ENG"}
    assert all(
        h.space_key == "PROD"
        for h in found.search("runbook", spaces=["PROD"], exhaustive=True).hits
    )
    labelled = found.search("runbook", label_terms=["postgres"], exhaustive=True, limit=100)
    assert labelled.hits and all(
        "postgres" in {r["name"] for r in server.store.labels(int(h.id))} for h in labelled.hits
    )
    blogs = found.search("the", types=["blogpost"], exhaustive=True, limit=100)
    assert blogs.hits and all(h.type == "blogpost" for h in blogs.hits)
    # only a label, no words: every page with that label
    only_label = found.search("", label_terms=["runbook"], exhaustive=True, limit=100)
    assert LATENCY_RUNBOOK in {int(h.id) for h in only_label.hits}


@pytest.mark.parametrize(
    "typed",
    [
        '"',
        '"unclosed phrase',
        "AND OR NOT",
        "(((",
        "*",
        "title:x",
        "a-b-c",
        "NEAR(a b)",
        "^",
        "'; DROP TABLE content; --",
        "\x00\x1b[31m",
        "é" * 3000,
    ],
)
def test_whatever_is_typed_answers_without_an_error(synced, typed):
    _, open_ = synced
    for as_you_type in (True, False):
        answer = open_().search(typed, as_you_type=as_you_type, exhaustive=not as_you_type)
        assert answer.query == typed and isinstance(answer.hits, tuple)


def test_a_phrase_matches_words_in_a_row_only(synced):
    _, open_ = synced
    found = open_()
    assert LATENCY_RUNBOOK in {
        int(h.id) for h in found.search('"payments api"', exhaustive=True).hits
    }
    assert found.search('"api payments"', exhaustive=True).hits == ()


def test_as_you_type_ranks_only_the_newest_candidates_and_says_so(synced, monkeypatch):
    _, open_ = synced
    found = open_()
    full = found.search("the", exhaustive=True, limit=5)
    assert full.matches > 3
    monkeypatch.setattr(local, "CANDIDATES", 3)
    partial = found.search("the", as_you_type=True, limit=5)
    assert not partial.complete and len(partial.hits) == 3
    assert found.search("the", exhaustive=True, limit=5).complete


def test_search_follows_later_syncs_edits_and_the_trash(synced, cli):
    server, open_ = synced
    found = open_()
    assert found.search("zanzibarite", exhaustive=True).hits == ()
    page = server.store.get_page(LATENCY_RUNBOOK)
    server.store.update_page(LATENCY_RUNBOOK, page["body"] + "<p>zanzibarite</p>")
    assert cli("sync").code == 0
    assert [int(h.id) for h in found.search("zanzibarite", exhaustive=True).hits] == [
        LATENCY_RUNBOOK
    ]
    server.store.delete_page(LATENCY_RUNBOOK)
    assert cli("sync").code == 0
    assert found.search("zanzibarite", exhaustive=True).hits == ()
    assert found.search("PaymentsApiLatencyHigh", exhaustive=True).hits == ()


def test_parse_query_words_phrases_prefixes():
    assert [t.fts() for t in parse_query('deploy "release notes" kube*')] == [
        '"deploy"',
        '"release notes"',
        '"kube"*',
    ]
    assert [t.fts() for t in parse_query("e-mail v2.3")] == ['"e mail"', '"v2 3"']
    assert [t.fts() for t in parse_query("deploy rel", as_you_type=True)] == ['"deploy"', '"rel"*']
    assert parse_query("de", as_you_type=True) == []
