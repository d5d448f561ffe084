"""The local index of whole sites: search and read pages without the network.

- ``sites``: which index file belongs to which site (``resolve_site``, ``site_for_profile``, ``known_sites``);
- ``store``: :class:`SiteIndex`, one site's SQLite file (FTS5 full text, packed bodies);
- ``sync`` / ``space_sync``: bring an index up to date from the site (``sync_site``);
- ``search``: ranked local search with highlighted snippets (``LocalSearch``); ``query``: what
  ``search --local`` can answer (plain words, a CQL subset: ``local_query``);
- ``offline``: open a page from the index (``open_offline``), marked offline with its version and age.

Nothing here imports Textual; heavy modules load inside functions.
"""
