"""Demo content: the page bodies of the Platform Engineering space (``seed_demo_eng`` makes them
pages, with their titles, authors, labels and edits)."""

from __future__ import annotations

from workbench.emulator.schema import DEMO_ACCOUNT_ID as DEMO
from workbench.emulator.seed_markup import (
    anchor,
    anchor_link,
    attachment_link,
    code,
    date,
    emoticon,
    expand,
    h,
    image,
    inline_comment,
    jira,
    layout,
    layouts,
    mention,
    ol,
    p,
    page_link,
    panel,
    status,
    table,
    tasks,
    toc,
    ul,
)
from workbench.emulator.seed_people import GRACE, HANA, MARCUS, PRIYA, TOMAS

LATENCY_V1 = (
    toc(2)
    + h(2, "Symptoms")
    + p(
        "The <strong>p99 latency</strong> of <code>payments-api</code> goes above 800 ms for more than five minutes "
        "and the <em>PaymentsApiLatencyHigh</em> alert fires."
    )
    + h(2, "Diagnosis")
    + ol(
        'Open the <a href="https://grafana.example.com/d/payments">payments dashboard</a> and check whether '
        "the slowdown is on every route or only <code>POST /charges</code>.",
        p("Check the connection pool:")
        + code(
            "bash",
            "kubectl -n payments exec deploy/payments-api -- \\\n"
            "  curl -s localhost:9090/metrics | grep db_pool_",
        ),
        "Look at the slow query log on the primary.",
    )
    + h(2, "Mitigation")
    + p("Scale the deployment out while you investigate:")
    + code(
        "bash", "kubectl -n payments scale deploy/payments-api --replicas=12", title="scale-out.sh"
    )
)

LATENCY_V2 = LATENCY_V1.replace("800 ms", "600 ms") + panel(
    "warning",
    p(
        "Do <strong>not</strong> restart the primary database to clear locks: it triggers a failover "
        f"and a 40-second write outage. Follow {page_link('Runbook: Database failover')} instead."
    ),
    "Before you restart anything",
)

LATENCY_V3 = (
    LATENCY_V2
    + h(2, "Escalation")
    + p(
        f"If the latency is not back under the threshold within 30 minutes, page {mention(MARCUS)} and open an "
        f"incident channel. Related ticket: {jira('PAY-1432')}"
    )
    + tasks(
        "latency",
        (True, "Add the pool saturation panel to the dashboard"),
        (False, f"Automate the scale-out step {date('2026-12-04')}"),
    )
)

FAILOVER = (
    panel(
        "note",
        p("This runbook changes production. Announce it in <code>#ops</code> before step 1."),
        "Read first",
    )
    + h(2, "When to use it")
    + p(
        "The PostgreSQL primary of the ledger cluster is unhealthy and Patroni did not fail over by itself."
    )
    + h(2, "Steps")
    + ol(
        p("Confirm the replica lag is under 1 MB:")
        + code(
            "sql",
            "SELECT client_addr, state,\n       pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) AS lag_bytes\n"
            "FROM pg_stat_replication;",
        ),
        p("Trigger the switchover:")
        + code(
            "bash",
            "patronictl -c /etc/patroni.yml switchover --master ledger-0 "
            "--candidate ledger-1 --force",
        ),
        "Watch the API error rate for ten minutes.",
        "Write a short note in the incident log.",
    )
    + expand(
        "Why not promote by hand?",
        p(
            "Manual <code>pg_ctl promote</code> leaves Patroni's state out of date; "
            "it then fights the new primary. Always go through Patroni."
        ),
    )
    + h(2, "Rollback")
    + p(
        "Switch back with the same command, swapping the names, once the old primary has rejoined as a replica."
    )
)

CERTS = (
    p(
        "Our public endpoints use certificates from the internal ACME issuer. They renew automatically 30 days "
        "before expiry; this runbook is for the day that does not happen."
    )
    + table(
        ["Endpoint", "Issuer", "Renewal", "Owner"],
        [
            ["api.example.com", "@2:ACME (internal)", "automatic", mention(MARCUS)],
            ["hooks.example.com", "-", "automatic", mention(HANA)],
            ["legacy.example.com", "Manual CA", "=2:manual, every 12 months — see below"],
        ],
    )
    + h(2, "Manual rotation")
    + code(
        "bash",
        "openssl req -new -newkey rsa:3072 -nodes -keyout legacy.key -out legacy.csr \\\n"
        "  -subj '/CN=legacy.example.com'\nkubectl -n edge create secret tls legacy-tls "
        "--cert=legacy.crt --key=legacy.key --dry-run=client -o yaml | kubectl apply -f -",
    )
    + p(
        f"Store the CSR next to the {attachment_link('cert-inventory.xlsx', 'certificate inventory')}."
    )
)

ADR1 = (
    table(
        ["Status", "Deciders", "Date"],
        [[status("Green", "Accepted"), f"{mention(PRIYA)} {mention(MARCUS)}", date("2025-10-02")]],
    )
    + h(2, "Context")
    + p(
        "The ledger needs multi-row transactions, strict constraints and point-in-time recovery. The team already "
        "runs PostgreSQL for two other services."
    )
    + h(2, "Decision")
    + p(
        "We store the ledger in <strong>PostgreSQL 16</strong> with logical replication to the reporting "
        "warehouse."
    )
    + h(2, "Consequences")
    + ul(
        "One more cluster to operate; Patroni handles failover.",
        "Balance queries stay in SQL; no separate read model for now.",
        f"Failover procedure: {page_link('Runbook: Database failover')}.",
    )
)

ADR2 = (
    table(
        ["Status", "Deciders", "Date"],
        [[status("Green", "Accepted"), mention(HANA), date("2026-02-11")]],
    )
    + h(2, "Context")
    + p("Traces stop at service boundaries because three tracing libraries are in use.")
    + h(2, "Decision")
    + p(
        "Every service exports traces, metrics and logs with the OpenTelemetry SDK to the collector."
    )
    + code(
        "yaml",
        "exporters:\n  otlp:\n    endpoint: otel-collector.observability:4317\n"
        "service:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [otlp]",
        title="collector.yaml",
    )
    + h(2, "Consequences")
    + p("Sampling moves to the collector (tail-based, 10 % of successful requests, all errors).")
)

ADR3 = (
    table(
        ["Status", "Deciders", "Date"],
        [[status("Yellow", "Proposed"), f"{mention(TOMAS)}", date("2026-11-02")]],
    )
    + h(2, "Context")
    + p(
        "Services call each other synchronously for things that could be events: receipts, ledger postings, "
        "notifications. An outage in one spreads to the others."
    )
    + h(2, "Options")
    + table(
        ["Option", "Pros", "Cons"],
        [
            ["NATS JetStream", "small, fast, easy to run", "smaller ecosystem"],
            ["Kafka", "industry standard, huge ecosystem", "heavy to operate for our size"],
            ["Postgres outbox + polling", "no new system", "latency, polling load"],
        ],
    )
    + h(2, "Proposal")
    + p(
        "Adopt <strong>NATS JetStream</strong> for domain events, with "
        + inline_comment("an outbox table per service", "adr3-outbox")
        + " so events "
        "are written in the same transaction as the state change."
    )
    + panel("tip", p("Comment below before the architecture review on " + date("2026-11-26") + "."))
)

RELEASE_1 = (
    p(f"Released on {date('2026-10-15')} {status('Green', 'Shipped')}")
    + h(2, "Highlights")
    + ul(
        "Idempotency keys on <code>POST /charges</code> (24-hour window).",
        "Refunds can now be partial.",
        "p99 latency down 18 % after the connection pool change.",
    )
    + h(2, "Fixes")
    + table(
        ["Ticket", "Summary"],
        [
            [jira("PAY-1311"), "Webhook retries used the wrong backoff"],
            [jira("PAY-1329"), "Currency rounding in JPY receipts"],
        ],
    )
)

RELEASE_2 = (
    p(f"Released on {date('2026-11-12')} {status('Green', 'Shipped')}")
    + h(2, "Highlights")
    + ul(
        "OpenTelemetry tracing across every service (see ADR-002).",
        "Ledger failover drills now monthly.",
        "New <code>GET /balances</code> endpoint for merchants.",
    )
    + h(2, "Breaking changes")
    + panel(
        "warning",
        p("The deprecated <code>/v1/charges/search</code> endpoint now returns 410 Gone."),
    )
    + h(2, "Known issues")
    + tasks("rel2611", (False, "Dashboard links in alerts still point at the old Grafana folder"))
)

RELEASE_3 = (
    p(f"Planned for {date('2026-12-10')} {status('Blue', 'In progress')}")
    + h(2, "Planned")
    + ul(
        "Event bus pilot for receipts (ADR-003, if accepted).",
        "Self-service API keys for sandbox accounts.",
    )
)

ONBOARDING = (
    p(
        f"Welcome to the platform team {emoticon('smile')} This page is your checklist for the first week. Your buddy "
        "will go through it with you."
    )
    + toc(3)
    + h(2, "Day one")
    + tasks(
        "onboard1",
        (True, "Laptop, SSO and hardware key set up"),
        (False, "Join <code>#platform-eng</code>, <code>#ops</code> and <code>#incidents</code>"),
        (False, f"Read the {page_link('On-call handbook')}"),
    )
    + h(2, "By the end of the week")
    + tasks(
        "onboard2",
        (False, f"Run the stack locally ({page_link('Development environment setup')})"),
        (False, "Ship one small change to production"),
        (False, "Shadow an on-call handover"),
    )
    + h(2, "People to meet")
    + table(
        ["Who", "Why"],
        [
            [mention(PRIYA), "team lead, priorities"],
            [mention(MARCUS), "infrastructure, on-call"],
            [mention(HANA), "observability"],
            [mention(TOMAS), "payments domain"],
        ],
    )
)

DEVENV = (
    p("You need Docker, Python 3.11 and <code>just</code>. Everything else runs in containers.")
    + code(
        "bash",
        "git clone git@git.example.com:platform/payments.git\ncd payments\njust bootstrap   "
        "# builds images, seeds the local database\njust up          # starts api, worker, postgres, nats",
        linenumbers=True,
    )
    + expand(
        "Apple silicon",
        p(
            "Set <code>DOCKER_DEFAULT_PLATFORM=linux/amd64</code> before <code>just bootstrap"
            "</code>; the ledger image has no arm64 build yet."
        ),
    )
    + panel(
        "tip", p(f"Stuck? Ask in <code>#platform-eng</code> {emoticon('light-on')} — nobody minds.")
    )
)

REVIEW = (
    p("We review to share knowledge first and to catch defects second.")
    + ol(
        "Small pull requests: under 400 changed lines where possible.",
        "The author explains <em>why</em> in the description; the diff shows <em>what</em>.",
        "Reviewers answer within one working day.",
        "Approve when it is better than what we have, not when it is perfect.",
    )
    + code(
        "python",
        "def refund(charge: Charge, amount: Money) -> Refund:\n"
        '    """Partial refunds must not exceed the captured amount."""\n'
        "    if amount > charge.captured:\n        raise RefundTooLarge(charge.id, amount)\n"
        "    return Refund.create(charge, amount)",
        title="Example: small, explained change",
    )
)

ONCALL = (
    anchor("rota")
    + h(2, "Rota")
    + p("One primary and one secondary per week, handing over on Mondays at 10:00 Europe/London.")
    + table(
        ["Week", "Primary", "Secondary"],
        [
            [date("2026-11-16"), mention(MARCUS), mention(HANA)],
            [date("2026-11-23"), mention(TOMAS), mention(DEMO)],
            [date("2026-11-30"), mention(GRACE), mention(MARCUS)],
        ],
    )
    + h(2, "Severity levels")
    + table(
        ["Level", "Meaning", "Response"],
        [
            [status("Red", "SEV1"), "customers cannot pay", "15 minutes, 24/7"],
            [status("Yellow", "SEV2"), "degraded, workaround exists", "1 hour, 24/7"],
            [status("Grey", "SEV3"), "internal impact only", "next working day"],
        ],
    )
    + p(f"Jump back to the {anchor_link('rota', 'rota')}.")
)

POSTMORTEM = layouts(
    layout(
        "two_equal",
        panel(
            "panel",
            p(
                f"<strong>Date:</strong> {date('2026-09-14')}<br/><strong>Duration:</strong> "
                "47 minutes<br/><strong>Severity:</strong> " + status("Red", "SEV1")
            ),
            "Summary",
        ),
        p(
            f"<strong>Incident lead:</strong> {mention(MARCUS)}<br/><strong>Scribe:</strong> {mention(GRACE)}"
        ),
    ),
    layout(
        "single",
        h(2, "What happened")
        + p(
            "A configuration change lowered the database connection limit from 400 to 40. Checkout requests "
            "queued, timed out after 30 s and customers saw errors."
        )
        + image("checkout-errors.png", "Error rate during the outage")
        + h(2, "Timeline (UTC)")
        + table(
            ["Time", "Event"],
            [
                ["13:02", "config change deployed"],
                ["13:09", "alert fires"],
                ["13:31", "cause found"],
                ["13:49", "rollback complete"],
            ],
        )
        + h(2, "Actions")
        + tasks(
            "pm0914",
            (True, "Validate connection limits in CI"),
            (False, "Canary config changes for 10 minutes"),
        ),
    ),
)
