"""Template helpers of the case pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def shown(value: Any) -> str:
    """A count, or "<5" when it is suppressed (None)."""
    return "<5" if value is None else str(value)


@register.simple_tag
def pick(mapping: dict[str, Any], key: str) -> str:
    if key not in mapping:
        return "0"
    return shown(mapping[key])


@register.filter
def text_in(mapping: dict[str, str], lang: str) -> str:
    """A kk/ru/en text in the page's language (falling back to Russian, then English)."""
    return mapping.get(lang[:2]) or mapping.get("ru") or mapping.get("en") or ""
