"""Lossless storage ⇄ Markdown conversion: Markdown is a view of the storage format.

``storage_to_markdown(storage)`` renders readable Markdown (dialect: ``docs/markdown-dialect.md``).
``markdown_to_storage(markdown, base)`` writes it back: with the storage the Markdown was read from as
``base``, everything the edit did not touch comes back byte for byte; without a base the Markdown is
rendered to fresh storage. Both are pure and never raise.
"""

from __future__ import annotations

from workbench.convert.api import (
    markdown_to_storage,
    mentioned_accounts,
    storage_to_markdown,
)
from workbench.convert.constructs import local_attachment

__all__ = ["local_attachment", "markdown_to_storage", "mentioned_accounts", "storage_to_markdown"]
