"""``$EDITOR`` as an option (``ctrl+o`` in the editor, ``E`` on a page): the buffer goes to
``$VISUAL`` (else ``$EDITOR``) in a private temporary file while the app is suspended; what comes
back replaces the buffer as one edit, so the session, the draft and ``ctrl+s`` treat it exactly as
typing. An editor that fails, or a file made unreadable, changes nothing and says so."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

from workbench.textsafe import printable
from workbench.tui.panes.editor_base import EditorBase


def external_editor_command() -> list[str] | None:
    """``$VISUAL``, else ``$EDITOR``, split as a shell would (``code --wait``); None when unset."""
    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError:
                continue
            if words:
                return words
    return None


class ExternalEditorMixin(EditorBase):
    """Hand the buffer to the user's own editor (mixed into ``EditorPane``)."""

    def external_edit(self) -> None:
        command = external_editor_command()
        if command is None:
            self.notify(
                "Set $EDITOR (or $VISUAL) to your editor, e.g. export EDITOR=vim, then press "
                "ctrl+o again.",
                severity="warning",
                timeout=8,
            )
            return
        # lazy, for start-up: tempfile loads on first use
        import tempfile

        from textual.app import SuspendNotSupported

        text = self.editor.text
        folder = Path(tempfile.mkdtemp(prefix="workbench-edit-"))  # 0700: the page text is private
        path = folder / "page.md"
        try:
            path.write_text(text, encoding="utf-8")
            try:
                with self.app.suspend():
                    status = subprocess.run([*command, str(path)], check=False).returncode
            except SuspendNotSupported:
                self.notify(
                    "This terminal cannot hand over to another program; edit here instead.",
                    severity="warning",
                )
                return
            except OSError as exc:
                self.notify(
                    f"Could not start {printable(command[0])}: {exc.strerror or exc}. Check "
                    "$EDITOR; your text is unchanged.",
                    severity="error",
                    timeout=10,
                )
                return
            if status != 0:
                self.notify(
                    f"{printable(command[0])} ended with status {status}; your text is unchanged.",
                    severity="warning",
                    timeout=8,
                )
                return
            try:
                edited = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                self.notify(
                    f"Could not read the edited file back ({exc}); your text is unchanged.",
                    severity="error",
                    timeout=10,
                )
                return
        finally:
            shutil.rmtree(folder, ignore_errors=True)  # with an editor's backup or swap files
        self.refresh()
        if edited == text:
            self.notify(f"Back from {printable(command[0])}: no change.")
            return
        editor = self.editor
        editor.replace(edited, (0, 0), editor.document.end)  # one edit: undo brings it back
        self.notify(f"Back from {printable(command[0])}: the text is updated; ctrl+s saves it.")
