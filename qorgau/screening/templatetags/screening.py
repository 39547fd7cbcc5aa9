"""Template helpers for screening dashboards: suppressed cells and the risk distribution bar."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

register = template.Library()

RISK_COLOURS = {"none": "#cfe8dc", "low": "#f3e3a3", "moderate": "#f2b66d", "high": "#e0734f", "acute": "#b3261e"}


@register.simple_tag
def cell(cells: dict[str, Any], key: str) -> str:
    value = cells.get(key)
    return "<5" if value is None else str(value)


@register.simple_tag
def risk_bar(cells: dict[str, Any]) -> str:
    """A stacked bar of the risk levels of completed students (suppressed cells are left out)."""
    from screening.models import Participant

    parts = [(level, label, cells.get(f"risk_{level}")) for level, label in Participant.RiskLevel.choices]
    total = sum(v for _l, _b, v in parts if v)
    if not total:
        return ""
    # SVG presentation attributes, not inline styles: the page's CSP forbids style attributes.
    rects, legend, x = [], [], 0.0
    for level, label, v in parts:
        if not v:
            continue
        width = 100 * v / total
        rects.append((f"{x:.2f}", f"{width:.2f}", RISK_COLOURS[level], f"{label}: {v}"))
        legend.append((RISK_COLOURS[level], label, v))
        x += width
    bar = format_html_join("", '<rect x="{}" y="0" width="{}" height="10" fill="{}"><title>{}</title></rect>', rects)
    keys = format_html_join(
        " ",
        '<span class="key"><svg width="10" height="10" aria-hidden="true">'
        '<rect width="10" height="10" fill="{}"/></svg> {}: {}</span>',
        legend,
    )
    return format_html(
        '<figure class="riskbar">'
        '<svg viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="{}">{}</svg>'
        "<figcaption>{}</figcaption></figure>",
        _("Risk distribution of completed students"),
        bar,
        keys,
    )
