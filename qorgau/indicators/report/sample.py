"""SAMPLE DATA for tests and sample reports, NOT the well-being index engine.

The report needs index results (score, zone and rank per region and domain), which the index engine
computes from the official methodology. Until it is wired in, the tests and the sample reports need
some results of the right shape computed from real figures, so :func:`stand_in_index` does the
simplest thing SPEC §2.6 describes, on two indicators of seed 002 per domain: min-max over the regions
to 0-100 (flipped where more is worse), the mean per domain, the mean of the domains. Its numbers are
illustrative only and must never be published as the index.
"""

from __future__ import annotations

from collections.abc import Iterable
from statistics import mean
from typing import Any

from indicators.report.data import competition_ranks, zone_of
from indicators.seed002 import rate
from indicators.seed002_types import NATIONAL, Value

# domain -> [(indicator or derived figure, polarity)], all for the report year.
SAMPLE_INDICATORS: dict[str, list[tuple[str, str]]] = {
    "child": [("child_suicide_rate", "negative"), ("preschool_coverage_1_6", "positive")],
    "family_society": [("poverty_rate", "negative"), ("infant_mortality_rate", "negative")],
    "state_policy": [("hot_meal_share", "positive"), ("extracurricular_per_1000", "positive")],
    "country_welfare": [("unemployment_rate", "negative"), ("schools_cctv_share", "positive")],
}


def _figures(values: list[Value], year: int) -> dict[str, dict[str, float]]:
    """indicator -> region -> value (totals of ``year``, doubtful ones left out), plus two derived shares."""
    figures: dict[str, dict[str, float]] = {}
    for value in values:
        if value.is_total and value.year == year and not value.doubtful:
            figures.setdefault(value.indicator, {})[value.region] = value.value
    meals, students = figures.get("hot_meal_students", {}), figures.get("secondary_students", {})
    figures["hot_meal_share"] = {
        region: meals[region] / students[region] * 100 for region in meals if students.get(region)
    }
    figures["extracurricular_per_1000"] = {
        r.region: r.value for r in rate(values, "extracurricular_students", "children_0_17", 1000, year=year)
    }
    return figures


def _normalised(by_region: dict[str, float], polarity: str) -> dict[str, float]:
    regional = {region: value for region, value in by_region.items() if region != NATIONAL}
    if len(regional) < 2:
        return {}
    low, high = min(regional.values()), max(regional.values())
    if high == low:
        return dict.fromkeys(by_region, 50.0)
    scaled = {}
    for region, value in by_region.items():
        share = (value - low) / (high - low)
        share = min(max(share, 0.0), 1.0)  # the national figure may fall outside the regions' range
        scaled[region] = 100 * (1 - share if polarity == "negative" else share)
    return scaled


def stand_in_index(values: Iterable[Value], year: int, regions: Iterable[str]) -> dict[str, Any]:
    """Illustrative index results for ``regions`` in the ``wellbeing_index`` JSON shape (see module doc)."""
    values = list(values)
    figures = _figures(values, year)
    domains: dict[str, dict[str, float | None]] = {}
    for domain, indicators in SAMPLE_INDICATORS.items():
        scaled = [_normalised(figures.get(code, {}), polarity) for code, polarity in indicators]
        domains[domain] = {}
        for region in [*regions, NATIONAL]:
            present = [s[region] for s in scaled if region in s]
            domains[domain][region] = round(mean(present), 1) if present else None
    result: dict[str, Any] = {"year": year, "regions": {}}
    scores: dict[str, float | None] = {}
    for region in [*regions, NATIONAL]:
        present = [score for d in domains if (score := domains[d][region]) is not None]
        scores[region] = round(mean(present), 1) if present else None
    ranks = competition_ranks({r: s for r, s in scores.items() if r != NATIONAL})
    for region in regions:
        result["regions"][region] = {
            "score": scores[region],
            "zone": zone_of(scores[region]),
            "rank": ranks[region],
            "domains": {d: domains[d][region] for d in domains},
        }
    result["national"] = {"score": scores[NATIONAL], "domains": {d: domains[d][NATIONAL] for d in domains}}
    return result
