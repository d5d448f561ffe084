"""Proposals: what a write tool produces instead of writing.

A proposal holds the target (page and pinned base version, or space and parent for a new page, or
the comment replied to), the text before and after, and the change split into hunks with
``difflib``'s grouped opcodes. For a label change the text is the page's labels, one per line. The
person accepts or rejects each hunk; :meth:`Proposal.result` rebuilds the Markdown from the base
with only the accepted hunks applied. Hunks start *pending*; a pending hunk is not applied (nothing
changes unless the person says yes). Applying is :mod:`workbench.agent.apply`'s job.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from workbench.services.pages import OpenedPage

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
EDIT, NEW_PAGE, COMMENT = "edit", "page", "comment"
REPLY, LABELS = "reply", "labels"
MOVE, COPY, RENAME, DELETE = "move", "copy", "rename", "delete"  # agent/lifecycle_proposals.py
ATTACHMENT = "attachment"  # agent/attachment_proposals.py: a file the model wrote, to upload
REMOVE_MEMBER, ADD_MEMBER = "remove_member", "add_member"  # agent/people_tools.py (group "admin")
MEMBERSHIP_KINDS = (REMOVE_MEMBER, ADD_MEMBER)
# agent/jira_proposals.py (group "jira_write"): Jira issues on the same site
JIRA_ISSUE, JIRA_FIELDS, JIRA_TRANSITION = "jira_issue", "jira_fields", "jira_transition"
JIRA_COMMENT, JIRA_WORKLOG, JIRA_LINK = "jira_comment", "jira_worklog", "jira_link"
JIRA_KINDS = (JIRA_ISSUE, JIRA_FIELDS, JIRA_TRANSITION, JIRA_COMMENT, JIRA_WORKLOG, JIRA_LINK)
#: the kinds :func:`workbench.agent.apply.apply_proposal` writes: a new kind joins here with its
#: branch there. The inbox lists and shows a proposal of any kind; one not here is refused when
#: approved, with a message (``workbench.inbox.decide``), never dropped.
KINDS: tuple[str, ...] = (
    EDIT,
    NEW_PAGE,
    COMMENT,
    REPLY,
    LABELS,
    MOVE,
    COPY,
    RENAME,
    DELETE,
    ATTACHMENT,
    *MEMBERSHIP_KINDS,
    *JIRA_KINDS,
)
CONTEXT_LINES = 2

_ids = itertools.count(1)


@dataclass(slots=True)
class Hunk:
    """One group of changes: ``ops`` are difflib opcodes ``(tag, i1, i2, j1, j2)`` (with context)."""

    index: int
    ops: list[tuple[str, int, int, int, int]]
    state: str = PENDING

    @property
    def changes(self) -> list[tuple[str, int, int, int, int]]:
        return [op for op in self.ops if op[0] != "equal"]

    @property
    def a_range(self) -> tuple[int, int]:
        return self.ops[0][1], self.ops[-1][2]

    @property
    def b_range(self) -> tuple[int, int]:
        return self.ops[0][3], self.ops[-1][4]


@dataclass(slots=True)
class Proposal:
    """A change the agent suggests; nothing is written until a person applies it."""

    kind: str
    summary: str
    before: str
    after: str
    page_id: str | None = None
    page_kind: str = "page"  # what page_id is: a page, or a blog post ("blogpost")
    title: str = ""
    space_key: str = ""
    parent_id: str | None = None
    parent_title: str = ""
    base_version: int | None = None
    base: OpenedPage | None = field(default=None, repr=False)  # the base version, storage included
    # account id → display name: converts the mentions of the result back (the base's mapping plus
    # people the agent named who are not on the page)
    users: dict[str, str] = field(default_factory=dict, repr=False)
    unknown_mentions: tuple[str, ...] = ()  # names the agent wrote that nobody has (left as text)
    labels: tuple[str, ...] = ()  # a new page's labels
    draft: bool = False  # a new page created as a draft (not published)
    comment_id: str | None = None  # a reply: the comment replied to
    comment_inline: bool = False  # … and whether it is an inline comment
    # a move or copy (agent/lifecycle_proposals.py): the target (parent_id) is in target_space;
    # where a move puts the page (append: under it; before/after: next to it); a copy's tree flag and
    # its title (one page) or title prefix (a tree), "" for Confluence Workbench's default
    target_space: str = ""
    position: str = "append"
    tree: bool = False
    new_name: str = ""
    # a move, copy or delete: the text only describes the change (a hand edit cannot change it)
    described: str = ""
    # an attachment: the file's name and media type; the text is the file's text. A new version
    # pins the attachment (id) and the version the agent saw (None: a new file)
    file_name: str = ""
    media_type: str = ""
    replace_id: str | None = None
    replace_version: int | None = None
    # a group membership change (agent/people_tools.py): who (Data Center: the username too) and
    # which group (Data Center: its name is its id); the text shows what the group reaches
    person_id: str = ""
    person_name: str = ""
    person_username: str = ""
    group_id: str = ""
    group_name: str = ""
    # a Jira proposal (agent/jira_proposals.py): the issue (its project for a new one), what to send
    # (JSON: fields, a transition, a worklog, a link) and what the proposal read of the fields it
    # changes (JSON), so a change made since is refused, never overwritten
    issue_key: str = ""
    project_key: str = ""
    jira: str = ""
    pinned: str = ""
    made: str = ""  # when it was proposed (UTC, ISO): a write found since then was this one's
    hunks: list[Hunk] = field(default_factory=list)
    id: int = field(default_factory=lambda: next(_ids))

    def __post_init__(self) -> None:
        if not self.hunks:
            split = line_hunks if self.kind == LABELS else make_hunks
            if self.kind in MEMBERSHIP_KINDS or (
                self.kind in JIRA_KINDS and self.kind != JIRA_COMMENT
            ):
                split = whole_hunk  # who, the group and all it reaches / every field: in view
            self.hunks = split(self.before, self.after)

    # -- review --------------------------------------------------------------------------
    def set_state(self, index: int, state: str) -> None:
        self.hunks[index].state = state

    def set_all(self, state: str) -> None:
        for hunk in self.hunks:
            hunk.state = state

    def edit_by_hand(self, after: str) -> None:
        """The person rewrote the result: it becomes the proposal, every hunk accepted."""
        self.after = after
        self.hunks = make_hunks(self.before, after)
        self.set_all(ACCEPTED)

    @property
    def accepted(self) -> list[Hunk]:
        return [h for h in self.hunks if h.state == ACCEPTED]

    def result(self) -> str:
        """The base Markdown with the accepted hunks applied (and nothing else)."""
        a = self.before.splitlines(keepends=True)
        b = self.after.splitlines(keepends=True)
        out: list[str] = []
        pos = 0
        for hunk in self.hunks:
            for _tag, i1, i2, j1, j2 in hunk.changes:
                out.extend(a[pos:i1])
                out.extend(b[j1:j2] if hunk.state == ACCEPTED else a[i1:i2])
                pos = i2
        out.extend(a[pos:])
        return "".join(out)

    # -- display -------------------------------------------------------------------------
    @property
    def target(self) -> str:
        noun = "blog post" if self.page_kind == "blogpost" else "page"
        what = f"{noun} {self.page_id} '{self.title}'"
        if self.kind == EDIT:
            return f"{what} ({self.space_key}), base version {self.base_version}"
        if self.kind == NEW_PAGE:
            parent = "at the top of the space"
            if self.parent_id:
                parent = f"under {self.parent_id} '{self.parent_title}'"
            extra = ", as a draft" if self.draft else ""
            extra += f", labels: {', '.join(self.labels)}" if self.labels else ""
            return f"new page '{self.title}' in space {self.space_key}, {parent}{extra}"
        if self.kind == REPLY:
            where = "inline comment" if self.comment_inline else "comment"
            return f"reply to {where} {self.comment_id} on {what} ({self.space_key})"
        if self.kind == LABELS:
            return f"labels of {what} ({self.space_key})"
        if self.kind == RENAME:
            return f"title of {what} ({self.space_key}), base version {self.base_version}"
        if self.kind == MOVE:
            where = {"append": "under", "before": "before", "after": "after"}.get(
                self.position, "under"
            )
            return (
                f"place of {what} ({self.space_key}), base version {self.base_version}: {where} "
                f"{self.parent_id} '{self.parent_title}' ({self.target_space})"
            )
        if self.kind == COPY:
            tree = " with the pages below it" if self.tree else ""
            return f"copy of {what}{tree} under {self.parent_id} '{self.parent_title}' ({self.target_space})"
        if self.kind == DELETE:
            return f"{what} ({self.space_key}) to the trash, base version {self.base_version}"
        if self.kind == COMMENT:
            return f"comment on {what} ({self.space_key})"
        if self.kind == ATTACHMENT:
            size = len(self.after.encode("utf-8"))
            again = (
                f", a new version of v{self.replace_version}" if self.replace_version else ", new"
            )
            return (
                f"attachment '{self.file_name}' ({size:,} B, {self.media_type}{again}) on "
                f"{what} ({self.space_key})"
            )
        if self.kind in MEMBERSHIP_KINDS:
            verb = "removal of" if self.kind == REMOVE_MEMBER else "addition of"
            where = "from" if self.kind == REMOVE_MEMBER else "to"
            return (
                f"{verb} {self.person_name} ({self.person_username or self.person_id}) {where} "
                f"group {self.group_name}"
            )
        if self.kind in JIRA_KINDS:
            return self.jira_target
        target = what if self.page_id else f"'{self.title}'"
        return f"{self.kind} of {target} ({self.space_key})"  # a kind added later

    @property
    def jira_target(self) -> str:
        """A Jira proposal's target in keys and names only (no issue text: it goes to the model)."""
        key = self.issue_key
        return {
            JIRA_ISSUE: f"new Jira issue in project {self.project_key}",
            JIRA_FIELDS: f"fields of Jira issue {key}",
            JIRA_TRANSITION: f"status of Jira issue {key}",
            JIRA_COMMENT: f"comment on Jira issue {key}",
            JIRA_WORKLOG: f"work logged on Jira issue {key}",
            JIRA_LINK: f"link from Jira issue {key}",
        }.get(self.kind, f"Jira issue {key}")

    def unified_diff(self, markdown: str | None = None) -> str:
        """``-``/``+`` lines from the base to ``markdown`` (default: the full proposal)."""
        after = self.after if markdown is None else markdown
        label = self.title or "page"
        if self.kind == LABELS:
            label, source = f"labels of {label}", f"labels of {label} (now)"
        elif self.kind == ATTACHMENT:
            label = self.file_name or "file"
            source = (
                f"{label} (version {self.replace_version})" if self.replace_version else "/dev/null"
            )
        else:
            source = f"{label} (version {self.base_version})" if self.base_version else "/dev/null"
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=source,
            tofile=f"{label} (proposed)",
            n=CONTEXT_LINES,
        )
        return "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
            for line in lines
        )

    def diff_hash(self, markdown: str | None = None) -> str:
        return (
            "sha256:" + hashlib.sha256(self.unified_diff(markdown).encode("utf-8")).hexdigest()[:16]
        )

    def hunk_lines(self, hunk: Hunk) -> list[tuple[str, str]]:
        """``(kind, text)`` rows for one hunk: kind is ``' '``, ``'-'`` or ``'+'``."""
        a = self.before.splitlines()
        b = self.after.splitlines()
        rows: list[tuple[str, str]] = []
        for tag, i1, i2, j1, j2 in hunk.ops:
            if tag == "equal":
                rows.extend((" ", line) for line in a[i1:i2])
                continue
            rows.extend(("-", line) for line in a[i1:i2])
            rows.extend(("+", line) for line in b[j1:j2])
        return rows


class PageFields(TypedDict):
    """The members of a :class:`Proposal` naming the page (or blog post) it is about."""

    page_id: str
    page_kind: str
    title: str
    space_key: str


def about_page(opened: OpenedPage, space_key: str) -> PageFields:
    """The members of a :class:`Proposal` naming ``opened``, in space ``space_key``."""
    return {
        "page_id": opened.page.id,
        "page_kind": opened.page.type,
        "title": opened.page.title,
        "space_key": space_key,
    }


def make_hunks(before: str, after: str, context: int = CONTEXT_LINES) -> list[Hunk]:
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    groups = matcher.get_grouped_opcodes(context) if a != b else []
    return [Hunk(n, [tuple(op) for op in group]) for n, group in enumerate(groups)]  # type: ignore[misc]


def line_hunks(before: str, after: str) -> list[Hunk]:
    """One hunk per removed or added line, without context (a label list: each label its own yes/no)."""
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    hunks: list[Hunk] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("delete", "replace"):
            hunks.extend(
                Hunk(len(hunks) + n, [("delete", i, i + 1, j1, j1)])
                for n, i in enumerate(range(i1, i2))
            )
        if tag in ("insert", "replace"):
            hunks.extend(
                Hunk(len(hunks) + n, [("insert", i2, i2, j, j + 1)])
                for n, j in enumerate(range(j1, j2))
            )
    return hunks


def whole_hunk(before: str, after: str) -> list[Hunk]:
    """One hunk showing every line (the changes and all the rest as context), or none if equal."""
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    if a == b:
        return []
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [Hunk(0, [tuple(op) for op in ops])]  # type: ignore[misc]
