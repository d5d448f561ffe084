"""Attachments in the TUI, through Pilot against the real local server: the page's images drawn in the
viewer (half blocks; a snapshot), the attachments list with unreferenced files flagged, an image full
screen, a download, uploads (progress, the choice when a name is taken) and the editor's insert."""

from __future__ import annotations

import pytest

from workbench.config import Settings
from workbench.tui.attachments import (
    AttachmentsScreen,
    ImageScreen,
    NameTakenScreen,
    UploadScreen,
)
from workbench.tui.images import HalfcellView

from .helpers import make_app, notes, page_id, settle, wait_until

POSTMORTEM = "Incident postmortem: 2026-09-14 checkout outage"
SIZE = (120, 40)


@pytest.fixture
def server(fixed_clock, local_confluence):
    return local_confluence("demo")


async def open_postmortem(app, pilot, server):
    await settle(app, pilot)
    app.open_page(page_id(server, POSTMORTEM))
    await settle(app, pilot)


async def attachments_screen(app, pilot) -> AttachmentsScreen:
    await pilot.press("A")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, AttachmentsScreen)
    return screen


def rows(screen: AttachmentsScreen) -> list[list[str]]:
    from textual.widgets import DataTable

    table = screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]


def test_a_page_with_an_inline_image(server, snap_compare):
    async def run_before(pilot):
        app = pilot.app
        await open_postmortem(app, pilot, server)
        viewer = app.main.page_pane.viewer
        # the picture is fetched after the page shows: wait for it and its rendering, whatever the load
        await wait_until(app, pilot, lambda: "checkout-errors.png" in viewer.images)
        # the header's requests (comments, labels) end after the page shows and lengthen the view
        await wait_until(app, pilot, lambda: app.main.page_pane.extras is not None)
        await wait_until(app, pilot, lambda: viewer.complete and "▀" in viewer.plain_lines()[12])
        viewer.scroll_to(0, 8, animate=False)
        await wait_until(app, pilot, lambda: viewer.scroll_y == 8)
        await settle(app, pilot)
        for widget in app.screen.query("Input, TextArea, CqlBar"):  # as test_snapshots does
            widget.cursor_blink = False
        app.clear_notifications()
        app.screen.query("Toast").remove()
        await pilot.pause()

    app = make_app(server, settings=Settings(theme="textual-dark"))
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


async def test_the_viewer_draws_the_pages_images_and_labels_them(server):
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await open_postmortem(app, pilot, server)
        viewer = app.main.page_pane.viewer
        assert set(viewer.images) == {"checkout-errors.png"}  # the unreferenced one is not fetched
        lines = viewer.plain_lines()
        label = lines.index("🖼 Error rate during the outage · checkout-errors.png")
        assert label > 6 and all(set(line) == {"▀"} for line in lines[label - 6 : label])
        assert notes(app) == []


async def test_the_list_flags_unreferenced_files_and_shows_an_image_full_screen(server):
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await open_postmortem(app, pilot, server)
        screen = await attachments_screen(app, pilot)
        table = rows(screen)
        assert [r[0] for r in table] == ["checkout-errors.png", "outage-timeline-draft.png"]
        assert table[0][1] == "yes" and table[0][4] == "2" and table[0][5] == "Grace Liu"
        assert table[1][1] == "unreferenced"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ImageScreen)
        assert app.screen.query_one(HalfcellView).image.size == (96, 48)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, AttachmentsScreen)


async def test_enter_on_a_file_downloads_it(server, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DOWNLOADS", str(tmp_path / "dl"))
    pid = page_id(server, POSTMORTEM)
    server.store.add_attachment(
        pid, "a-notes.txt", server.store.save_bytes(b"timeline notes"), media_type="text/plain"
    )
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await open_postmortem(app, pilot, server)
        screen = await attachments_screen(app, pilot)
        assert rows(screen)[2][0] == "a-notes.txt"
        await pilot.press("down", "down", "enter")
        await settle(app, pilot)
        assert (tmp_path / "dl" / "a-notes.txt").read_bytes() == b"timeline notes"
        assert any("Downloaded a-notes.txt" in n for n in notes(app))


async def test_upload_with_progress_then_a_new_version_then_another_name(server, tmp_path):
    big = tmp_path / "capture.bin"
    big.write_bytes(b"x" * (600 * 1024))
    pid = page_id(server, POSTMORTEM)
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await open_postmortem(app, pilot, server)
        screen = await attachments_screen(app, pilot)
        seen: list[float] = []
        bar = screen.query_one("#upload-progress")
        original = bar.update

        def spy(**kwargs):
            if kwargs.get("progress") is not None:
                seen.append(kwargs["progress"])
            return original(**kwargs)

        bar.update = spy  # records what the bar was told; the bar itself still updates

        async def upload() -> None:
            await pilot.press("a")
            await settle(app, pilot)
            assert isinstance(app.screen, UploadScreen)
            field = app.screen.query_one("#upload-path")
            field.value = str(big)
            await pilot.press("enter")
            app.screen.query_one("#upload-comment").value = "from the TUI"
            await pilot.press("enter")
            await settle(app, pilot)

        await upload()
        assert isinstance(app.screen, AttachmentsScreen)
        assert seen and seen[-1] == 600 * 1024  # the bar followed the upload to its end
        assert any("Uploaded capture.bin" in n for n in notes(app))
        (row,) = server.store.list_attachments(pid, filename="capture.bin")
        assert row["comment"] == "from the TUI" and row["size"] == 600 * 1024

        await upload()  # the name is taken: the choice
        assert isinstance(app.screen, NameTakenScreen)
        await pilot.click("#version")
        await settle(app, pilot)
        assert len(server.store.attachment_versions(row["id"])) == 2

        await upload()
        assert isinstance(app.screen, NameTakenScreen)
        await pilot.click("#rename")
        await settle(app, pilot)
        await pilot.press("enter")  # the suggested name
        await settle(app, pilot)
        assert server.store.list_attachments(pid, filename="capture (2).bin")

        await upload()
        await pilot.click("#cancel")
        await settle(app, pilot)
        assert len(server.store.list_attachments(pid)) == 4  # 2 seeded, capture, capture (2)
        assert len(server.store.attachment_versions(row["id"])) == 2


async def test_a_path_that_is_no_file_is_said_and_nothing_is_sent(server, tmp_path):
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await open_postmortem(app, pilot, server)
        await attachments_screen(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        app.screen.query_one("#upload-path").value = str(tmp_path / "missing.png")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, UploadScreen)
        assert "is not a file" in str(app.screen.query_one("#upload-hint").render())


async def test_the_path_is_completed_as_it_is_typed(tmp_path):
    from workbench.tui.attachment_dialogs import PathSuggester

    (tmp_path / "diagram.png").write_bytes(b"p")
    (tmp_path / "docs").mkdir()
    suggester = PathSuggester()
    assert await suggester.get_suggestion(str(tmp_path / "dia")) == str(tmp_path / "diagram.png")
    assert await suggester.get_suggestion(str(tmp_path / "do")) == str(tmp_path / "docs")
    assert await suggester.get_suggestion(str(tmp_path / "zzz")) is None


async def test_the_editor_inserts_a_picked_attachment(server):
    app = make_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await open_postmortem(app, pilot, server)
        await pilot.press("e")
        editor = app.main.query_one("#editor")
        await wait_until(app, pilot, lambda: editor.has_focus)
        editor.move_cursor((0, 0))
        await pilot.press("f4")
        await settle(app, pilot)
        assert isinstance(app.screen, AttachmentsScreen)
        await pilot.press("down", "i")
        await settle(app, pilot)
        assert not isinstance(app.screen, AttachmentsScreen)
        assert editor.text.startswith(
            "![outage-timeline-draft.png](attachment:outage-timeline-draft.png)"
        )
