#!/usr/bin/env python3
"""Benchmark of scoring a national screening campaign against a bare sum of the same answers.

    python bench/screening_score.py [--students 3700000] [--workers 2]

No database: the instruments are the shipped ones (``screening.instruments.get_instrument``), as
``instrument_for`` gives them to the app, and the risk rule is ``screening.risk.default_rule()``.

1. Generates plausible answers (``_screening.AnswerMaker``, seeded: symptoms cluster per student;
   ASQ items now and then "yes" or declined, both a positive screen that asks asq5) for asq, phq_a and
   gad7, ``--chunk`` students at a time. Generation is not timed.
2. Times, per chunk, what scoring a completed student costs in the app: ``score(answers)`` of each
   of the three instruments (validation, relevance, calculations, band, flags) and the default risk
   rule over the three scores, on one core in this process. Figure: responses (student ×
   instrument) per second, and students per second.
3. The limit: a bare Python loop over the same answer dicts that only adds up their integer values
   ("bare sum of the answers": the least any scoring in Python must do). Prints ratio scoring
   responses/s ÷ bare responses/s, the share of each risk level, and one final JSON line.
4. With ``--workers K`` (K > 1) the same students are also scored in K forked processes, each
   generating and scoring its share; the K-core figure is all responses ÷ the slowest worker's
   scoring time.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time
from collections import Counter
from typing import Any

from _screening import CODES, AnswerMaker
from seed_national import peak_rss_mb, setup_django

NATIONAL_STUDENTS = 3_700_000

Student = tuple[dict[str, Any], dict[str, Any], dict[str, Any]]


def bare_sum(students: list[Student]) -> int:
    """The limit: add up the integer answers of every response, nothing else."""
    total = 0
    for student in students:
        for answers in student:
            for value in answers.values():
                if value.__class__ is int:
                    total += value
    return total


def score_share(students: int, seed: int, chunk: int, bare: bool) -> dict[str, Any]:
    """Generate and score ``students`` students chunk by chunk; seconds of scoring (and of the bare sum)."""
    from screening.instruments import get_instrument
    from screening.risk import default_rule

    instruments = [get_instrument(code) for code in CODES]
    codes = [inst.code for inst in instruments]
    rule = default_rule()
    maker = AnswerMaker(seed)
    student = maker.student
    levels: Counter[str] = Counter()
    asq_positive = declined = 0
    score_seconds = bare_seconds = 0.0
    done = 0
    while done < students:
        batch = [student() for _ in range(min(chunk, students - done))]
        found: list[str] = []
        started = time.perf_counter()
        for answers in batch:
            scores = {code: inst.score(given) for code, inst, given in zip(codes, instruments, answers, strict=True)}
            found.append(rule.evaluate(scores).level)
        score_seconds += time.perf_counter() - started
        if bare:
            started = time.perf_counter()
            bare_sum(batch)
            bare_seconds += time.perf_counter() - started
        levels.update(found)
        asq_positive += sum("asq5" in asq for asq, _phq, _gad in batch)
        declined += sum("declined" in asq.values() for asq, _phq, _gad in batch)
        done += len(batch)
    return {
        "students": done,
        "score_seconds": score_seconds,
        "bare_seconds": bare_seconds,
        "levels": dict(levels),
        "asq_positive": asq_positive,
        "asq_declined": declined,
    }


def _worker(students: int, seed: int, chunk: int, out: Any) -> None:
    out.put(score_share(students, seed, chunk, bare=False))


def in_parallel(students: int, workers: int, seed: int, chunk: int) -> dict[str, Any]:
    """The same work split over ``workers`` forked processes (each its own seed and share)."""
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    shares = [students // workers + (i < students % workers) for i in range(workers)]
    processes = [
        context.Process(target=_worker, args=(share, seed + 1000 * i, chunk, out)) for i, share in enumerate(shares)
    ]
    for p in processes:
        p.start()
    results = [out.get() for _ in processes]
    for p in processes:
        p.join()
    slowest = max(r["score_seconds"] for r in results)
    scored = sum(r["students"] for r in results)
    return {"workers": workers, "students": scored, "slowest_seconds": slowest, "responses_per_s": 3 * scored / slowest}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=NATIONAL_STUDENTS)
    parser.add_argument("--workers", type=int, default=1, help="also score in this many processes (default 1)")
    parser.add_argument("--chunk", type=int, default=50_000, help="students generated, then scored, at a time")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    setup_django(os.environ.get("DATABASE_URL", ""))  # settings only: no database is used
    one = score_share(args.students, args.seed, args.chunk, bare=True)
    responses = 3 * one["students"]
    rate = responses / one["score_seconds"]
    bare_rate = responses / one["bare_seconds"]
    ratio = rate / bare_rate
    national_seconds = 3 * NATIONAL_STUDENTS / rate
    result: dict[str, Any] = {
        "benchmark": "screening_score",
        "students": one["students"],
        "responses": responses,
        "instruments": list(CODES),
        "score_seconds": round(one["score_seconds"], 2),
        "responses_per_s": round(rate),
        "students_per_s": round(one["students"] / one["score_seconds"]),
        "us_per_student": round(1e6 * one["score_seconds"] / one["students"], 2),
        "national_seconds_one_core": round(national_seconds, 1),
        "bare_seconds": round(one["bare_seconds"], 3),
        "bare_responses_per_s": round(bare_rate),
        "ratio_score_to_bare_sum": round(ratio, 4),
        "risk_levels": {k: round(v / one["students"], 4) for k, v in sorted(one["levels"].items())},
        "asq_positive_share": round(one["asq_positive"] / one["students"], 4),
        "asq_declined_share": round(one["asq_declined"] / one["students"], 4),
        "target": None,  # the issue names no scoring target; the national time above is for scale
    }
    print(f"scoring {one['students']:,} students × {len(CODES)} instruments ({', '.join(CODES)}) + default risk rule")
    print(
        f"  one core: {one['score_seconds']:.1f} s = {rate:,.0f} responses/s "
        f"({result['students_per_s']:,} students/s, {result['us_per_student']} µs per student)"
    )
    print(
        f"  limit: bare sum of the answers: {one['bare_seconds']:.2f} s = {bare_rate:,.0f} responses/s; "
        f"ratio scoring / bare sum: {ratio:.3f} (1 / {1 / ratio:.0f})"
    )
    print(
        f"  a national campaign (3.7 million students) on one core: {national_seconds / 60:.1f} min "
        "(the issue names no target for scoring)"
    )
    levels = ", ".join(f"{k} {100 * v:.1f} %" for k, v in result["risk_levels"].items())
    print(
        f"  risk levels: {levels}; ASQ positive {100 * result['asq_positive_share']:.1f} % "
        f"(declined {100 * result['asq_declined_share']:.1f} %)"
    )
    if args.workers > 1:
        par = in_parallel(args.students, args.workers, args.seed, args.chunk)
        result["parallel"] = {
            "workers": par["workers"],
            "students": par["students"],
            "slowest_worker_seconds": round(par["slowest_seconds"], 2),
            "responses_per_s": round(par["responses_per_s"]),
            "speed_up": round(par["responses_per_s"] / rate, 2),
        }
        print(
            f"  {args.workers} processes: {par['slowest_seconds']:.1f} s (slowest worker) = "
            f"{par['responses_per_s']:,.0f} responses/s (× {par['responses_per_s'] / rate:.2f} of one core)"
        )
    result["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
