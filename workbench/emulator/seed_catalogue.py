"""Demo content: "Service catalogue", one large page (~100 KB of storage) for the page-open benchmark.

Built from fixed lists, so it is the same on every start.
"""

from __future__ import annotations

from workbench.emulator.seed_markup import code, expand, h, mention, p, panel, status, toc

_OWNERS = [
    "557058:6f1c2a9e-3b7d-4c1e-9a55-2d8e4f0b7c31",
    "712020:0b9d8e2c-47a1-4f3e-b6c2-91e5d7a4f208",
    "5b10ac8d82e05b22cc7d4ef5",
    "557058:c4e7a1d2-8f3b-4a6c-b2d9-5e1f0a3c7b64",
    "63f2b9e1c7a4d5e6f7a8b9c0",
]
_DOMAINS = [
    "payments",
    "ledger",
    "merchants",
    "risk",
    "notifications",
    "identity",
    "reporting",
    "edge",
]
_ROLES = ["api", "worker", "scheduler", "gateway", "consumer", "exporter"]
_LANGS = [
    ("python", "Python 3.11"),
    ("go", "Go 1.23"),
    ("java", "Java 21"),
    ("typescript", "Node 22"),
]
_TIERS = [("Red", "Tier 1"), ("Yellow", "Tier 2"), ("Grey", "Tier 3")]
_STORES = ["PostgreSQL 16", "Redis 7", "none", "S3", "NATS JetStream"]


def _service(i: int) -> str:
    domain = _DOMAINS[i % len(_DOMAINS)]
    role = _ROLES[(i // len(_DOMAINS)) % len(_ROLES)]
    name = f"{domain}-{role}" + (f"-{i // 48 + 1}" if i >= 48 else "")
    lang, runtime = _LANGS[i % len(_LANGS)]
    colour, tier = _TIERS[i % len(_TIERS)]
    store = _STORES[(i * 7) % len(_STORES)]
    owner = _OWNERS[i % len(_OWNERS)]
    port = 8000 + i
    rows = "".join(
        f"<tr><th><p>{k}</p></th><td><p>{v}</p></td></tr>"
        for k, v in [
            ("Owner", mention(owner)),
            ("Tier", status(colour, tier)),
            ("Runtime", runtime),
            ("Data store", store),
            (
                "Repository",
                f'<a href="https://git.example.com/platform/{name}">platform/{name}</a>',
            ),
            ("Dashboard", f'<a href="https://grafana.example.com/d/{name}">{name} overview</a>'),
            ("SLO", f"99.{9 - i % 3}% of requests under {200 + (i % 5) * 50} ms"),
        ]
    )
    snippet = {
        "python": f'from {domain}_client import Client\n\nclient = Client(base_url="http://{name}:{port}")\n'
        f"print(client.health())",
        "go": f'resp, err := http.Get("http://{name}:{port}/healthz")\nif err != nil {{\n\treturn err\n}}\n'
        "defer resp.Body.Close()",
        "java": f"var client = HttpClient.newHttpClient();\nvar req = HttpRequest.newBuilder(URI.create("
        f'"http://{name}:{port}/healthz")).build();\nclient.send(req, BodyHandlers.ofString());',
        "typescript": f'const res = await fetch("http://{name}:{port}/healthz");\nconsole.log(res.status);',
    }[lang]
    return (
        h(2, name)
        + p(
            f"The <strong>{name}</strong> service handles the {role} side of the {domain} domain. It listens on "
            f"port <code>{port}</code> and publishes metrics under <code>{domain}_{role}_*</code>."
        )
        + f'<table data-layout="default"><tbody>{rows}</tbody></table>'
        + expand(f"Health check for {name}", code(lang, snippet))
        + p(
            f"Dependencies: {', '.join(_DOMAINS[(i + k) % len(_DOMAINS)] + '-api' for k in (1, 3))}. "
            f"Alerts route to <code>#alerts-{domain}</code>."
        )
    )


def catalogue_body(count: int = 54) -> str:
    """About 100 KB of storage describing ``count`` services."""
    intro = panel(
        "info",
        p(
            "Every production service, its owner and how to reach it. Generated from the service "
            "registry every night; edit the registry, not this page."
        ),
        "About this page",
    ) + toc(2)
    return intro + "".join(_service(i) for i in range(count))


PAGE = {
    "title": "Service catalogue",
    "author": "marcus",
    "days": 150,
    "labels": ["services", "reference"],
    "body": catalogue_body(),
}
