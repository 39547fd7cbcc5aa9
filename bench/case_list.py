#!/usr/bin/env python3
"""Benchmark of the regional case list (the case manager's page) with 100,000 cases, against the bare SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qorgau_bench_caselist python bench/case_list.py [--cases N]

1. (Re)creates the database and migrates; the national tree with staff, and ``--cases`` open cases in the
   schools of one region (Almaty city, KAZ004), written with COPY (not timed).
2. The page: ``GET /cases/`` signed in as that region's case manager (scope through ``restrict``, the
   paginator's count, the first page of 50, the audit entry of the list, the template), ``--runs`` times
   after a warm-up; p50 and p95 in ms.
3. The limit: the same two SQL statements the page runs (the count and the page) executed bare.
   Prints the ratio page ÷ bare at p95 and the target (p95 < 200 ms), and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_national import drop_database, migrate, recreate_database, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/qorgau_bench_caselist"
TARGET_MS = 200.0


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    import os

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--schools", type=int, default=375)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    recreate_database(url)
    setup_django(url)
    migrate()
    from _cases import cases_with_tasks, organisations
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cases.models import Case

    setup_test_environment()
    orgs = organisations(args.schools)
    cases_with_tasks(orgs, args.cases, 0, overdue=False, region="KAZ004")
    manager = orgs["KAZ004"]["manager"]
    client = Client()
    client.force_login(manager)
    for _ in range(5):
        assert client.get("/cases/").status_code == 200
    page_ms = []
    for _ in range(args.runs):
        started = time.perf_counter()
        response = client.get("/cases/")
        page_ms.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    qs = Case.objects.restrict(manager, "view").exclude(status=Case.Status.CLOSED).order_by("-opened_at")
    count_sql, count_params = qs.values("pk").query.sql_with_params()
    page_sql, page_params = qs[:50].query.sql_with_params()
    visible = qs.count()
    bare_ms = []
    with connection.cursor() as cur:
        for _ in range(args.runs):
            started = time.perf_counter()
            cur.execute(f"SELECT count(*) FROM ({count_sql}) AS q", count_params)
            cur.fetchone()
            cur.execute(page_sql, page_params)
            cur.fetchall()
            bare_ms.append((time.perf_counter() - started) * 1000)
    print(f"cases visible to the regional case manager: {visible:,} (of {Case.objects.count():,})")
    print(
        f"page GET /cases/: p50 {statistics.median(page_ms):.1f} ms, p95 {p95(page_ms):.1f} ms "
        f"(target p95 < {TARGET_MS:.0f} ms: {'met' if p95(page_ms) < TARGET_MS else 'MISSED'})"
    )
    print(
        f"bare SQL (count + page): p50 {statistics.median(bare_ms):.1f} ms, p95 {p95(bare_ms):.1f} ms; "
        f"ratio page/bare at p95 = {p95(page_ms) / p95(bare_ms):.2f}"
    )
    print(
        json.dumps(
            {
                "bench": "case_list",
                "cases": visible,
                "page_p50_ms": round(statistics.median(page_ms), 1),
                "page_p95_ms": round(p95(page_ms), 1),
                "bare_p95_ms": round(p95(bare_ms), 1),
                "ratio_to_bare": round(p95(page_ms) / p95(bare_ms), 2),
                "target_ms": TARGET_MS,
            }
        )
    )
    if not args.keep:
        connection.close()
        drop_database(url)


if __name__ == "__main__":
    main()
