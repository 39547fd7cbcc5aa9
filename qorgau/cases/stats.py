"""Workload and timeliness by region: open cases by category and risk, time to first action, steps on time.

Staff see the cases in their scope exactly; analysts (``statistics.view``) see every region with counts
of 1–4 suppressed, like the screening dashboards.
"""

from __future__ import annotations

import datetime as dt
import statistics as pystats
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from cases.models import Case, CaseTask, Category, RiskLevel
from core import scope
from core.models import Region
from screening.dashboards import SUPPRESS_BELOW


@dataclass
class RegionRow:
    region: str
    open: int | None = 0
    by_category: dict[str, int | None] = field(default_factory=dict)
    by_risk: dict[str, int | None] = field(default_factory=dict)
    first_action_hours: float | None = None
    on_time_pct: float | None = None


@dataclass
class Board:
    rows: list[RegionRow]
    suppressed: bool
    categories: list[tuple[str, Any]]
    risks: list[tuple[str, Any]]


def _cases(user: Any) -> tuple[Any, bool]:
    if scope.can(user, "case.view"):
        return Case.objects.restrict(user, "view"), False
    return Case.objects.all(), True  # statistics.view: aggregates only, suppressed


def _hide(value: int, suppressed: bool) -> int | None:
    return None if suppressed and 0 < value < SUPPRESS_BELOW else value


def build(user: Any, days: int = 90) -> Board:
    cases, suppressed = _cases(user)
    names = {r.pk: r.name for r in Region.objects.all()}
    rows: dict[Any, RegionRow] = {}

    def row(region_id: Any) -> RegionRow:
        return rows.setdefault(region_id, RegionRow(region=names.get(region_id, "—")))

    open_cases = cases.exclude(status=Case.Status.CLOSED)
    for region_id, category, risk, n in (
        open_cases.values_list("region_id", "category", "risk_level").annotate(n=Count("id")).order_by()
    ):
        r = row(region_id)
        r.open = (r.open or 0) + n
        r.by_category[category] = (r.by_category.get(category) or 0) + n
        r.by_risk[risk] = (r.by_risk.get(risk) or 0) + n
    since = timezone.now() - dt.timedelta(days=days)
    recent = cases.filter(opened_at__gte=since, first_action_at__isnull=False)
    delays: dict[Any, list[float]] = {}
    for region_id, opened, first in recent.values_list("region_id", "opened_at", "first_action_at").iterator():
        delays.setdefault(region_id, []).append((first - opened).total_seconds() / 3600)
    for region_id, values in delays.items():
        row(region_id).first_action_hours = round(pystats.median(values), 1)
    tasks = CaseTask.objects.filter(case__in=cases, due_at__gte=since, due_at__lte=timezone.now())
    for region_id, total, on_time in (
        tasks.values_list("case__region_id")
        .annotate(total=Count("id"), on_time=Count("id", filter=Q(status="done", completed_at__lte=F("due_at"))))
        .order_by()
    ):
        if total:
            row(region_id).on_time_pct = round(100 * on_time / total, 1)
    for r in rows.values():
        r.open = _hide(r.open or 0, suppressed)
        r.by_category = {k: _hide(v or 0, suppressed) for k, v in r.by_category.items()}
        r.by_risk = {k: _hide(v or 0, suppressed) for k, v in r.by_risk.items()}
    return Board(
        rows=sorted(rows.values(), key=lambda r: r.region),
        suppressed=suppressed,
        categories=list(Category.choices),
        risks=list(RiskLevel.choices),
    )
