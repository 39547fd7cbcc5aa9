"""Loading seed 002 into the database: catalogue, values with provenance, the report's errors as findings,
the computed rate, idempotence and the command.

Expected figures were read by hand from the seed (002_15c1bbca033d1547.txt; Lnnn = 1-based line).
"""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from core.models import AuditEntry
from indicators.models import ImportBatch, Indicator, IndicatorValue, ValidationFinding
from indicators.seed002 import rate, read_report
from indicators.tests.conftest import seed_file

pytestmark = pytest.mark.django_db


def value(code: str, pcode: str | None, year: int, **breakdown: str) -> IndicatorValue:
    qs = IndicatorValue.objects.filter(indicator__code=code, year=year, **({"sex": "", "area": ""} | breakdown))
    qs = qs.filter(region__isnull=True) if pcode is None else qs.filter(region__pcode=pcode)
    return qs.get()


def test_values_carry_their_figures_and_provenance(seed002: ImportBatch) -> None:
    assert seed002.state == ImportBatch.State.APPLIED
    assert seed002.kind == ImportBatch.Kind.DOCUMENT and seed002.document == "002"
    assert seed002.rows == 1128 and seed002.created == 1128
    # L832 "ҚР 6617000 3401929 3215071 6717954 3444693 3273261": children 0-17 at the start of 2022 and 2023.
    total = value("children_0_17", None, 2022)
    assert total.value == Decimal(6617000)
    assert (total.origin, total.document, total.table, total.line, total.column) == (
        "document",
        "002",
        "2.1",
        832,
        "total_2022",
    )
    assert total.as_of.isoformat() == "2022-01-01" and total.age == "0-17"
    assert value("children_0_17", None, 2023, sex="female").value == Decimal(3273261)
    # L871 " Шымкент қ. 469089 237585 231504 482954 244869 238085"
    assert value("children_0_17", "KAZ017", 2023).value == Decimal(482954)
    # L1881 "Дереккөз: ҚР ҚСжАЕК деректері": the legal statistics committee is the source of table 2.5.
    assert Indicator.objects.get(code="child_suicides").source_agency.code == "legal_stats"
    assert Indicator.objects.get(code="children_0_17").source_agency.code == "national_statistics"


def test_catalogue_entries_from_the_yaml(seed002: ImportBatch) -> None:
    children = Indicator.objects.get(code="children_0_17")
    assert (children.unit, children.polarity, children.domain.code) == ("persons", "neutral", "child")
    assert children.by_sex and not children.by_area and children.additive and children.published
    poverty = Indicator.objects.get(code="poverty_rate")
    assert poverty.by_area and not poverty.additive
    assert (poverty.valid_min, poverty.valid_max) == (Decimal(0), Decimal(100))


def test_the_reports_known_errors_are_findings(seed002: ImportBatch) -> None:
    errors = {(f.code, f.table, f.line) for f in seed002.findings.filter(severity="error")}
    # Table 3.8 lists East Kazakhstan twice (L4900 "ШҚО 25,4", L4915 " ШҚО 67,4") and North Kazakhstan not at all.
    assert ("duplicate-region", "3.8", 4915) in errors
    assert ("missing-region", "3.8", 4884) in errors
    # Table 5.12, L10361 "СҚО 62 45 73 300 457 66 ...": 457 schools connected of 300 existing.
    assert ("part-exceeds-whole", "5.12", 10361) in errors
    assert seed002.errors == len(errors) == 3
    assert seed002.warnings == seed002.findings.filter(severity="warning").count() > 0
    # Neither doubtful ШҚО figure of table 3.8 is stored as East Kazakhstan's value.
    assert not IndicatorValue.objects.filter(indicator__code="orphans_housed_share", region__pcode="KAZ008").exists()
    # The cells in doubt are marked.
    assert IndicatorValue.objects.get(indicator__code="schools_cctv", region__pcode="KAZ015", year=2022).doubtful
    assert not value("children_0_17", None, 2022).doubtful


def test_data_rules_run_on_the_document(seed002: ImportBatch) -> None:
    """Year-on-year jumps of table 2.5 (L1877 "Астана қ. 10 2,4 1 0,2": 10 suicides in 2021, 1 in 2022)."""
    jumps = ValidationFinding.objects.filter(batch=seed002, code="year-jump", indicator__code="child_suicides")
    astana = jumps.get(region__pcode="KAZ006")
    assert astana.params["previous"] == "10" and astana.params["value"] == "1"
    assert astana.message == "Child suicides, Astana: 10 in 2021, 1 in 2022 (-90 %)."
    # The counts of table 2.5 add up to the national row (L1859 "ҚР 106 1,7 98 1,5"): no regional-sum finding.
    assert not ValidationFinding.objects.filter(batch=seed002, code="regional-sum", indicator__code="child_suicides")


def test_suicide_rate_per_100000_children_from_tables_2_5_and_2_1(seed002: ImportBatch) -> None:
    rates = IndicatorValue.objects.filter(indicator__code="child_suicides_per_100k").select_related(
        "region", "numerator", "denominator"
    )
    # Shymkent 2022: 5 suicides (L1879) / 482954 children at the start of 2023 (L871) * 100000.
    shymkent = rates.get(region__pcode="KAZ017", year=2022)
    assert shymkent.value == (Decimal(5) / Decimal(482954) * 100000).quantize(Decimal("0.000001"))
    assert (shymkent.numerator.table, shymkent.numerator.line) == ("2.5", 1879)
    assert (shymkent.denominator.table, shymkent.denominator.line, shymkent.denominator.year) == ("2.1", 871, 2023)
    # National 2021: 106 (L1859) / 6617000 at the start of 2022 (L832).
    assert rates.get(region__isnull=True, year=2021).value == Decimal("1.601934")
    # Every computed rate agrees with the reader's own rate() over the same figures.
    path = seed_file()
    assert path is not None
    expected = {
        (r.region, r.year): Decimal(str(r.value)).quantize(Decimal("0.000001"))
        for r in rate(read_report(path.read_text(encoding="utf-8")).values, "child_suicides", "children_0_17", 100000)
    }
    stored = {(v.region_code, v.year): v.value for v in rates}
    assert len(stored) == len(expected) == 39
    assert all(abs(stored[k] - expected[k]) <= Decimal("0.000001") for k in expected)


def test_loading_again_changes_nothing(seed002: ImportBatch) -> None:
    from core import audit
    from indicators.seedload import load_seed002

    path = seed_file()
    assert path is not None
    findings = sorted(ValidationFinding.objects.filter(batch=seed002).values_list("code", "table", "line"))
    entries = AuditEntry.objects.filter(model="indicators.indicatorvalue").count()
    with audit.system_context("test: load again"):
        again = load_seed002(path)
    assert again.pk == seed002.pk
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1128)
    assert sorted(ValidationFinding.objects.filter(batch=again).values_list("code", "table", "line")) == findings
    assert AuditEntry.objects.filter(model="indicators.indicatorvalue").count() == entries  # no value written
    assert ImportBatch.objects.filter(kind="document").count() == 1


def test_command_prints_json_and_refuses_a_missing_seed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = seed_file()
    if path is None:
        pytest.skip("seed 002 not found")
    out = StringIO()
    call_command("load_seed002", str(path), "--json", stdout=out)
    counts = json.loads(out.getvalue())
    assert counts["values"] == 1128 and counts["errors"] == 3
    with override_settings(QORGAU_SEEDS_DIR=tmp_path), pytest.raises(CommandError, match="seed 002 not found"):
        call_command("load_seed002")
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_seed002", str(tmp_path / "missing.txt"))
