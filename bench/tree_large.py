"""The tree in a space of 5 000 pages (``--seed large:5000``): usable in ≤ 300 ms, RSS ≤ 200 MB (design §4).

In-process with Textual's Pilot against the local Confluence. Children load lazily when a node is
expanded, so the tree never waits for the whole space. Measured:
- start → the space shows in the tree;
- expand the space (it stands for its homepage) → its first section shows (lazy load), and all 10;
- expand the 300-child "Archive" section → its first rows show, and all of them;
- walking every loaded page then expanding every visible node (≈ a few hundred requests);
- a key press on a tree with everything loaded (cursor down), and the process RSS at the end.
"""

from __future__ import annotations

import resource
import statistics
import time

from _local import run_against_local, until


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


async def measure(server) -> None:
    from workbench.services.sites import url_site
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.widgets.site_tree import SiteTree

    app = WorkbenchApp(url_site(server.base_url, name="bench"))
    start = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        tree = None

        def spaces_shown() -> bool:
            nonlocal tree
            if app.main is None:
                return False
            tree = app.main.query_one(SiteTree)
            return any(n.data.title == "Large space" for n in tree.root.children)

        await until(spaces_shown)
        t_spaces = time.perf_counter() - start
        space = next(n for n in tree.root.children if n.data.title == "Large space")
        small = []
        for _ in range(10):
            tree.move_cursor(tree.root)
            t = time.perf_counter()
            await pilot.press("down")
            await pilot.pause()
            small.append(time.perf_counter() - t)
        tree.move_cursor(space)
        t0 = time.perf_counter()
        await pilot.press("right")
        # A space stands for its homepage: expanding it shows the homepage's children, the sections.
        await until(lambda: bool(space.children))
        t_root = time.perf_counter() - t0
        await until(lambda: len(space.children) >= 10)
        t_sections = time.perf_counter() - t0
        archive = space.children[0]
        tree.move_cursor(archive)
        t0 = time.perf_counter()
        await pilot.press("right")
        await until(lambda: len(archive.children) > 0)
        t_archive_first = time.perf_counter() - t0
        await until(lambda: archive.data.loaded and not archive.data.loading)
        t_archive_all = time.perf_counter() - t0
        # Expand every section and every node below them, breadth first, up to 300 nodes.
        t0 = time.perf_counter()
        frontier = list(space.children[1:])
        expanded = 0
        while frontier and expanded < 300:
            node = frontier.pop(0)
            if node.allow_expand and not node.is_expanded:
                node.expand()
                expanded += 1
                await until(lambda n=node: n.data.loaded)
                frontier.extend(node.children)
        t_expand = time.perf_counter() - t0
        visible = tree.last_line + 1
        tree.move_cursor(tree.root)
        presses = []
        for _ in range(20):
            t = time.perf_counter()
            await pilot.press("down")
            await pilot.pause()
            presses.append(time.perf_counter() - t)
        tree.scroll_end(animate=False)
        t = time.perf_counter()
        await pilot.press("end")
        await pilot.pause()
        t_end = time.perf_counter() - t
        loaded = sum(len(rows) for rows in tree._rows.values())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("tree in a 5 000-page space (seed large:5000), in-process Pilot, loopback HTTP:")
    print(f"  start → spaces in the tree             {ms(t_spaces)}")
    print(f"  expand space → first section shown     {ms(t_root)}   (budget: usable ≤ 300 ms)")
    print(f"  expand space → 10 sections shown       {ms(t_sections)}")
    print(f"  expand 'Archive' → first children      {ms(t_archive_first)}")
    print(f"  expand 'Archive' → all 300 children    {ms(t_archive_all)}")
    print(
        f"  expand {expanded} more nodes (lazy loads)   {ms(t_expand)}  → {loaded} rows loaded, {visible} lines"
    )
    print(
        f"  cursor key on the loaded tree          {ms(statistics.median(presses))} median, end key {ms(t_end)}"
    )
    print(
        f"  baseline: cursor key on a 2-row tree   {ms(statistics.median(small))} median (Pilot overhead)"
    )
    print(f"  peak RSS (app + in-process server)     {rss:7.0f} MB   (budget ≤ 200 MB)")


def main() -> int:
    return run_against_local("large:5000", measure)


if __name__ == "__main__":
    raise SystemExit(main())
