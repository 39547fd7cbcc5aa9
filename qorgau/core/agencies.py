"""Look up an agency or a region from any spelling found in the official documents."""

from __future__ import annotations

from core import reference
from core.models import Agency, Region


def resolve(text: str) -> Agency | None:
    """The agency named by ``text`` (abbreviation, full or former name, kk or ru), or None.

    ``resolve("Еңбекмині") == resolve("МТСЗН")``: both are the Ministry of Labour and Social
    Protection of the Population. Unknown text gives None: never a guess.
    """
    code = reference.resolve_agency_code(text)
    return Agency.objects.filter(code=code).first() if code else None


def resolve_region(text: str) -> Region | None:
    """The region named by ``text`` (p-code, kk/ru/en name or a spelling variant from the seeds)."""
    code = text.strip().upper() if text.strip().upper().startswith("KAZ") else reference.resolve_region_code(text)
    return Region.objects.filter(pcode=code).first() if code else None
