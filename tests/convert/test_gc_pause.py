"""The converter pauses the cyclic garbage collector while it works (its cost grew with the page's
size) and always gives it back: after a conversion, a failing one, nested and concurrent ones — and
never turns it on when the program had it off."""

from __future__ import annotations

import gc
import threading

import pytest

from workbench.convert import markdown_to_storage, storage_to_markdown
from workbench.convert.api import clear_cache, gc_paused

PAGE = "<h1>Title</h1><p>Some <strong>text</strong> &amp; more.</p>" * 50


def test_conversions_leave_the_collector_as_they_found_it():
    assert gc.isenabled()
    md = storage_to_markdown(PAGE)
    assert gc.isenabled()
    assert markdown_to_storage(md.replace("Title", "Heading", 1), base=PAGE) != PAGE
    assert markdown_to_storage("# Fresh\n\ntext\n").startswith("<h1>")
    assert gc.isenabled()


def test_a_failure_inside_a_pause_still_resumes_the_collector():
    with pytest.raises(ZeroDivisionError), gc_paused():
        assert not gc.isenabled()
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_nested_and_concurrent_pauses_resume_once_the_last_one_ends():
    started, release = threading.Event(), threading.Event()

    def convert_in_a_thread():
        with gc_paused():
            started.set()
            release.wait(10)
            clear_cache()
            storage_to_markdown(PAGE + "<p>thread</p>")

    worker = threading.Thread(target=convert_in_a_thread)
    worker.start()
    assert started.wait(10)
    with gc_paused():
        storage_to_markdown(PAGE)  # nested inside this pause, alongside the thread's
        assert not gc.isenabled()
    assert not gc.isenabled()  # the thread's conversion is still under way
    release.set()
    worker.join(10)
    assert gc.isenabled()


def test_a_program_that_turned_the_collector_off_keeps_it_off():
    gc.disable()
    try:
        storage_to_markdown(PAGE + "<p>off</p>")
        assert not gc.isenabled()
    finally:
        gc.enable()


BIG = (
    "<h2>Section</h2><p>Some <strong>text</strong>, a <a href='https://x.test'>link</a>.</p>" * 1200
)


def test_a_big_page_leaves_its_model_to_the_oldest_generation_and_garbage_is_still_collected():
    """A page past PROMOTE_AT is not walked by the young collections once it is built: what it leaves
    alive (the parse cached for the editor) goes to the oldest generation. Cyclic garbage the program
    made before the conversion is collected first, not carried along."""
    from workbench.convert.api import PROMOTE_AT

    assert len(BIG) >= PROMOTE_AT
    clear_cache()
    collected = threading.Event()

    class Cycle:
        def __init__(self) -> None:
            self.me = self

        def __del__(self) -> None:
            collected.set()

    Cycle()  # garbage only the cyclic collector can free
    assert not collected.is_set()
    md = storage_to_markdown(BIG)
    assert collected.is_set()
    assert md.startswith("## Section") and gc.isenabled()
    from workbench.convert.api import _CACHE

    model = _CACHE[BIG].flow
    young = {id(o) for o in gc.get_objects(generation=0) + gc.get_objects(generation=1)}
    assert id(model) not in young and id(model.units[0]) not in young
    assert any(o is model for o in gc.get_objects(generation=2))
    assert gc.get_freeze_count() == 0
    assert markdown_to_storage(md, base=BIG) == BIG


def test_a_program_that_froze_objects_keeps_them_frozen():
    clear_cache()
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        storage_to_markdown(BIG + "<p>frozen</p>")
        assert gc.get_freeze_count() == frozen and gc.isenabled()
    finally:
        gc.unfreeze()


def test_a_finalizer_that_converts_during_the_collection_before_a_big_page_does_not_hang():
    """The young generations are collected before a big page's pause; a finalizer run by that
    collection may convert a page itself (it must not wait for a lock the conversion holds)."""
    clear_cache()
    converted: list[str] = []

    class ConvertsWhenCollected:
        def __init__(self) -> None:
            self.me = self

        def __del__(self) -> None:
            converted.append(storage_to_markdown("<p>from a finalizer</p>"))

    def convert() -> None:
        ConvertsWhenCollected()
        storage_to_markdown(BIG + "<p>finalizer</p>")

    worker = threading.Thread(target=convert, daemon=True)
    worker.start()
    worker.join(30)
    assert not worker.is_alive()
    assert converted == ["from a finalizer\n"] and gc.isenabled()
