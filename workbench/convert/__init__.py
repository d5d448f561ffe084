"""Lossless storage ⇄ Markdown conversion: Markdown is a view of the storage format.

``storage_to_markdown(storage)`` renders readable Markdown (dialect: ``docs/markdown-dialect.md``).
``markdown_to_storage(markdown, base)`` writes it back: with the storage the Markdown was read from as
``base``, everything the edit did not touch comes back byte for byte; without a base the Markdown is
rendered to fresh storage. Both are pure and never raise.

The package loads the converter when one of its functions is first asked for (PEP 562), so that
importing a light module of it (``workbench.convert.mentions``) does not.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.convert.api import markdown_to_storage, storage_to_markdown
    from workbench.convert.constructs import local_attachment
    from workbench.convert.mentions import mentioned_accounts

_HOMES = {
    "markdown_to_storage": "workbench.convert.api",
    "storage_to_markdown": "workbench.convert.api",
    "local_attachment": "workbench.convert.constructs",
    "mentioned_accounts": "workbench.convert.mentions",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'workbench.convert' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value  # asked for once
    return value


__all__ = ["local_attachment", "markdown_to_storage", "mentioned_accounts", "storage_to_markdown"]
