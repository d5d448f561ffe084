"""The tools that find things on the site, inside the fence: ``list_spaces`` (the allowed spaces,
which also refreshes the tool descriptions' list) and ``search_pages`` (CQL; the local index answers
when the site does not, saying so). Hits outside the space allow-list are counted, never shown."""

from __future__ import annotations

from workbench.agent.edits import ToolInputError
from workbench.agent.site_schema import SiteSchema
from workbench.agent.tool_host import ToolHost
from workbench.confluence.errors import NetworkError, ServerError
from workbench.confluence.models import strip_highlight


class SiteTools(ToolHost):
    """``list_spaces``, ``search_pages``."""

    async def _tool_list_spaces(self) -> str:
        rows, hidden = [], 0
        allowed: list[tuple[str, str]] = []
        async for space in self.client.spaces():
            if not self.fence.allows_space(space.key):
                hidden += 1
                continue
            rows.append(f"{space.key}  {space.name}  ({space.type})")
            allowed.append((space.key, space.name))
            if len(rows) >= 200:
                rows.append("… more spaces not shown")
                break
        self.site = SiteSchema.of(allowed)  # refreshed on demand: the next request's descriptions
        text = self.data("\n".join(rows), "space keys and names") if rows else "No spaces."
        if hidden:
            text += (
                f"\n({hidden} space{'s' if hidden != 1 else ''} outside the allow-list not shown)"
            )
        return text

    async def _tool_search_pages(self, cql: str, limit: int = 10) -> str:
        if not isinstance(cql, str) or not cql.strip():
            raise ToolInputError(
                "cql must be a non-empty CQL query, e.g. 'type=page AND text ~ \"deploy\"'."
            )
        limit = max(
            1, min(int(limit), 50)
        )  # the schema already refused anything but an integer 1–50
        try:
            page = await self.client.search_page(cql, limit=limit)
        except (NetworkError, ServerError) as exc:  # the local index answers, saying so
            # lazy, for start-up: workbench.agent.offline_search loads on first use
            from workbench.agent.offline_search import search_offline

            return await search_offline(
                self.client.base_url, cql, limit, exc, self.fence, self.data
            )
        rows, hidden = [], 0
        for hit in page.results:
            if not hit.space_key or not self.fence.allows_space(hit.space_key):
                hidden += 1
                continue
            excerpt = _clean_hl(hit.excerpt)
            rows.append(
                f"{hit.id}  [{hit.space_key}]  {_clean_hl(hit.title)}"
                + (f" — {excerpt}" if excerpt else "")
            )
        text = (
            self.data("\n".join(rows), "search hits: id [space] title — excerpt")
            if rows
            else "No results."
        )
        if hidden:
            text += f"\n({hidden} hit{'s' if hidden != 1 else ''} outside the allow-list not shown)"
        return text


def _clean_hl(text: str) -> str:
    return " ".join(strip_highlight(text).split())[:200]
