"""The fidelity checks of issue 19, run over any set of storage documents and Markdown files.

Storage documents (ours in ``tests/convert/adversarial``, or any others):

- identity: Markdown back with the base gives the base, also through the block merge alone;
- locality: up to 10 words that occur once in the Markdown and once in the storage text (outside tags)
  are each changed to ``word+"qz"``; the output must be the storage with only that word changed. Words
  in ``:::``/fence head lines count too (a title edit must edit the parameter in place);
- insert: ``Inserted platypus paragraph N.`` after each top-level block (and inside the first container
  body): exactly one ``<p>`` appears, the rest differs at most by whitespace at that point;
- delete: each top-level block deleted: the output is the storage minus one contiguous region that held
  the block;
- reorder: two adjacent one-line items of a list swapped: the same characters, reading back as typed;
- well-formed: every output of a well-formed input, and fresh storage from each document's Markdown;
- raw tags: no ``<ac:``/``</ac:``/``<ri:`` in the Markdown outside code.

Markdown files (real READMEs): fresh storage is well-formed, shows the same words as GitHub shows for
the file, and reading it back and rendering again shows the same words; code fences keep their language.

``python -m tests.convert.fidelity`` prints the figures (the README quotes them).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from workbench.convert import markdown_to_storage, storage_to_markdown

HERE = Path(__file__).resolve().parent
ADVERSARIAL = HERE / "adversarial"
READMES = HERE / "readmes"
_WORD = re.compile(r"(?<![\w&#;:/.-])[A-Za-z]{4,}(?![\w;])")


def well_formed(storage: str) -> bool:
    from lxml import etree

    from workbench.convert.validate import wrap_for_xml

    try:
        etree.fromstring(wrap_for_xml(storage))
    except etree.XMLSyntaxError:
        return False
    return True


@dataclass
class Tally:
    passed: int = 0
    total: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, ok: bool, what: str) -> None:
        self.total += 1
        self.passed += ok
        if not ok:
            self.failures.append(what)

    def __str__(self) -> str:
        return f"{self.passed}/{self.total}"


class SafetyNet(logging.Handler):
    """Counts the converter's own "could not …" warnings (its never-raise safety net)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.trips = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "could not" in record.getMessage():
            self.trips += 1


def _outside_tags(storage: str, word: str) -> list[int]:
    spots = []
    for m in re.finditer(rf"(?<![\w]){re.escape(word)}(?![\w])", storage):
        before = storage[: m.start()]
        if before.rfind("<") > before.rfind(">") and not before.endswith("CDATA["):
            last_open = before.rfind("<")
            if not storage.startswith("<![CDATA[", last_open):
                continue
        spots.append(m.start())
    return spots


def locality_cases(storage: str, md: str, limit: int = 10) -> Iterable[tuple[str, str, str]]:
    """``(word, edited Markdown, expected storage)`` for words found once in each."""
    seen_lines: set[int] = set()
    count = 0
    for m in _WORD.finditer(md):
        word = m.group(0)
        if len(re.findall(rf"(?<!\w){word}(?!\w)", md)) != 1:
            continue
        line_no = md.count("\n", 0, m.start())
        if line_no in seen_lines:
            continue
        line = md[
            md.rfind("\n", 0, m.start()) + 1 : md.find("\n", m.start())
            if "\n" in md[m.start() :]
            else len(md)
        ]
        if "](" in line and re.search(rf"\]\([^)]*{word}", line):
            continue  # a link target
        spots = _outside_tags(storage, word)
        all_spots = [
            x.start() for x in re.finditer(rf"(?<![\w]){re.escape(word)}(?![\w])", storage)
        ]
        if len(spots) != 1 or len(all_spots) != 1:
            continue
        seen_lines.add(line_no)
        edited = md[: m.start()] + word + "qz" + md[m.end() :]
        expected = storage[: spots[0]] + word + "qz" + storage[spots[0] + len(word) :]
        yield word, edited, expected
        count += 1
        if count >= limit:
            return


def _only_whitespace_between(a: str, b: str) -> bool:
    """``a`` and ``b`` differ at most by whitespace inserted or removed at one place."""
    p = 0
    n = min(len(a), len(b))
    while p < n and a[p] == b[p]:
        p += 1
    s = 0
    while s < n - p and a[-1 - s] == b[-1 - s]:
        s += 1
    return not a[p : len(a) - s].strip() and not b[p : len(b) - s].strip()


def _deleted_one_region(storage: str, out: str, start: int, end: int) -> bool:
    """``out`` is ``storage`` minus one contiguous region holding ``start:end`` and whitespace only."""
    cut = len(storage) - len(out)
    if cut <= 0:
        return False
    p = 0
    while p < len(out) and out[p] == storage[p]:
        p += 1
    s = 0
    while s < len(out) and out[-1 - s] == storage[-1 - s]:
        s += 1
    if p + s < len(out):
        return False
    for r in range(len(out) - s, p + 1):  # every place the same removal can be said to start
        if (
            r <= start
            and r + cut >= end
            and not (storage[r:start] + storage[end : r + cut]).strip()
        ):
            return True
    return False


def _blocks(storage: str):
    from workbench.convert.api import parse_document

    doc = parse_document(storage)
    return doc.flow.units


def check_document(name: str, storage: str, tallies: dict[str, Tally], limit: int = 10) -> None:
    from workbench.convert.blocks import ContainerUnit

    t = tallies
    md = storage_to_markdown(storage)
    good = well_formed(storage)
    t["identity"].add(
        markdown_to_storage(md, base=storage) == storage
        and markdown_to_storage(md, base=storage, fast=False) == storage,
        name,
    )
    fresh = markdown_to_storage(md)
    t["fresh well-formed"].add(well_formed(fresh), name)
    code_free = re.sub(r"(?ms)^( *)(`{3,}|~{3,}).*?^\1\2[ \t]*$", "", md)
    t["raw tags"].add(not re.search(r"</?(?:ac|ri):", code_free), name)

    def edited(out: str, what: str) -> None:
        if good:
            t["edit well-formed"].add(well_formed(out), f"{name}: {what}")

    for word, edited_md, expected in locality_cases(storage, md, limit):
        out = markdown_to_storage(edited_md, base=storage)
        t["locality"].add(out == expected, f"{name}: {word}")
        edited(out, word)

    units = _blocks(storage)
    blocks = [u.md for u in units]
    positions = list(range(1, len(blocks) + 1))[:limit]
    for n, k in enumerate(positions):
        para = f"Inserted platypus paragraph {n}."
        new_md = "\n\n".join(blocks[:k] + [para] + blocks[k:])
        out = markdown_to_storage(new_md, base=storage)
        p = f"<p>{para}</p>"
        t["insert"].add(
            out.count(p) == 1 and _only_whitespace_between(out.replace(p, "", 1), storage),
            f"{name}: after {k}",
        )
        edited(out, f"insert {k}")
    for k, u in enumerate(units):
        if not isinstance(u, ContainerUnit) or u.kind == "quote":
            continue
        lines = u.md.split("\n")
        if (
            len(lines) < 3
            or not lines[1].strip()
            or lines[1].startswith((":", "|", ">", "-", "*", "`", "#", "1"))
        ):
            continue
        para = "Inserted platypus paragraph inside."
        if u.kind == "alert":
            inner = "\n".join(lines[:2] + [">", f"> {para}"] + lines[2:])
        else:
            end = next(
                (
                    i
                    for i in range(1, len(lines))
                    if not lines[i].strip() or lines[i].startswith(":")
                ),
                2,
            )
            inner = "\n".join(lines[:end] + ["", para] + lines[end:])
        new_md = "\n\n".join(blocks[:k] + [inner] + blocks[k + 1 :])
        out = markdown_to_storage(new_md, base=storage)
        p = f"<p>{para}</p>"
        t["insert"].add(
            out.count(p) == 1 and _only_whitespace_between(out.replace(p, "", 1), storage),
            f"{name}: inside {k}",
        )
        edited(out, f"insert inside {k}")
        break
    for k, u in enumerate(units[:limit]):
        new_md = "\n\n".join(blocks[:k] + blocks[k + 1 :])
        out = markdown_to_storage(new_md, base=storage)
        ok = False
        for j, twin in enumerate(units):  # twins in Markdown: deleting either is the same edit
            if twin.md != u.md:
                continue
            ok = ok or _deleted_one_region(storage, out, twin.start, twin.end)
            near = (units[j - 1], units[j + 1]) if 0 < j < len(units) - 1 else ()
            if (
                near
                and all(getattr(x, "tag", "") is None for x in near)
                and not all(x.bare_image for x in near)
            ):
                # two runs of text without a tag left side by side: the second one gets a <p> (documented)
                wrapped = (
                    storage[: near[1].start]
                    + f"<p>{storage[near[1].start : near[1].end]}</p>"
                    + storage[near[1].end :]
                )
                ok = ok or _deleted_one_region(wrapped, out, twin.start, twin.end)
        t["delete"].add(ok, f"{name}: block {k}")
        edited(out, f"delete {k}")
    for m in re.finditer(r"(?m)^([-*] [^\n`]{1,80})\n([-*] [^\n`]{1,80})$(?!\n )", md):
        a, b = m.group(1), m.group(2)
        if a == b:
            continue
        swapped = md[: m.start()] + b + "\n" + a + md[m.end() :]
        out = markdown_to_storage(swapped, base=storage)
        t["reorder"].add(
            sorted(out) == sorted(storage) and storage_to_markdown(out) == swapped,
            f"{name}: {a[:20]}",
        )
        edited(out, "reorder")
        break


MALFORMED: list[Callable[[str], str]] = [
    lambda s: s[: len(s) // 2],
    lambda s: s[: len(s) // 3] + s[2 * len(s) // 3 :],
    lambda s: s.replace("</", "<", 3),
    lambda s: s.replace(">", "", 2),
    lambda s: s.replace("]]>", "", 1),
    lambda s: s[::-1],
    lambda s: "<p>" + s + "</div>",
    lambda s: s.replace("<p>", "<p><strong>", 2),
]


def check_no_raise(name: str, storage: str, tally: Tally) -> None:
    for i, mutate in enumerate(MALFORMED):
        bad = mutate(storage)
        try:
            md = storage_to_markdown(bad)
            ok = (
                markdown_to_storage(md, base=bad) == bad
                and markdown_to_storage(md, base=bad, fast=False) == bad
            )
            markdown_to_storage(md.replace("e", "é", 3), base=bad)
            markdown_to_storage(md)
        except Exception:  # noqa: BLE001 - counting, not handling
            ok = False
        tally.add(ok, f"{name}: variant {i}")


def run_storage(docs: dict[str, str], limit: int = 10) -> tuple[dict[str, Tally], int]:
    names = [
        "identity",
        "locality",
        "insert",
        "delete",
        "reorder",
        "edit well-formed",
        "fresh well-formed",
        "raw tags",
        "no-raise",
    ]
    tallies = {n: Tally() for n in names}
    net = SafetyNet()
    logger = logging.getLogger("workbench.convert")
    logger.addHandler(net)
    try:
        for name, storage in docs.items():
            check_document(name, storage, tallies, limit)
            check_no_raise(name, storage, tallies["no-raise"])
    finally:
        logger.removeHandler(net)
    return tallies, net.trips


# -- Markdown files ---------------------------------------------------------------------------------
def github_words(md: str) -> list[str]:
    """The words GitHub shows for a Markdown file (rendered with mistune's GFM plugins, HTML kept)."""
    import mistune
    from lxml import html as lxml_html

    render = mistune.create_markdown(
        escape=False, plugins=["table", "strikethrough", "url", "task_lists"]
    )
    out = render(md)
    if not out.strip():
        return []
    tree = lxml_html.fragment_fromstring(out, create_parent="div")
    for bad in tree.xpath("//script|//style"):
        bad.getparent().remove(bad)
    return " ".join(tree.itertext()).split()


def page_words(storage: str) -> list[str]:
    """The words Confluence shows for storage (macro parameters aside from titles, and fallbacks, hidden)."""
    from lxml import etree

    from workbench.convert.placeholders import label, link_target
    from workbench.convert.tokens import parse
    from workbench.convert.validate import wrap_for_xml

    root = etree.fromstring(wrap_for_xml(storage))
    ac = "{http://atlassian.com/content}"
    words: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == ac + "parameter":
            if el.get(ac + "name") == "title":
                words.extend("".join(el.itertext()).split())
            return
        if tag in (ac + "adf-fallback", ac + "adf-attribute") or tag.startswith(
            "{http://atlassian.com/resource"
        ):
            return
        if (
            tag == ac + "link"
            and el.find(ac + "link-body") is None
            and el.find(ac + "plain-text-link-body") is None
        ):
            piece = etree.tostring(el, encoding="unicode")
            node = parse(piece).children[0]
            words.extend(label(link_target(piece, node)).split())
            return
        if el.text:
            words.extend(el.text.split())
        for child in el:
            walk(child)
            if child.tail:
                words.extend(child.tail.split())

    walk(root)
    return words


def check_markdown(name: str, md: str, tallies: dict[str, Tally]) -> None:
    t = tallies
    storage = markdown_to_storage(md)
    ok = well_formed(storage)
    t["well-formed"].add(ok, name)
    if not ok:
        return
    want = github_words(md)
    t["same words as GitHub"].add(page_words(storage) == want, name)
    again = markdown_to_storage(storage_to_markdown(storage))
    t["reads back"].add(
        markdown_to_storage(storage_to_markdown(storage), base=storage, fast=False) == storage
        and page_words(again) == want,
        name,
    )
    fences = re.findall(r"(?m)^ {0,3}(?:`{3,}|~{3,})[ \t]*([A-Za-z0-9_+-]+)[ \t]*$", md)
    t["fence languages"].add(
        all(
            f'<ac:parameter ac:name="language">{lang}</ac:parameter>' in storage for lang in fences
        ),
        name,
    )


def run_markdown(files: dict[str, str]) -> dict[str, Tally]:
    tallies = {
        n: Tally() for n in ("well-formed", "same words as GitHub", "reads back", "fence languages")
    }
    for name, md in files.items():
        check_markdown(name, md, tallies)
    return tallies


def adversarial_documents() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(ADVERSARIAL.glob("*.xml"))}


def readme_files() -> dict[str, str]:
    return {
        p.stem: p.read_text(encoding="utf-8")
        for p in sorted(READMES.glob("*.md"))
        if p.name != "SOURCES.md"
    }


def main() -> int:
    tallies, trips = run_storage(adversarial_documents())
    print(
        "storage:", ", ".join(f"{k} {v}" for k, v in tallies.items()), f"safety-net trips {trips}"
    )
    md_tallies = run_markdown(readme_files())
    print("markdown:", ", ".join(f"{k} {v}" for k, v in md_tallies.items()))
    failed = [f for t in list(tallies.values()) + list(md_tallies.values()) for f in t.failures]
    for f in failed:
        print("  FAILED", f)
    return 1 if failed or trips else 0


if __name__ == "__main__":
    raise SystemExit(main())
