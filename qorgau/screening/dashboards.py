"""Campaign dashboards: completion, consent and risk by class, school, district or region.

The numbers are aggregates of :class:`~screening.models.Participant` rows of one campaign, grouped one
level below the territory looked at (a region by district, a district by school, a school by class).
Anyone who is not on the staff of the school a row describes sees counts of 1–4 suppressed ("<5"), and
a second cell of the same row is suppressed when a single one would let the hidden value be worked out
from the row total. The query is one GROUP BY served by the ``participant_dashboard`` index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core import scope
from core.models import Organisation, OrganisationKind, Region
from screening.models import Campaign, Participant

SUPPRESS_BELOW = 5
LEVELS = ["none", "low", "moderate", "high", "acute"]
COLUMNS: list[tuple[str, Any]] = [
    ("participants", _("students")),
    ("consent_granted", _("consent granted")),
    ("consent_refused", _("consent refused")),
    ("consent_unknown", _("no consent yet")),
    ("completed", _("completed")),
    *[(f"risk_{level}", label) for level, label in Participant.RiskLevel.choices],
]


@dataclass
class Row:
    key: Any
    label: str
    cells: dict[str, int | None] = field(default_factory=dict)  # None = suppressed
    exact: bool = False

    @property
    def completion(self) -> float | None:
        done, granted = self.cells.get("completed"), self.cells.get("consent_granted")
        if done is None or not granted:
            return None
        return round(100 * done / granted, 1)


@dataclass
class Dashboard:
    campaign: Campaign
    scope_label: str
    group_label: Any
    rows: list[Row]
    total: Row
    suppressed: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "campaign": str(self.campaign.uuid),
            "scope": self.scope_label,
            "group_by": str(self.group_label),
            "columns": [c for c, _ in COLUMNS],
            "rows": [
                {"key": str(r.key), "label": r.label, **r.cells, "completion_pct": r.completion} for r in self.rows
            ],
            "total": {**self.total.cells, "completion_pct": self.total.completion},
            "suppression_threshold": SUPPRESS_BELOW,
        }


def schools_of(user: Any) -> set[int]:
    """Schools where the user works (a direct assignment there): they see their own numbers exactly."""
    return {g.organisation_id for g in scope.grants(user) if not g.include_subtree}


def _group(node: Organisation | None) -> tuple[str, str, Any]:
    """(filter field, group field, label of the groups) for a territory node."""
    if node is None or node.kind == OrganisationKind.COUNTRY:
        return "", "region_id", _("region")
    if node.kind == OrganisationKind.REGION:
        return "region_id", "district_id", _("district")
    if node.kind == OrganisationKind.DISTRICT:
        return "district_id", "school_id", _("school")
    return "school_id", "class_name", _("class")


def build(campaign: Campaign, user: Any, node: Organisation | None = None) -> Dashboard:
    filter_field, group_field, group_label = _group(node)
    qs = Participant.objects.filter(campaign=campaign)
    if filter_field:
        value = node.region_id if filter_field == "region_id" else node.pk  # type: ignore[union-attr]
        qs = qs.filter(**{filter_field: value})
    counts: dict[Any, dict[str, int]] = {}
    for key, status, consent, risk, n in (
        qs.values_list(group_field, "status", "consent", "risk_level").annotate(n=Count("id")).order_by()
    ):
        c = counts.setdefault(key, dict.fromkeys((k for k, _ in COLUMNS), 0))
        c["participants"] += n
        c[f"consent_{consent}"] += n
        if status == Participant.Status.COMPLETED:
            c["completed"] += n
            if risk:
                c[f"risk_{risk}"] += n
    own = schools_of(user)
    whole_school = filter_field == "school_id" and node is not None and node.pk in own
    labels = _labels(group_field, counts.keys())
    rows = []
    for key in sorted(counts, key=lambda k: labels.get(k, str(k))):
        exact = whole_school or (group_field == "school_id" and key in own)
        rows.append(_row(key, labels.get(key, str(key) if key else "—"), counts[key], exact))
    totals = dict.fromkeys((k for k, _ in COLUMNS), 0)
    for c in counts.values():
        for k, v in c.items():
            totals[k] += v
    total = _row("total", str(_("Total")), totals, whole_school)
    return Dashboard(
        campaign=campaign,
        scope_label=node.name if node else str(_("Kazakhstan")),
        group_label=group_label,
        rows=rows,
        total=total,
        suppressed=not whole_school,
    )


def _labels(group_field: str, keys: Iterable[Any]) -> dict[Any, str]:
    keys = [k for k in keys if k is not None]
    if group_field == "region_id":
        return {r.pk: r.name for r in Region.objects.filter(pk__in=keys)}
    if group_field in ("district_id", "school_id"):
        return {o.pk: o.name for o in Organisation.objects.filter(pk__in=keys)}
    return {k: str(k) for k in keys}


def suppress(cells: dict[str, int]) -> dict[str, int | None]:
    """Hide counts of 1–4; if a group of cells that sum to a shown total has one hidden, hide the next smallest."""
    out: dict[str, int | None] = {k: (None if 0 < v < SUPPRESS_BELOW else v) for k, v in cells.items()}
    groups = [
        ["consent_granted", "consent_refused", "consent_unknown"],
        [f"risk_{level}" for level in LEVELS],
    ]
    for group in groups:
        hidden = [k for k in group if out[k] is None]
        if len(hidden) == 1:
            shown = sorted((k for k in group if out[k]), key=lambda k: cells[k])
            if shown:
                out[shown[0]] = None
    return out


def _row(key: Any, label: str, cells: dict[str, int], exact: bool) -> Row:
    return Row(key=key, label=label, cells=dict(cells) if exact else suppress(cells), exact=exact)


def territory_nodes(user: Any) -> list[Organisation]:
    """Territory nodes a dashboard can be looked at for: the country, regions and districts in the user's view."""
    return list(
        Organisation.objects.restrict(user, "view")
        .filter(kind__in=[OrganisationKind.COUNTRY, OrganisationKind.REGION, OrganisationKind.DISTRICT])
        .order_by("path")[:500]
    )
