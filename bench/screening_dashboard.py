#!/usr/bin/env python3
"""Benchmark of the screening region dashboard over a national campaign against the bare SQL it issues.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qorgau_bench_dashboard python bench/screening_dashboard.py \\
        [--fraction 1] [--rounds 10] [--keep] [--reuse]

1. (Re)creates the database named in ``DATABASE_URL``, migrates and runs the national demo seed at
   ``--fraction`` (≈7,700 schools, 3.7 million children at 1; about 110 s). With ``--reuse`` a database
   that already holds the seed (e.g. one kept by ``bench/paper_import.py --keep``) is used as it is.
2. Opens a country-wide campaign (asq, phq_a, gad7) through ``screening.actions`` and puts every child
   in it with one ``COPY``, school/district/region copied as the app does. Statuses as in a campaign
   near its end: completed 85 %, in progress 3 %, code issued 4 %, awaiting consent 5 %, refused 3 %;
   risk of the completed: none 60 / low 25 / moderate 10 / high 4 / acute 1 %. Then ``VACUUM (ANALYZE)``
   (what autovacuum does soon after such a load; it also sets the visibility map that index-only
   scans need).
3. Times ``screening.dashboards.build(campaign, analyst, region)`` (the seed's national ``analyst``)
   for each of the 20 regions, ``--rounds`` times after one warm-up round: p50 / p95 / max. The
   target: p95 < 300 ms. The country view (grouped by region) is timed the same way, as extra
   information.
4. The limit: the GROUP BY query ``build`` issues (captured from Django, parameters inlined) run bare
   on a psycopg cursor for the same regions and rounds. Prints ratio bare p50 ÷ dashboard p50, the
   plan of the largest region's query, and one final JSON line. Drops the database unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from _screening import (
    Outcome,
    bench_user,
    copy_participants,
    database_url,
    national_database,
    open_campaign,
    percentile,
)
from _screening import vacuum_analyze as vacuum
from seed_national import drop_database

TARGET_P95_MS = 300.0
# (status, consent, share of all participants); completed ones draw a risk level below.
STATUSES = [
    ("completed", "granted", 0.85),
    ("in_progress", "granted", 0.03),
    ("ready", "granted", 0.04),
    ("awaiting_consent", "unknown", 0.05),
    ("refused", "refused", 0.03),
]
RISK = [("none", 0.60), ("low", 0.25), ("moderate", 0.10), ("high", 0.04), ("acute", 0.01)]


def _draw(choices: list[tuple[Any, ...]], x: float) -> tuple[Any, ...]:
    for choice in choices:
        x -= choice[-1]
        if x < 0:
            return choice
    return choices[-1]


def realistic(rule: Any) -> Callable[[Callable[[], float]], Outcome]:
    """Outcome of a participant near the end of a campaign (shares above; the rule's first condition per level)."""
    import datetime as dt

    now = dt.datetime.now(dt.UTC)
    fired = {level: [conditions[0].id] for level, conditions in rule.levels.items() if conditions}
    label = f"{rule.name}@{rule.version}"

    def outcome(rnd: Callable[[], float]) -> Outcome:
        status, consent, _share = _draw(STATUSES, rnd())
        if status == "completed":
            level = _draw(RISK, rnd())[0]
            mode = "paper" if rnd() < 0.2 else "online"
            return (consent, status, mode, now, now, level, label, fired.get(level, []), [])
        if status == "in_progress":
            return (consent, status, "online", now, None, "", "", [], [])
        return (consent, status, "", None, None, "", "", [], [])

    return outcome


def summary(ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "max_ms": round(max(ms), 2),
    }


def group_by_sql(build: Callable[[], Any]) -> str:
    """The GROUP BY statement a dashboard build issues (as sent: psycopg binds parameters client-side)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        build()
    statements = [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]
    if len(statements) != 1:
        raise RuntimeError(f"expected one GROUP BY in a dashboard build, found {len(statements)}")
    return statements[0]


def time_calls(calls: list[Callable[[], Any]], rounds: int) -> list[float]:
    """Milliseconds per call: one untimed warm-up round, then ``rounds`` rounds over all calls."""
    for call in calls:
        call()
    ms = []
    for _ in range(rounds):
        for call in calls:
            started = time.perf_counter()
            call()
            ms.append((time.perf_counter() - started) * 1000)
    return ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fraction", type=float, default=1.0, help="share of the national data set (default 1.0)")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use a database that already holds the seed")
    args = parser.parse_args()

    url = database_url("qorgau_bench_dashboard")
    reused = national_database(url, fraction=args.fraction, reuse=args.reuse, seed=args.seed)
    try:
        from django.db import connection
        from django.db.models import Count

        from core.models import Organisation, OrganisationKind, User
        from core.roles import Role
        from screening import dashboards
        from screening.risk import default_rule

        user = bench_user("bench.cpp", Role.CPP_SPECIALIST)
        campaign = open_campaign(user, "Bench: national dashboard")
        started = time.perf_counter()
        participants = copy_participants(url, campaign, outcome=realistic(default_rule()), seed=args.seed)
        load_seconds = time.perf_counter() - started
        vacuum(url, "screening_participant")

        analyst = User.objects.get(username="analyst")
        regions = list(Organisation.objects.filter(kind=OrganisationKind.REGION).order_by("path"))
        country = Organisation.objects.get(kind=OrganisationKind.COUNTRY)
        region_calls = [lambda node=node: dashboards.build(campaign, analyst, node) for node in regions]
        region_ms = time_calls(region_calls, args.rounds)
        country_ms = time_calls([lambda: dashboards.build(campaign, analyst, country)], args.rounds)

        statements = [group_by_sql(call) for call in region_calls]
        connection.ensure_connection()
        raw = connection.connection
        bare_calls = [lambda s=s: raw.execute(s).fetchall() for s in statements]
        bare_ms = time_calls(bare_calls, args.rounds)
        country_sql = group_by_sql(lambda: dashboards.build(campaign, analyst, country))
        bare_country_ms = time_calls([lambda: raw.execute(country_sql).fetchall()], args.rounds)

        sizes = dict(campaign.participants.order_by().values_list("region_id").annotate(n=Count("id")))
        largest = max(regions, key=lambda node: sizes.get(node.region_id, 0))
        plan = "\n".join(
            r[0] for r in raw.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statements[regions.index(largest)]}").fetchall()
        )
        app, bare = summary(region_ms), summary(bare_ms)
        ratio = bare["p50_ms"] / app["p50_ms"]
        result = {
            "benchmark": "screening_dashboard",
            "database": url.rsplit("/", 1)[-1],
            "reused_database": reused,
            "participants": participants,
            "participants_copy_seconds": round(load_seconds, 1),
            "regions": len(regions),
            "rounds": args.rounds,
            "largest_region_participants": sizes.get(largest.region_id, 0),
            "region_dashboard": app,
            "region_bare_sql": bare,
            "country_dashboard": summary(country_ms),
            "country_bare_sql": summary(bare_country_ms),
            "ratio_bare_to_dashboard_p50": round(ratio, 3),
            "target_p95_ms": TARGET_P95_MS,
            "target_met": app["p95_ms"] < TARGET_P95_MS,
        }
        print(f"national campaign: {participants:,} participants (COPY {load_seconds:.1f} s), {len(regions)} regions")
        print(
            f"  region dashboard (dashboards.build, {len(region_ms)} calls): p50 {app['p50_ms']:.1f} ms, "
            f"p95 {app['p95_ms']:.1f} ms, max {app['max_ms']:.1f} ms "
            f"(target p95 < {TARGET_P95_MS:.0f} ms: {'met' if result['target_met'] else 'MISSED'})"
        )
        print(
            f"  limit: the bare GROUP BY it issues: p50 {bare['p50_ms']:.1f} ms, p95 {bare['p95_ms']:.1f} ms; "
            f"ratio bare / dashboard (p50): {ratio:.2f}"
        )
        print(
            f"  country view (extra): p50 {result['country_dashboard']['p50_ms']:.1f} ms, "
            f"p95 {result['country_dashboard']['p95_ms']:.1f} ms; "
            f"bare p50 {result['country_bare_sql']['p50_ms']:.1f} ms"
        )
        print(f"  plan of the largest region ({largest.name}, {sizes.get(largest.region_id, 0):,} participants):")
        print("    " + plan.replace("\n", "\n    "))
        print(json.dumps(result))
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(url)


if __name__ == "__main__":
    main()
