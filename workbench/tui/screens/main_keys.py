"""The main screen's keys: :class:`MainKeys`, the bindings that work wherever the focus is and the
actions that forward them to the pane that acts.

Keys that only make sense in one place are bindings of that pane's widgets; ``tui/keys.py`` builds
the help, the palette and the ``[keymap]`` check from all of them. The keys that need the site or
the trail (back/forward, bookmark, history) are :class:`~workbench.tui.screens.main.MainScreen`'s.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType

from workbench.tui.browser import open_in_browser
from workbench.tui.keys import key
from workbench.tui.screens.main_layout import MainLayout
from workbench.tui.widgets.site_tree import SiteTree

#: Actions that do nothing (and are greyed in the footer) while no page is open.
NEEDS_PAGE = {
    "edit",
    "history",
    "new_page",
    "copy_link",
    "labels",
    "comment",
    "links",
    "jira_issue",
    "rename",
    "find",
    "attachments",
    "bookmark",
    "external_editor",
}

_BINDINGS: list[BindingType] = [
    key(
        "slash",
        "focus_search",
        "Search",
        "app.search",
        "Search with CQL or plain words; jql: first searches Jira",
    ),
    key("e", "edit", "Edit", "page.edit", "Edit the page as Markdown"),
    key("h", "history", "History", "page.history", "Versions and diffs"),
    key(
        "E",
        "external_editor",
        "Edit in $EDITOR",
        "page.edit_external",
        "Edit the page in $VISUAL/$EDITOR (vim, helix, …); ctrl+s saves it here",
        show=False,
    ),
    key("n", "new_page", "New", "page.new", "New child page"),
    key(
        "f2",
        "rename",
        "Rename",
        "page.rename",
        "Rename the page (a new page: before it is created)",
        show=False,
    ),
    key("m", "comment", "Comment", "page.comment", "Add a comment or a reply"),
    key("l", "labels", "Labels", "page.labels", "Edit the page's labels"),
    key("o", "open_browser", "Browser", "page.browser", "Open in the web browser", show=False),
    key("c", "copy_link", "Copy link", "page.copy_link", "Copy the page link", show=False),
    key("r", "refresh", "Refresh", "page.refresh", "Reload the page and the tree", show=False),
    key("g", "links", "Links", "page.links", "Follow a link of the page", show=False),
    key(
        "ctrl+f",
        "find",
        "Find",
        "page.find",
        "Find in the page: matches highlighted, n/N next/previous (/ in the viewer too)",
        show=False,
    ),
    key(
        "A",
        "attachments",
        "Attachments",
        "page.attachments",
        "The page's files: view an image, download, upload",
        show=False,
    ),
    key(
        "ctrl+a",
        "toggle_agent",
        "Agent",
        "app.agent",
        "Show or hide the agent panel",
        priority=True,
    ),
    key("escape", "back", "Back", "app.back", "Back to the page, then the tree", show=False),
    key(
        "alt+left,left_square_bracket",
        "go_back",
        "Previous page",
        "page.back",
        "Back to the page opened before this one (alt+← or [)",
        show=False,
    ),
    key(
        "alt+right,right_square_bracket",
        "go_forward",
        "Next page",
        "page.forward",
        "Forward again to the page you came back from (alt+→ or ])",
        show=False,
    ),
    key(
        "B",
        "bookmark",
        "Bookmark",
        "page.bookmark",
        "Bookmark the page, or remove its bookmark (kept per site; ctrl+p and the home view "
        "list them)",
        show=False,
    ),
    key(
        "ctrl+b",
        "toggle_tree",
        "Tree",
        "app.tree",
        "Hide or show the tree (more room for the page, the editor and a merge)",
        show=False,
        priority=True,
    ),
]


class MainKeys(MainLayout):
    """The screen-wide keys of the main screen; each forwards to the pane that acts."""

    BINDINGS: ClassVar[list[BindingType]] = _BINDINGS

    def open_in_browser(self, url: str) -> None:
        open_in_browser(self, url)

    def action_focus_search(self) -> None:
        self.search_pane.bar.focus()

    def action_leave_search(self) -> None:
        self.search_pane.hide_hint()
        self.focus_tree()

    def action_open_selected(self) -> None:
        tree = self.query_one(SiteTree)
        tree.focus()
        tree.action_choose()

    def action_filter_tree(self) -> None:
        self.tree_pane.open_filter()

    def action_refresh(self) -> None:
        self.page_pane.reopen()
        self.tree_pane.reload()

    # -- the editor -----------------------------------------------------------------------------
    def action_edit(self) -> None:
        self.editor_pane.edit()

    def action_save(self) -> None:
        self.editor_pane.save()

    def action_leave_editor(self) -> None:
        self.editor_pane.leave()

    def action_rename(self) -> None:
        self.editor_pane.rename()

    def action_new_page(self) -> None:
        self.editor_pane.new_child_page()

    def action_toggle_preview(self) -> None:
        self.editor_pane.toggle_preview()

    def action_external_editor(self) -> None:
        """The text in $EDITOR: from the editor, its buffer; from a page, the page (or its draft)."""
        if self.tabs.active != "tab-editor":
            self.editor_pane.edit()
            if self.editor_pane.session is None:
                return
        self.call_after_refresh(self.editor_pane.external_edit)

    def action_insert_attachment(self) -> None:
        """From the editor (``f4``): pick an attachment, its Markdown goes in at the cursor."""
        page = self.editor_pane.attachments_page()
        if page is not None:
            self.page_pane.show_attachments(page, on_insert=self.editor_pane.editor.insert)

    # -- the page -------------------------------------------------------------------------------
    def action_labels(self) -> None:
        self.page_pane.ask_labels()

    def action_comment(self) -> None:
        self.page_pane.ask_comment()

    def action_links(self) -> None:
        self.page_pane.ask_link()

    def action_follow_link(self, index: int) -> None:
        self.page_pane.follow_link(index)

    def action_jira_issue(self) -> None:
        # the viewer's enter only: the editor's preview and "theirs" are DocumentViews too
        if self.focused is not self.page_pane.viewer:
            return
        # lazy, for start-up: workbench.tui.jira_macros loads on first use
        from workbench.tui.jira_macros import open_jira_in_view

        open_jira_in_view(self.page_pane)

    def action_attachments(self) -> None:
        self.page_pane.show_attachments()

    def action_open_browser(self) -> None:
        url = self.results_pane.browser_url() or self.page_pane.page_url()
        if url:
            self.open_in_browser(url)

    def action_copy_link(self) -> None:
        url = self.page_pane.page_url()
        if url:
            self.app.copy_to_clipboard(url)
            self.notify(f"Copied {url}")

    def action_find(self) -> None:
        if self.tabs.active == "tab-editor":
            self.editor_pane.open_find()  # find and replace in the text
            return
        self.show_tab("tab-page")
        self.page_pane.open_find()
