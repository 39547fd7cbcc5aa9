#!/usr/bin/env python3
"""Benchmark of the child well-being index engine against bare numpy doing the same arithmetic.

    python bench/index.py [--regions 20] [--indicators 56] [--years 10] [--draws 1000] [--repeat 5]

No database and no Django: the engine is pure numpy (``indicators.index``).

1. Builds a synthetic methodology of the 2022 report's shape (4 domains × 14 indicators, a third of
   them "less is better", equal weights, min–max, skip-missing rule) and a synthetic data set of
   ``--regions`` × ``--indicators`` × ``--years`` values (about 2 % missing), written as the
   ``region,indicator,year,value`` CSV the ``wellbeing_index`` command reads.
2. Times the CSV check and layout (``parse_index_csv``: region resolution, validation, arrays).
3. Times ``compute_index`` for every year (normalisation, missing-data rule, domains, index, zones,
   ranks, national figure, year-on-year change — which scores the previous year again — and the gap
   decomposition of every region). Best of ``--repeat``.
4. Times ``run_sensitivity`` with ``--draws`` Dirichlet weight draws and a random normalisation
   (minmax / zscore) per draw, for every year. Best of ``--repeat``.
5. The limits, bare numpy with no missing data, no validation and no bookkeeping:
   * index: min–max of all years at once and one matrix product with the nominal effective weights;
   * sensitivity: per year, the normalised matrix times the N drawn effective-weight vectors, then
     ranks by a double argsort.
   Prints each time, the ratio engine ÷ bare, and one final JSON line. The issue's target is that
   1,000 draws × 20 regions × 56 indicators × 10 years "runs in seconds".
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "qorgau"))

from indicators.index import compute_index, parse_index_csv, parse_methodology, run_sensitivity  # noqa: E402
from indicators.index.methodology import Methodology  # noqa: E402

TARGET_SECONDS = 10.0  # "runs in seconds": the sensitivity analysis of all years under ten seconds
DOMAINS = ("child", "family_society", "state_policy", "country_welfare")


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_methodology(indicators: int, rng: np.random.Generator) -> Methodology:
    """4 domains, ``indicators`` spread over them, a third with negative polarity."""
    names = {"kk": "x", "ru": "x", "en": "x"}
    return parse_methodology(
        {
            "code": "bench",
            "national": {"method": "mean"},
            "domains": [{"code": code, "names": names} for code in DOMAINS],
            "indicators": [
                {
                    "code": f"ind{i:02d}",
                    "names": names,
                    "domain": DOMAINS[i % len(DOMAINS)],
                    "polarity": -1 if rng.random() < 1 / 3 else 1,
                }
                for i in range(indicators)
            ],
        },
        source="bench",
    )


def make_csv(methodology: Methodology, regions: int, years: int, rng: np.random.Generator) -> str:
    """The synthetic data as CSV text; about 2 % of the values are empty cells."""
    lines = ["region,indicator,year,value"]
    for year in range(2030 - years, 2030):
        for r in range(1, regions + 1):
            region = f"KAZ{r:03d}"
            for code in methodology.indicator_codes:
                value = "" if rng.random() < 0.02 else f"{rng.normal(50, 15):.2f}"
                lines.append(f"{region},{code},{year},{value}")
    return "\n".join(lines) + "\n"


def best_of(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """The shortest wall time of ``repeat`` runs, and the last result."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def bare_index(values: np.ndarray, weights: np.ndarray, polarity: np.ndarray) -> np.ndarray:
    """The limit of step 3: min–max over regions for all years at once, one weighted sum (no missing data)."""
    low = values.min(axis=1, keepdims=True)
    high = values.max(axis=1, keepdims=True)
    scores = 100.0 * (values - low) / (high - low)
    scores = np.where(polarity < 0, 100.0 - scores, scores)
    return scores @ weights


def bare_sensitivity(values: np.ndarray, draws: np.ndarray) -> list[np.ndarray]:
    """The limit of step 4: per year, normalised matrix × drawn weights, ranks by a double argsort."""
    ranks = []
    low = values.min(axis=1, keepdims=True)
    high = values.max(axis=1, keepdims=True)
    scores = 100.0 * (values - low) / (high - low)
    for year_scores in scores:
        index = draws @ year_scores.T  # draws × regions
        ranks.append(np.argsort(np.argsort(-index, axis=1), axis=1) + 1)
    return ranks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regions", type=int, default=20)
    parser.add_argument("--indicators", type=int, default=56)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if not 2 <= args.regions <= 20:
        parser.error("--regions must be between 2 and 20 (the p-codes KAZ001-KAZ020)")

    rng = np.random.default_rng(args.seed)
    methodology = make_methodology(args.indicators, rng)
    text = make_csv(methodology, args.regions, args.years, rng)
    rows = text.count("\n") - 1
    csv_seconds, data = best_of(args.repeat, lambda: parse_index_csv(text, methodology, source="bench.csv"))
    years = data.years

    index_seconds, results = best_of(args.repeat, lambda: [compute_index(methodology, data, y) for y in years])
    sens_seconds, spreads = best_of(
        args.repeat,
        lambda: [run_sensitivity(methodology, data, y, draws=args.draws, seed=args.seed + y) for y in years],
    )

    # The bare limits work on complete data: fill the few gaps with the indicator's mean first (untimed).
    values = np.where(np.isnan(data.values), np.nanmean(data.values, axis=1, keepdims=True), data.values)
    effective = methodology.indicator_weights() * methodology.domain_weights()[methodology.domain_index()]
    bare_index_seconds, _ = best_of(args.repeat, lambda: bare_index(values, effective, methodology.polarities()))
    draws = rng.dirichlet(50 * effective, size=args.draws)
    bare_sens_seconds, _ = best_of(args.repeat, lambda: bare_sensitivity(values, draws))

    scored = sum(1 for result in results for region in result.regions.values() if region.score is not None)
    widths = [
        region.rank_p95 - region.rank_p05
        for spread in spreads
        for region in spread.regions.values()
        if region.rank_p05 is not None
    ]
    result: dict[str, Any] = {
        "benchmark": "index",
        "regions": args.regions,
        "indicators": args.indicators,
        "years": len(years),
        "csv_rows": rows,
        "csv_seconds": round(csv_seconds, 4),
        "csv_rows_per_s": round(rows / csv_seconds),
        "index_seconds_all_years": round(index_seconds, 4),
        "index_ms_per_year": round(1000 * index_seconds / len(years), 3),
        "bare_index_seconds": round(bare_index_seconds, 6),
        "ratio_index_to_bare": round(index_seconds / bare_index_seconds, 1),
        "draws": args.draws,
        "sensitivity_seconds_all_years": round(sens_seconds, 3),
        "bare_sensitivity_seconds": round(bare_sens_seconds, 4),
        "ratio_sensitivity_to_bare": round(sens_seconds / bare_sens_seconds, 2),
        "target_seconds": TARGET_SECONDS,
        "ratio_sensitivity_to_target": round(sens_seconds / TARGET_SECONDS, 4),
        "regions_scored": scored,
        "median_rank_interval_width": float(np.median(widths)) if widths else None,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    print(
        f"index of {args.regions} regions × {args.indicators} indicators × {len(years)} years "
        f"({rows:,} CSV rows, ~2 % missing), best of {args.repeat}"
    )
    print(f"  CSV check and layout: {csv_seconds * 1000:.0f} ms ({result['csv_rows_per_s']:,} rows/s)")
    print(
        f"  index, all years (with change and gap decomposition): {index_seconds * 1000:.1f} ms "
        f"({result['index_ms_per_year']} ms per year); bare numpy min-max + weighted sum: "
        f"{bare_index_seconds * 1e6:.0f} µs; ratio {result['ratio_index_to_bare']}"
    )
    print(
        f"  sensitivity, {args.draws:,} draws × {len(years)} years: {sens_seconds:.2f} s; bare numpy "
        f"(matrix × draws, double argsort): {bare_sens_seconds * 1000:.1f} ms; "
        f"ratio {result['ratio_sensitivity_to_bare']}"
    )
    print(
        f"  target: the sensitivity analysis of all years in under {TARGET_SECONDS:.0f} s; "
        f"ratio to the target {result['ratio_sensitivity_to_target']} "
        f"({'met' if sens_seconds < TARGET_SECONDS else 'MISSED'})"
    )
    print(
        f"  {scored} region-years scored; median width of the 5-95 % rank interval: "
        f"{result['median_rank_interval_width']} places; peak RSS {result['peak_rss_mb']} MB"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
