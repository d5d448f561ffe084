"""The page pane's links: follow one (``g``), the page's web link, and opening what was pasted or
typed (an id, a page or space URL, a tiny link, a title)."""

from __future__ import annotations

from textual import work

from workbench.errors import WorkbenchError
from workbench.tui.panes.page_base import PageBase


class LinksMixin(PageBase):
    # -- links --------------------------------------------------------------------------------
    def links(self) -> list[tuple[str, str]]:
        return list(self.viewer.links)

    def page_url(self) -> str:
        """The web link of the page shown ('' and a word when the server gave none)."""
        current = self.current
        if current is None:
            return ""
        url = current.page.url
        if not url:
            self.notify("The server did not give this page a web link.", severity="warning")
        return url

    def ask_link(self) -> None:
        links = self.links()
        if not links:
            self.notify("This page has no links.")
            return
        # lazy, for start-up: workbench.tui.screens.modals (with textual …) loads on first use
        from workbench.tui.screens.modals import LinksScreen

        def chosen(index: int | None) -> None:
            if index is not None:
                self.follow_link(index)

        self.app.push_screen(LinksScreen(links), chosen)

    def follow_link(self, index: int) -> None:
        links = self.links()
        if not 0 <= index < len(links):
            return
        href = links[index][1]
        if href.startswith("page:"):
            self._follow_page_link(href)
        elif href.startswith("pageid:"):  # a child page (children macro), a recent page
            self.host.open_page(href[7:])
        elif href.startswith("blogid:"):  # a recent or bookmarked blog post (the home view)
            self.host.open_page(href[7:], kind="blogpost")
        elif href.startswith("jira:"):  # a live Jira macro: the issue view (tui.jira_issue)
            # lazy, for start-up: workbench.tui.jira_issue loads on first use
            from workbench.tui.jira_issue import open_issue

            open_issue(self, href[5:])
        elif href.startswith("#"):  # a heading of this page (the table of contents)
            self.viewer.scroll_to_heading(href[1:])
        elif href.startswith(("http://", "https://", "mailto:")):
            self.host.open_in_browser(href)
        else:
            self.notify(f"Cannot open '{href}' here.", severity="warning")

    @work(exclusive=True, group="page", exit_on_error=False)
    async def open_reference(self, text: str) -> None:
        """Open what was pasted or typed: an id, a page or space URL, a tiny link, a title."""
        ws = await self.host.ready_workspace()
        try:
            found = await ws.resolve(text, titles=True)
        except WorkbenchError as exc:
            self.host.mark_connection(exc)
            self.notify(exc.message, severity="warning", timeout=8)
            return
        self.host.open_page(found.page_id, kind=found.kind or "page")

    @work(exclusive=True, group="page", exit_on_error=False)
    async def _follow_page_link(self, href: str) -> None:
        ws = await self.host.ready_workspace()
        page_id = await ws.resolve_link(href, ws.current.page.space_id if ws.current else None)
        if page_id is None:
            self.notify(f"No page found for {href}.", severity="warning")
            return
        self.host.open_page(page_id)
