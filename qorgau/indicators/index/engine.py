"""The child well-being index engine (SPEC §2.6): raw values → 0–100 scores, zones, ranks.

Pure numpy; the methodology (``methodology.py``) says everything that is a choice. The steps, for one
year, with R regions and I indicators:

1. **Missing values, rule "mean"**: a missing raw value becomes the mean of the regions that have one.
2. **Normalisation** to 0–100, parameters taken over the regions of that year only (the national
   row, if any, is scored with the regions' parameters and clipped to [0, 100]); p = polarity:

   * ``minmax``: 100·(x − min)/(max − min), or 100·(max − x)/(max − min) when p = −1;
   * ``goalposts``: the same with the indicator's fixed (min, max), clipped to [0, 100];
   * ``zscore``: the T-score 50 + 10·p·(x − mean)/sd (population sd), clipped to [0, 100]; with
     n regions |z| ≤ (n − 1)/√n, so the clip never acts for n ≤ 26 and 20 regions span 50 ± 43.6;
   * ``distance_to_target``: 100·min(x/t, 1) when p = 1; 100·min(t/x, 1) when p = −1 (x ≤ t is 100).

   An indicator without any value that year, or (minmax, zscore) with the same value everywhere, says
   nothing about the regions: it is left out of that year with a warning.
3. **Missing values, rule "zero"**: a missing score becomes 0.
4. **Domains**: the weighted mean of the indicators present (``arithmetic``), or their weighted
   geometric mean (``geometric``: scores below ``geometric_floor`` are raised to it first, since a
   single 0 would zero the whole domain and min–max always gives the worst region a 0). Rule "skip":
   the weights are re-normalised over the indicators present, and a domain needs at least
   ``min_indicator_share`` of the (nominal) weight of its indicators in use that year, else it is
   missing. Coverage is judged with the nominal weights even inside the sensitivity analysis, so that a
   weight draw never makes a region's domain appear or disappear.
5. **Index**: the same mean over the domains; it needs at least ``min_domain_share`` of the total
   domain weight (a domain with no data at all counts as missing), else it is missing.
6. **Zones** from the methodology's bands; **ranks** by competition ranking (1, 1, 3: tied regions
   share the best rank and the next rank is skipped), scores compared after rounding to 9 decimals so
   that floating-point noise does not split a tie; missing scores have no rank.
7. **National**: ``mean`` of the regions' scores (and of each domain's scores over the regions that
   have it), ``weighted`` by the national weight indicator (e.g. the child population), or
   ``national_row``: steps 1–5 on the country's own row of data.
8. **Year-on-year change**: the same computation on the previous calendar year, when the data has it;
   change = score − previous score. Under min–max both years are relative to that year's regions.
9. **Gap decomposition**: each region's gap to the best region (rank 1, lowest p-code on a tie) split
   by indicator. The index is Σᵢ eᵢ·xᵢ with effective weights eᵢ = (domain weight × indicator weight,
   re-normalised over what the region has), so contribution cᵢ = e_best,ᵢ·x_best,ᵢ − e_r,ᵢ·x_r,ᵢ and
   Σ cᵢ = gap exactly; with full data this is eᵢ·(x_best,ᵢ − x_r,ᵢ). Geometric: log S = Σ eᵢ·ln xᵢ, and
   the gap is shared in proportion to the log terms, cᵢ = L·(e_best,ᵢ·ln x_best,ᵢ − e_r,ᵢ·ln x_r,ᵢ),
   with L = (S_best − S_r)/(ln S_best − ln S_r) the logarithmic mean (LMDI), so Σ cᵢ = gap exactly.

The batched :func:`aggregate` takes N weight draws at once; the sensitivity analysis calls it with
1,000 draws, the nominal computation with one, so both follow the same arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from indicators.index.data import IndexData, YearData
from indicators.index.methodology import Methodology

SHARE_TOLERANCE = 1e-12  # a share computed as 0.5 may come out 0.49999999999999994
RANK_DECIMALS = 9


class EngineError(ValueError):
    """The index cannot be computed from this data (no such year, no region with a score...)."""


@dataclass(frozen=True)
class Normalised:
    """Normalised scores of one year: ``scores`` (rows × indicators, NaN where missing), the rows being
    the regions and then, if given, the national row; ``active`` marks the indicators in use."""

    scores: np.ndarray
    active: np.ndarray
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Aggregated:
    """Domain scores (N × rows × D) and index (N × rows), NaN where missing."""

    domains: np.ndarray
    index: np.ndarray


def normalise(raw: np.ndarray, n_regions: int, methodology: Methodology, method: str | None = None) -> Normalised:
    """Steps 1–3 of the module docstring for ``raw`` (rows × indicators; the first ``n_regions`` rows
    are the regions whose distribution sets the min–max and z-score parameters)."""
    method = method or methodology.normalisation
    if method not in methodology.available_normalisations():
        raise EngineError(
            f"normalisation {method!r} is not usable with methodology {methodology.code!r} "
            f"(usable: {', '.join(methodology.available_normalisations())}; goalposts and distance_to_target "
            "need goalposts / a target on every indicator)"
        )
    raw = np.array(raw, dtype=float)  # a copy: imputation writes into it
    regions = raw[:n_regions]
    counts = np.sum(~np.isnan(regions), axis=0)
    warnings: list[str] = []
    codes = methodology.indicator_codes
    if methodology.missing.rule == "mean":
        with np.errstate(invalid="ignore"):
            means = np.nanmean(np.where(counts > 0, regions, 0.0), axis=0)
        raw = np.where(np.isnan(raw) & (counts > 0), means, raw)
        regions = raw[:n_regions]
    polarity = methodology.polarities()
    active = counts > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        if method in ("minmax", "zscore"):
            if method == "minmax":
                low = np.where(active, np.where(np.isnan(regions), np.inf, regions).min(axis=0), 0.0)
                span = np.where(active, np.where(np.isnan(regions), -np.inf, regions).max(axis=0) - low, 0.0)
                scores = 100.0 * (raw - low) / span
                scores = np.where(polarity < 0, 100.0 - scores, scores)
            else:
                mean = np.where(np.isnan(regions), 0.0, regions).sum(axis=0) / np.maximum(counts, 1)
                span = np.sqrt(np.nansum((regions - mean) ** 2, axis=0) / np.maximum(counts, 1))
                scores = 50.0 + 10.0 * polarity * (raw - mean) / span
            constant = active & (span <= 0)
            for i in np.flatnonzero(constant):
                warnings.append(f"indicator {codes[i]!r} has the same value in every region; left out ({method})")
            active &= ~constant
        elif method == "goalposts":
            posts = np.array([ind.goalposts or (np.nan, np.nan) for ind in methodology.indicators], dtype=float)
            scores = 100.0 * (raw - posts[:, 0]) / (posts[:, 1] - posts[:, 0])
            scores = np.where(polarity < 0, 100.0 - scores, scores)
        elif method == "distance_to_target":
            target = np.array([ind.target or np.nan for ind in methodology.indicators], dtype=float)
            up = 100.0 * np.minimum(raw / target, 1.0)
            down = np.where(raw <= target, 100.0, 100.0 * target / raw)
            scores = np.where(polarity < 0, down, up)
        else:  # pragma: no cover - available_normalisations() only lists the four above
            raise EngineError(f"unknown normalisation {method!r}")
    for i in np.flatnonzero(counts == 0):
        warnings.append(f"indicator {codes[i]!r} has no value in any region; left out")
    scores = np.clip(scores, 0.0, 100.0)  # NaN stays NaN
    scores[:, ~active] = np.nan
    if methodology.missing.rule == "zero":
        scores[:, active] = np.where(np.isnan(scores[:, active]), 0.0, scores[:, active])
    return Normalised(scores, active, tuple(warnings))


def domain_matrix(methodology: Methodology) -> np.ndarray:
    """The one-hot (indicators × domains) membership matrix."""
    matrix = np.zeros((len(methodology.indicators), len(methodology.domains)))
    matrix[np.arange(len(methodology.indicators)), methodology.domain_index()] = 1.0
    return matrix


def _values(scores: np.ndarray, present: np.ndarray, methodology: Methodology) -> np.ndarray:
    """What is averaged: the scores, or their logs (raised to the floor) for geometric means; 0 where absent."""
    if methodology.aggregation == "geometric":
        return np.where(present, np.log(np.maximum(np.where(present, scores, 1.0), methodology.geometric_floor)), 0.0)
    return np.where(present, scores, 0.0)


def _mean_back(mean: np.ndarray, methodology: Methodology) -> np.ndarray:
    return np.exp(mean) if methodology.aggregation == "geometric" else mean


def aggregate(
    norm: Normalised, ind_weights: np.ndarray, dom_weights: np.ndarray, methodology: Methodology
) -> Aggregated:
    """Steps 4–5 for N weight sets at once: ``ind_weights`` (N × I, each domain's summing to 1) and
    ``dom_weights`` (N × D, summing to 1). Returns domains (N × rows × D) and index (N × rows)."""
    member = domain_matrix(methodology)
    present = ~np.isnan(norm.scores) & norm.active  # rows × I
    values = _values(norm.scores, present, methodology)
    has_domain, has_index = coverage(present, norm.active, methodology)
    n_draws, n_rows, n_domains = ind_weights.shape[0], present.shape[0], member.shape[1]
    numerator = np.empty((n_draws, n_rows, n_domains))
    weight_present = np.empty((n_draws, n_rows, n_domains))
    present_f = present.astype(float)
    # One (N × I_d) @ (I_d × rows) product per domain: BLAS does the work, no N × rows × I temporary.
    for d in range(n_domains):
        columns = member[:, d] > 0
        w = ind_weights[:, columns]
        numerator[:, :, d] = w @ values[:, columns].T
        weight_present[:, :, d] = w @ present_f[:, columns].T
    with np.errstate(invalid="ignore", divide="ignore"):
        domains = np.where(has_domain, _mean_back(numerator / weight_present, methodology), np.nan)
        dom_values = _values(domains, has_domain, methodology)
        dom_present = dom_weights[:, None, :] * has_domain  # N × rows × D
        total_present = dom_present.sum(axis=-1)
        mean = (dom_present * dom_values).sum(axis=-1) / total_present
        index = np.where(has_index, _mean_back(mean, methodology), np.nan)
    return Aggregated(domains, index)


def coverage(present: np.ndarray, active: np.ndarray, methodology: Methodology) -> tuple[np.ndarray, np.ndarray]:
    """Which (row, domain) pairs and which rows have enough data (rule "skip", steps 4–5).

    Shares are taken with the nominal weights: coverage is a property of the data, so a weight draw
    of the sensitivity analysis never makes a region's domain appear or disappear.
    """
    member = domain_matrix(methodology)
    nominal = methodology.indicator_weights()
    in_use = (nominal * active) @ member  # D: weight of the indicators in use this year
    with np.errstate(invalid="ignore", divide="ignore"):
        share = ((nominal * present) @ member) / in_use  # rows × D
    has_domain = (in_use > 0) & (share >= methodology.missing.min_indicator_share - SHARE_TOLERANCE)
    domain_share = has_domain @ methodology.domain_weights()  # of all domains, used or not
    has_index = has_domain.any(axis=1) & (domain_share >= methodology.missing.min_domain_share - SHARE_TOLERANCE)
    return has_domain, has_index


def effective_weights(
    norm: Normalised, agg: Aggregated, ind_weights: np.ndarray, dom_weights: np.ndarray, methodology: Methodology
) -> np.ndarray:
    """Each row's weight on each indicator (rows × I) for one weight set: the product of its domain's
    and its own weight, both re-normalised over what the row has; zero where the index is missing."""
    member = domain_matrix(methodology)
    present = ~np.isnan(norm.scores) & norm.active
    has_domain = ~np.isnan(agg.domains[0])
    has_index = ~np.isnan(agg.index[0])
    w_ind = ind_weights * present  # rows × I
    per_domain = w_ind @ member
    w_dom = dom_weights * has_domain  # rows × D
    with np.errstate(invalid="ignore", divide="ignore"):
        w_ind = w_ind / (per_domain @ member.T)
        w_dom = w_dom / w_dom.sum(axis=1, keepdims=True)
    weights = np.nan_to_num(w_ind) * (np.nan_to_num(w_dom) @ member.T)
    return np.where(has_index[:, None], weights, 0.0)


def competition_ranks(scores: np.ndarray) -> np.ndarray:
    """Competition ranks (1, 1, 3) of ``scores`` along the last axis, high score = rank 1, after rounding
    to :data:`RANK_DECIMALS`; NaN scores get rank 0. Works on (..., regions) arrays."""
    rounded = np.round(scores, RANK_DECIMALS)
    valid = ~np.isnan(rounded)
    filled = np.where(valid, rounded, -np.inf)
    better = (filled[..., None, :] > filled[..., :, None]).sum(axis=-1)
    return np.where(valid, better + 1, 0)


# --- one year --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearScores:
    """The arrays of one year, nominal weights: regions' and national scores and what produced them."""

    year: int
    regions: tuple[str, ...]
    norm: Normalised  # rows: the regions, then the national row if the method uses it
    index: np.ndarray  # (regions,)
    domains: np.ndarray  # (regions × D)
    weights: np.ndarray  # effective weights (regions × I)
    national_index: float
    national_domains: np.ndarray  # (D,)
    warnings: tuple[str, ...]


def score_year(methodology: Methodology, year_data: YearData, normalisation: str | None = None) -> YearScores:
    """Steps 1–5 and 7 of the module docstring for one year with the nominal weights."""
    n = len(year_data.regions)
    if n == 0:
        raise EngineError(f"no region has data for {year_data.year}")
    method = methodology.national.method
    raw = year_data.values
    if method == "national_row":
        if year_data.national is None:
            raise EngineError(f"national method 'national_row' but the data has no national row for {year_data.year}")
        raw = np.vstack([raw, year_data.national[None, :]])
    norm = normalise(raw, n, methodology, normalisation)
    ind_w = methodology.indicator_weights()[None, :]
    dom_w = methodology.domain_weights()[None, :]
    agg = aggregate(norm, ind_w, dom_w, methodology)
    weights = effective_weights(norm, agg, ind_w[0], dom_w[0], methodology)[:n]
    index, domains = agg.index[0, :n], agg.domains[0, :n]
    warnings = list(norm.warnings)
    if method == "national_row":
        national_index, national_domains = float(agg.index[0, n]), agg.domains[0, n]
    else:
        if method == "weighted":
            assert year_data.weights is not None
            unweighted = ~np.isnan(index) & np.isnan(year_data.weights)
            lacking = [r for r, bad in zip(year_data.regions, unweighted, strict=True) if bad]
            if lacking:
                raise EngineError(
                    f"{year_data.year}: no value of the weight indicator {methodology.national.weight_indicator!r} "
                    f"for {', '.join(lacking)}"
                )
            pop = np.nan_to_num(year_data.weights)
        else:
            pop = np.ones(n)
        national_index = _weighted_mean(index, pop)
        national_domains = np.array([_weighted_mean(domains[:, d], pop) for d in range(domains.shape[1])])
    for d, code in enumerate(methodology.domain_codes):
        if np.isnan(domains[:, d]).all():
            warnings.append(f"domain {code!r} has no score in any region in {year_data.year}")
    return YearScores(
        year_data.year,
        year_data.regions,
        norm,
        index,
        domains,
        weights,
        national_index,
        national_domains,
        tuple(warnings),
    )


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> float:
    keep = ~np.isnan(values)
    total = weights[keep].sum()
    return float((values[keep] * weights[keep]).sum() / total) if total > 0 else float("nan")


# --- results ---------------------------------------------------------------------------------------


def _num(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


@dataclass(frozen=True)
class Gap:
    """A region's gap to the best region, split by indicator (the contributions sum to ``total``)."""

    best: str
    total: float
    contributions: dict[str, float]


@dataclass(frozen=True)
class RegionResult:
    """One region's index of the year."""

    region: str
    score: float | None
    zone: str | None
    rank: int | None
    domains: dict[str, float | None]
    change: float | None = None
    domain_changes: dict[str, float | None] = field(default_factory=dict)
    gap: Gap | None = None


@dataclass(frozen=True)
class NationalResult:
    """The national figure (see step 7) with its zone and year-on-year change."""

    method: str
    score: float | None
    zone: str | None
    domains: dict[str, float | None]
    change: float | None = None
    domain_changes: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class IndexResult:
    """The index of one year: per region, national, and the warnings met on the way."""

    year: int
    previous_year: int | None
    methodology: str
    normalisation: str
    regions: dict[str, RegionResult]
    national: NationalResult
    warnings: tuple[str, ...] = ()

    def as_dict(self, *, gaps: bool = False) -> dict[str, Any]:
        """The ``wellbeing_index --json`` document (SPEC §3), with ``change`` added to each region and to
        the national figure, and each region's ``gap`` when ``gaps`` is set."""
        regions: dict[str, Any] = {}
        for code, reg in self.regions.items():
            entry: dict[str, Any] = {
                "score": reg.score,
                "zone": reg.zone,
                "rank": reg.rank,
                "domains": reg.domains,
                "change": reg.change,
            }
            if gaps:
                entry["gap"] = (
                    None
                    if reg.gap is None
                    else {"to": reg.gap.best, "total": reg.gap.total, "indicators": reg.gap.contributions}
                )
            regions[code] = entry
        nat = self.national
        return {
            "year": self.year,
            "national": {
                "score": nat.score,
                "zone": nat.zone,
                "domains": nat.domains,
                "change": nat.change,
                "method": nat.method,
            },
            "regions": regions,
            "previous_year": self.previous_year,
            "methodology": self.methodology,
            "normalisation": self.normalisation,
            "warnings": list(self.warnings),
        }


def _gaps(scores: YearScores, ranks: np.ndarray, methodology: Methodology) -> dict[str, Gap]:
    """Step 9: every region's gap to the best region, split by indicator."""
    if not (ranks > 0).any():
        return {}
    order = sorted((int(ranks[i]), code, i) for i, code in enumerate(scores.regions) if ranks[i] > 0)
    best = order[0][2]
    present = ~np.isnan(scores.norm.scores[: len(scores.regions)]) & scores.norm.active
    terms = scores.weights * _values(scores.norm.scores[: len(scores.regions)], present, methodology)
    active = [(j, ind) for j, ind in enumerate(methodology.indicator_codes) if scores.norm.active[j]]
    found: dict[str, Gap] = {}
    for _rank, code, i in order:
        total = float(scores.index[best] - scores.index[i])
        diff = terms[best] - terms[i]
        if methodology.aggregation == "geometric":
            log_gap = float(np.log(scores.index[best]) - np.log(scores.index[i]))
            scale = total / log_gap if abs(log_gap) > 1e-15 else float(scores.index[i])
            diff = diff * scale
        values = diff.tolist()
        contributions = {ind: values[j] for j, ind in active}
        found[code] = Gap(scores.regions[best], total, contributions)
    return found


def _changes(now: np.ndarray, before: np.ndarray | None) -> list[float | None]:
    if before is None:
        return [None] * len(now)
    return [_num(a - b) for a, b in zip(now, before, strict=True)]


def _previous(now: YearScores, before: YearScores | None) -> tuple[np.ndarray | None, np.ndarray]:
    """The previous year's index (regions) and domains (regions × D) in this year's region order; NaN
    for a region absent then. The domains are all NaN (not None) without a previous year, for zip."""
    n_domains = now.domains.shape[1]
    if before is None:
        return None, np.full((len(now.regions), n_domains), np.nan)
    rows = [before.regions.index(r) if r in before.regions else -1 for r in now.regions]
    index = np.array([before.index[k] if k >= 0 else np.nan for k in rows])
    domains = np.array([before.domains[k] if k >= 0 else np.full(n_domains, np.nan) for k in rows])
    return index, domains.reshape(len(rows), n_domains)


def compute_index(
    methodology: Methodology, data: IndexData, year: int, *, normalisation: str | None = None
) -> IndexResult:
    """The index of ``year``: scores, zones, ranks, domains, national figure, change from ``year - 1``
    when the data has that year, and each region's gap decomposition (module docstring, steps 1–9)."""
    if not data.has_year(year):
        known = ", ".join(map(str, data.years)) or "none"
        raise EngineError(f"the data has no values for {year} (years in the file: {known})")
    now = score_year(methodology, data.year(year), normalisation)
    if np.isnan(now.index).all():
        raise EngineError(
            f"no region has enough data for an index in {year}: " + ("; ".join(now.warnings) or "check the data")
        )
    before: YearScores | None = None
    previous_year = year - 1 if data.has_year(year - 1) else None
    if previous_year is not None:
        try:
            before = score_year(methodology, data.year(previous_year), normalisation)
        except EngineError as exc:
            previous_year = None
            now = _with_warning(now, f"no change from {year - 1}: {exc}")
    prev_index, prev_domains = _previous(now, before)
    ranks = competition_ranks(now.index)
    gaps = _gaps(now, ranks, methodology)
    changes = _changes(now.index, prev_index)
    domain_codes = methodology.domain_codes
    regions: dict[str, RegionResult] = {}
    for i, code in enumerate(now.regions):
        score = _num(now.index[i])
        dom_change = _changes(now.domains[i], prev_domains[i])
        regions[code] = RegionResult(
            region=code,
            score=score,
            zone=methodology.zone_of(score),
            rank=int(ranks[i]) or None,
            domains={d: _num(now.domains[i, k]) for k, d in enumerate(domain_codes)},
            change=changes[i],
            domain_changes=dict(zip(domain_codes, dom_change, strict=True)),
            gap=gaps.get(code),
        )
    national_score = _num(now.national_index)
    national_before = None if before is None else before.national_domains
    national = NationalResult(
        method=methodology.national.method,
        score=national_score,
        zone=methodology.zone_of(national_score),
        domains={d: _num(now.national_domains[k]) for k, d in enumerate(domain_codes)},
        change=None if before is None else _num(now.national_index - before.national_index),
        domain_changes=dict(zip(domain_codes, _changes(now.national_domains, national_before), strict=True)),
    )
    return IndexResult(
        year=year,
        previous_year=previous_year,
        methodology=methodology.code,
        normalisation=normalisation or methodology.normalisation,
        regions=regions,
        national=national,
        warnings=tuple(data.warnings) + now.warnings,
    )


def _with_warning(scores: YearScores, warning: str) -> YearScores:
    return replace(scores, warnings=(*scores.warnings, warning))
