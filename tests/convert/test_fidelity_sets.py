"""The fidelity checks (``tests/convert/fidelity.py``) over our own adversarial pages and over real
READMEs: every check holds on every document, and the converter's safety net never trips."""

from __future__ import annotations

import pytest

from tests.convert import fidelity
from tests.convert.helpers import CORPUS_FILES, read

DOCS = fidelity.adversarial_documents()
READMES = fidelity.readme_files()


def test_the_sets_are_there():
    assert len(DOCS) >= 13 and len(READMES) >= 6
    assert (fidelity.READMES / "SOURCES.md").exists()


@pytest.mark.parametrize("name", sorted(DOCS))
def test_adversarial_page(name):
    tallies, trips = fidelity.run_storage({name: DOCS[name]})
    failures = [f for t in tallies.values() for f in t.failures]
    assert not failures and trips == 0
    assert tallies["locality"].total >= 2 and tallies["delete"].total >= 1


@pytest.mark.parametrize("name", sorted(READMES))
def test_real_readme(name):
    tallies = fidelity.run_markdown({name: READMES[name]})
    assert not [f for t in tallies.values() for f in t.failures]
    assert fidelity.github_words(READMES[name])  # the comparison compares something


def test_corpus_documents_pass_the_same_checks():
    docs = {p.stem: read(p) for p in CORPUS_FILES}
    tallies, trips = fidelity.run_storage(docs, limit=4)
    assert not [f for t in tallies.values() for f in t.failures] and trips == 0


def test_the_checks_catch_a_nonlocal_edit():
    """The checker itself: a converter that rewrites a macro head fresh would be caught."""
    storage = (
        '<ac:structured-macro ac:name="expand" ac:macro-id="m"><ac:parameter '
        'ac:name="title">Alpha beta</ac:parameter><ac:rich-text-body>'
        "<p>x</p></ac:rich-text-body></ac:structured-macro>"
    )
    md = '::: expand title="Alphaqz beta"\nx\n:::\n'
    cases = list(fidelity.locality_cases(storage, md.replace("Alphaqz", "Alpha")))
    assert cases and cases[0][2] == storage.replace("Alpha", "Alphaqz")
    assert not fidelity._deleted_one_region("<p>a</p><p>b</p>", "<p>b</p><p>a</p>", 0, 8)
    assert fidelity.page_words("<p>one <strong>two</strong></p>") == ["one", "two"]
