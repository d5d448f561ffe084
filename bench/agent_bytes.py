"""Bytes of page content the agent sends to the model to change one sentence in a ~300 KB page.

Two runs of the same task through the real machinery (local Confluence over HTTP, the agent's
toolkit and loop, a scripted OpenAI-compatible model over HTTP):

* whole page: ``get_page`` returns the entire Markdown (what whole-body tools do), then propose;
* outline + section: ``get_page`` on a large page returns the outline (deeper headings folded),
  the model lists the headings inside one component with ``get_page_outline(page_id, section_id)``,
  reads one section with ``get_section``, then proposes the same one-sentence edit.

Printed side by side: tool-result bytes (page content sent to the model), the size of the last
request the model received, and the ratio. Budget: outline + section ≤ 5 % of whole page.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "agent"))

TARGET_SENTENCE = "Operations of component 37 end with the sentence this benchmark changes."
NEW_SENTENCE = "Operations of component 37 now end with a changed sentence."
BUDGET = 0.05


def build_storage(target_kb: int = 300) -> str:
    """A realistic big page: components (h2), each with overview / operations / alerts (h3),
    paragraphs, a code macro, a list and a table."""
    parts, n = [], 0
    while sum(len(p) for p in parts) < target_kb * 1024:
        n += 1
        parts.append(f"<h2>Component {n}</h2><p>Component {n} is owned by team {n % 9}.</p>")
        for sub in ("Overview", "Operations", "Alerts"):
            parts.append(f"<h3>{sub} of component {n}</h3>")
            for k in range(2):
                parts.append(
                    f"<p>{sub} note {k}: component {n} behaves well under load; when the queue depth stays "
                    f"above its threshold for {n * 7} minutes, page the on-call engineer and check the dashboards.</p>"
                )
            if sub == "Operations":
                parts.append(
                    f'<ac:structured-macro ac:name="code" ac:schema-version="1" ac:macro-id="bench-{n}">'
                    '<ac:parameter ac:name="language">bash</ac:parameter>'
                    f"<ac:plain-text-body><![CDATA[kubectl -n svc{n} rollout status deploy/api]]>"
                    "</ac:plain-text-body></ac:structured-macro>"
                )
                if n == 37:
                    parts.append(f"<p>{TARGET_SENTENCE}</p>")
            if sub == "Alerts":
                parts.append(
                    "<table><tbody><tr><th>Alert</th><th>Threshold</th></tr>"
                    f"<tr><td>queue depth</td><td>{n * 100}</td></tr><tr><td>error rate</td><td>1%</td></tr>"
                    "</tbody></table>"
                )
    return "".join(parts)


async def run_case(base_url: str, page_id: str, whole: bool) -> tuple[int, int, int]:
    import httpx

    from scripted_llm import ScriptedLLM
    from workbench.agent.audit import AuditLog
    from workbench.agent.fences import Fence
    from workbench.agent.model import ModelConfig
    from workbench.agent.session import start_session
    from workbench.confluence.client import ConfluenceClient

    def last(body):
        return [m for m in body["messages"] if m.get("role") == "tool"][-1]["content"]

    def version(text):
        return int(re.search(r"\| version (\d+) \|", text).group(1))

    def expand(body):
        top = last(body)  # the folded outline: components only
        sid = re.search(r"^(s\d+) ## Component 37 ", top, re.M).group(1)
        return {"tool_calls": [{"name": "get_page_outline", "arguments": {"page_id": page_id, "section_id": sid}}]}

    def read_section(body):
        inside = last(body)
        sid = re.search(r"^(s\d+) ### Operations of component 37 ", inside, re.M).group(1)
        return {"tool_calls": [{"name": "get_section", "arguments": {"page_id": page_id, "section_id": sid}}]}

    def propose(body):
        return {"tool_calls": [{"name": "propose_edit", "arguments": {
            "page_id": page_id, "base_version": version(last(body)),
            "edits": [{"old": TARGET_SENTENCE, "new": NEW_SENTENCE}], "summary": "change one sentence"}}]}

    script = [{"tool_calls": [{"name": "get_page", "arguments": {"page_id": page_id}}]}]
    script += [propose] if whole else [expand, read_section, propose]
    script += [{"text": "Proposed."}]
    with ScriptedLLM(script) as model, temp_audit_path() as audit_path:
        async with ConfluenceClient(base_url, auth=httpx.BasicAuth("demo@example.com", "demo-token")) as client:
            config = ModelConfig(base_url=model.base_url, model="scripted", stream=True)
            session = start_session(client, model=config, fence=Fence.build("propose"), audit=AuditLog(audit_path))
            if whole:
                session.toolkit.page_inline_limit = 10**9
            await session.ask("Change the last sentence of the operations notes of component 37.")
            await session.provider.aclose()
            proposal = session.toolkit.proposals[0]
            assert len(proposal.hunks) == 1, "the edit should be one hunk"
            last_request = len(json.dumps(model.requests[-1]).encode())
            page_bytes = len(proposal.before.encode())
            return session.toolkit.bytes_returned, last_request, page_bytes


@contextlib.contextmanager
def temp_audit_path():
    """The benchmark's audit lines go to a temporary file, not the user's log."""
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp) / "audit.jsonl"


def main() -> int:
    from workbench.emulator.runner import start_in_thread

    server = start_in_thread(seed="empty")
    try:
        space = server.store.create_space("BENCH", "Bench")
        storage = build_storage()
        page = server.store.create_page(space["id"], "Big page", storage)
        whole = asyncio.run(run_case(server.base_url, str(page["id"]), whole=True))
        small = asyncio.run(run_case(server.base_url, str(page["id"]), whole=False))
    finally:
        server.stop()
    ratio = small[0] / whole[0]
    print(f"page: {len(storage) / 1024:.0f} KB storage, {whole[2] / 1024:.0f} KB Markdown")
    print(f"{'':28}{'whole page':>14}{'outline+section':>18}{'ratio':>9}")
    print(f"{'tool results to the model':28}{whole[0]:>14,}{small[0]:>18,}{ratio:>9.1%}")
    print(f"{'last request body':28}{whole[1]:>14,}{small[1]:>18,}{small[1] / whole[1]:>9.1%}")
    verdict = "OK" if ratio <= BUDGET else "OVER BUDGET"
    print(f"budget: outline + section <= {BUDGET:.0%} of the whole page: {verdict}")
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
