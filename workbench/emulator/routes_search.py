"""v1 CQL search routes (filled in with the CQL evaluator)."""

from __future__ import annotations


def search_routes():
    return []
