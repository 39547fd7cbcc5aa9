"""Uncertainty and sensitivity of the regions' ranks (OECD/JRC Handbook on Constructing Composite
Indicators, 2008, steps 6 and 7: "uncertainty and sensitivity analysis").

Two inputs of the index are choices, not facts: the weights and the normalisation. Each Monte Carlo
draw re-makes both and recomputes the whole index of the year:

* **weights**: the domain weights are drawn from a Dirichlet distribution centred on the nominal
  weights, Dirichlet(c·W), and each domain's indicator weights likewise, Dirichlet(c·wᵢ). The mean of
  a draw is the nominal weight and its variance w(1 − w)/(c + 1): ``concentration`` c = 50 lets a
  domain weight of 0.25 vary with a standard deviation of 0.061 (about a quarter of itself); a large c
  pins the weights to the nominal ones;
* **normalisation**: one of ``normalisations`` (by default minmax and zscore, plus goalposts /
  distance_to_target when every indicator carries goalposts / a target), chosen uniformly per draw.

The missing-data rule, aggregation and zones stay those of the methodology. For each region the
result is its nominal rank, the median and the 5th and 95th percentiles of its rank over the draws
(percentiles by the inverted empirical distribution, so they are ranks that occurred), the same for
its score, and the number of draws in which it had a score at all.

The draws come from ``numpy.random.default_rng(seed)`` in a fixed order (normalisation choices, then
domain weights, then each domain's indicator weights in file order), so a seed reproduces a run.
All N draws of one normalisation go through :func:`engine.aggregate` as one batch: no Python loop
over draws or regions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from indicators.index.data import IndexData
from indicators.index.engine import EngineError, aggregate, competition_ranks, normalise
from indicators.index.methodology import Methodology


@dataclass(frozen=True)
class RegionSensitivity:
    """One region's rank and score distribution over the draws."""

    nominal_rank: int | None
    median_rank: int | None
    rank_p05: int | None
    rank_p95: int | None
    score_p05: float | None
    score_median: float | None
    score_p95: float | None
    draws_with_score: int


@dataclass(frozen=True)
class SensitivityResult:
    """The Monte Carlo run of one year."""

    year: int
    draws: int
    seed: int
    concentration: float
    normalisations: dict[str, int]  # normalisation -> number of draws that used it
    regions: dict[str, RegionSensitivity]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (the ``sensitivity`` part of ``wellbeing_index --json``)."""
        return {
            "year": self.year,
            "draws": self.draws,
            "seed": self.seed,
            "concentration": self.concentration,
            "normalisations": self.normalisations,
            "regions": {code: reg.__dict__.copy() for code, reg in self.regions.items()},
        }


def sample_weights(
    methodology: Methodology, draws: int, concentration: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw (indicator weights N × I, each domain's summing to 1; domain weights N × D summing to 1)."""
    dom_w = rng.dirichlet(concentration * methodology.domain_weights(), size=draws)
    nominal = methodology.indicator_weights()
    domain_of = methodology.domain_index()
    ind_w = np.empty((draws, len(nominal)))
    for d in range(len(methodology.domains)):
        columns = np.flatnonzero(domain_of == d)
        ind_w[:, columns] = rng.dirichlet(concentration * nominal[columns], size=draws)
    return ind_w, dom_w


def _quantiles(values: np.ndarray, qs: tuple[float, ...]) -> list[float]:
    return [float(v) for v in np.quantile(values, qs, method="inverted_cdf")]


def run_sensitivity(
    methodology: Methodology,
    data: IndexData,
    year: int,
    *,
    draws: int | None = None,
    seed: int | None = None,
    concentration: float | None = None,
    normalisations: tuple[str, ...] | None = None,
) -> SensitivityResult:
    """Run the Monte Carlo analysis of ``year`` (arguments left None come from the methodology's
    ``sensitivity`` section)."""
    spec = methodology.sensitivity
    draws = spec.draws if draws is None else draws
    seed = spec.seed if seed is None else seed
    concentration = spec.concentration if concentration is None else concentration
    choices = normalisations or spec.normalisations or methodology.available_normalisations()
    if draws < 1:
        raise EngineError(f"the sensitivity analysis needs at least one draw, got {draws}")
    if concentration <= 0:
        raise EngineError(f"the Dirichlet concentration must be positive, got {concentration:g}")
    unusable = [c for c in choices if c not in methodology.available_normalisations()]
    if unusable:
        raise EngineError(
            f"normalisation(s) {', '.join(unusable)} need goalposts / targets on every indicator "
            f"(usable here: {', '.join(methodology.available_normalisations())})"
        )
    if not data.has_year(year):
        raise EngineError(f"the data has no values for {year}")
    year_data = data.year(year)
    n_regions = len(year_data.regions)
    rng = np.random.default_rng(seed)
    picked = rng.integers(len(choices), size=draws)
    ind_w, dom_w = sample_weights(methodology, draws, concentration, rng)
    index = np.full((draws, n_regions), np.nan)
    for k, choice in enumerate(choices):
        chosen = picked == k
        if chosen.any():
            norm = normalise(year_data.values, n_regions, methodology, choice)
            index[chosen] = aggregate(norm, ind_w[chosen], dom_w[chosen], methodology).index
    ranks = competition_ranks(index)
    nominal_norm = normalise(year_data.values, n_regions, methodology)
    nominal = aggregate(
        nominal_norm, methodology.indicator_weights()[None, :], methodology.domain_weights()[None, :], methodology
    ).index
    nominal_ranks = competition_ranks(nominal)[0]
    qs = (0.05, 0.5, 0.95)
    scored_draws = (ranks > 0).sum(axis=0)
    # Regions scored in every draw (the usual case) in one call; the others one by one.
    complete = scored_draws == draws
    rank_all = np.quantile(ranks[:, complete], qs, axis=0, method="inverted_cdf")
    score_all = np.quantile(index[:, complete], qs, axis=0, method="inverted_cdf")
    column = np.cumsum(complete) - 1
    regions: dict[str, RegionSensitivity] = {}
    for r, code in enumerate(year_data.regions):
        scored = ranks[:, r] > 0
        if scored.any():
            if complete[r]:
                rank_q = rank_all[:, column[r]].tolist()
                score_q = score_all[:, column[r]].tolist()
            else:
                rank_q = _quantiles(ranks[scored, r], qs)
                score_q = _quantiles(index[scored, r], qs)
            stats = RegionSensitivity(
                nominal_rank=int(nominal_ranks[r]) or None,
                median_rank=int(rank_q[1]),
                rank_p05=int(rank_q[0]),
                rank_p95=int(rank_q[2]),
                score_p05=score_q[0],
                score_median=score_q[1],
                score_p95=score_q[2],
                draws_with_score=int(scored_draws[r]),
            )
        else:
            stats = RegionSensitivity(int(nominal_ranks[r]) or None, None, None, None, None, None, None, 0)
        regions[code] = stats
    counts = {choice: int((picked == k).sum()) for k, choice in enumerate(choices)}
    return SensitivityResult(year, draws, seed, float(concentration), counts, regions)
