"""``ConfluenceClient``: one async client for Confluence Cloud (site or OAuth gateway URL) and
Data Center.

The surface is documented in ``docs/architecture.md`` ("The client"). The methods live in small
modules by concern, stacked as mixins over :class:`workbench.confluence.core.ClientCore`:

- ``reads``: current user, spaces, page lists, tree, pages, versions;
- ``writes``: create/update/delete, each landing exactly once;
- ``search``: CQL search with the ``/content/search`` fallback;
- ``social``: comments, labels, users;
- ``inline_comments``: inline comments (anchored on text in the page);
- ``tree``: children of every kind, ancestors, a space's blog posts, web links of any content;
- ``trash``: a trashed page found and restored;
- ``bulk``: whole-space reads for the local index (CQL listings, bodies by id, the trash, counts);
- ``lifecycle`` (+ ``lifecycle_copy``, ``lifecycle_links``): rename, move/reorder, copy a page or a
  tree, delete with what it breaks, the trash and restore, restore a version;
- ``attachments``: list, download (streamed to disk), upload exactly once, delete;
- ``people``: users by name/email/account id, groups, members, what a group reaches, membership
  changes exactly once;
- ``page_header``: a page's header (ancestors with titles, last editor, comments with replies and
  their authors' names) in one request.

Example::

    async with ConfluenceClient("https://example.atlassian.net/wiki",
                                auth=httpx.BasicAuth(email, token)) as client:
        async for space in client.spaces():
            print(space.key, space.name)
"""

from __future__ import annotations

from workbench.confluence.attachments import AttachmentsApi
from workbench.confluence.bulk import BulkApi
from workbench.confluence.lifecycle import LifecycleApi
from workbench.confluence.page_header import PageHeaderApi
from workbench.confluence.people import PeopleApi
from workbench.confluence.trash import TrashApi
from workbench.confluence.tree import TreeApi


class ConfluenceClient(
    LifecycleApi, TreeApi, TrashApi, BulkApi, AttachmentsApi, PeopleApi, PageHeaderApi
):
    """Async Confluence REST client. ``kind`` is ``"cloud"`` (v2 + v1 search) or ``"dc"`` (v1)."""


__all__ = ["ConfluenceClient"]
