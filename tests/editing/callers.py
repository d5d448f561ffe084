"""The three callers of the editing session, driven as a person (or a script) drives them, against
the local Confluence over loopback HTTP:

- ``tui``: the Textual app through Pilot — open the page, ``e``, change the editor's text, ``ctrl+s``
  and the save prompt; what the person sees is the notifications and the dialog on screen;
- ``agent``: the agent's toolkit proposes the edit (``get_page``, ``propose_edit``) and
  ``agent.apply.apply_proposal`` writes it, as ``workbench agent --approve`` and the panel do;
- ``push``: ``workbench cat PAGE > page.md``, the file changed, ``workbench push PAGE page.md
  --base-version N``, in-process through ``workbench.cli.main``.

Each caller has ``open()`` (the moment the base is pinned), ``change(old, new)`` (the person's edit
— a text replacement, which is also how the agent proposes) and ``save()``, which returns a
:class:`Result`: the outcome's kind as the person can tell it, the words they were shown, and the
requests the server answered during the save (counted from the server's own log).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CALLERS = ("tui", "agent", "push")


@dataclass
class Result:
    kind: str  # saved, nothing, merge, trashed, deleted, restored, title-taken, unresolved, error
    shown: str  # what the person was told
    requests: int  # API requests about the page answered during the save (a command's own login check aside)
    writes: int  # PUT/POST requests among them
    extra: dict[str, Any] = field(default_factory=dict)


def _count(server, before: int) -> tuple[int, int]:
    """(requests, writes) the server answered since ``before``, not counting ``GET /user/current``
    (``workbench`` commands check their login first; that is not the save's cost)."""
    seen = [s for s in server.requests.entries()[before:] if not s.path.endswith("/user/current")]
    return len(seen), sum(1 for s in seen if s.method in ("PUT", "POST"))


class Caller:
    name = ""

    def __init__(self, server, page_id: str, tmp_path: Path) -> None:
        self.server, self.page_id, self.tmp_path = server, page_id, tmp_path

    async def open(self) -> None: ...

    async def change(self, old: str, new: str) -> None: ...

    async def save(self, *, message: str = "", minor: bool = False) -> Result: ...

    def text_kept(self, fragment: str) -> bool:
        """Is ``fragment`` (typed, not saved) still somewhere the person can get it back?"""
        raise NotImplementedError


# -- the TUI ----------------------------------------------------------------------------------------
class TuiCaller(Caller):
    name = "tui"

    def __init__(self, server, page_id, tmp_path, app, pilot) -> None:
        super().__init__(server, page_id, tmp_path)
        self.app, self.pilot = app, pilot

    async def open(self) -> None:
        from tests.tui.helpers import settle

        self.app.open_page(self.page_id)
        await settle(self.app, self.pilot)
        while self.app.screen.id == "draft-recovery":  # not these tests' business
            await self.pilot.press("escape")
            await self.pilot.pause()
        await self.pilot.press("e")
        await self.pilot.pause()

    async def change(self, old: str, new: str) -> None:
        editor = self.app.main.query_one("#editor")
        assert old in editor.text, old
        editor.text = editor.text.replace(old, new, 1)
        await self.pilot.pause()

    async def save(self, *, message: str = "", minor: bool = False) -> Result:
        from tests.tui.helpers import notes, save

        notes(self.app)
        before = len(self.server.requests.entries())
        await save(self.app, self.pilot, message=message, minor=minor)
        count, writes = _count(self.server, before)
        shown = " ".join(notes(self.app))
        screen = self.app.screen
        if screen.id == "page-gone":
            question = str(screen.query_one(".question").render())
            kind = (
                "trashed"
                if "trash" in question and "took it out" not in question
                else ("restored" if "took it out" in question else "deleted")
            )
            return Result(kind, question, count, writes, {"keys": [c[0] for c in screen.choices]})
        if (
            screen.id == "merge-approval"
            or "<<<<<<< mine" in self.app.main.query_one("#editor").text
        ):
            question = (
                str(screen.query_one(".question").render())
                if screen.id == "merge-approval"
                else shown
            )
            return Result("merge", question + " " + shown, count, writes)
        if screen.id in ("rename-title", "title-prompt", "new-page-title"):
            return Result("title-taken", shown, count, writes)
        return Result(_kind_of(shown), shown, count, writes)

    def text_kept(self, fragment: str) -> bool:
        editor = self.app.main.query_one("#editor").text
        drafts = self.app.workspace.drafts.for_page(self.page_id)
        return fragment in editor and any(fragment in d.markdown for d in drafts)


def _kind_of(shown: str) -> str:
    if "Saved “" in shown or "Created “" in shown:
        return "saved"
    if "Nothing to save" in shown or "already has these changes" in shown:
        return "nothing"
    if "conflict markers" in shown:
        return "unresolved"
    if "titled" in shown and "nothing was saved" in shown:
        return "title-taken"
    return "error"


# -- the agent ----------------------------------------------------------------------------------------
class AgentCaller(Caller):
    name = "agent"

    def __init__(self, server, page_id, tmp_path, client) -> None:
        from workbench.agent.fences import Fence
        from workbench.agent.toolkit import Toolkit

        super().__init__(server, page_id, tmp_path)
        self.client = client
        self.toolkit = Toolkit(client, Fence.build("propose"))
        self.edits: list[dict[str, str]] = []
        self.base = 0
        self.last = None
        self.proposal = None

    async def open(self) -> None:
        page = await self.toolkit.call("get_page", {"page_id": self.page_id})
        assert page.ok, page.text
        self.base = int(self.server.store.get_page(self.page_id)["version"])

    async def change(self, old: str, new: str) -> None:
        """The agent proposes the edit now (reading the base); the person applies it later."""
        from workbench.agent.proposals import ACCEPTED

        self.edits.append({"old": old, "new": new})
        proposed = await self.toolkit.call(
            "propose_edit",
            {
                "page_id": self.page_id,
                "base_version": self.base,
                "summary": "edit",
                "edits": self.edits,
            },
        )
        assert proposed.ok, proposed.text
        self.proposal = proposed.proposal
        self.proposal.set_all(ACCEPTED)

    async def save(self, *, message: str = "", minor: bool = False) -> Result:
        from workbench.agent.apply import CONFLICT, GONE, NOTHING, WRITTEN, apply_proposal
        from workbench.agent.proposals import EDIT, Proposal
        from workbench.errors import WorkbenchError

        assert not minor, "the agent's writes are never minor edits"
        if self.proposal is not None:
            proposal = self.proposal
            proposal.summary = message or proposal.summary
        else:  # nothing proposed: what the review has when no hunk is accepted
            opened, key = await self.toolkit.open(self.page_id)
            proposal = Proposal(
                kind=EDIT,
                summary="edit",
                before=opened.markdown,
                after=opened.markdown,
                page_id=self.page_id,
                title=opened.page.title,
                space_key=key,
                base_version=opened.base_version,
                base=opened,
            )
        before = len(self.server.requests.entries())
        try:
            result = await apply_proposal(self.client, proposal, self.toolkit.fence)
        except WorkbenchError as exc:
            count, writes = _count(self.server, before)
            return Result(
                "title-taken" if "titled" in exc.message else "error", exc.message, count, writes
            )
        count, writes = _count(self.server, before)
        self.last = result
        kind = {WRITTEN: "saved", NOTHING: "nothing", CONFLICT: "merge"}.get(result.status)
        if result.status == GONE:
            kind = result.outcome.state
        return Result(kind or result.status, result.message, count, writes, {"result": result})

    def text_kept(self, fragment: str) -> bool:
        return self.last is not None and fragment in self.last.markdown


# -- push -------------------------------------------------------------------------------------------
class PushCaller(Caller):
    name = "push"

    def __init__(self, server, page_id, tmp_path, capsys, monkeypatch) -> None:
        super().__init__(server, page_id, tmp_path)
        self.capsys = capsys
        self.file = tmp_path / "page.md"
        self.base = 0
        monkeypatch.setenv("CONFLUENCE_URL", server.base_url)
        monkeypatch.setenv("CONFLUENCE_USERNAME", "demo@example.com")
        monkeypatch.setenv("CONFLUENCE_API_TOKEN", "demo-token")

    async def run(self, *argv: str) -> tuple[int, str, str]:
        """``workbench ARGV`` in-process (in a thread: the command runs its own event loop)."""
        import asyncio

        from workbench.cli import main

        self.capsys.readouterr()
        code = await asyncio.to_thread(main, list(argv))
        out, err = self.capsys.readouterr()
        return code, out, err

    async def open(self) -> None:
        import re

        code, out, err = await self.run("cat", self.page_id)
        assert code == 0, err
        self.file.write_text(out, encoding="utf-8")
        self.base = int(re.search(r"version (\d+)", err).group(1))

    async def change(self, old: str, new: str) -> None:
        text = self.file.read_text(encoding="utf-8")
        assert old in text, old
        self.file.write_text(text.replace(old, new, 1), encoding="utf-8")

    async def save(
        self,
        *,
        message: str = "",
        minor: bool = False,
        restore: bool = False,
        title: str | None = None,
    ) -> Result:
        argv = ["push", self.page_id, str(self.file), "--base-version", str(self.base)]
        argv += ["--message", message] if message else []
        argv += ["--minor"] if minor else []
        argv += ["--restore"] if restore else []
        argv += ["--title", title] if title else []
        before = len(self.server.requests.entries())
        code, out, err = await self.run(*argv)
        count, writes = _count(self.server, before)
        shown = (out + err).strip()
        kind = {0: "saved" if out.startswith("Saved") else "nothing", 3: "merge"}.get(code, "error")
        if code == 5:
            kind = "trashed" if "in the trash" in shown else "deleted"
        if code == 2 and "Another page in this space is titled" in shown:
            kind = "title-taken"
        return Result(kind, shown, count, writes, {"code": code})

    def text_kept(self, fragment: str) -> bool:
        return fragment in self.file.read_text(encoding="utf-8")


@contextlib.asynccontextmanager
async def caller(name: str, server, page_id: str, tmp_path: Path, *, capsys=None, monkeypatch=None):
    """The caller ``name`` on ``server``, ready to ``open()`` ``page_id``."""
    if name == "tui":
        from tests.tui.helpers import SIZE, make_app, settle

        app = make_app(server)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            yield TuiCaller(server, page_id, tmp_path, app, pilot)
    elif name == "agent":
        from tests.client.helpers import client_for

        async with client_for(server) as client:
            yield AgentCaller(server, page_id, tmp_path, client)
    else:
        yield PushCaller(server, page_id, tmp_path, capsys, monkeypatch)
