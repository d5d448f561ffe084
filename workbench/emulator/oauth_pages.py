"""HTML pages of the local authorization server: the consent form and plain error pages.

No script runs on them (``default-src 'none'``); the consent form posts back to ``/authorize``.
"""

from __future__ import annotations

import html

from starlette.responses import HTMLResponse

PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http:",
}
_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#172b4d}"
    "li{font-family:monospace} button{font-size:1rem;padding:.4rem 1.2rem;margin-right:.6rem}"
    "fieldset{margin:1rem 0}"
)


def consent_page(
    app_name: str, scopes: list[str], sites: list[tuple[str, str]], request_id: str
) -> str:
    e = html.escape
    scope_items = "".join(f"<li>{e(s)}</li>" for s in scopes) or "<li>(none)</li>"
    if len(sites) > 1:
        options = [("*", "All my sites (" + ", ".join(n for _, n in sites) + ")")] + [
            (sid, f"{name} (cloud id {sid})") for sid, name in sites
        ]
        radios = "".join(
            f'<label><input type="radio" name="site" value="{e(v)}"{" checked" if i == 0 else ""}> {e(t)}</label><br>'
            for i, (v, t) in enumerate(options)
        )
        site_block = f"<fieldset><legend>Use the app on</legend>{radios}</fieldset>"
    else:
        site_block = f'<input type="hidden" name="site" value="{e(sites[0][0])}"><p>Site: {e(sites[0][1])}</p>'
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorize {e(app_name)}</title>'
        f'<style>{_STYLE}</style></head><body><h1 id="title">{e(app_name)} wants access to your Confluence</h1>'
        f"<p>Local Confluence (standing in for Atlassian). The app asks for these scopes:</p>"
        f'<ul id="scopes">{scope_items}</ul><form method="post" action="/authorize">'
        f'<input type="hidden" name="request" value="{e(request_id)}">{site_block}'
        '<button type="submit" name="decision" value="accept" id="accept">Accept</button>'
        '<button type="submit" name="decision" value="deny" id="deny">Deny</button></form></body></html>'
    )


def error_page(status: int, title: str, detail: str) -> HTMLResponse:
    e = html.escape
    return HTMLResponse(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>'
        f'<style>{_STYLE}</style></head><body><h1 id="title">{e(title)}</h1><p>{e(detail)}</p></body></html>',
        status_code=status,
        headers=PAGE_HEADERS,
    )
