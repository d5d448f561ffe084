"""Mentions the model writes: real when they name a known person, plain text otherwise.

The agent reads pages with names (``⟦@Priya Raman⟧``). What it writes back goes through
:func:`settle_model_mentions` before it becomes a proposal, so the person reviews exactly what will be
saved: a mention already on the page stays; the name of exactly one person the site's
:class:`~workbench.services.users.UserDirectory` knows, or an account id the server knows, becomes a
mention; any other ``⟦@…⟧`` becomes the text ``@…`` — the model cannot mention a made-up account, and
a name two people share is never guessed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.services.pages import OpenedPage
    from workbench.services.users import Settled, UserDirectory


async def settle_model_mentions(
    directory: UserDirectory, text: str, opened: OpenedPage | None = None
) -> Settled:
    """``text`` (new Markdown from the model, for ``opened`` or a new page/comment) ready to propose.

    Account ids the model wrote that are not known yet are looked up first (one users request).
    """
    # lazy, for start-up: workbench.convert, workbench.services.users loads on first use
    from workbench.convert import mentioned_accounts
    from workbench.services.users import mention_texts, settle_mentions

    keep = mention_texts(opened.markdown) if opened is not None else []
    ids = [t for t in mention_texts(text) if t not in keep and not any(c.isspace() for c in t)]
    try:
        await directory.learn(ids)
    except WorkbenchError:
        pass  # unknown ids then stay text: nothing is mentioned that was not confirmed
    vouched = set(directory.names)
    users: dict[str, str] = {}
    if opened is not None:
        vouched |= set(mentioned_accounts(opened.page.storage or ""))
        users = dict(opened.users)
    return settle_mentions(text, users, directory.names, keep=keep, strict_ids=vouched)
