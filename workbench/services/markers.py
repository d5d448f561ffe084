"""Keep inline-comment markers through a save.

Adding an inline comment wraps its text in ``<ac:inline-comment-marker>`` in the page's storage
without a new version (hunyadi/md2conf#277). In Markdown the marker reads ``⟦comment⟧text⟦/comment⟧``.
When the page's storage gained markers since it was opened, the text being saved (derived from the
older storage) has none of them, and saving it as it is would drop them and orphan the comments.

:func:`keep_markers` merges them in, word by word, like a 3-way merge of base → mine with
base → theirs where *theirs only added markers*: a marker follows its text wherever the person left
that text alone or edited inside it (some of its words remain); a marker whose every word the
person deleted or replaced is dropped (the comment then shows as unanchored, as it does when that
text is deleted in Confluence's own editor). Pure; no request.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

OPEN, CLOSE = "⟦comment⟧", "⟦/comment⟧"
_MARKER = re.compile(r"⟦/?comment⟧")
_WORD = re.compile(r"\w+|\s+|[^\w\s]")
_TOKEN = re.compile(r"⟦/?comment⟧|\w+|\s+|[^\w\s]")
_STORAGE_MARKER = re.compile(
    r"<ac:inline-comment-marker\b[^>]*?/>|<ac:inline-comment-marker\b[^>]*>|"
    r"</ac:inline-comment-marker\s*>"
)


@dataclass(frozen=True, slots=True)
class MarkerMerge:
    text: str
    kept: int  # markers (comments) carried into the text
    dropped: int  # markers whose text was deleted


def strip_storage_markers(storage: str) -> str:
    """``storage`` without inline-comment markers (their text stays): the page as it read before
    those comments were added."""
    return _STORAGE_MARKER.sub("", storage)


def strip_markers(markdown: str) -> str:
    return markdown.replace(OPEN, "").replace(CLOSE, "")


def count_markers(markdown: str) -> int:
    return markdown.count(OPEN)


def only_markers_added(base: str, theirs: str) -> bool:
    """True when ``theirs`` is ``base`` plus inline-comment markers (and not equal to it)."""
    return (
        theirs != base
        and strip_markers(theirs) == strip_markers(base)
        and (count_markers(theirs) > count_markers(base))
    )


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _is_marker(token: str) -> bool:
    return token in (OPEN, CLOSE)


def keep_markers(base: str, mine: str, theirs: str) -> MarkerMerge | None:
    """``mine`` with the markers ``theirs`` added to ``base``; None when theirs changed more than
    markers (a real conflict for the caller to merge line by line).

    Only markers are inserted into ``mine``: its words are never changed. Each new marker pair is
    placed by the person's own edit (base → mine, word by word): around the same words where they
    are untouched, around the new words where the person rewrote part of the commented text, and
    dropped when none of the commented words remain.
    """
    # lazy, for start-up: difflib loads on first use
    from difflib import SequenceMatcher

    plain = strip_markers(base)
    if strip_markers(theirs) != plain:
        return None
    known = Counter(_marks(base))
    new: list[tuple[int, str]] = []
    for mark in _marks(theirs):
        if known[mark]:
            known[mark] -= 1
        else:
            new.append(mark)
    # A pair the text already has (it was made from the page after the comment was added) is not
    # added again: it is recognised by the words it wraps.
    have = Counter(_wrapped(mine)) - Counter(_wrapped(base))
    pairs = []
    for open_off, close_off in _pairs(new):
        wrapped = plain[open_off:close_off]
        if have[wrapped]:
            have[wrapped] -= 1
        else:
            pairs.append((open_off, close_off))
    if not pairs:
        return MarkerMerge(mine, count_markers(mine), 0)
    base_words, starts = _split(plain, {offset for pair in pairs for offset in pair})
    mine_all = _tokens(mine)
    mine_at = [
        k for k, t in enumerate(mine_all) if not _is_marker(t)
    ]  # word index → token index in mine
    mine_words = [mine_all[k] for k in mine_at]
    same: dict[int, int] = {}  # base word index → mine word index, where the person left it alone
    region: dict[int, tuple[int, int]] = {}  # base word index → the mine words that replaced it
    for tag, i1, i2, j1, j2 in SequenceMatcher(
        None, base_words, mine_words, autojunk=False
    ).get_opcodes():
        for k in range(i1, i2):
            if tag == "equal":
                same[k] = j1 + (k - i1)
            else:
                region[k] = (j1, j2)

    def before(word: int) -> int:  # the token index in mine to insert an opening marker at
        j = same[word] if word in same else region[word][0] if word in region else len(mine_words)
        return mine_at[j] if j < len(mine_words) else len(mine_all)

    def after(word: int) -> int:  # the token index in mine to insert a closing marker at
        j = same[word] + 1 if word in same else region[word][1] if word in region else 0
        return mine_at[j - 1] + 1 if j > 0 else 0

    index = {offset: k for k, offset in enumerate(starts)}
    extra = _extra_spans(
        mine_all, have
    )  # pairs of the text (not of its base) no new pair matched by words
    inserts: list[tuple[int, int, str]] = []
    dropped = 0
    for order, (open_off, close_off) in enumerate(pairs):
        first, end = index.get(open_off), index.get(close_off, len(base_words))
        words = [k for k in range(first, end) if base_words[k].strip()] if first is not None else []
        if not any(
            k in same for k in words
        ):  # every commented word deleted or replaced: it goes with them
            dropped += 1
            continue
        start, stop = before(words[0]), after(words[-1])
        if stop < start:
            dropped += 1
            continue
        overlapping = [span for span in extra if span[0] < stop and span[1] >= start]
        if overlapping:  # the text has a pair of its own around these words (edited inside since)
            extra.remove(overlapping[0])
            continue
        inserts += [(start, 2 * order, OPEN), (stop, 2 * order + 1, CLOSE)]
    out = list(mine_all)
    for at, _order, token in sorted(inserts, key=lambda x: (x[0], x[1]), reverse=True):
        out.insert(at, token)
    text = "".join(out)
    if not _balanced(text):
        return None
    return MarkerMerge(text, count_markers(text), dropped)


def _marks(text: str) -> list[tuple[int, str]]:
    """Each marker of ``text`` with its offset in the text without markers."""
    out: list[tuple[int, str]] = []
    removed = 0
    for m in _MARKER.finditer(text):
        out.append((m.start() - removed, m.group(0)))
        removed += len(m.group(0))
    return out


def _extra_spans(tokens: list[str], extra: Counter) -> list[tuple[int, int]]:
    """Token spans (open, close) of the pairs in ``tokens`` whose wrapped words are in ``extra``."""
    stack: list[int] = []
    spans: list[tuple[int, int]] = []
    left = extra.copy()
    for i, token in enumerate(tokens):
        if token == OPEN:
            stack.append(i)
        elif token == CLOSE and stack:
            start = stack.pop()
            words = strip_markers("".join(tokens[start + 1 : i]))
            if left[words]:
                left[words] -= 1
                spans.append((start, i))
    return spans


def _wrapped(text: str) -> list[str]:
    """The words each marker pair of ``text`` wraps (inner markers left out)."""
    plain = strip_markers(text)
    return [plain[a:b] for a, b in _pairs(_marks(text))]


def _split(text: str, cuts: set[int]) -> tuple[list[str], list[int]]:
    """``text`` as tokens (words, spaces, single punctuation), also cut at ``cuts``; with their offsets."""
    words: list[str] = []
    starts: list[int] = []
    for m in _WORD.finditer(text):
        at, token = m.start(), m.group(0)
        inner = sorted(c - at for c in cuts if at < c < at + len(token))
        for left, right in zip([0, *inner], [*inner, len(token)], strict=True):
            words.append(token[left:right])
            starts.append(at + left)
    return words, starts


def _pairs(marks: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """(open offset, close offset) of each marker pair, in order of the opening marker."""
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for offset, token in marks:
        if token == OPEN:
            stack.append(offset)
        elif stack:
            pairs.append((stack.pop(), offset))
    return sorted(pairs)


def _balanced(text: str) -> bool:
    depth = 0
    for token in re.findall(r"⟦/?comment⟧", text):
        depth += 1 if token == OPEN else -1
        if depth < 0:
            return False
    return depth == 0
