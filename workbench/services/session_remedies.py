"""The remedies of an editing session whose page is gone (restore it and save on top, save as a new
page, write the text to a file that is never replaced), and the creation of a new page (its first
save: one POST, checked).
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError
from workbench.services.save_outcome import (
    Saved,
    SaveOutcome,
    Unresolved,
    failed,
)
from workbench.services.session_save import SavingMixin

if TYPE_CHECKING:
    pass


class RemediesMixin(SavingMixin):
    """What an :class:`~workbench.services.edit_session.EditSession` offers when its page is gone,
    and the creation of a page not created yet."""

    # -- the remedies -----------------------------------------------------------------------------
    async def restore_and_save(self, *, message: str = "", minor_edit: bool = False) -> SaveOutcome:
        """The page is in the trash: take it out (its content as it was), then save the text on top."""
        base = self.base
        assert base is not None
        try:
            await self.client.restore_page(base.page.id, kind=base.page.type)
        except WorkbenchError as exc:
            return failed(exc, "Not restored")
        self.gone = None
        return await self.save(message=message, minor_edit=minor_edit)

    async def save_as_new_page(self, title: str | None = None, *, message: str = "") -> SaveOutcome:
        """Save the text as a new page under the same parent (the old page is gone)."""
        base = self.base
        assert base is not None
        session = self.new_page(
            self.client,
            space_id=base.page.space_id,
            parent_id=base.page.parent_id,
            kind=base.page.type,
            title=title or self.title,
            text=self.text,
            drafts=self.drafts,
            directory=self.directory,
            known=self.known,
            template=base,  # macros and mentions as they were on the old page
        )
        outcome = await session.save(message=message)
        if isinstance(outcome, Saved):
            if self.drafts is not None:
                self.drafts.discard(base.page.id)
            self.opened, self.new, self.conflict, self.gone = session.opened, None, None, None
            self.title, self._clean, self.text = session.title, session._clean, session.text
        return outcome

    def write_to(self, path: Path) -> Path:
        """Write the text to a file (atomic); the draft stays. A file that is there already is never
        replaced — :class:`FileExistsError` — unless it holds this very text."""
        # lazy, for start-up: workbench.config loads on first use
        from workbench.config import atomic_write

        target = Path(path).expanduser()
        body = self.text if self.text.endswith("\n") else self.text + "\n"
        if target.exists():
            try:
                same = target.read_text(encoding="utf-8") == body
            except (OSError, UnicodeDecodeError):
                same = False
            if not same:
                raise FileExistsError(errno.EEXIST, "there is a file there already", str(target))
            return target
        atomic_write(target, body)
        return target

    def suggested_file(self, directory: Path) -> Path:
        """A file in ``directory`` named after the title that no file has yet (``Title.md``,
        ``Title-2.md`` …), for :meth:`write_to`."""
        stem = "".join(ch if ch.isalnum() or ch in "-_ " else "_" for ch in self.title)
        stem = stem.strip().replace(" ", "-")[:60] or "page"
        folder = Path(directory).expanduser()
        target, n = folder / f"{stem}.md", 1
        while target.exists():
            n += 1
            target = folder / f"{stem}-{n}.md"
        return target

    # -- new pages ------------------------------------------------------------------------------
    async def _create(self, mine: str, message: str) -> SaveOutcome:
        # lazy, for start-up: workbench.confluence.errors, workbench.convert … loads on first use
        from workbench.confluence.errors import BadRequest
        from workbench.convert import markdown_to_storage
        from workbench.services.pages import OpenedPage
        from workbench.services.users import settle_mentions

        new = self.new
        assert new is not None
        title = self.title.strip()
        if not title:
            return Unresolved("A new page needs a title. Nothing was sent.")
        old = self.template
        settled = settle_mentions(mine, old.users if old is not None else {}, self.known)
        storage = markdown_to_storage(
            settled.markdown,
            base=old.page.storage if old is not None else None,
            users=settled.users or None,
        )
        try:
            page = await self.client.create_page(
                space_id=new.space_id,
                title=title,
                storage=storage,
                parent_id=new.parent_id,
                kind=new.kind,
            )
        except BadRequest as exc:
            return await self._refused(exc, title)
        except WorkbenchError as exc:
            return failed(exc, "Not created")
        if page.title.strip() != title or page.version.number != 1:
            return failed(
                WorkbenchError(
                    f"Confluence answered the creation of “{title}” with “{page.title}” "
                    f"version {page.version.number}."
                ),
                "Not confirmed",
            )
        if page.storage is None:
            page = await self.client.get_page(page.id, kind=page.type)
        saved = OpenedPage(page, settled.markdown, settled.users)
        self._adopt(saved, sent=mine)
        return Saved(saved, f"Created “{page.title}” as version 1.", created=True)
