"""``workbench sites``: the stored site profiles, which is the default, and whether each can be used."""

from __future__ import annotations

import json

from workbench.config import load_settings
from workbench.textsafe import printable


# -- sites ------------------------------------------------------------------------------------
def run_sites(args) -> int:
    # lazy, for start-up: workbench.auth.env, workbench.auth.errors … loads on first use
    from workbench.auth.env import env_site
    from workbench.auth.errors import KeyringUnavailable
    from workbench.auth.profiles import usable

    settings = load_settings()
    rows: list[dict] = []
    for name, prof in sorted(settings.profiles.items()):
        try:
            ok, why = usable(prof)
        except KeyringUnavailable:
            ok, why = False, "keyring unavailable"
        rows.append(
            {
                "name": name,
                "default": name == settings.default_profile,
                "auth": prof.auth,
                "site": prof.site_name,
                "url": prof.web_base,
                "cloud_id": prof.cloud_id,
                "usable": ok,
                "status": why,
            }
        )
    site = env_site()
    env_url = site.url if site else ""
    if site is not None:
        rows.append(
            {
                "name": "(environment)",
                "default": not getattr(args, "profile", None),
                "auth": site.auth or "basic",
                "site": "",
                "url": site.url,
                "cloud_id": "",
                "usable": site.has_credentials,
                "status": (
                    "from CONFLUENCE_* variables"
                    if site.has_credentials
                    else "credentials missing in CONFLUENCE_*"
                ),
            }
        )
    wanted = getattr(args, "profile", None)
    in_use = wanted if wanted else ("(environment)" if env_url else settings.default_profile)
    for row in rows:  # the site a command run now would use (the environment wins over the default)
        row["in_use"] = row["name"] == in_use
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("No sites yet. Run 'workbench login' (or 'workbench demo' to try the local one).")
        return 0
    table = [("", "NAME", "AUTH", "URL", "USABLE")] + [
        (
            "*" if r["in_use"] else "",
            printable(r["name"]),
            printable(r["auth"]),
            printable(r["url"] + (f"  ({r['site']})" if r["site"] else "")),
            printable(r["status"]),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    for line in table:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line[:4])) + "  " + line[4])
    if env_url:
        print("The CONFLUENCE_* environment variables take precedence when no --profile is given.")
    return 0
