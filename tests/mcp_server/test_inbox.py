"""The inbox on disk: many writers at once, writers killed mid-write, damaged files, double approval.

Writers are real processes (``multiprocessing`` and ``kill -9`` on a subprocess), not threads pretending.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.inbox.record import BrokenRecord, proposal_from_data, proposal_to_data
from workbench.inbox.store import PENDING, REJECTED, Inbox, InboxError, NoSuchProposal


def _data(n: int = 0) -> dict:
    return {
        "kind": "comment",
        "summary": f"c{n}",
        "before": "",
        "after": f"comment {n}\n",
        "title": "Runbook",
        "space_key": "ENG",
        "page_id": "65539",
        "parent_title": "",
        "base": None,
    }


def _writer(path: str, label: str, count: int) -> None:
    inbox = Inbox(Path(path))
    for n in range(count):
        inbox.add(site="http://127.0.0.1:1/wiki", agent=label, profile="propose", proposal=_data(n))


def test_four_processes_adding_at_once_lose_nothing(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), f"w{k}", 25)) for k in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    items, broken = Inbox(tmp_path).scan()
    assert not broken
    assert [i.id for i in items] == list(range(1, 101))  # every number once, none overwritten
    by_writer = {f"w{k}": sorted(i.summary for i in items if i.agent == f"w{k}") for k in range(4)}
    assert all(v == sorted(f"c{n}" for n in range(25)) for v in by_writer.values())
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".tmp-")]


def test_a_writer_killed_mid_stream_leaves_only_whole_records(tmp_path):
    code = (
        "import sys; from pathlib import Path; from workbench.inbox.store import Inbox\n"
        "inbox = Inbox(Path(sys.argv[1]))\n"
        "n = 0\n"
        "while True:\n"
        "    n += 1\n"
        "    inbox.add(site='http://127.0.0.1:1/wiki', agent='doomed', profile='propose',\n"
        "              proposal={'kind': 'comment', 'after': 'x' * 200000, 'page_id': '1', 'base': None})\n"
        "    if n == 3: print('ready', flush=True)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    time.sleep(0.2)  # let it get half-way through more writes
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    inbox = Inbox(tmp_path)
    items, broken = inbox.scan()
    assert not broken and len(items) >= 3
    assert all(len(i.proposal["after"]) == 200000 for i in items)
    # the next writer carries on with the next number; a left-over temporary file is not a record
    item = inbox.add(
        site="http://127.0.0.1:1/wiki", agent="next", profile="propose", proposal=_data()
    )
    assert item.id == items[-1].id + 1


def test_a_damaged_record_is_listed_as_broken_and_left_alone(tmp_path):
    inbox = Inbox(tmp_path)
    inbox.add(site="s", agent="a", profile="propose", proposal=_data(1))
    (tmp_path / "2.json").write_text('{"id": 2, "status": "pend', encoding="utf-8")
    (tmp_path / "3.json").write_text(
        json.dumps({"id": 99, "status": "pending", "proposal": {}}), encoding="utf-8"
    )
    items, broken = inbox.scan()
    assert [i.id for i in items] == [1]
    assert [b.name for b in broken] == ["2.json", "3.json"]
    with pytest.raises(InboxError, match="Proposal 2 is damaged"):
        inbox.get(2)
    assert (tmp_path / "2.json").exists()  # never deleted
    assert inbox.add(site="s", agent="a", profile="propose", proposal=_data(4)).id == 4


def test_no_such_proposal_is_a_plain_error(tmp_path):
    with pytest.raises(NoSuchProposal, match="There is no proposal 7"):
        Inbox(tmp_path).get(7)


def test_a_proposal_record_round_trips_and_a_bad_one_is_refused():
    from workbench.agent.proposals import EDIT, Proposal
    from workbench.confluence.models import Page, Version
    from workbench.services.pages import OpenedPage

    page = Page("12", "Runbook", "98305", Version(4), storage="<p>a</p>", space_key="ENG")
    base = OpenedPage(page, "a\n", {"u1": "Priya"})
    proposal = Proposal(
        kind=EDIT,
        summary="s",
        before="a\n",
        after="b\n",
        page_id="12",
        title="Runbook",
        space_key="ENG",
        base_version=4,
        base=base,
        users={"u1": "Priya"},
    )
    again = proposal_from_data(json.loads(json.dumps(proposal_to_data(proposal))), 31)
    assert again.id == 31 and again.base is not None
    assert (again.kind, again.before, again.after, again.base_version) == (EDIT, "a\n", "b\n", 4)
    assert again.base.page.storage == "<p>a</p>" and again.base.base_version == 4
    assert again.base.markdown == "a\n" and dict(again.base.users) == {"u1": "Priya"}
    assert [h.state for h in again.hunks] == ["pending"]
    # a kind this version does not know is read back whole (refused when approved, not dropped)
    assert proposal_from_data({"kind": "delete_space", "title": "T"}, 1).kind == "delete_space"
    with pytest.raises(BrokenRecord, match="has no kind"):
        proposal_from_data({"title": "T"}, 1)
    with pytest.raises(BrokenRecord, match="without its base"):
        proposal_from_data({"kind": "edit", "before": "a", "after": "b"}, 2)
    with pytest.raises(BrokenRecord, match="cannot be read"):
        proposal_from_data({"kind": "comment", "after": {"not": "text"}}, 3)


def test_reject_needs_a_reason_and_happens_once(tmp_path):
    from workbench.inbox.decide import AlreadyDecided, reject

    inbox = Inbox(tmp_path)
    item = inbox.add(site="s", agent="a", profile="propose", proposal=_data())
    with pytest.raises(InboxError, match="Say why"):
        reject(inbox, item.id, "  \n ", by="cli")
    assert inbox.get(item.id).status == PENDING
    done = reject(inbox, item.id, "Wrong   day;\nwe deploy on Tuesdays", by="cli")
    assert done.status == REJECTED and done.reason == "Wrong day; we deploy on Tuesdays"
    with pytest.raises(AlreadyDecided):
        reject(inbox, item.id, "again", by="tui")


def test_a_decision_in_progress_elsewhere_is_said(tmp_path):
    from filelock import FileLock

    from workbench.inbox.decide import reject
    from workbench.inbox.store import InboxBusy

    inbox = Inbox(tmp_path)
    item = inbox.add(site="s", agent="a", profile="propose", proposal=_data())
    code = (
        "import sys, time; from filelock import FileLock\n"
        "l = FileLock(sys.argv[1]); l.acquire(); print('held', flush=True); time.sleep(30)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path / f".{item.id}.lock")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with (
            pytest.raises(InboxBusy, match="being decided elsewhere"),
            inbox.deciding(item.id, wait=0.2),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
    with FileLock(str(tmp_path / f".{item.id}.lock")).acquire(
        timeout=5
    ):  # a killed holder frees it
        pass
    assert reject(inbox, item.id, "fine now", by="cli").status == REJECTED
