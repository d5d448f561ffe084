"""Where a site's files are named: a stable, file-name-safe slug of its key, and the tree cache's
file (:class:`workbench.services.cache.TreeCache`). Standard library only (``workbench demo``
asks whether the tree is cached before anything else loads)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def site_slug(site_key: str) -> str:
    """A file-name-safe, stable name for a site key (URL or profile)."""
    digest = hashlib.sha256(site_key.encode("utf-8")).hexdigest()[:16]
    readable = "".join(ch if ch.isalnum() else "-" for ch in site_key)[:40].strip("-")
    return f"{readable}-{digest}"


def tree_cache_file(directory: Path, site_key: str) -> Path:
    """The file of ``site_key``'s tree cache in the cache ``directory``."""
    return Path(directory) / f"tree-{site_slug(site_key)}.json"
