"""Target indicators: the plan's yearly targets against the actual values, and the trajectory between them.

The trajectory is the straight line from the baseline to the final target. The baseline is the actual
value of the year before the plan starts (the plans state targets only, so an analyst enters it). Without
a baseline the line starts at the first year's target, and the page says so.

The direction of an indicator (higher or lower is better) is read from the numbers: a final target below
the first one (or, with a single target, below the baseline) means "lower is better" (offences, suicides,
the wear of hospitals); constant targets are read as "at least" and flagged. A year is *on track* when its actual
value is on the good side of the trajectory, and its *target met* when on the good side of its target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from plans.models import Plan, TargetIndicator

# Rounding noise of values entered with one or two decimals must not put a year off track.
_EPSILON = 1e-9


@dataclass
class YearProgress:
    """One year of an indicator: its target, its actual value, the trajectory's value, and the verdicts."""

    year: int
    target: float | None
    actual: float | None
    trajectory: float | None
    on_track: bool | None
    target_met: bool | None
    baseline: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "target": self.target,
            "actual": self.actual,
            "trajectory": self.trajectory,
            "on_track": self.on_track,
            "target_met": self.target_met,
            "baseline": self.baseline,
        }


@dataclass
class IndicatorProgress:
    """An indicator's years from the baseline year to the plan's last year."""

    indicator: TargetIndicator
    direction: str  # "up": higher is better; "down": lower is better
    baseline: float | None
    years: list[YearProgress]
    notes: list[str] = field(default_factory=list)

    @property
    def latest(self) -> YearProgress | None:
        """The last year with an actual value (not the baseline)."""
        measured = [y for y in self.years if y.actual is not None and not y.baseline]
        return measured[-1] if measured else None

    @property
    def on_track(self) -> bool | None:
        latest = self.latest
        return latest.on_track if latest else None

    def to_json(self) -> dict[str, Any]:
        ind = self.indicator
        return {
            "uuid": str(ind.uuid),
            "number": ind.number,
            "name": ind.name,
            "unit": ind.unit,
            "version": ind.version,
            "direction": self.direction,
            "baseline": self.baseline,
            "on_track": self.on_track,
            "years": [y.to_json() for y in self.years],
            "notes": [str(n) for n in self.notes],
        }


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _better_or_equal(value: float, reference: float, direction: str) -> bool:
    return value >= reference - _EPSILON if direction == "up" else value <= reference + _EPSILON


def indicator_progress(indicator: TargetIndicator, plan: Plan | None = None) -> IndicatorProgress:
    """Targets, actual values, trajectory and verdicts of one indicator."""
    plan = plan or indicator.plan
    targets = {
        int(k): v for k, v in ((int(k), _number(v)) for k, v in (indicator.targets or {}).items()) if v is not None
    }
    actuals = {
        int(k): v for k, v in ((int(k), _number(v)) for k, v in (indicator.actuals or {}).items()) if v is not None
    }
    base_year = plan.period_start - 1
    baseline = actuals.get(base_year)
    notes: list[Any] = []
    if not targets:
        notes.append(_("The plan gives no yearly targets for this indicator."))
        years = [
            YearProgress(y, None, actuals.get(y), None, None, None, baseline=y == base_year)
            for y in range(base_year, plan.period_end + 1)
        ]
        return IndicatorProgress(indicator, "up", baseline, years, notes)
    final_year = max(targets)
    final = targets[final_year]
    first_year = min(targets)
    if baseline is not None:
        start_year, start = base_year, baseline
    else:
        start_year, start = first_year, targets[first_year]
        notes.append(
            _("No baseline: enter the actual value of %(year)s to start the trajectory from it.") % {"year": base_year}
        )
    # The targets' own slope says which way is better; a single target is compared with the baseline.
    if targets[first_year] != final:
        direction = "down" if final < targets[first_year] else "up"
    elif baseline is not None and baseline != final:
        direction = "down" if final < baseline else "up"
    else:
        direction = "up"
        notes.append(_("The targets do not say which way is better: read as a level to reach or keep."))
    years = []
    for year in range(base_year, plan.period_end + 1):
        trajectory = None
        if start_year <= year <= final_year:
            span = final_year - start_year
            trajectory = final if span == 0 else round(start + (final - start) * (year - start_year) / span, 4)
        actual = actuals.get(year)
        target = targets.get(year)
        is_base = year == base_year
        on_track = None
        target_met = None
        if actual is not None and not is_base:
            if trajectory is not None:
                on_track = _better_or_equal(actual, trajectory, direction)
            if target is not None:
                target_met = _better_or_equal(actual, target, direction)
        years.append(YearProgress(year, target, actual, trajectory, on_track, target_met, baseline=is_base))
    return IndicatorProgress(indicator, direction, baseline, years, notes)


def plan_progress(plan: Plan) -> list[IndicatorProgress]:
    """Every target indicator of the plan, in its order."""
    return [indicator_progress(i, plan) for i in plan.indicators.order_by("position")]
