"""Which accounts a storage document mentions — a pattern, no parser: it loads nothing of the converter,
so the page header can ask for names while the page converts in a thread."""

from __future__ import annotations

import re

_ACCOUNT_ID = re.compile(r'ri:account-id\s*=\s*"([^"]+)"')


def mentioned_accounts(storage: str) -> list[str]:
    """Account ids mentioned in ``storage``, first occurrence first (to look up display names)."""
    return list(dict.fromkeys(_ACCOUNT_ID.findall(storage)))
