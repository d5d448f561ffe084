"""Where the API lives for each kind of base URL, and how pagination links resolve against it.

Three base URL forms are accepted (see the fact sheet, §1):

- a Cloud site: ``https://SITE.atlassian.net/wiki`` (the ``/wiki`` is added when missing);
- the OAuth gateway: ``https://api.atlassian.com/ex/confluence/{cloudId}`` (``/wiki`` added);
- Data Center: ``https://HOST[:PORT][/context]`` (v1 only, no ``/wiki`` added).

The trap this module exists for: v2 ``_links.next`` is relative to the site *origin* and already
starts with ``/wiki/api/v2/…``, while v1 ``_links.next`` is relative to the ``/wiki`` context and
starts with ``/rest/api/…``. On the gateway the "origin" is ``…/ex/confluence/{cloudId}``, never
``_links.base`` (which names the site).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from workbench.confluence.errors import ServerError
from workbench.errors import ConfigError

# The authority's ``user:password@`` part: everything up to the *last* ``@`` before the path, so a
# password that itself holds an ``@`` is dropped whole.
_USERINFO = re.compile(r"//[^/?#]*@")


def segment(value: object) -> str:
    """A path segment, percent-encoded so an odd id can never change the path."""
    return quote(str(value), safe="")


def without_userinfo(url: str) -> str:
    """``url`` without a ``user:password@`` part, for messages and stored settings."""
    return _USERINFO.sub("//", url, count=1)


def typed_site_url(text: str) -> str:
    """A site address as a person typed or set it (``workbench login URL``, the login form,
    ``CONFLUENCE_URL``): trimmed, without a ``user:password@`` part or a trailing slash."""
    return without_userinfo((text or "").strip()).rstrip("/")


def site_key(url: str) -> str:
    """One site's identity from any of its URLs, for comparing them and naming the site in files:
    scheme and host lower-cased, no ``user:password@``, query or fragment, no trailing slash and no
    trailing ``/wiki`` (a Cloud profile stores ``…/wiki``, ``CONFLUENCE_URL`` may omit it); the port
    and a Data Center context path are kept. A URL that cannot be split is trimmed and lower-cased."""
    text = typed_site_url(url)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6
        host = f"[{host}]"
    path = parts.path.rstrip("/")
    if path.lower().endswith("/wiki"):
        path = path[: -len("/wiki")]
    return f"{parts.scheme.lower()}://{host}{f':{port}' if port is not None else ''}{path}"


def same_site(a: str, b: str) -> bool:
    """Two URLs of one site (see :func:`site_key`); never true for an empty one."""
    return bool(a.strip() and b.strip()) and site_key(a) == site_key(b)


class ApiUrls:
    """URL arithmetic for one site. ``base`` is the wiki root the API paths hang from."""

    def __init__(self, base_url: str, kind: str = "cloud", site_url: str = "") -> None:
        url = (base_url or "").strip().rstrip("/")
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError for a port that is not 0-65535
            valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:  # "http://[::1", "http://host:abc", "http://host:99999"
            valid = False
        if not valid:
            raise ConfigError(
                f"'{without_userinfo(url)}' is not a Confluence URL. Give the full address, for example "
                "https://example.atlassian.net/wiki."
            )
        # No query, fragment or user:password@ part: credentials go through ``auth`` only, and
        # the base URL shows up in reprs and messages.
        netloc = parts.netloc.rpartition("@")[2]
        url = f"{parts.scheme}://{netloc}{parts.path}".rstrip("/")
        if kind == "cloud" and not url.endswith("/wiki"):
            url += "/wiki"
        self.kind = kind
        self.base = url
        # host[:port] for messages (never the user:password@ part of a URL)
        self.host = parts.netloc.rpartition("@")[2]
        # The prefix a v2 next link (which starts with /wiki/...) is appended to.
        self.v2_prefix = url[: -len("/wiki")] if url.endswith("/wiki") else url
        self.context_path = urlsplit(url).path  # "/wiki", "/confluence" or ""
        # Where people read pages. On the OAuth gateway the API base (api.atlassian.com/ex/…) is not a
        # web address: the site's is given (the login knows it) or learnt from ``_links.base``.
        self.gateway = "/ex/confluence/" in self.context_path
        self.site = _web_root(site_url) or ("" if self.gateway else url)

    @property
    def web_base(self) -> str:
        """The site's web root (``_links.base``: ``https://x.atlassian.net/wiki``), for every link shown,
        copied or opened for a person."""
        return self.site or self.base

    def learn_site(self, base: object) -> None:
        """Remember the site's web root from a response's ``_links.base`` when it is not known yet."""
        if not self.site:
            self.site = _web_root(base)

    def v2(self, path: str) -> str:
        return f"{self.base}/api/v2{path}"

    def v1(self, path: str) -> str:
        return f"{self.base}/rest/api{path}"

    def experimental(self, path: str) -> str:
        """Data Center's ``/rest/experimental`` resources (e.g. the version list)."""
        return f"{self.base}/rest/experimental{path}"

    def web(self, webui: str) -> str:
        """Absolute browser URL for a ``_links.webui`` path (on the site, never on the API gateway)."""
        if not webui:
            return ""
        if webui.startswith(("http://", "https://")):
            return webui
        return f"{self.web_base}{webui}"

    def resolve_next(self, link: str | None, *, context: str | None = None) -> str | None:
        """Absolute URL of a ``next`` link from a v1 or v2 response (None at the last page).

        Accepts only links that start with ``/``: an absolute link could send the credentials to
        another host.
        """
        if not link:
            return None
        if not link.startswith("/") or link.startswith("//"):
            raise ServerError(
                "Confluence sent a pagination link that is not a path on this site; "
                "stopped following it."
            )
        ctx = (context if context is not None else self.context_path) or ""
        if "/api/v2/" in link.split("?", 1)[0]:
            # v2: relative to the origin, already carries the context (/wiki/api/v2/...).
            if self.context_path and link.startswith(self.context_path + "/"):
                return self.v2_prefix + link
            if link.startswith("/api/v2/"):
                return self.base + link
            return self.v2_prefix + link
        # v1: relative to the context (/rest/api/...); some servers include the context.
        if ctx and link.startswith(ctx + "/"):
            link = link[len(ctx) :]
        elif self.context_path and link.startswith(self.context_path + "/"):
            link = link[len(self.context_path) :]
        return self.base + link


def _web_root(value: object) -> str:
    """An absolute http(s) URL without a trailing slash, query or credentials; "" for anything else."""
    if not isinstance(value, str) or not value.strip():
        return ""
    try:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return ""
    except ValueError:
        return ""
    netloc = parts.netloc.rpartition("@")[2]
    return f"{parts.scheme}://{netloc}{parts.path}".rstrip("/")


def parse_link_header(value: str | None) -> str | None:
    """The ``rel="next"`` target of an HTTP ``Link`` header, if any."""
    if not value:
        return None
    for entry in value.split(","):
        entry = entry.strip()
        if not entry.startswith("<") or ">" not in entry:
            continue
        target, _, params = entry[1:].partition(">")
        rels = [p.strip() for p in params.split(";")]
        if any(r.replace(" ", "") in ('rel="next"', "rel=next") for r in rels):
            return target
    return None
