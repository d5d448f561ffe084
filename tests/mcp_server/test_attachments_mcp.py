"""``list_attachments`` and ``view_image`` through ``workbench mcp`` over stdio with the official SDK's
client: the image comes back as MCP image content (MCP results carry images natively)."""

from __future__ import annotations

import base64

from workbench.emulator.seed_attachments import error_chart

from .conftest import text_of


async def test_view_image_answers_with_image_content(mcp_client, site, allow):
    allow(["ENG"])
    chart = error_chart()
    site.store.add_attachment(
        site.runbook, "chart.png", site.store.save_bytes(chart), media_type="image/png"
    )
    async with mcp_client("--agent-profile", "read-only") as client:
        names = [t.name for t in (await client.list_tools()).tools]
        assert "list_attachments" in names and "view_image" in names
        listed = await client.call_tool("list_attachments", {"page_id": site.runbook})
        assert not listed.is_error and "chart.png" in text_of(listed)
        shown = await client.call_tool("view_image", {"page_id": site.runbook, "name": "chart.png"})
        assert not shown.is_error
        (image,) = [block for block in shown.content if block.type == "image"]
        assert image.mime_type == "image/png" and base64.b64decode(image.data) == chart
        fenced = await client.call_tool("view_image", {"page_id": site.secret, "name": "chart.png"})
        assert fenced.is_error and all(block.type == "text" for block in fenced.content)
