"""Bytes the agent sends to the model for a whole task, against sending the whole page.

Every request of a task is counted, as it arrives at the model server: the system prompt and tool
schemas it repeats, the conversation so far, every tool result. Three tasks on five pages:

* pages of 10, 100 and 300 KB of storage (components with ``##``/``###`` headings, paragraphs,
  code macros, tables), and the 100 and 300 KB pages again without any heading (paragraphs only);
* summarise the page; change one sentence; add a section after one part.

Each task runs twice through the real machinery (the local Confluence over HTTP, the agent's loop
and toolkit, a scripted OpenAI-compatible model over HTTP):

* **tools**: the path the tools invite. ``get_page`` on a large page returns its outline; the model
  reads the part it needs (``get_section``, or ``get_page_outline(find=…)`` where it knows the words),
  then proposes an ``old → new`` edit. A summary reads the sections in one range (``s1..sN``);
* **whole**: ``get_page`` returns the whole Markdown (what whole-body tools do), then the same edit.

The scripted model adapts to the tools it is offered (it uses ``find`` and ranges only when the
schemas it receives have them), so the same script measures older versions too.

Budgets (the one-sentence change on the 300 KB page): the page content sent (tool results) ≤ 5 % of
the page's Markdown, and all bytes of the task ≤ 10 % of the whole-page approach. Run:
``python bench/agent_bytes.py`` (``--json`` for machine-readable rows).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "agent"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_SENTENCE = "Operations of component {n} end with the sentence this benchmark changes."
NEW_SENTENCE = "Operations of component {n} now end with a changed sentence."
NEW_SECTION = (
    "## Component {n} runbook links\n\nThe dashboards, the alert rules and the rollback steps of component {n} "
    "are linked from the team's wiki page.\n"
)


def target_for(size_kb: int) -> int:
    """The component every task is about: the 37th (the 2nd on the 10 KB page, which has three)."""
    return 37 if size_kb >= 100 else 2


SUMMARY = (
    "This page catalogues the components, each with an overview, operations notes (with a rollout "
    "command) and alert thresholds; queues page the on-call engineer after a component-specific wait. "
) * 3
CONTENT_BUDGET = 0.05
TOTAL_BUDGET = 0.10
CATALOGUE = "Service catalogue (demo)"
CATALOGUE_SERVICE = "notifications-scheduler"
BUDGETED = ("300 KB", "300 KB, no headings")  # the budgets hold with and without headings


@dataclass(frozen=True)
class PageSpec:
    """A page and what each task is about on it: the heading, the sentence, the line after which a
    section goes, and the words a model would look for when the outline has no heading for it."""

    name: str
    storage: str
    heading: str  # the outline line's text after the #s
    sentence: str
    new_sentence: str
    anchor: str  # a section is added after this line
    new_section: str
    find_sentence: str
    find_anchor: str


def page_specs() -> list[PageSpec]:
    specs = []
    for name, size, headings in [
        ("10 KB", 10, True),
        ("100 KB", 100, True),
        ("300 KB", 300, True),
        ("100 KB, no headings", 100, False),
        ("300 KB, no headings", 300, False),
    ]:
        n = target_for(size)
        specs.append(
            PageSpec(
                name,
                build_storage(size, headings),
                f"Component {n}",
                TARGET_SENTENCE.format(n=n),
                NEW_SENTENCE.format(n=n),
                f"Alerts note 1: component {n} ",
                NEW_SECTION.format(n=n),
                f"Operations of component {n}",
                f"Alerts note 1: component {n} ",
            )
        )
    from workbench.emulator.seed_catalogue import catalogue_body

    line = (
        "The **notifications-scheduler** service handles the scheduler side of the notifications domain. It "
        "listens on port `8020` and publishes metrics under `notifications_scheduler_*`."
    )
    specs.insert(
        2,
        PageSpec(
            CATALOGUE,
            catalogue_body(),
            CATALOGUE_SERVICE,
            line,
            line.replace("`8020`", "`8120`"),
            line,
            f"## {CATALOGUE_SERVICE} on-call\n\nPage the notifications on-call first.\n",
            "listens on port `8020`",
            "listens on port `8020`",
        ),
    )
    return specs


TASKS = ("summarise", "sentence", "sentence-find", "section", "section-find")
TASK_NAMES = {
    "summarise": "summarise",
    "sentence": "change a sentence",
    "sentence-find": "… naming it",
    "section": "add a section",
    "section-find": "… naming where",
}
APPROACHES = ("tools", "whole", "whole-compact")


def build_storage(target_kb: int, headings: bool = True) -> str:
    """Components, each with overview / operations / alerts: paragraphs, a code macro, a table."""
    target = target_for(target_kb)
    parts, n, size = [], 0, 0
    while size < target_kb * 1024:
        n += 1
        chunk = [
            f"<h2>Component {n}</h2>" if headings else "",
            f"<p>Component {n} is owned by team {n % 9}.</p>",
        ]
        for sub in ("Overview", "Operations", "Alerts"):
            chunk.append(f"<h3>{sub} of component {n}</h3>" if headings else "")
            for k in range(2):
                chunk.append(
                    f"<p>{sub} note {k}: component {n} behaves well under load; when the queue depth stays "
                    f"above its threshold for {n * 7} minutes, page the on-call engineer and check the dashboards.</p>"
                )
            if sub == "Operations":
                chunk.append(
                    f'<ac:structured-macro ac:name="code" ac:schema-version="1" ac:macro-id="bench-{n}">'
                    '<ac:parameter ac:name="language">bash</ac:parameter>'
                    f"<ac:plain-text-body><![CDATA[kubectl -n svc{n} rollout status deploy/api]]>"
                    "</ac:plain-text-body></ac:structured-macro>"
                )
                if n == target:
                    chunk.append(f"<p>{TARGET_SENTENCE.format(n=target)}</p>")
            if sub == "Alerts":
                chunk.append(
                    "<table><tbody><tr><th>Alert</th><th>Threshold</th></tr>"
                    f"<tr><td>queue depth</td><td>{n * 100}</td></tr><tr><td>error rate</td><td>1%</td></tr>"
                    "</tbody></table>"
                )
        text = "".join(chunk)
        parts.append(text)
        size += len(text)
    return "".join(parts)


# -- the scripted model ----------------------------------------------------------------------------


def _last(body: dict[str, Any]) -> str:
    return [m for m in body["messages"] if m.get("role") == "tool"][-1]["content"]


def _version(text: str) -> int:
    found = re.search(r"\| version (\d+)\b", text)
    assert found, text[:300]
    return int(found.group(1))


def _params(body: dict[str, Any], tool: str) -> set[str]:
    for t in body.get("tools") or []:
        if t["function"]["name"] == tool:
            return set(t["function"]["parameters"].get("properties", {}))
    return set()


_PAGE_DATA = re.compile(
    r"^<<<data-(\w+): page content [^\n]*\n", re.M
)  # the session's data markers


def _inline(text: str) -> bool:
    return _PAGE_DATA.search(text) is not None


def _page_text(text: str) -> str:
    """The Markdown between the data markers of a tool result."""
    found = _PAGE_DATA.search(text)
    assert found, text[:300]
    body = text[found.end() :]
    return body.rsplit(f"\n>>>end-data-{found.group(1)}", 1)[0]


def _sections(outline: str) -> list[tuple[str, str]]:
    """``(id, rest of line)`` for every outline line."""
    return re.findall(r"^(s\d+(?:\.\d+)?) (.*)$", outline, re.M)


def _target_section(outline: str, heading: str) -> str | None:
    for sid, rest in _sections(outline):
        if re.match(rf"#+ {re.escape(heading)} ", rest):
            return sid
    return None


def script(task: str, page_id: str, spec: PageSpec, whole: bool = False) -> list[Any]:
    """The turns of a model doing ``task`` the way the tools it is offered invite (``whole``: tools that
    only return whole pages, so nothing is looked for)."""

    kind = task.split("-")[0]

    def step(body: dict[str, Any]) -> dict[str, Any]:
        calls = [
            c["function"]
            for m in body["messages"]
            if m.get("role") == "assistant"
            for c in m.get("tool_calls") or []
        ]
        last = calls[-1]["name"] if calls else None
        if last is None:
            if task.endswith("-find") and not whole and "find" in _params(body, "get_page"):
                # the person named the text: the model looks for it instead of reading the page
                return _call("get_page", page_id=page_id, find=_words())
            return _call("get_page", page_id=page_id)
        if last == "get_page" and '"find"' in calls[-1]["arguments"]:
            result = _last(body)
            return propose(result, _version(result))
        if last == "propose_edit" or (kind == "summarise" and last != "get_page"):
            return {"text": SUMMARY if kind == "summarise" else "Proposed."}
        result = _last(body)
        if last == "get_page":
            if _inline(result):
                return propose(_page_text(result), _version(result))
            return read(body, result)
        # get_section (page text between the markers) or get_page_outline(find=…) (the matching lines)
        return propose(_page_text(result) if _inline(result) else result, _version(result))

    def _words() -> str:
        return spec.find_sentence if kind == "sentence" else spec.find_anchor

    def read(body: dict[str, Any], outline: str) -> dict[str, Any]:
        ids = [sid for sid, _ in _sections(outline)]
        if kind == "summarise":
            if "range" in _describe(body, "get_section") and len(ids) > 1:
                return _call("get_section", page_id=page_id, section_id=f"{ids[0]}..{ids[-1]}")
            top = [
                sid for sid, rest in _sections(outline) if re.match(r"(##? |\(preamble\))", rest)
            ] or ids
            return {
                "tool_calls": [
                    {"name": "get_section", "arguments": {"page_id": page_id, "section_id": s}}
                    for s in top
                ]
            }
        section = _target_section(outline, spec.heading)
        if section is None and not whole and "find" in _params(body, "get_page"):
            return _call("get_page", page_id=page_id, find=_words())
        return _call("get_section", page_id=page_id, section_id=section or ids[0])

    def propose(markdown: str, version: int) -> dict[str, Any]:
        if kind == "summarise":
            return {"text": SUMMARY}
        if kind == "sentence":
            assert spec.sentence in markdown, "the model did not read the sentence"
            edit = {"old": spec.sentence, "new": spec.new_sentence}
        else:
            line = _anchor_line(markdown, spec.anchor)
            edit = {"old": line, "new": line + "\n\n" + spec.new_section.rstrip("\n")}
        return _call(
            "propose_edit",
            page_id=page_id,
            base_version=version,
            edits=[edit],
            summary=TASK_NAMES[task],
        )

    return [step] * 8


def _call(name: str, **arguments: Any) -> dict[str, Any]:
    return {"tool_calls": [{"name": name, "arguments": arguments}]}


def _describe(body: dict[str, Any], tool: str) -> str:
    for t in body.get("tools") or []:
        if t["function"]["name"] == tool:
            return json.dumps(t["function"]).lower()
    return ""


def _anchor_line(markdown: str, anchor: str) -> str:
    """The whole line (as read: a find result puts ``sN: `` before it) after which the section goes."""
    for line in markdown.splitlines():
        if anchor in line:
            return line[line.find(anchor[:14]) :].strip()
    raise AssertionError("anchor line not found in what the model read")


# -- running ---------------------------------------------------------------------------------------


@dataclass
class Run:
    page: str
    task: str
    approach: str
    requests: int
    sizes: list[int]
    total: int
    largest: int
    content: int  # tool-result bytes (page content sent to the model)
    page_markdown: int
    proposal_ok: bool


async def run_case(base_url: str, page_id: str, spec: PageSpec, task: str, approach: str) -> Run:
    """``approach``: tools (the product as shipped), whole (get_page returns everything and every result is
    re-sent: what whole-page tools in a plain loop send), whole-compact (whole, with this loop's shortening)."""
    import httpx
    from scripted_llm import ScriptedLLM

    from workbench.agent.audit import AuditLog
    from workbench.agent.fences import Fence
    from workbench.agent.model import ModelConfig
    from workbench.agent.session import start_session
    from workbench.confluence.client import ConfluenceClient

    whole = approach.startswith("whole")
    with ScriptedLLM(script(task, page_id, spec, whole)) as model, temp_audit_path() as audit_path:
        async with ConfluenceClient(
            base_url, auth=httpx.BasicAuth("demo@example.com", "demo-token")
        ) as client:
            config = ModelConfig(base_url=model.base_url, model="scripted", stream=True)
            session = start_session(
                client, model=config, fence=Fence.build("propose"), audit=AuditLog(audit_path)
            )
            if whole:
                session.toolkit.page_inline_limit = 10**9
            if approach == "whole" and hasattr(session, "compact_history"):
                session.compact_history = False
            await session.ask(f"Please {TASK_NAMES[task]} of page {page_id} ({spec.heading}).")
            await session.provider.aclose()
            proposals = session.toolkit.proposals
            opened, _ = await session.toolkit.open(page_id)
            ok = task == "summarise" or (len(proposals) == 1 and len(proposals[0].hunks) == 1)
            assert ok, (
                spec.name,
                task,
                approach,
                [m.get("content", "")[:300] for m in session.messages[-3:]],
            )
            assert not model.errors, model.errors
            return Run(
                spec.name,
                task,
                approach,
                len(model.sizes),
                list(model.sizes),
                sum(model.sizes),
                max(model.sizes),
                session.toolkit.bytes_returned,
                len(opened.markdown.encode()),
                ok,
            )


@contextlib.contextmanager
def temp_audit_path():
    """The benchmark's audit lines go to a temporary file, not the user's log."""
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp) / "audit.jsonl"


def measure() -> list[Run]:
    from workbench.emulator.runner import start_in_thread

    server = start_in_thread(seed="empty")
    runs: list[Run] = []
    try:
        space = server.store.create_space("BENCH", "Bench")
        for spec in page_specs():
            page = server.store.create_page(space["id"], spec.name, spec.storage)
            for task in TASKS:
                for approach in APPROACHES:
                    runs.append(
                        asyncio.run(
                            run_case(server.base_url, str(page["id"]), spec, task, approach)
                        )
                    )
    finally:
        server.stop()
    return runs


def record_task(name: str, tools: Run, whole: Run, *, budgeted: bool) -> None:
    """The one-sentence change on ``name`` in the run's results (``bench/_report.py``): all bytes
    of the task against the whole-page approach, and the page content sent against the page."""
    from _report import record

    how = f"{tools.requests} requests, every byte of every request as the model receives it"
    record(
        f"agent: all bytes of a whole task, change one sentence, {name} page",
        tools.total,
        "B",
        baseline=whole.total,
        baseline_name="the whole page sent",
        budget=TOTAL_BUDGET if budgeted else None,
        note=how,
    )
    record(
        f"agent: page content sent, change one sentence, {name} page",
        tools.content,
        "B",
        baseline=tools.page_markdown,
        baseline_name="the page's Markdown",
        budget=CONTENT_BUDGET if budgeted else None,
        note="tool results' bytes",
    )


def report(runs: list[Run]) -> int:
    by = {(r.page, r.task, r.approach): r for r in runs}
    pages = list(dict.fromkeys(r.page for r in runs))
    print(
        "tools = the agent as shipped; whole = get_page returns the whole page and every result is re-sent "
        "(whole-page tools in a plain loop);\nwhole* = whole with this loop's shortening of earlier results. "
        "content = tool-result bytes (page content sent)."
    )
    print(
        f"{'page':26}{'task':19}{'reqs':>5}{'bytes':>10}{'largest':>9}{'content':>9}{'% page':>8}"
        f"{'whole':>10}{'ratio':>7}{'whole*':>10}{'ratio*':>8}"
    )
    verdicts = []
    for name in pages:
        for task in TASKS:
            tools, whole, compact = (by[(name, task, a)] for a in APPROACHES)
            ratio, ratio_c = tools.total / whole.total, tools.total / compact.total
            share = tools.content / tools.page_markdown
            flag = "" if tools.proposal_ok else "  (no single-hunk proposal!)"
            print(
                f"{name:26}{TASK_NAMES[task]:19}{tools.requests:>5}{tools.total:>10,}{tools.largest:>9,}"
                f"{tools.content:>9,}{share:>8.1%}{whole.total:>10,}{ratio:>7.1%}{compact.total:>10,}"
                f"{ratio_c:>8.1%}{flag}"
            )
            if task == "sentence" and name in BUDGETED:  # without find: the conservative path
                verdicts.append((f"page content sent, {name} sentence", share, CONTENT_BUDGET))
                verdicts.append(
                    (f"all bytes vs the whole-page approach, {name} sentence", ratio, TOTAL_BUDGET)
                )
                record_task(name, tools, whole, budgeted=True)
            elif task == "sentence" and name == CATALOGUE:
                record_task(name, tools, whole, budgeted=False)
    failed = 0
    for what, value, budget in verdicts:
        ok = value <= budget
        failed += not ok
        print(f"budget: {what}: {value:.1%} <= {budget:.0%}: {'OK' if ok else 'OVER BUDGET'}")
    bad = [r for r in runs if not r.proposal_ok]
    if bad:
        print(f"{len(bad)} run(s) did not end in one single-hunk proposal")
    return 1 if failed or bad else 0


def main() -> int:
    one, five, _ = os.getloadavg()
    print(f"(load average {one:.2f} {five:.2f} on {os.cpu_count()} cores)", file=sys.stderr)
    runs = measure()
    if "--json" in sys.argv:
        print(json.dumps([asdict(r) for r in runs], indent=1))
        return 0
    return report(runs)


if __name__ == "__main__":
    raise SystemExit(main())
