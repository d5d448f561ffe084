"""``workbench serve-local``: run the local Confluence in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve-local",
        help="run a local Confluence-compatible server (demo content, tests, offline use)",
        description=(
            "Serve a local Confluence-compatible REST API (Cloud: v2 and v1 at http://HOST:PORT/wiki; "
            "--flavour dc: Data Center's v1 under --context-path), with demo content, optional rate "
            "limits, latency and injected faults. Stop with Ctrl-C."
        ),
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8090,
        help="port to listen on; 0 picks a free one (default: 8090)",
    )
    parser.add_argument(
        "--data", metavar="DIR", help="keep state in DIR across restarts (default: in memory)"
    )
    parser.add_argument(
        "--seed",
        default="demo",
        metavar="demo|empty|large:N|wide:N",
        help="initial content when the data is new (default: demo)",
    )
    parser.add_argument(
        "--rate-limit",
        type=float,
        metavar="RPS",
        help="answer 429 with Retry-After above this many requests per second",
    )
    parser.add_argument(
        "--fault-rate",
        type=float,
        default=0.0,
        metavar="F",
        help="fail this fraction of requests (half before, half after processing)",
    )
    parser.add_argument(
        "--fault-seed", metavar="SEED", help="seed for fault injection, for reproducible runs"
    )
    parser.add_argument(
        "--latency", type=int, default=0, metavar="MS", help="delay every answer by MS milliseconds"
    )
    parser.add_argument(
        "--token-ttl",
        type=int,
        default=3600,
        metavar="SECONDS",
        help="lifetime of OAuth access tokens issued by the local server (default: 3600)",
    )
    parser.add_argument(
        "--flavour",
        "--flavor",
        choices=("cloud", "dc"),
        default="cloud",
        help="play Confluence Cloud (REST v2 and v1 under /wiki; the default) or Data Center "
        "(v1 only, under --context-path, username + password or personal access token)",
    )
    parser.add_argument(
        "--context-path",
        metavar="PATH",
        help="Data Center only: where the site lives, e.g. /confluence, or / for none "
        "(the default). Cloud is always under /wiki",
    )
    parser.add_argument(
        "--captcha-after",
        type=int,
        metavar="N",
        help="Data Center only: after N failed Basic logins of a user, answer its logins with "
        "the CAPTCHA 401 (real sites: 3); 0 starts that way",
    )
    parser.add_argument(
        "--login-redirect",
        action="store_true",
        help="Data Center only: send requests without a personal access token to the login "
        "page (302 to login.action), as a single sign-on site does",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # lazy, for start-up: workbench.emulator.auth, workbench.emulator.oauth … loads on first use
    from workbench.emulator.auth import DEMO_EMAIL, DEMO_PASSWORD, DEMO_TOKEN, DEMO_USERNAME
    from workbench.emulator.oauth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
    from workbench.emulator.runner import ServerOptions, serve
    from workbench.errors import UsageError

    if not 0 <= args.port <= 65535:
        raise UsageError(
            f"--port must be between 0 and 65535 (0 picks a free port), not {args.port}."
        )
    if args.token_ttl <= 0:
        raise UsageError("--token-ttl must be a positive number of seconds.")

    def announce(base_url: str, data_note: str) -> None:
        if args.flavour == "dc":
            print(f"Local Confluence (Data Center) at {base_url}", flush=True)
            print(
                f"  Basic auth: {DEMO_USERNAME} / {DEMO_PASSWORD}; personal access token: {DEMO_TOKEN}",
                flush=True,
            )
            print(
                f"  Try: CONFLUENCE_URL={base_url} CONFLUENCE_PERSONAL_TOKEN={DEMO_TOKEN} workbench spaces",
                flush=True,
            )
        else:
            print(f"Local Confluence at {base_url}", flush=True)
            print(f"  Basic auth: {DEMO_EMAIL} / {DEMO_TOKEN}", flush=True)
            print(
                f"  OAuth client: {DEMO_CLIENT_ID} / {DEMO_CLIENT_SECRET} (authorization server at the same "
                "origin)",
                flush=True,
            )
            print(
                f"  Try: CONFLUENCE_URL={base_url} CONFLUENCE_USERNAME={DEMO_EMAIL} "
                f"CONFLUENCE_API_TOKEN={DEMO_TOKEN} workbench spaces",
                flush=True,
            )
        origin = base_url.split("/", 3)
        jira_api = "/rest/api/2" if args.flavour == "dc" else "/rest/api/3"
        print(
            f"  Jira: {'/'.join(origin[:3])}{jira_api} (same logins; then: workbench jira search "
            "'project = ENG')",
            flush=True,
        )
        print(f"  {data_note}", flush=True)
        reach = exposure(args.host)
        if reach:
            print(
                f"  Warning: listening on {reach}, not only on this machine: anyone who can reach it can "
                "use the demo credentials above.",
                flush=True,
            )
        print("Press Ctrl-C to stop.", flush=True)

    try:
        serve(
            ServerOptions(
                seed=args.seed,
                data_dir=args.data,
                host=args.host,
                port=args.port,
                rate_limit=args.rate_limit,
                fault_rate=args.fault_rate,
                latency_ms=args.latency,
                token_ttl=args.token_ttl,
                fault_seed=args.fault_seed,
                flavour=args.flavour,
                context_path=args.context_path,
                captcha_after=args.captcha_after,
                login_redirect=args.login_redirect,
            ),
            announce=announce,
            quiet=args.quiet,
        )
    except KeyboardInterrupt:
        pass
    print("Local Confluence stopped.", file=sys.stderr)
    return 0


def exposure(host: str) -> str | None:
    """Where beyond this machine a server bound to ``host`` can be reached (for the warning), or None
    when it is loopback only: ``localhost``, ``::1`` and all of 127.0.0.0/8 (``127.0.0.2``, ``127.1``)."""
    # lazy, for start-up: ipaddress, socket loads on first use
    import ipaddress
    import socket

    name = host.strip().strip("[]")
    if name.lower() == "localhost":
        return None
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(name)
    except ValueError:
        try:  # the short forms the resolver accepts too: 127.1, 0, 2130706433
            address = ipaddress.IPv4Address(socket.inet_aton(name))
        except OSError:
            return (
                "every interface (--host '')"
                if not name
                else f"{host} (a name that may not be this machine)"
            )
    if address.is_loopback:
        return None
    if address.is_unspecified:
        return f"every interface ({host})"
    return host
