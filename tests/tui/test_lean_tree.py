"""LeanTree's bulk operations against Textual's own: nodes added with ``add_nodes`` and removed with
``clear_children`` leave the tree as ``TreeNode.add``/``remove_children`` do; rows added while the
lay-out is held are laid out when asked; the collector pause nests and leaves others' pauses alone."""

from __future__ import annotations

import gc
import weakref

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Tree

from workbench.tui.widgets.lean_tree import LeanTree, collector_paused


class Both(App):
    def compose(self) -> ComposeResult:
        yield LeanTree("root", id="lean")
        yield Tree("root", id="plain")


def depth(node) -> int:
    n = 0
    while node.parent is not None:
        node, n = node.parent, n + 1
    return n


def lines(tree: Tree) -> list[tuple[int, str, object, bool, bool]]:
    out = []
    for line in range(tree.last_line + 1):
        node = tree.get_node_at_line(line)
        assert node is not None and node.line == line
        out.append((depth(node), str(node.label), node.data, node.allow_expand, node.is_expanded))
    return out


async def test_nodes_added_and_cleared_in_bulk_are_those_of_add_and_remove_children():
    app = Both()
    async with app.run_test() as pilot:
        lean = app.query_one("#lean", LeanTree)
        plain = app.query_one("#plain", Tree)
        rows = [(Text(f"row {i}"), i, i % 3 == 0) for i in range(300)]
        a = lean.root.add("a", "a", expand=True)
        b = plain.root.add("a", "a", expand=True)
        made = lean.add_nodes(a, rows)
        for label, data, allow_expand in rows:
            b.add(label, data, allow_expand=allow_expand)
        # below the bulk rows: a nested level, to be cleared with them
        made[0].expand()
        lean.add_nodes(made[0], [(Text("deep"), "deep", False)])
        b.children[0].expand()
        b.children[0].add_leaf(Text("deep"), "deep")
        lean.root.expand()
        plain.root.expand()
        await pilot.pause()
        assert [n.parent for n in made] == [a] * 300
        assert all(lean.get_node_by_id(n.id) is n for n in made)
        assert lines(lean) == lines(plain)
        assert len(lines(lean)) == 1 + 1 + 300 + 1

        ids = [n.id for n in made] + [made[0].children[0].id]
        lean.clear_children(a)
        b.remove_children()
        await pilot.pause()
        assert len(a.children) == 0
        assert lines(lean) == lines(plain)
        for node_id in ids:  # forgotten by the tree, nested ones included
            try:
                lean.get_node_by_id(node_id)
            except Exception:  # noqa: BLE001 - Textual's UnknownNodeID
                continue
            raise AssertionError(f"node {node_id} is still known")
        # and the level can be filled again
        lean.add_nodes(a, rows[:2])
        await pilot.pause()
        assert [str(n.label) for n in a.children] == ["row 0", "row 1"]


async def test_rows_added_while_held_are_laid_out_when_asked():
    app = Both()
    async with app.run_test() as pilot:
        tree = app.query_one("#lean", LeanTree)
        tree.root.expand()
        with tree.held():
            tree.add_nodes(tree.root, [(Text(f"row {i}"), i, False) for i in range(10)])
        await pilot.pause()
        assert tree.last_line == 10
        with tree.held():
            tree.add_nodes(tree.root, [(Text(f"row {i}"), i, False) for i in range(10, 30)])
            await pilot.pause()
            assert tree.last_line == 10  # still the lines laid out before
        await pilot.pause()
        assert tree.last_line == 10  # nothing else asked for a lay-out
        tree.lay_out()
        await pilot.pause()
        assert tree.last_line == 30
        assert [str(tree.get_node_at_line(i).label) for i in (1, 30)] == ["row 0", "row 29"]


def test_the_collector_pause_nests_frees_its_garbage_and_promotes_what_stays():
    class Node:
        pass

    kept = Node()  # made before the pause: promoted with the rows

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
        cycle = Node()
        cycle.me = cycle  # garbage only the collector frees
        gone = weakref.ref(cycle)
        del cycle
        assert gone() is not None
        rows = [Node() for _ in range(100)]  # what a level's rows leave alive
    assert gc.isenabled()
    # a young pass at its end freed the garbage made meanwhile (not left for a full pass) …
    assert gone() is None
    # … and moved what stays to the oldest generation, where no young or middle pass walks it again
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(rows[0]) in oldest and id(rows[-1]) in oldest and id(kept) in oldest


def test_the_collector_pause_leaves_a_collector_switched_off_by_others():
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # someone else's pause: not ended here
    finally:
        gc.enable()


async def test_a_label_width_is_the_cells_rich_draws():
    app = Both()
    async with app.run_test():
        tree = app.query_one("#lean", LeanTree)
        labels = [
            "Child 000001",
            "",
            "é accent",
            "日本語のページ",
            "emoji 🎉",
            "tab\tin",
            "a" * 600,
        ]
        for text, expandable in zip(labels, [True, False] * 4, strict=False):
            node = tree.root.add(Text(text), allow_expand=expandable)
            assert tree.get_label_width(node) == Text(text).cell_len + (2 if expandable else 0)
        plain = tree.root.add("plain [b]markup[/b]", allow_expand=False)
        assert tree.get_label_width(plain) == plain.label.cell_len
