"""The async Confluence REST client (Cloud v2 + v1 search, Data Center v1).

- ``client``: :class:`~workbench.confluence.client.ConfluenceClient`, assembled from ``core``
  (connection, errors, pagination), ``reads``, ``writes``, ``search`` and ``social``;
- ``transport``: the one retry/backoff layer; ``http_errors``: answers → typed ``errors``;
- ``parse_v2`` / ``parse_v1``: JSON → ``models``; ``urls``: base URL forms and next links;
- ``page_ref``: page ids and URLs as people type them; ``cql``: the CQL parser (emulator).

Nothing here imports ``textual`` or ``rich``.
"""
