"""Which Confluence the local server plays: Cloud (``/wiki``, REST v2 + v1) or Data Center (v1 only,
under any context path).

Real Data Center serves its REST API at ``https://HOST[:PORT][/context]/rest/api/...``: the context
path is chosen at install time (none by default, often ``/confluence``), and there is no REST v2
(Atlassian's DC REST reference, developer.atlassian.com/server/confluence/rest/v900/, lists only
``/rest/api`` and ``/rest/experimental`` resources; the v2 spec's ``servers`` entry is the Cloud
``https://{your-domain}/wiki/api/v2``). Cloud always serves under ``/wiki``.

Inside the emulator every request is routed by its canonical ``/wiki/...`` path
(:class:`workbench.emulator.app.PathForms` rewrites ``{context}/...`` to it); what changes with the
flavour is which outside paths exist and what the answers say about the site (``_links.base``,
``_links.context``, web links, the user object).
"""

from __future__ import annotations

from workbench.errors import UsageError

CLOUD = "cloud"
DC = "dc"
FLAVOURS = (CLOUD, DC)
CLOUD_CONTEXT = "/wiki"
DC_DEFAULT_CONTEXT = ""  # the Confluence installer's default: no context path


def normalise_context(flavour: str, context_path: str | None) -> str:
    """The context path as the server uses it: ``""`` or ``/name[/name…]`` without a trailing slash.

    ``None`` picks the flavour's default. Cloud only ever serves under ``/wiki``."""
    if flavour not in FLAVOURS:
        raise UsageError(f"--flavour must be 'cloud' or 'dc', not '{flavour}'.")
    if context_path is None:
        return CLOUD_CONTEXT if flavour == CLOUD else DC_DEFAULT_CONTEXT
    text = context_path.strip()
    if text in ("", "/"):
        text = ""
    else:
        if not text.startswith("/"):
            text = "/" + text
        text = text.rstrip("/")
        parts = text[1:].split("/")
        if any(
            not p or p in (".", "..") or not all(c.isalnum() or c in "-_." for c in p)
            for p in parts
        ):
            raise UsageError(
                f"--context-path '{context_path}' is not a path like /confluence (letters, digits, "
                "'-', '_' and '.' between slashes)."
            )
    if flavour == CLOUD and text != CLOUD_CONTEXT:
        raise UsageError(
            "Confluence Cloud always serves under /wiki; --context-path is for --flavour dc."
        )
    if flavour == DC and text.split("/")[1:2] in (["rest"], ["ex"]):
        raise UsageError(
            f"--context-path '{text}' would hide the REST API; pick another, e.g. /confluence."
        )
    return text


class SiteBase(str):
    """A site's wiki root (``_links.base``), e.g. ``http://127.0.0.1:8090/confluence``, that also knows
    the flavour, so JSON shapes built from it can word links the way that product does."""

    flavour: str
    context: str

    def __new__(cls, origin: str, context: str, flavour: str) -> SiteBase:
        value = super().__new__(cls, origin + context)
        value.flavour = flavour
        value.context = context
        return value


def is_dc(base: str) -> bool:
    """True when ``base`` is the root of a Data Center site (a plain string is taken as Cloud)."""
    return isinstance(base, SiteBase) and base.flavour == DC


def context_of(base: str) -> str:
    """``_links.context`` for answers built against ``base``: ``/wiki``, ``/confluence`` or ``""``."""
    return base.context if isinstance(base, SiteBase) else CLOUD_CONTEXT
