"""The attachments of the open page: a list (name, size, type, version, who, when, referenced or
not), an image full screen, downloads, and uploads with a progress bar and a choice when the name
is taken.

- ``enter`` on an image: :class:`ImageScreen` (the terminal's graphics protocol where it has one, half
  blocks otherwise: :mod:`workbench.tui.images`); on another file: downloaded into the downloads
  folder (streamed, atomic: ``ConfluenceClient.download_attachment``);
- ``a``: :class:`UploadScreen` asks for a path (completed as you type) and a comment; a name the page
  has already: :class:`NameTakenScreen` (new version / another name / cancel). Uploads land exactly
  once (``ConfluenceClient.upload_attachment``); large ones show their progress;
- ``i`` (when opened from the editor): inserts ``![alt](attachment:name)`` (or a link, for files that
  are no images) at the cursor.

The dialogs are in :mod:`workbench.tui.attachment_dialogs`. Names, types and people come from the
server: shown as plain text (``workbench.tui.safe``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, ProgressBar

from workbench.errors import WorkbenchError
from workbench.tui import safe
from workbench.tui.attachment_dialogs import ImageScreen, NameTakenScreen, UploadScreen
from workbench.tui.keys import key

if TYPE_CHECKING:
    from workbench.confluence.attachment_model import Attachment
    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.models import Page

PROGRESS_FROM = 256 * 1024  # uploads from this size show a progress bar


def downloads_dir() -> Path:
    """Where downloads go: ``WORKBENCH_DOWNLOADS``, else the user's downloads folder."""
    chosen = os.environ.get("WORKBENCH_DOWNLOADS")
    if chosen:
        return Path(chosen).expanduser()
    # lazy, for start-up: platformdirs loads on first use
    from platformdirs import user_downloads_dir

    return Path(user_downloads_dir())


def markdown_for(item: Attachment, alt: str = "") -> str:
    """What the editor inserts for an attachment: an image, or a link to the file."""
    # lazy, for start-up: workbench.convert.placeholders loads on first use
    from workbench.convert.placeholders import url_part

    target = "attachment:" + url_part(item.title)
    text = (alt or item.title).replace("[", "").replace("]", "")
    return f"![{text}]({target})" if item.is_image else f"[{text}]({target})"


class AttachmentsScreen(ModalScreen[None]):
    """The open page's attachments (see the module docstring)."""

    BINDINGS = [
        key("enter", "open", "View/Download", "attachments.open", "View an image, download a file"),
        key("a", "upload", "Upload", "attachments.upload", "Upload a file from a path"),
        key("i", "insert", "Insert", "attachments.insert", "Insert into the editor"),
        key("r", "reload", "Reload", "attachments.reload", "List the attachments again"),
        key("escape", "dismiss(None)", "Close", "attachments.close", "Close"),
    ]

    def __init__(
        self,
        client: ConfluenceClient,
        page: Page,
        *,
        on_insert: Callable[[str], object] | None = None,
        names: dict[str, str] | None = None,
    ) -> None:
        super().__init__(classes="modal", id="attachments")
        self.client = client
        self.page = page
        self.on_insert = on_insert
        self.names = dict(names or {})
        self.items: list[Attachment] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Label(
                safe.text(f"Attachments of “{self.page.title}”", multiline=False),
                classes="question",
            )
            yield DataTable(id="attachment-table", cursor_type="row", zebra_stripes=True)
            yield ProgressBar(id="upload-progress", show_eta=False)
            hint = "enter view/download · a upload · r reload · escape close"
            if self.on_insert is not None:
                hint = "enter view/download · i insert into the editor · a upload · escape close"
            yield Label(hint, classes="hint", id="attachments-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "On page", "Size", "Type", "Ver", "By", "When")
        self.query_one("#upload-progress", ProgressBar).display = False
        table.loading = True
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "insert" and self.on_insert is None:
            return None
        return True

    # -- listing ------------------------------------------------------------------------------
    @work(exclusive=True, group="attachments", exit_on_error=False)
    async def load(self, select: str | None = None) -> None:
        table = self.query_one(DataTable)
        try:
            items = await self.client.list_attachments(self.page.id, kind=self.page.type)
            missing = [a.author_id for a in items if a.author_id and not a.author_name]
            unknown = [m for m in dict.fromkeys(missing) if m not in self.names]
            if unknown:
                try:
                    users = await self.client.users(unknown)
                    self.names.update({k: u.display_name for k, u in users.items()})
                except WorkbenchError:
                    pass  # ids identify people well enough
        except WorkbenchError as exc:
            table.loading = False
            self.notify(f"Could not list the attachments: {exc.message}", severity="error")
            return
        table.loading = False
        self.show(items, select)

    def show(self, items: list[Attachment], select: str | None = None) -> None:
        # lazy, for start-up: the model and the images module load on first use
        from workbench.confluence.attachment_model import size_text
        from workbench.tui.images import referenced_images

        self.items = items
        used = set(referenced_images(self.page.storage or "")) | _linked(self.page.storage or "")
        table = self.query_one(DataTable)
        table.clear()
        warning = f"bold {self.app.current_theme.warning or 'yellow'}"
        for item in items:
            on_page = Text("yes") if item.title in used else Text("unreferenced", style=warning)
            who = self.names.get(item.author_id) or item.who
            table.add_row(
                safe.text(item.title),
                on_page,
                size_text(item.size),
                safe.text(item.media_type),
                str(item.version),
                safe.text(who),
                safe.text(item.modified_at[:16].replace("T", " ")),
                key=item.id,
            )
        if not items:
            self.query_one("#attachments-hint", Label).update(
                "No attachments yet · a upload · escape close"
            )
        if select is not None:
            for row, item in enumerate(items):
                if item.title == select:
                    table.move_cursor(row=row)
        table.focus()

    def selected(self) -> Attachment | None:
        table = self.query_one(DataTable)
        if not self.items or table.cursor_row is None:
            return None
        return self.items[min(table.cursor_row, len(self.items) - 1)]

    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    # -- actions ------------------------------------------------------------------------------
    def action_reload(self) -> None:
        self.load()

    def action_open(self) -> None:
        item = self.selected()
        if item is None:
            return
        if item.is_image:
            self.view_image(item)
        else:
            self.download(item)

    def action_insert(self) -> None:
        item = self.selected()
        if item is None or self.on_insert is None:
            return
        self.on_insert(markdown_for(item))
        self.dismiss(None)

    @work(group="attachment-io", exit_on_error=False)
    async def view_image(self, item: Attachment) -> None:
        # lazy, for start-up: workbench.tui.images (with Pillow) loads on first use
        from workbench.tui.images import MAX_IMAGE_BYTES, decode

        if item.size > MAX_IMAGE_BYTES:
            self.notify(f"{item.title} is too large to show here; downloading it.", markup=False)
            self.download(item)
            return
        try:
            data = await self.client.attachment_bytes(item, limit=MAX_IMAGE_BYTES)
        except WorkbenchError as exc:
            self.notify(f"Could not read {item.title}: {exc.message}", severity="error")
            return
        image = decode(data)
        if image is None:
            self.notify(f"{item.title} could not be read as an image.", severity="warning")
            return
        await self.app.push_screen(ImageScreen(item, image))

    @work(group="attachment-io", exit_on_error=False)
    async def download(self, item: Attachment) -> None:
        folder = downloads_dir()
        try:
            target = await self.client.download_attachment(item, folder / _file_name(item.title))
        except (WorkbenchError, OSError) as exc:
            message = exc.message if isinstance(exc, WorkbenchError) else str(exc)
            self.notify(f"Could not download {item.title}: {message}", severity="error")
            return
        self.notify(f"Downloaded {item.title} to {target}", title="Download")

    def action_upload(self) -> None:
        def chosen(answer: tuple[Path, str] | None) -> None:
            if answer is not None:
                self.start_upload(*answer)

        self.app.push_screen(UploadScreen(), chosen)

    def start_upload(self, path: Path, comment: str, name: str | None = None) -> None:
        name = name or path.name
        taken = next((a for a in self.items if a.title == name), None)
        if taken is None:
            self.upload(path, comment, name)
            return

        def decided(choice: str | None) -> None:
            if choice == "version":
                self.upload(path, comment, name)
            elif choice == "rename":
                self.ask_name(path, comment, name)

        self.app.push_screen(NameTakenScreen(name, taken.version), decided)

    def ask_name(self, path: Path, comment: str, name: str) -> None:
        # lazy, for start-up: workbench.tui.screens.modals loads on first use
        from workbench.tui.screens.modals import PromptScreen

        stem, dot, ext = name.rpartition(".")
        suggestion = f"{stem} (2).{ext}" if dot and stem else f"{name} (2)"

        def named(value: str | None) -> None:
            value = (value or "").strip()
            if value and ("/" in value or "\\" in value):
                self.notify("An attachment name cannot contain '/'.", severity="warning")
                return
            if value:
                self.start_upload(path, comment, value)

        self.app.push_screen(
            PromptScreen("Upload it under another name:", suggestion, "name.ext"), named
        )

    @work(group="attachment-io", exit_on_error=False)
    async def upload(self, path: Path, comment: str, name: str) -> None:
        bar = self.query_one("#upload-progress", ProgressBar)
        size = path.stat().st_size if path.is_file() else 0
        show = size >= PROGRESS_FROM
        if show:
            bar.update(total=size, progress=0)
            bar.display = True

        def progress(done: int, total: int) -> None:
            if show:
                bar.update(total=total, progress=done)

        try:
            made = await self.client.upload_attachment(
                self.page.id,
                path,
                name=name,
                comment=comment,
                progress=progress,
                kind=self.page.type,
            )
        except WorkbenchError as exc:
            self.notify(f"Could not upload {name}: {exc.message}", severity="error")
            return
        finally:
            bar.display = False
        what = "Uploaded" if made.version == 1 else f"Uploaded version {made.version} of"
        self.notify(f"{what} {made.title}", title="Upload")
        self.load(select=made.title)


def _linked(storage: str) -> set[str]:
    """Attachment names the page links to (``ac:link`` around ``ri:attachment``)."""
    # lazy, for start-up: html and re load on first use
    import html
    import re

    return {
        html.unescape(m.group(1))
        for m in re.finditer(
            r'<ac:link\b[^>]*>\s*<ri:attachment\b[^>]*\bri:filename="([^"]*)"', storage
        )
    }


def _file_name(name: str) -> str:
    """An attachment name as a file name in the downloads folder (no path parts)."""
    cleaned = name.replace("/", "_").replace("\\", "_").replace("\0", "_").strip()
    return cleaned if cleaned not in ("", ".", "..") else "attachment"
