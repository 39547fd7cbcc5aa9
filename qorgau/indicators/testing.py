"""Test support of indicators: builders for the endpoint walk (imported by the root conftest)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Model

from core import audit
from core.models import Region
from core.testing import PUBLIC_URLS, Site, walk_builder
from indicators.models import ImportBatch, Indicator, IndicatorValue, Unit

PUBLIC_URLS.update({"indicators:open-data", "indicators:open-data-csv"})


@walk_builder(Indicator)
def _build_indicator(site: Site) -> Model:
    """A published count of each site's region, so that the open data page has something to hide."""
    with audit.system_context("test fixture"):
        indicator = Indicator.objects.create(
            code=f"walk_{site.region_pcode.lower()}",
            name_kk="Тест көрсеткіші",
            name_ru="Тестовый показатель",
            name_en="Walk indicator",
            unit=Unit.CASES,
            additive=True,
            published=True,
        )
    return indicator


@walk_builder(ImportBatch)
def _build_batch(site: Site) -> Model:
    with audit.system_context("test fixture"):
        return ImportBatch.objects.create(kind=ImportBatch.Kind.FILE, filename=f"walk-{site.region_pcode}.csv")


@walk_builder(IndicatorValue)
def _build_value(site: Site) -> Model:
    with audit.system_context("test fixture"):
        return IndicatorValue.objects.create(
            indicator=site.objects[Indicator],  # type: ignore[misc]
            region=Region.objects.get(pcode=site.region_pcode),
            year=2022,
            value=Decimal(3),
            origin=IndicatorValue.Origin.IMPORT,
            batch=site.objects[ImportBatch],  # type: ignore[misc]
        )
