#!/usr/bin/env python3
"""Benchmark of reading the four official plan documents, against a bare read of the same files.

    python bench/plan_parse.py [--repeat 5]

No database: ``plans.parsing.parse_plan`` (the reader, the deadline parser and the reporting rules) on
seeds 000, 001 (reconciled with 000), 003 and 004 from ``QORGAU_SEEDS_DIR`` (the repository's
``seeds/``), as ``manage.py plan_parse`` runs it. Each document is read ``--repeat`` times in this
process after one warm-up; the figure is the best total for the four (target < 3 s).

The limit: reading the same four files and splitting them into lines and words — the least any
reader of these texts must do. Prints the ratio parse ÷ bare read, the counts read, and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from seed_national import REPO

TARGET_S = 3.0
DOCUMENTS = ("000", "001", "003", "004")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
    sys.path.insert(0, str(REPO / "qorgau"))
    import django

    django.setup()  # settings only: no database is touched
    from core.seeds import seed_text
    from plans.parsing import parse_plan

    texts = {number: seed_text(number) for number in DOCUMENTS}

    def parse_all() -> dict[str, tuple[int, int, int]]:
        counts = {}
        for number, text in texts.items():
            plan = parse_plan(text, national_text=texts["000"] if number == "001" else None)
            warned = sum(1 for m in plan.measures if m.warnings)
            counts[number] = (len(plan.measures), len(plan.indicators), warned)
        return counts

    def bare_all() -> int:
        words = 0
        for number in DOCUMENTS:
            text = seed_text(number)
            words += sum(len(line.split()) for line in text.splitlines())
        return words

    counts = parse_all()  # warm-up: imports, regular expressions, the agency and region references
    parse_s = min(_timed(parse_all) for _ in range(args.repeat))
    bare_s = min(_timed(bare_all) for _ in range(args.repeat))
    for number, (measures, indicators, warned) in counts.items():
        print(f"  {number}: {measures} measures, {indicators} target indicators, {warned} measures with warnings")
    verdict = "met" if parse_s < TARGET_S else "MISSED"
    print(f"four documents parsed in {parse_s:.2f} s (best of {args.repeat}; target < {TARGET_S:.0f} s: {verdict})")
    ratio = parse_s / bare_s
    print(f"limit: bare read and split of the same files {bare_s * 1000:.1f} ms; ratio parse / bare = {ratio:.0f}")
    print(
        json.dumps(
            {
                "bench": "plan_parse",
                "parse_s": round(parse_s, 3),
                "bare_read_s": round(bare_s, 4),
                "ratio_to_bare": round(parse_s / bare_s, 1),
                "target_s": TARGET_S,
                "counts": {k: {"measures": v[0], "indicators": v[1]} for k, v in counts.items()},
            }
        )
    )


def _timed(fn: object) -> float:
    started = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
