#!/usr/bin/env python3
"""Benchmark of the escalation sweep over 1 million overdue open tasks, against the bare SQL that marks them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qorgau_bench_cases python bench/cases_escalation.py [--tasks N]

1. (Re)creates the database and migrates; a national tree (20 regions, ``--schools`` per region, each with a
   psychologist and a director; a case manager per region) and ``--tasks`` / 10 open cases with 10 overdue
   open tasks each, written with COPY (not timed).
2. The limit: the bare SQL statement that marks every overdue open task escalated — an escalation is a
   row of ``cases_taskescalation`` — (``INSERT INTO cases_taskescalation SELECT id, now() FROM
   cases_casetask WHERE status = 'open' AND due_at < now()``; no step is escalated yet), timed, then
   rolled back. Also timed for reference: the same marking as an
   ``UPDATE`` of the task rows (``escalated_at`` column), the layout the first version used, rolled back.
3. The sweep: ``cases.engine.escalate_overdue()`` — the same claim in batches plus the case counts, the
   timeline entries, the audit entries and one notification per supervisor, in one transaction — timed.
   A second sweep must escalate nothing. Prints seconds, tasks/s, the ratio sweep ÷ bare and the target
   (< 30 s), and one JSON line. Drops the database unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_national import drop_database, migrate, recreate_database, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/qorgau_bench_cases"
TARGET_S = 30.0


def main() -> None:
    import os

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--schools", type=int, default=375, help="schools per region (default 375: 7,500)")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    recreate_database(url)
    setup_django(url)
    migrate()
    from _cases import cases_with_tasks, organisations
    from django.db import connection, transaction

    from cases.engine import escalate_overdue
    from cases.models import CaseEvent, CaseTask
    from core.models import Notification

    orgs = organisations(args.schools)
    cases_with_tasks(orgs, args.tasks // 10, 10, overdue=True)
    total = CaseTask.objects.filter(status="open", escalation__isnull=True).count()

    with transaction.atomic():
        started = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(
                # No step is escalated yet, so every overdue open task is marked (no anti-join needed).
                "INSERT INTO cases_taskescalation (task_id, escalated_at) SELECT t.id, now() FROM cases_casetask t "
                "WHERE t.status = 'open' AND t.due_at < now()"
            )
            bare_rows = cur.rowcount
        bare = time.perf_counter() - started
        transaction.set_rollback(True)
    with transaction.atomic():
        started = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("ALTER TABLE cases_casetask ADD COLUMN bench_escalated_at timestamptz")
            cur.execute("UPDATE cases_casetask SET bench_escalated_at = now() WHERE status = 'open' AND due_at < now()")
        update_layout = time.perf_counter() - started
        transaction.set_rollback(True)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE cases_casetask")

    started = time.perf_counter()
    escalated = escalate_overdue()
    sweep = time.perf_counter() - started
    again = escalate_overdue()
    events = CaseEvent.objects.filter(kind="escalated").count()  # one per case per sweep
    cases = CaseTask.objects.filter(escalation__isnull=False).values("case_id").distinct().count()
    notes = Notification.objects.filter(kind="case_escalation").count()
    ok = escalated == total == bare_rows and events == cases and again == 0
    print(
        f"open overdue tasks: {total:,}; escalated: {escalated:,} (second sweep: {again}); timeline entries: "
        f"{events:,} (one per case); supervisors notified: {notes:,}; exactly once: {ok}"
    )
    print(f"bare SQL marking (insert of the escalation rows): {bare:.1f} s ({bare_rows / bare:,.0f} rows/s)")
    print(f"for reference, marking as an UPDATE of the task rows: {update_layout:.1f} s")
    print(
        f"escalation sweep: {sweep:.1f} s ({escalated / sweep:,.0f} tasks/s); ratio sweep/bare = {sweep / bare:.2f}; "
        f"target < {TARGET_S:.0f} s: {'met' if sweep < TARGET_S else 'MISSED'}"
    )
    print(
        json.dumps(
            {
                "bench": "cases_escalation",
                "tasks": total,
                "sweep_s": round(sweep, 2),
                "bare_marking_s": round(bare, 2),
                "update_layout_s": round(update_layout, 2),
                "ratio_to_bare": round(sweep / bare, 2),
                "target_s": TARGET_S,
                "exactly_once": ok,
                "notifications": notes,
            }
        )
    )
    if not args.keep:
        connection.close()
        drop_database(url)


if __name__ == "__main__":
    main()
