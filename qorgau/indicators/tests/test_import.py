"""File import of indicator values: all rows or none, row errors in the user's language, the data rules,
idempotence, XLSX, and the derived rate recomputed from what was imported."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from core.models import User
from indicators.models import ImportBatch, Indicator, IndicatorValue, ValidationFinding
from indicators.tests.conftest import csv_upload, import_csv

pytestmark = pytest.mark.django_db

GOOD = """indicator,region,year,value,sex,area
suicides,KAZ,2022,10,,
suicides,KAZ004,2022,4,,
suicides,Шымкент қ.,2022,6,,
children,,2023,1000000,,
children,Алматы қ.,2023,400000,,
children,KAZ017,2023,"600 000",,
children,KAZ017,2023,300000,male,
poverty,Абай облысы,2022,"7,1",,urban
"""


def test_a_good_file_is_imported_with_its_provenance(analyst: User, catalogue: dict[str, Indicator]) -> None:
    batch = import_csv(analyst, GOOD, "regions.csv")
    assert batch.state == ImportBatch.State.APPLIED, list(batch.findings.values_list("message", flat=True))
    assert (batch.rows, batch.created, batch.updated, batch.unchanged) == (8, 8, 0, 0)
    shymkent = IndicatorValue.objects.get(indicator__code="suicides", region__pcode="KAZ017", year=2022)
    assert shymkent.value == Decimal(6)
    assert (shymkent.origin, shymkent.batch, batch.uploaded_by) == ("import", batch, analyst)
    assert shymkent.provenance == "file regions.csv"
    assert IndicatorValue.objects.get(indicator__code="poverty", area="urban").value == Decimal("7.1")
    assert IndicatorValue.objects.get(indicator__code="children", region__pcode="KAZ017", sex="").value == 600000
    # The regions add up (4 + 6 = 10, 400000 + 600000): no finding.
    assert not batch.findings.exists()


def test_the_same_file_again_changes_nothing(analyst: User, catalogue: dict[str, Indicator]) -> None:
    import_csv(analyst, GOOD)
    again = import_csv(analyst, GOOD)
    assert again.state == ImportBatch.State.APPLIED
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)
    changed = import_csv(analyst, "indicator,region,year,value\nsuicides,KAZ004,2022,5\n")
    assert (changed.created, changed.updated) == (0, 1)
    assert IndicatorValue.objects.get(indicator__code="suicides", region__pcode="KAZ004").batch == changed


BAD = """Көрсеткіш,Өңір,Жыл,Мәні,Жынысы
suicides,KAZ004,2022,4,
nothing,KAZ004,2022,1,
suicides,Атлантида,2022,1,
suicides,KAZ005,20x2,1,
suicides,KAZ006,2022,many,
suicides,KAZ004,2022,4,
suicides,KAZ007,2022,1,male
poverty,KAZ007,2022,130,
suicide_rate,KAZ007,2022,1,
"""


def test_a_file_with_errors_writes_nothing_and_lists_every_row(analyst: User, catalogue: dict[str, Indicator]) -> None:
    batch = import_csv(analyst, BAD)
    assert batch.state == ImportBatch.State.REJECTED
    assert not IndicatorValue.objects.exists()
    found = {(f.row, f.code) for f in batch.findings.all()}
    assert found == {
        (3, "unknown-indicator"),
        (4, "unknown-region"),
        (5, "bad-year"),
        (6, "bad-number"),
        (7, "duplicate-row"),
        (8, "not-by-sex"),
        (9, "out-of-range"),
        (10, "derived-indicator"),
    }
    assert batch.errors == 8
    texts = {f.row: str(f.text()) for f in batch.findings.all()}
    assert texts[4] == "Unknown region “Атлантида”."
    assert texts[7] == "The same indicator, region, year and breakdown is already in row 2."
    assert texts[9] == "Poverty: 130 is outside the valid range 0 … 100."
    with translation.override("ru"):
        assert ValidationFinding.objects.get(batch=batch, row=4).text() == "Неизвестный регион «Атлантида»."


def test_unreadable_files_are_rejected_with_the_reason(analyst: User, catalogue: dict[str, Indicator]) -> None:
    unknown = import_csv(analyst, "indicator,year,value,colour\nsuicides,2022,1,red\n")
    assert unknown.state == ImportBatch.State.REJECTED
    assert unknown.findings.get().text() == "The file cannot be read: Unknown columns: colour."
    pdf = import_csv(analyst, "%PDF-1.4", "report.pdf")
    assert pdf.findings.get().code == "file"
    empty = import_csv(analyst, "indicator,region,year,value\n")
    assert empty.state == ImportBatch.State.REJECTED


def test_regions_against_the_national_total_and_year_on_year_jumps(
    analyst: User, catalogue: dict[str, Indicator]
) -> None:
    import_csv(analyst, "indicator,region,year,value\nsuicides,KAZ004,2021,20\nsuicides,KAZ,2021,20\n")
    batch = import_csv(
        analyst,
        "indicator,region,year,value\nsuicides,KAZ,2022,100\nsuicides,KAZ004,2022,40\nsuicides,KAZ017,2022,50\n",
    )
    assert batch.state == ImportBatch.State.APPLIED
    regional = batch.findings.get(code="regional-sum")
    assert regional.severity == "warning"
    assert regional.text() == (
        "Suicides, 2022: the 2 regions add up to 90, but the national total is 100 (difference -10)."
    )
    jumps = sorted(f.text() for f in batch.findings.filter(code="year-jump"))
    assert jumps == [
        "Suicides, Almaty: 20 in 2021, 40 in 2022 (+100 %).",
        "Suicides, Kazakhstan: 20 in 2021, 100 in 2022 (+400 %).",
    ]
    # The rate cannot be computed without the children of 2022 and 2023: said once per suicide figure.
    missing = batch.findings.filter(code="no-denominator")
    assert missing.count() == 5
    assert missing.get(region__pcode="KAZ004", year=2021).text() == (
        "Suicide rate, Almaty, 2021: no value of Children for 2022."
    )
    assert batch.warnings == batch.findings.count() == 8


def test_small_counts_are_not_compared_year_on_year(analyst: User, catalogue: dict[str, Indicator]) -> None:
    import_csv(analyst, "indicator,region,year,value\nsuicides,KAZ004,2021,2\n")
    batch = import_csv(analyst, "indicator,region,year,value\nsuicides,KAZ004,2022,5\n")
    assert not batch.findings.filter(code="year-jump").exists()


def test_the_rate_is_recomputed_with_both_parts(analyst: User, catalogue: dict[str, Indicator]) -> None:
    batch = import_csv(analyst, GOOD)
    rate = IndicatorValue.objects.select_related("numerator", "denominator").get(
        indicator__code="suicide_rate", region__pcode="KAZ017"
    )
    # 6 suicides in 2022 / 600000 children at the start of 2023 (offset 1) * 100000 = 1.
    assert rate.value == Decimal(1)
    assert rate.numerator.batch == rate.denominator.batch == batch
    assert (rate.origin, rate.batch) == ("derived", batch)
    # Kazakhstan 2022: 10 / 1000000 * 100000 = 1; Almaty: 4 / 400000 * 100000 = 1.
    assert set(IndicatorValue.objects.filter(indicator__code="suicide_rate").values_list("value", flat=True)) == {1}


def test_xlsx_files_are_read_too(analyst: User, catalogue: dict[str, Indicator]) -> None:
    from openpyxl import Workbook

    from core import audit
    from indicators.importers import import_file

    book = Workbook()
    sheet = book.active
    sheet.append(["Показатель", "Регион", "Год", "Значение", "Местность"])
    sheet.append(["poverty", "ВКО", 2022, 5.5, "село"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    with audit.user_context(analyst):
        batch = import_file(analyst, out, "values.xlsx")
    assert batch.state == ImportBatch.State.APPLIED
    stored = IndicatorValue.objects.get(indicator__code="poverty")
    assert (stored.region.pcode, stored.area, stored.value) == ("KAZ008", "rural", Decimal("5.5"))


def test_only_analysts_import(psychologist: User, catalogue: dict[str, Indicator]) -> None:
    from core import audit
    from indicators.importers import import_file

    with audit.user_context(psychologist), pytest.raises(PermissionDenied):
        import_file(psychologist, csv_upload(GOOD), "values.csv")
    assert not ImportBatch.objects.exists()
