#!/usr/bin/env python3
"""Benchmark of the screening paper import (1 million filled forms) against a bare ``COPY`` of what it writes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qorgau_bench_paper python bench/paper_import.py \\
        [--participants 1000000] [--fraction 0.28] [--keep] [--reuse] [--profile]

1. (Re)creates the database named in ``DATABASE_URL``, migrates and runs the national demo seed at
   ``--fraction`` (0.28: ≈1.04 million children). With ``--reuse`` a database that already holds the
   seed (e.g. one kept by ``bench/screening_dashboard.py --keep``) is used as it is.
2. Opens a country-wide campaign (asq, phq_a, gad7) through ``screening.actions`` for a ЦПП
   specialist with the whole country in scope, and puts the first ``--participants`` children in it
   with one ``COPY`` (consent granted, code issued: what the template lists).
3. Writes the filled template: ``screening.paper.template_rows`` (the file staff download), every
   row filled with plausible answers (``_screening.AnswerMaker``; declined ASQ items as "declined",
   asq5 only after a positive screen). Not timed.
4. Times ``screening.paper.import_paper(user, campaign, file, "….csv")`` in the user's audit context:
   reading, checking and scoring every row, writing the responses and participants (``COPY`` and one
   ``UPDATE … FROM`` per batch), the alerts, the cases that the acute and high rows open at once (with
   their protocol steps, timeline entries and children), the notifications, and the commit. Figure:
   rows (students) per second; peak resident memory (``ru_maxrss``) must stay under 2 GB. Then imports
   the same file again (idempotent: nothing created, every row unchanged) and times that too, after
   ``VACUUM (ANALYZE)`` of the two tables (what autovacuum does within a minute of such an import;
   without statistics the planner reads the new responses with sequential scans).
5. The limit: what the import wrote, bare. Every row it inserted (responses, alerts, cases, their
   children, steps and timeline entries; ``WRITTEN``) is exported with ``COPY … TO`` (not timed) and
   loaded with one ``COPY … FROM`` per table into ``CREATE TABLE … (LIKE … INCLUDING ALL)``; the
   participants' results are loaded with ``COPY`` into a temporary table and applied with one ``UPDATE
   screening_participant … FROM`` it; all in one transaction, timed with the commit. Prints ratio
   import rows/s ÷ bare rows/s (target ≥ 0.25), and for comparison the ratio to the responses and
   participants alone (the limit before the import opened cases), and one final JSON line. Drops the
   database unless ``--keep``.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import pstats
import sys
import tempfile
import time
from typing import IO, Any

from _screening import AnswerMaker, bench_user, copy_participants, database_url, national_database, open_campaign
from _screening import vacuum_analyze as vacuum
from psycopg import sql
from seed_national import MEMORY_LIMIT_MB, drop_database, peak_rss_mb

TARGET_RATIO = 0.25


def write_filled_template(campaign: Any, user: Any, out: IO[str], seed: int) -> int:
    """The campaign's paper template with every student's answers filled in; returns the rows written."""
    from core import audit
    from screening import paper

    maker = AnswerMaker(seed)
    writer = csv.writer(out)
    rows = 0
    with audit.user_context(user, "bench: paper template"):
        template = paper.template_rows(campaign, user)
        header = next(template)
        writer.writerow(header)
        questions = header[3:]
        for row in template:
            answers: dict[str, Any] = {}
            for given in maker.student():
                answers.update(given)
            writer.writerow(row[:3] + [answers.get(code, "") for code in questions])
            rows += 1
    return rows


def timed_import(campaign: Any, user: Any, path: str, profile: bool) -> tuple[Any, float]:
    from core import audit
    from screening import paper

    profiler = cProfile.Profile() if profile else None
    with open(path, "rb") as fh, audit.user_context(user, "bench: paper import"):
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        result = paper.import_paper(user, campaign, fh, "paper_forms.csv")
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - started
    if profiler:
        stream = io.StringIO()
        profiler.dump_stats(f"{tempfile.gettempdir()}/paper_import.prof")  # for a closer look with pstats
        profiler.dump_stats(f"{tempfile.gettempdir()}/paper_import.prof")  # for a closer look with pstats
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(30)
        print(stream.getvalue(), file=sys.stderr)
    if result.errors:
        raise RuntimeError(f"the import refused the file: {result.errors[:5]}")
    return result, seconds


# Every table the import inserts into, with the rows of this campaign (``{c}``: its id). The cases are
# those the acute and high rows opened in the import's transaction (the cases module's bulk path).
_OF_CAMPAIGN = "participant_id IN (SELECT id FROM screening_participant WHERE campaign_id = {c})"
_CASES = f"screening_alert_id IN (SELECT id FROM screening_riskalert WHERE {_OF_CAMPAIGN})"
_OF_CASES = f"case_id IN (SELECT id FROM cases_case WHERE {_CASES})"
WRITTEN = [
    ("screening_response", _OF_CAMPAIGN),
    ("screening_riskalert", _OF_CAMPAIGN),
    ("cases_case", _CASES),
    ("cases_casechild", _OF_CASES),
    ("cases_casetask", _OF_CASES),
    ("cases_caseevent", _OF_CASES),
]


def bare_write(campaign: Any) -> dict[str, Any]:
    """Export what the import wrote, then time a bare COPY of every inserted row and a bare UPDATE … FROM.

    Each table's rows go into ``CREATE TABLE … (LIKE … INCLUDING ALL)`` (same columns, indexes and
    defaults; no foreign keys), all in one transaction, committed in the timing. Returns the seconds of
    each step, so that the responses alone (the limit before the import opened cases) can be shown too.
    """
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    results = sql.SQL("id, risk_level, risk_rule, risk_fired, flags")
    with tempfile.TemporaryDirectory(prefix="qorgau-bare-") as folder:
        counts: dict[str, int] = {}
        size = 0
        with raw.cursor() as cur:
            for table, where in [*WRITTEN, ("screening_participant", "campaign_id = {c}")]:
                query = sql.SQL("COPY (SELECT {} FROM {} WHERE {} ORDER BY id) TO STDOUT").format(
                    results if table == "screening_participant" else sql.SQL("*"),
                    sql.Identifier(table),
                    sql.SQL(where.format(c=int(campaign.pk))),
                )
                with open(f"{folder}/{table}", "wb") as out, cur.copy(query) as copy:
                    for chunk in copy:
                        out.write(chunk)
                    size += out.tell()
                if table != "screening_participant":
                    cur.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(f"bench_bare_{table}")))
                    cur.execute(
                        sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING ALL)").format(
                            sql.Identifier(f"bench_bare_{table}"), sql.Identifier(table)
                        )
                    )
        raw.commit()

        seconds: dict[str, float] = {}
        started = time.perf_counter()
        with raw.transaction(), raw.cursor() as cur:  # one transaction, committed on leaving (timed)
            for table, _where in WRITTEN:
                step = time.perf_counter()
                into = sql.SQL("COPY {} FROM STDIN").format(sql.Identifier(f"bench_bare_{table}"))
                with open(f"{folder}/{table}", "rb") as data, cur.copy(into) as copy:
                    while chunk := data.read(1 << 20):
                        copy.write(chunk)
                seconds[table] = time.perf_counter() - step
            step = time.perf_counter()
            cur.execute(
                "CREATE TEMP TABLE bench_paper_results "
                "(id bigint, risk_level text, risk_rule text, risk_fired jsonb, flags jsonb) ON COMMIT DROP"
            )
            with (
                open(f"{folder}/screening_participant", "rb") as data,
                cur.copy("COPY bench_paper_results FROM STDIN") as copy,
            ):
                while chunk := data.read(1 << 20):
                    copy.write(chunk)
            cur.execute(
                "UPDATE screening_participant p SET status = 'completed', mode = 'paper', started_at = now(), "
                "completed_at = now(), risk_level = b.risk_level, risk_rule = b.risk_rule, "
                "risk_fired = b.risk_fired, flags = b.flags, updated_at = now() "
                "FROM bench_paper_results b WHERE p.id = b.id"
            )
            updated = cur.rowcount
            seconds["update"] = time.perf_counter() - step
            step = time.perf_counter()
        seconds["commit"] = time.perf_counter() - step
        total = time.perf_counter() - started
        with raw.cursor() as cur:
            for table, _where in WRITTEN:
                cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(f"bench_bare_{table}")))
                (counts[table],) = cur.fetchone()  # type: ignore[misc]
                cur.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(f"bench_bare_{table}")))
        raw.commit()
    responses_only = seconds["screening_response"] + seconds["update"] + seconds["commit"]
    return {
        "rows": counts,
        "participants": updated,
        "seconds": total,
        "seconds_by_step": {k: round(v, 2) for k, v in seconds.items()},
        "rows_per_s": updated / total,
        "responses_only_seconds": responses_only,
        "responses_only_rows_per_s": updated / responses_only,
        "file_mb": size / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=1_000_000, help="rows of the paper file (default 1M)")
    parser.add_argument("--fraction", type=float, default=0.28, help="share of the national seed (default 0.28)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use a database that already holds the seed")
    parser.add_argument("--profile", action="store_true", help="cProfile the first import (slower; to stderr)")
    args = parser.parse_args()

    url = database_url("qorgau_bench_paper")
    reused = national_database(url, fraction=args.fraction, reuse=args.reuse, seed=args.seed)
    try:
        from core.roles import Role

        user = bench_user("bench.cpp", Role.CPP_SPECIALIST)
        campaign = open_campaign(user, "Bench: paper import")
        participants = copy_participants(url, campaign, limit=args.participants, seed=args.seed)
        vacuum(url, "screening_participant")
        with tempfile.NamedTemporaryFile("w", prefix="qorgau-paper-", suffix=".csv", newline="") as out:
            print("writing the filled template …", file=sys.stderr)
            rows = write_filled_template(campaign, user, out, args.seed)
            out.flush()
            file_mb = out.tell() / 2**20
            rss_before = peak_rss_mb()
            first, seconds = timed_import(campaign, user, out.name, args.profile)
            rss_peak = peak_rss_mb()
            print(f"first import: {seconds:.1f} s, peak RSS {rss_peak:,.0f} MB", file=sys.stderr)
            vacuum(url, "screening_response", "screening_participant")  # as autovacuum does soon after
            again, again_seconds = timed_import(campaign, user, out.name, False)
            print(f"second import: {again_seconds:.1f} s", file=sys.stderr)
        if first.created != rows or again.created != 0 or again.unchanged != rows:
            raise RuntimeError(
                f"unexpected import results: created {first.created} of {rows}, "
                f"again created {again.created}, unchanged {again.unchanged}"
            )
        limit = bare_write(campaign)
        rate = rows / seconds
        ratio = rate / limit["rows_per_s"]
        responses_only_ratio = rate / limit["responses_only_rows_per_s"]
        result = {
            "benchmark": "paper_import",
            "database": url.rsplit("/", 1)[-1],
            "reused_database": reused,
            "participants": participants,
            "rows": rows,
            "file_mb": round(file_mb, 1),
            "import_seconds": round(seconds, 2),
            "import_rows_per_s": round(rate),
            "responses_created": rows * 3,
            "alerts": first.alerts,
            "by_level": first.by_level,
            "profiled": args.profile,
            "peak_rss_mb": round(rss_peak, 1),
            "rss_before_import_mb": round(rss_before, 1),
            "memory_limit_mb": MEMORY_LIMIT_MB,
            "memory_ok": rss_peak < MEMORY_LIMIT_MB,
            "second_import_seconds": round(again_seconds, 2),
            "second_import_rows_per_s": round(rows / again_seconds),
            "second_import_created": again.created,
            "second_import_unchanged": again.unchanged,
            "bare_seconds": round(limit["seconds"], 2),
            "bare_rows_per_s": round(limit["rows_per_s"]),
            "bare_rows": limit["rows"],
            "bare_seconds_by_step": limit["seconds_by_step"],
            "ratio_import_to_bare": round(ratio, 3),
            "bare_responses_only_seconds": round(limit["responses_only_seconds"], 2),
            "ratio_import_to_bare_responses_only": round(responses_only_ratio, 3),
            "target_ratio": TARGET_RATIO,
            "target_met": ratio >= TARGET_RATIO,
        }
        print(f"paper import: {rows:,} filled forms ({file_mb:,.0f} MB CSV), asq + phq_a + gad7")
        print(
            f"  import: {seconds:.1f} s = {rate:,.0f} rows/s ({3 * rows:,} responses, {first.alerts:,} alerts)"
            + (" [under cProfile]" if args.profile else "")
        )
        print(
            f"  peak memory (ru_maxrss): {rss_peak:,.0f} MB (before the import {rss_before:,.0f} MB; "
            f"limit {MEMORY_LIMIT_MB:,} MB: {'ok' if rss_peak < MEMORY_LIMIT_MB else 'EXCEEDED'})"
        )
        print(
            f"  same file again: {again_seconds:.1f} s = {rows / again_seconds:,.0f} rows/s "
            f"(created {again.created}, unchanged {again.unchanged:,})"
        )
        written = ", ".join(f"{n:,} {table}" for table, n in limit["rows"].items())
        print(
            f"  limit: bare COPY of every row the import inserted ({written}) + UPDATE … FROM of "
            f"{limit['participants']:,} participants: {limit['seconds']:.1f} s = {limit['rows_per_s']:,.0f} rows/s"
        )
        print(f"         seconds by step: {limit['seconds_by_step']}")
        verdict = "met" if ratio >= TARGET_RATIO else "MISSED"
        print(f"  ratio import / bare: {ratio:.3f} (target ≥ {TARGET_RATIO}: {verdict})")
        print(
            f"  (the responses and participants alone, without the alerts and cases: bare "
            f"{limit['responses_only_seconds']:.1f} s, ratio {responses_only_ratio:.3f})"
        )
        print(json.dumps(result))
        if rss_peak >= MEMORY_LIMIT_MB:
            sys.exit(1)
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(url)


if __name__ == "__main__":
    main()
