"""People's names for mentions: a per-client directory and the rules that keep names reversible.

Storage holds mentions as account ids only; the converter shows ``⟦@Priya Raman⟧`` when it is given a
mapping ``{account_id: display_name}`` and maps the name back with the same mapping. This module
decides *which* mapping, so that a page read with names saves back to the same ids byte for byte:

- :func:`names_for` — the mapping for the accounts mentioned on one page. A display name shared by two
  or more of those accounts is left out for all of them (they show as ``⟦@<account id>⟧``), and so is
  a name that reads like another mentioned account's id form: a name never stands for two people.
- :class:`UserDirectory` — one per client (:meth:`UserDirectory.for_client`): names learned so far,
  ids the server does not know, and :meth:`~UserDirectory.learn` that asks for the unknown ones in
  ONE ``client.users(ids)`` call. Rendering from the cache never waits on the network.
- :func:`settle_mentions` — before Markdown is converted back: names of people who are not on the
  page (typed by a person or written by the agent) are resolved when they are known and unique, the id
  form of a person who has a name on the page is shown by name, and a name nobody has stays text
  (``@Some Body``) instead of becoming a mention of a made-up account.
"""

from __future__ import annotations

import asyncio
import re
import weakref
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    from workbench.confluence.client import ConfluenceClient

# ⟦@…⟧ not preceded by a backslash (``\⟦`` is a literal bracket in the dialect).
MENTION = re.compile(r"(?<!\\)⟦@([^⟧\n]+)⟧")
_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)(?<!`)\1(?!`)")


def display_form(name: str) -> str:
    """A display name as it appears inside ``⟦@…⟧`` (one line, no brackets), as the converter writes it."""
    # lazy, for start-up: workbench.convert loads on first use
    from workbench.convert.placeholders import placeholder_text

    return placeholder_text(name)


def id_form(account_id: str) -> str:
    """An account id as the converter writes it when it has no name (``⟦@557058:…⟧``)."""
    # lazy, for start-up: workbench.convert loads on first use
    from workbench.convert.placeholders import url_part

    return url_part(account_id)


def names_for(names: Mapping[str, str], account_ids: Iterable[str]) -> dict[str, str]:
    """The mapping to render a page mentioning ``account_ids`` with, from the names known in ``names``.

    Deterministic: ids without a name, names shared by two of these ids, and names equal to the id
    form of one of them are left out (those accounts keep the id form).
    """
    ids = list(dict.fromkeys(i for i in account_ids if i))
    candidates = {i: display_form(names[i]) for i in ids if names.get(i)}
    counts = Counter(candidates.values())
    id_texts = {t for i in ids for t in (i, id_form(i))}
    return {i: n for i, n in candidates.items() if n and counts[n] == 1 and n not in id_texts}


def extend_names(
    users: Mapping[str, str],
    fixed_ids: Iterable[str],
    names: Mapping[str, str],
    new_ids: Iterable[str],
) -> dict[str, str]:
    """``users`` plus names for ``new_ids`` that are not among ``fixed_ids`` (already rendered).

    Used when a second version of a page (theirs, in a merge) or new text must be read with the same
    mapping as the first: the existing entries never change, new ones are added only when their name
    is free (not taken by an entry or by another new id) and is not the id form of a fixed id.
    """
    out = dict(users)
    fixed = set(fixed_ids) | set(users)
    fresh = [i for i in dict.fromkeys(new_ids) if i and i not in fixed and names.get(i)]
    taken = set(out.values()) | {t for i in fixed for t in (i, id_form(i))}
    counts = Counter(display_form(names[i]) for i in fresh)
    for i in fresh:
        name = display_form(names[i])
        if name and counts[name] == 1 and name not in taken and name != id_form(i):
            out[i] = name
    return out


@dataclass(frozen=True, slots=True)
class Settled:
    """Markdown ready to convert back, the mapping to convert it with, and the names left as text."""

    markdown: str
    users: dict[str, str]
    unknown: tuple[str, ...] = ()


def settle_mentions(
    markdown: str,
    users: Mapping[str, str],
    known: Mapping[str, str] | None = None,
    *,
    keep: Iterable[str] = (),
    strict_ids: Iterable[str] | None = None,
) -> Settled:
    """Rewrite the ``⟦@…⟧`` mentions of ``markdown`` so ``users`` (plus ``known`` people) maps them back.

    ``users`` is the mapping the base was rendered with; ``known`` (account id → display name) names
    other people the caller knows. For each mention outside code:

    - a name in ``users`` stays;
    - the id form of an account with a name in ``users`` becomes that name;
    - a name of exactly one ``known`` person, or the id form of a ``known`` person, resolves to that
      person (named, and added to the returned mapping, when the name is free);
    - any other text with a space in it is a name nobody has: it becomes plain text ``@Name``;
    - anything else is an account id (the converter keeps it). With ``strict_ids`` (the ids the
      caller vouches for), an id form not among them and not in ``keep`` (mention texts already on
      the page) becomes text too — the agent cannot mention accounts nobody looked up.
    """
    base_names = {name: i for i, name in users.items()}
    extra = dict(known or {})
    by_name: dict[str, list[str]] = {}
    for i, name in extra.items():
        if i not in users and name:
            by_name.setdefault(display_form(name), []).append(i)
    keep_set = set(keep)
    vouched = None if strict_ids is None else set(strict_ids) | set(users)
    out_users = dict(users)
    unknown: list[str] = []

    def one(match: re.Match[str]) -> str:
        text = match.group(1)
        who = text.strip()
        if who in base_names:
            return match.group(0)
        account = unquote(who)
        if account in users:
            return f"⟦@{users[account]}⟧"
        ids = by_name.get(display_form(who), [])
        if account in extra and who not in keep_set:
            # The id form of a known person not named on the page: shown by name when that name is
            # nobody else's (a twin of someone known keeps the id form).
            ids = [account] if len(by_name.get(display_form(extra[account]), [])) == 1 else []
            if not ids:
                return match.group(0)
        if len(ids) == 1 and who not in keep_set:
            grown = extend_names(out_users, (), extra, ids)
            if ids[0] in grown:
                out_users.update(grown)
                return f"⟦@{grown[ids[0]]}⟧"
            return f"⟦@{id_form(ids[0])}⟧"
        if who in keep_set:
            return match.group(0)
        if any(ch.isspace() for ch in who) or (vouched is not None and account not in vouched):
            unknown.append(who)
            return "@" + _escape(who)
        return match.group(0)

    text = _outside_code(markdown, lambda chunk: MENTION.sub(one, chunk))
    return Settled(text, out_users, tuple(dict.fromkeys(unknown)))


def mention_texts(markdown: str) -> list[str]:
    """The texts of the ``⟦@…⟧`` mentions in ``markdown`` outside code, first occurrence first."""
    found: list[str] = []

    def collect(chunk: str) -> str:
        found.extend(m.group(1).strip() for m in MENTION.finditer(chunk))
        return chunk

    _outside_code(markdown, collect)
    return list(dict.fromkeys(found))


def _escape(text: str) -> str:
    # lazy, for start-up: workbench.convert.inline loads on first use
    from workbench.convert.inline import md_escape_text

    return md_escape_text(text)


def _outside_code(markdown: str, change) -> str:
    """Apply ``change`` to the text outside fenced code blocks and code spans."""
    if "⟦@" not in markdown:
        return markdown
    out: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines(keepends=True):
        opener = _FENCE.match(line)
        if fence is not None:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            out.append(line)
            continue
        if opener:
            fence = opener.group(1)
            out.append(line)
            continue
        pos, parts = 0, []
        for span in _CODE_SPAN.finditer(line):
            parts.append(change(line[pos : span.start()]))
            parts.append(span.group(0))
            pos = span.end()
        parts.append(change(line[pos:]))
        out.append("".join(parts))
    return "".join(out)


_DIRECTORIES: weakref.WeakKeyDictionary[object, UserDirectory] = weakref.WeakKeyDictionary()


@dataclass(eq=False)
class UserDirectory:
    """Display names by account id for one site (one client), learned lazily and remembered.

    ``learn(ids)`` sends one ``client.users`` request for the ids it has not seen (none when all are
    known); ids the server has no name for are remembered too, so they are not asked for again, and
    ids already being asked for are waited for, not asked for a second time.
    """

    client: ConfluenceClient | None = None
    _names: dict[str, str] = field(default_factory=dict)
    _unknown: set[str] = field(default_factory=set)
    _asking: dict[str, asyncio.Future[None]] = field(default_factory=dict)
    _shared_by: weakref.ReferenceType[ConfluenceClient] | None = field(default=None, repr=False)

    @classmethod
    def for_client(cls, client: ConfluenceClient) -> UserDirectory:
        """The directory shared by everything that uses ``client`` (the TUI, its agent panel).

        It holds the client weakly: it is kept in a ``WeakKeyDictionary`` keyed by the client, whose
        entry goes only when the key does, so a value holding the key kept both for ever (every
        client, and through its wait callback the whole TUI that made it)."""
        directory = _DIRECTORIES.get(client)
        if directory is None:
            directory = _DIRECTORIES[client] = cls(_shared_by=weakref.ref(client))
        return directory

    def _client(self) -> ConfluenceClient | None:
        if self.client is not None:
            return self.client
        return self._shared_by() if self._shared_by is not None else None

    @property
    def names(self) -> dict[str, str]:
        """Display names learned so far, by account id (a copy)."""
        return dict(self._names)

    def name_of(self, account_id: str) -> str:
        return self._names.get(account_id, account_id)

    def remember(self, account_id: str, display_name: str) -> None:
        if account_id and display_name:
            self._names[account_id] = display_name
            self._unknown.discard(account_id)

    def missing(self, account_ids: Iterable[str]) -> list[str]:
        """The ids neither named nor known to be nameless."""
        return [
            i
            for i in dict.fromkeys(account_ids)
            if i and i not in self._names and i not in self._unknown
        ]

    async def learn(self, account_ids: Iterable[str]) -> None:
        """Look up the ids not seen yet, in one request (none if there are none); wait for those
        another call is asking for already."""
        wanted = self.missing(account_ids)
        client = self._client()
        if not wanted or client is None:
            return
        joined = {self._asking[i] for i in wanted if i in self._asking}
        missing = [i for i in wanted if i not in self._asking]
        if missing:
            asking = asyncio.ensure_future(self._ask(client, missing))
            for account_id in missing:
                self._asking[account_id] = asking
            joined.add(asking)
        # shielded: a caller that gives up does not stop the request the others wait for
        await asyncio.gather(*(asyncio.shield(f) for f in joined))

    async def _ask(self, client: ConfluenceClient, missing: list[str]) -> None:
        try:
            found = await client.users(missing)
        finally:
            for account_id in missing:
                self._asking.pop(account_id, None)
        for account_id in missing:
            user = found.get(account_id)
            if user is not None and user.display_name:
                self._names[account_id] = user.display_name
            else:
                self._unknown.add(account_id)

    def mapping_for(self, storage: str) -> dict[str, str]:
        """The mapping to render ``storage`` with, from what is known now (no request)."""
        # lazy, for start-up: workbench.convert loads on first use
        from workbench.convert import mentioned_accounts

        return names_for(self._names, mentioned_accounts(storage))

    async def mapping_for_page(self, storage: str) -> dict[str, str]:
        """Learn the names mentioned in ``storage`` (at most one request), then :meth:`mapping_for`."""
        # lazy, for start-up: workbench.convert loads on first use
        from workbench.convert import mentioned_accounts

        ids = mentioned_accounts(storage)
        await self.learn(ids)
        return names_for(self._names, ids)
