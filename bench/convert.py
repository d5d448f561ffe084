"""Converter budgets, measured side by side in one run.

1. Round trip per corpus document (storage → Markdown → storage with the base), median over the
   corpus, against the lossy baseline people use today: markdownify → mistune. Budget: ratio ≤ 1.0.
2. A ~300 KB page (corpus documents concatenated until 300 KB), each way: storage → Markdown, Markdown →
   storage with the base after a one-word edit, and fresh Markdown → storage. Budget: ≤ 0.5 s each.

Every conversion starts from a cold parse cache, so the figures include parsing the base.

Run: ``.venv/bin/python bench/convert.py`` (``--repeat N`` to change repetitions).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import record  # noqa: E402

from workbench.convert.api import clear_cache  # noqa: E402 - after the path is set

CORPUS = ROOT / "tests" / "corpus"


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        clear_cache()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import markdownify
    import mistune

    from workbench.convert import markdown_to_storage, storage_to_markdown

    docs = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.xml"))]
    to_html = mistune.create_markdown()

    def ours(s: str) -> None:
        md = storage_to_markdown(s)
        assert markdown_to_storage(md, base=s) == s

    def ours_merge(s: str) -> None:  # the block-by-block merge, no "unchanged → base" shortcut
        md = storage_to_markdown(s)
        markdown_to_storage(md, base=s, fast=False)

    def baseline(s: str) -> None:
        to_html(markdownify.markdownify(s))

    # warm up imports and regex caches
    for s in docs:
        ours(s), baseline(s)

    ours_t = [best_of(lambda s=s: ours(s), args.repeat) for s in docs]
    merge_t = [best_of(lambda s=s: ours_merge(s), args.repeat) for s in docs]
    base_t = [best_of(lambda s=s: baseline(s), args.repeat) for s in docs]
    m_ours, m_merge, m_base = (statistics.median(x) * 1000 for x in (ours_t, merge_t, base_t))
    print(f"corpus: {len(docs)} documents, median round trip per document (best of {args.repeat})")
    print(f"  markdownify → mistune (lossy baseline)   {m_base:7.3f} ms")
    print(
        f"  workbench.convert round trip (identity)  {m_ours:7.3f} ms   ratio {m_ours / m_base:.2f}  (budget ≤ 1.00)"
    )
    print(
        f"  workbench.convert, full block merge      {m_merge:7.3f} ms   ratio {m_merge / m_base:.2f}"
    )

    big_parts, size = [], 0
    while size < 300_000:
        for s in docs:
            big_parts.append(s)
            size += len(s.encode("utf-8"))
            if size >= 300_000:
                break
    big = "\n".join(big_parts)
    md = storage_to_markdown(big)
    word = "Confluence"
    edited = md.replace(word, "Workbench", 1)
    t_to_md = best_of(lambda: storage_to_markdown(big), 3)
    t_edit = best_of(lambda: markdown_to_storage(edited, base=big), 3)
    t_fresh = best_of(lambda: markdown_to_storage(md), 3)
    t_base = best_of(lambda: to_html(markdownify.markdownify(big)), 3)
    print(
        f"\n{len(big.encode('utf-8')) / 1000:.0f} KB page ({len(big_parts)} "
        "documents), best of 3 (budget ≤ 0.500 s each way)"
    )
    print(f"  storage → Markdown                        {t_to_md:6.3f} s")
    print(f"  Markdown → storage, one-word edit, base   {t_edit:6.3f} s")
    print(f"  Markdown → storage, fresh (no base)       {t_fresh:6.3f} s")
    print(f"  markdownify → mistune, for comparison     {t_base:6.3f} s")
    ok = m_ours <= m_base and max(t_to_md, t_edit, t_fresh) <= 0.5
    record(
        "converter round trip, median per corpus document",
        m_ours,
        "ms",
        baseline=m_base,
        baseline_name="markdownify → mistune",
        budget=1.0,
        note=f"{len(docs)} documents, best of {args.repeat}",
    )
    kb = f"{len(big.encode('utf-8')) / 1000:.0f} KB page"
    for what, seconds in (
        ("storage → Markdown", t_to_md),
        ("Markdown → storage, one-word edit", t_edit),
        ("Markdown → storage, fresh", t_fresh),
    ):
        record(
            f"converter, {kb}: {what}",
            seconds * 1000,
            "ms",
            baseline=t_base * 1000,
            baseline_name="markdownify → mistune",
            budget=500,
            budget_on="figure",
            note="wall time, best of 3",
        )
    print("\nbudgets met" if ok else "\nBUDGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
