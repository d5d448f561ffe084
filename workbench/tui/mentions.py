"""Mentions in the editor, completed from the site's people (``alt+m`` or ``f8`` in the editor).

The key opens :class:`MentionPicker` with the ``@word`` before the cursor as its query (typed after
an ``@``, or empty); it asks the site as you type (:meth:`~workbench.confluence.people.PeopleApi.
find_users`: words of a name, an email where the site shows it, an account id) and lists name and
email. Choosing one replaces the ``@word`` with the mention as the dialect writes it,
``⟦@Display Name⟧`` (the id form ``⟦@557058:…⟧`` when another known person has that name), and
tells the site's :class:`~workbench.services.users.UserDirectory` and the editing session who it is,
so saving turns it into a mention of that account (``settle_mentions``), never a guess.
Names from the server are shown as text (``workbench.tui.safe``), never as markup.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from workbench.errors import WorkbenchError
from workbench.tui import safe

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.widgets import TextArea

    from workbench.confluence.client import ConfluenceClient
    from workbench.confluence.people import Person

#: the ``@word`` just before the cursor (no spaces, no brackets of a written mention)
_AT_WORD = re.compile(r"@([^\s@⟦⟧]*)$")
SEARCH_DELAY = 0.25  # seconds of quiet typing before the site is asked
MAX_PEOPLE = 10


class MentionPicker(ModalScreen["Person | None"]):
    """Find a person and pick them; dismisses with the :class:`Person` or ``None``."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="modal.cancel"),
        Binding("down", "to_list", "People", show=False),
    ]

    def __init__(self, client: ConfluenceClient, query: str = "") -> None:
        super().__init__(classes="modal", id="mention-picker")
        self.client = client
        self.query_text = query
        self.people: list[Person] = []
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Mention someone: words of their name, an email or an account id")
            yield Input(self.query_text, id="mention-query", select_on_focus=False)
            yield OptionList(id="mention-people")
            yield Static("", id="mention-note")
            yield Label("enter picks · ↓ to the list · escape cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#mention-query", Input).focus()
        if self.query_text.strip():
            self._search(self.query_text)

    @on(Input.Changed, "#mention-query")
    def _typed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        text = event.value
        self._timer = self.set_timer(SEARCH_DELAY, lambda: self._search(text))

    def _search(self, text: str) -> None:
        if not text.strip():
            self._show([], "")
            return
        self.run_worker(self._find(text), exclusive=True, group="mention-search")

    async def _find(self, text: str) -> None:
        try:
            people = await self.client.find_users(text, limit=MAX_PEOPLE)
        except WorkbenchError as exc:
            self._show([], exc.message)
            return
        self._show(people, "" if people else f"Nobody matches '{' '.join(text.split())}'.")

    def _show(self, people: list[Person], note: str) -> None:
        self.people = people
        options = self.query_one("#mention-people", OptionList)
        options.clear_options()
        options.add_options(
            [
                Option(
                    safe.join(
                        (p.display_name, ""),
                        (" · " + (p.email or p.username or "email hidden"), "dim"),
                    ),
                    id=str(n),
                )
                for n, p in enumerate(people)
            ]
        )
        if people:
            options.highlighted = 0
        self.query_one("#mention-note", Static).update(safe.content(note))

    def action_to_list(self) -> None:
        if self.people:
            self.query_one("#mention-people", OptionList).focus()

    @on(Input.Submitted, "#mention-query")
    def _submitted(self) -> None:
        options = self.query_one("#mention-people", OptionList)
        if self.people:
            self.dismiss(self.people[options.highlighted or 0])

    @on(OptionList.OptionSelected, "#mention-people")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.people[int(event.option.id or 0)])


def mention_text(person: Person, known: dict[str, str]) -> str:
    """How the dialect writes a mention of ``person``: their name, or the id form when another
    known account has the same name (a name must never stand for two people)."""
    # lazy, for start-up: workbench.services.users loads on first use
    from workbench.services.users import display_form, id_form

    name = display_form(person.display_name)
    clash = any(
        display_form(other) == name for acc, other in known.items() if acc != person.account_id
    )
    return f"⟦@{id_form(person.account_id) if clash or not name else name}⟧"


def start_mention(editor: TextArea) -> None:
    """Open the picker for the ``@word`` before the cursor; the choice replaces it."""
    workspace = getattr(editor.screen, "workspace", None)
    if workspace is None:
        editor.notify("Mentions need a connected site.", severity="warning")
        return
    row, col = editor.cursor_location
    before = editor.document.get_line(row)[:col]
    found = _AT_WORD.search(before)
    start = (row, col - len(found.group(0))) if found else (row, col)
    query = found.group(1) if found else ""

    def chosen(person: Person | None) -> None:
        if person is None:
            return
        directory = workspace.directory
        text = mention_text(person, directory.names)
        directory.remember(person.account_id, person.display_name)
        session = getattr(getattr(editor.screen, "editor_pane", None), "session", None)
        if session is not None and getattr(session, "known", None) is not None:
            session.known = {**session.known, person.account_id: person.display_name}
        editor.replace(text, start, (row, col))
        editor.focus()

    editor.app.push_screen(MentionPicker(workspace.client, query), chosen)
