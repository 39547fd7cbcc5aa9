"""Tests of the seed 002 reader (indicators.seed002): the 2022 report on the situation of children.

Plain pytest, no database. Every expected figure was read by hand from the seed; the comment quotes
its line (Lnnn, 1-based, of 002_15c1bbca033d1547.txt). The seed is read from $QORGAU_SEEDS_DIR, else
``seeds/`` at the repository root, else /work/shared/seeds; those tests are skipped when none exists.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.reference import region_records
from indicators.seed002 import NATIONAL, Report, Value, rate, read_report
from indicators.seed002_spec import SPEC_FILE, load_spec, parse_spec

REPO_ROOT = Path(__file__).resolve().parents[3]

ABAI, AKMOLA, AKTOBE, ALMATY_CITY, ALMATY_OBL, ASTANA, ATYRAU, EKO = (f"KAZ00{i}" for i in range(1, 9))
ZHAMBYL, ZHETISU, KARAGANDA, KOSTANAY, KYZYLORDA, MANGYSTAU = (f"KAZ0{i:02d}" for i in range(9, 15))
NKO, PAVLODAR, SHYMKENT, TURKISTAN, ULYTAU, WKO = (f"KAZ0{i:02d}" for i in range(15, 21))


def _seed_text() -> str | None:
    for candidate in (os.environ.get("QORGAU_SEEDS_DIR"), REPO_ROOT / "seeds", "/work/shared/seeds"):
        if candidate:
            path = Path(candidate, "002_15c1bbca033d1547.txt")
            if path.is_file():
                return path.read_text(encoding="utf-8")
    return None


@pytest.fixture(scope="module")
def report() -> Report:
    text = _seed_text()
    if text is None:
        pytest.skip("seed 002 not found (set QORGAU_SEEDS_DIR)")
    return read_report(text)


def cell(report: Report, table: str, region: str, column: str) -> float:
    """The number read in ``table`` for ``region`` (a p-code or "KAZ") and ``column``."""
    return report.table(table).row(region).cells[column]


def value(report: Report, table: str, region: str, column: str, year: int | None = None) -> Value:
    """The one value of ``table`` for ``region`` and ``column`` (of ``year`` when given)."""
    found = [
        v
        for v in report.values
        if v.table == table and v.region == region and v.column == column and (year is None or v.year == year)
    ]
    assert len(found) == 1, found
    return found[0]


def codes(report: Report, table: str) -> list[tuple[str, int]]:
    """(code, line) of every finding about ``table``."""
    return [(f.code, f.line) for f in report.findings_of(table)]


ALL_REGIONS = {f"KAZ{i:03d}" for i in range(1, 21)}


# --- every table is found with its 20 regions -------------------------------------------------


@pytest.mark.parametrize(
    ("number", "caption_line", "national"),
    [
        ("2.1", 826, True),
        ("2.2", 936, True),
        ("2.5", 1834, True),
        ("2.6", 2202, False),
        ("2.7", 2357, True),
        ("3.1", 3679, True),
        ("3.6", 4348, True),
        ("4.1", 6242, True),
        ("4.2", 6516, True),
        ("5.1", 8483, True),
        ("5.11", 9718, True),
        ("5.12", 10308, False),
    ],
)
def test_table_has_the_20_regions(report: Report, number: str, caption_line: int, national: bool) -> None:
    table = report.table(number)
    assert table.line == caption_line
    regions = [row.region for row in table.region_rows()]
    assert len(regions) == 20
    assert set(regions) == ALL_REGIONS
    assert (table.national_row() is not None) is national
    assert not any(row.unreadable for row in table.rows)
    assert not report.findings_of(number, "missing-region")
    assert not report.findings_of(number, "duplicate-region")
    assert not report.findings_of(number, "unreadable-cell")


# --- 2.1 children 0-17 ----------------------------------------------------------------------


def test_2_1_children(report: Report) -> None:
    # L832 "ҚР 6617000 3401929 3215071 6717954 3444693 3273261"
    assert cell(report, "2.1", NATIONAL, "total_2023") == 6717954
    # L834 "Абай 186790 96393 90397 188851 97562 91289"
    assert cell(report, "2.1", ABAI, "total_2022") == 186790
    assert cell(report, "2.1", ABAI, "female_2023") == 91289
    # L840 "Алматы  530377 272732 ..." (the oblast) and L870 "Алматы қ. 638452 328276 ..." (the city)
    assert cell(report, "2.1", ALMATY_OBL, "total_2022") == 530377
    assert cell(report, "2.1", ALMATY_CITY, "male_2022") == 328276
    boys = value(report, "2.1", ALMATY_CITY, "male_2022")
    assert (boys.indicator, boys.year, boys.as_of, boys.sex, boys.age) == (
        "children_0_17",
        2022,
        "2022-01-01",
        "male",
        "0-17",
    )
    assert (boys.document, boys.table, boys.line) == ("002", "2.1", 870)
    assert set(report.table("2.1").total_checks.values()) == {"ok"}
    assert len(report.table("2.1").total_checks) == 6
    assert not report.findings_of("2.1")


# --- 2.2 children's share of the population --------------------------------------------------


def test_2_2_shares(report: Report) -> None:
    # L938 "ҚР 34,0% 35,8% 32,3%"
    assert cell(report, "2.2", NATIONAL, "total") == 34.0
    # L941 "Ақтӛбе  35,0% 36,8% 33,3%"
    assert (cell(report, "2.2", AKTOBE, "urban"), cell(report, "2.2", AKTOBE, "rural")) == (36.8, 33.3)
    # L957 "Алматы қ. 29,9% 33,2% 27,1%"
    assert cell(report, "2.2", ALMATY_CITY, "rural") == 27.1
    assert value(report, "2.2", ALMATY_CITY, "rural").area == "rural"
    assert report.table("2.2").total_checks == {}  # shares do not add up


def test_2_2_disagrees_with_tables_2_1_and_5_11(report: Report) -> None:
    # The share of children should be 2.1's children over 5.11's population, both at the start of 2023.
    # Almaty oblast: L942 prints 36,1 but 538099 (L840) / 1 505 968 (L9740) = 35.73%.
    mismatched = {f.line for f in report.findings_of("2.2", "rate-mismatch")}
    assert mismatched == {940, 942, 943, 945, 948, 949, 950, 951, 954, 955}
    almaty = next(f for f in report.findings_of("2.2") if f.line == 942)
    assert "538099" in almaty.message and "1505968" in almaty.message and "35.731" in almaty.message
    assert value(report, "2.2", ALMATY_OBL, "total").doubtful
    # L938 national 34,0 = 6717954 / 19766807 = 33.99: consistent.
    assert not value(report, "2.2", NATIONAL, "total").doubtful


# --- 2.5 child suicides ---------------------------------------------------------------------


def test_2_5_suicides(report: Report) -> None:
    # L1859 "ҚР 106 1,7 98 1,5"
    assert [cell(report, "2.5", NATIONAL, k) for k in ("count_2021", "rate_2021", "count_2022", "rate_2022")] == [
        106,
        1.7,
        98,
        1.5,
    ]
    # L1872 "Түркістан  20 2,2 24 2,6"
    assert cell(report, "2.5", TURKISTAN, "count_2022") == 24
    assert cell(report, "2.5", TURKISTAN, "rate_2021") == 2.2
    # L1860 "Абай     3 1,6": no 2021 cells, the region was created in 2022; not an error.
    abai = report.table("2.5").row(ABAI)
    assert abai.cells == {"count_2022": 3, "rate_2022": 1.6}
    assert abai.absent == {"count_2021", "rate_2021"}
    assert report.table("2.5").total_checks == {"count_2021": "ok", "count_2022": "ok"}


def test_2_5_shymkent_rate_is_off(report: Report) -> None:
    # L1879 "Шымкент қ. 4 0,9 5 1,1": 5 / 482954 (L871, start of 2023) x 100000 = 1.035, printed 1.1.
    assert codes(report, "2.5") == [("rate-mismatch", 1879)]
    assert "1.035" in report.findings_of("2.5")[0].message


def test_rate_child_suicides_per_100k(report: Report) -> None:
    rates = {r.region: r for r in rate(report.values, "child_suicides", "children_0_17", 100_000, year=2022)}
    # The YAML's denominators: events of 2022 over the children at the start of 2023.
    # Abai: 3 (L1860) / 188851 (L834) x 100000 = 1.5886
    assert rates[ABAI].value == pytest.approx(3 / 188851 * 1e5)
    assert round(rates[ABAI].value, 4) == 1.5886
    # Turkistan: 24 (L1872) / 911807 (L858) = 2.6321
    assert round(rates[TURKISTAN].value, 4) == 2.6321
    # Astana: 1 (L1877) / 444453 (L868) = 0.2250
    assert round(rates[ASTANA].value, 4) == 0.2250
    astana = rates[ASTANA]
    assert (astana.numerator.table, astana.numerator.line, astana.numerator.year) == ("2.5", 1877, 2022)
    assert (astana.denominator.table, astana.denominator.line, astana.denominator.year) == ("2.1", 868, 2023)
    assert len(rates) == 21  # 20 regions and the nation
    # With the start of 2022 instead (offset 0): Abai 3 / 186790 (L834).
    early = {r.region: r for r in rate(report.values, "child_suicides", "children_0_17", 1e5, year=2022, year_offset=0)}
    assert round(early[ABAI].value, 4) == 1.6061
    # 2021: the 17 regions of 2021 and the nation have a count (L1859-1879); the new oblasts have none.
    old = {r.region: r for r in rate(report.values, "child_suicides", "children_0_17", 1e5, year=2021)}
    assert len(old) == 18 and ABAI not in old
    # Aktobe 2021: 10 (L1862) / 318565 (L838, start of 2022) = 3.139; the report prints 3.3, so its 2021
    # rates use another denominator (not in the report) and table 2.5 declares no check for them.
    assert round(old[AKTOBE].value, 3) == 3.139


# --- 2.6 preschool coverage -----------------------------------------------------------------


def test_2_6_preschool(report: Report) -> None:
    # L2206 "Абай   86,4"
    assert report.table("2.6").row(ABAI).cells == {"y2022": 86.4}
    # L2234 "Түркістан  97,2 98,3"
    assert (cell(report, "2.6", TURKISTAN, "y2021"), cell(report, "2.6", TURKISTAN, "y2022")) == (97.2, 98.3)
    # L2240 "Астана қ. 81,0 65,2"
    assert cell(report, "2.6", ASTANA, "y2022") == 65.2
    assert value(report, "2.6", ASTANA, "y2022").age == "1-6"
    assert report.table("2.6").total_checks == {}
    assert not report.findings_of("2.6")


# --- 2.7 schools ----------------------------------------------------------------------------


def test_2_7_schools(report: Report) -> None:
    # L2377 "ҚР 7687 3709637 483"
    assert cell(report, "2.7", NATIONAL, "students") == 3709637
    # L2379 "Абай 318 101480 319"
    assert [cell(report, "2.7", ABAI, k) for k in ("schools", "students", "per_school")] == [318, 101480, 319]
    # L2413 "Астана қ. 164 238189 1452"
    assert cell(report, "2.7", ASTANA, "per_school") == 1452
    assert report.table("2.7").total_checks == {"schools": "ok", "students": "ok"}
    # The title's school year (2021-2022) is not the data's (2022-2023, L2316-2328): reported.
    assert codes(report, "2.7") == [("title-year", 2357)]
    assert value(report, "2.7", ABAI, "schools").year == 2022


# --- 3.1 poverty ----------------------------------------------------------------------------


def test_3_1_poverty(report: Report) -> None:
    # L3683 "ҚР 5,2 5,2"
    assert cell(report, "3.1", NATIONAL, "y2022") == 5.2
    # L3713 "Түркістан  5,5 9,7"
    assert cell(report, "3.1", TURKISTAN, "y2022") == 9.7
    # L3685 " Абай - 6,0": "-" for 2021, expected for a region created in 2022
    abai = report.table("3.1").row(ABAI)
    assert abai.cells == {"y2022": 6.0} and abai.dashes == {"y2021"}
    assert report.table("3.1").total_checks == {}


def test_3_1_reports_its_shifted_2021_column(report: Report) -> None:
    # L3709 "Павлодар  - 3,9" and L3717 "ШҚО  - 4,8": no 2021 value for regions that existed;
    # L3715 " Ұлытау 9,8 2,2": a 2021 value for a region created in June 2022.
    assert codes(report, "3.1") == [("blank-cell", 3709), ("region-not-yet-created", 3715), ("blank-cell", 3717)]
    assert value(report, "3.1", ULYTAU, "y2021").doubtful
    assert value(report, "3.1", ULYTAU, "y2021").value == 9.8
    assert not value(report, "3.1", ULYTAU, "y2022").doubtful


def test_3_2_cells_pushed_to_the_next_line(report: Report) -> None:
    # L3767 "ҚР  4,0" with its rural cell alone on L3770 "7,3"; L3812 "Шымкент қ.   6,6" with "-" on L3815.
    assert report.table("3.2").national_row().cells == {"urban": 4.0, "rural": 7.3}  # type: ignore[union-attr]
    shymkent = report.table("3.2").row(SHYMKENT)
    assert shymkent.cells == {"urban": 6.6} and shymkent.dashes == {"rural"} and shymkent.lines == (3812, 3815)
    assert codes(report, "3.2") == [("row-continued", 3770), ("row-continued", 3815)]
    # L3795 "Маңғыстау  2,4 12,9": 5.4 times more rural poverty, as the text says (L3751-3753)
    assert (cell(report, "3.2", MANGYSTAU, "urban"), cell(report, "3.2", MANGYSTAU, "rural")) == (2.4, 12.9)
    assert value(report, "3.2", MANGYSTAU, "rural").area == "rural"


# --- 3.6 infant mortality -------------------------------------------------------------------


def test_3_6_infant_mortality(report: Report) -> None:
    # L4351 "РК 8,44 7,68": the national row under the Russian abbreviation
    assert (cell(report, "3.6", NATIONAL, "y2021"), cell(report, "3.6", NATIONAL, "y2022")) == (8.44, 7.68)
    # L4371 "Қостанай  10,33 10,87"
    assert cell(report, "3.6", KOSTANAY, "y2022") == 10.87
    # L4383 " Ұлытау - 7,85"
    assert report.table("3.6").row(ULYTAU).cells == {"y2022": 7.85}
    assert value(report, "3.6", KOSTANAY, "y2021").year == 2021
    assert not report.findings_of("3.6")


# --- 3.8 housing of orphans: a region listed twice -----------------------------------------


def test_3_8_duplicate_region(report: Report) -> None:
    table = report.table("3.8")
    assert len(table.region_rows()) == 20
    # L4900 "ШҚО  25,4" and L4915 " ШҚО 67,4"; СҚО has no row (the text, L4878, gives СҚО 67,4%).
    (duplicate,) = report.findings_of("3.8", "duplicate-region")
    assert duplicate.severity == "error" and duplicate.line == 4915
    assert "25,4" in duplicate.message and "67,4" in duplicate.message
    assert "North Kazakhstan" in duplicate.message
    (missing,) = report.findings_of("3.8", "missing-region")
    assert NKO in missing.message
    assert not [v for v in report.values if v.table == "3.8" and v.region == EKO]
    # L4929 "Ұлытау 41,9", L4910 "Қызылорда  3,1", L4896 "Алматы  0"
    assert value(report, "3.8", ULYTAU, "y2022").value == 41.9
    assert value(report, "3.8", KYZYLORDA, "y2022").value == 3.1
    assert value(report, "3.8", ALMATY_OBL, "y2022").value == 0


# --- 4.1 hot meals --------------------------------------------------------------------------


def test_4_1_hot_meals(report: Report) -> None:
    # L6274 "Абай  272 98 474 19 257": thousands separated by spaces
    assert report.table("4.1").row(ABAI).cells == {"schools": 272, "students": 98474, "free": 19257}
    # L6280 "Алматы  337 296844 41680" is the oblast; L6309 " Алматы 203 292158 132391" after
    # "Астана" is the city.
    assert cell(report, "4.1", ALMATY_OBL, "students") == 296844
    assert cell(report, "4.1", ALMATY_CITY, "free") == 132391
    # L6311 "Шымкент 137 208655 116 605"
    assert cell(report, "4.1", SHYMKENT, "free") == 116605
    # L6313 "2022 жыл 6057 3 356 862 957 162" is the national row; L6315 "2021 жыл 6021 3 268 668 751 420"
    assert cell(report, "4.1", NATIONAL, "students") == 3356862
    assert value(report, "4.1", NATIONAL, "free", year=2021).value == 751420
    assert report.table("4.1").total_checks == {"schools": "ok", "students": "ok", "free": "ok"}
    # L6317 "Динамика 36 88 194 205 742" = 2022 - 2021: checked, consistent.
    assert not report.findings_of("4.1")


# --- 4.2 additional education ---------------------------------------------------------------


def test_4_2_additional_education(report: Report) -> None:
    # L6523 "ҚР 1 625 1087231 1150 718 076 475 369 155"
    national = report.table("4.2").national_row()
    assert national is not None
    assert national.cells == {
        "orgs": 1625,
        "students": 1087231,
        "orgs_edu": 1150,
        "students_edu": 718076,
        "orgs_culture": 475,
        "students_culture": 369155,
    }
    # L6525 "Абай 45 33899 36 22 975 9 10 924"
    assert cell(report, "4.2", ABAI, "students_edu") == 22975
    assert cell(report, "4.2", ABAI, "students_culture") == 10924
    # L6552 "Түркістан  125 95 561 69 50 457 56 45 104"
    assert cell(report, "4.2", TURKISTAN, "students") == 95561
    assert set(report.table("4.2").total_checks.values()) == {"ok"}
    assert not report.findings_of("4.2")


# --- 5.1 unemployment -----------------------------------------------------------------------


def test_5_1_unemployment(report: Report) -> None:
    # L8489 "ҚР 4,3 5,5 4,9 4,8"
    assert cell(report, "5.1", NATIONAL, "female") == 5.5
    # L8508 "Қостанай облысы 5 4,7 5 4,7"
    assert cell(report, "5.1", KOSTANAY, "urban") == 5
    # L8496 "Алматы облысы 3,4 6,1 6,9 4,4"; L8526 "Алматы 3,9 6,2 5" (the city, no rural cell)
    assert cell(report, "5.1", ALMATY_OBL, "urban") == 6.9
    almaty = report.table("5.1").row(ALMATY_CITY)
    assert almaty.cells == {"male": 3.9, "female": 6.2, "urban": 5} and almaty.absent == {"rural"}
    male = value(report, "5.1", ALMATY_CITY, "male")
    assert (male.sex, male.area, male.indicator) == ("male", None, "unemployment_rate")
    assert report.table("5.1").total_checks == {}
    assert not report.findings_of("5.1")


# --- 5.11 population ------------------------------------------------------------------------


def test_5_11_population(report: Report) -> None:
    # L9732 "ҚР  19 766 807 12 209 302 7 557 505 9 647 701 10 119 106"
    assert cell(report, "5.11", NATIONAL, "total") == 19766807
    assert cell(report, "5.11", NATIONAL, "female") == 10119106
    # L9734 "Абай 610 205 370 739 239 466 298 791 311 414"
    assert [cell(report, "5.11", ABAI, k) for k in ("total", "urban", "rural", "male", "female")] == [
        610205,
        370739,
        239466,
        298791,
        311414,
    ]
    # L9770 "Алматы 2 161 797 2 161 797 - 1 003 881 1 157 916": the city, "-" rural
    almaty = report.table("5.11").row(ALMATY_CITY)
    assert almaty.cells["male"] == 1003881 and almaty.dashes == {"rural"}
    assert set(report.table("5.11").total_checks.values()) == {"ok"}
    assert len(report.table("5.11").total_checks) == 5
    assert not report.findings_of("5.11")


# --- 5.12 video surveillance: more connected than existing ----------------------------------


def test_5_12_video_surveillance(report: Report) -> None:
    # L10327 " Астана 96 96 100 96 96 100 8 8 100"; L10329 "Алматы 191 191 100 210 198 94 20 20 100"
    # (bare "Алматы" among the cities); L10339 "Алматы облысы 101 0 0 425 16 4 18 1 6"
    assert cell(report, "5.12", ASTANA, "colleges") == 8
    assert cell(report, "5.12", ALMATY_CITY, "schools_cctv") == 198
    assert cell(report, "5.12", ALMATY_OBL, "schools") == 425
    # L10351 "Карағанды облысы 135 104 77 ...": К for Қ, reported and read as Karaganda
    assert cell(report, "5.12", KARAGANDA, "preschools_cctv") == 104
    assert set(report.table("5.12").total_checks.values()) == {"no-national-row"}


def test_5_12_errors(report: Report) -> None:
    assert codes(report, "5.12") == [
        ("ratio-mismatch", 10343),  # L10343 "ШҚО 114 67 58 ...": 67 / 114 = 58.8%, printed 58
        ("ratio-mismatch", 10347),  # L10347 "Жетісу 90 0 0 338 96 28 90 0 28": 0 of 90 colleges is not 28%
        ("region-spelling", 10351),
        ("part-exceeds-whole", 10361),  # L10361 "СҚО 62 45 73 300 457 66 18 14 78"
        ("ratio-mismatch", 10361),
    ]
    exceeds = report.findings_of("5.12", "part-exceeds-whole")[0]
    assert exceeds.severity == "error"
    assert exceeds.message.endswith("schools_cctv 457 exceeds schools 300")
    assert value(report, "5.12", NKO, "schools_cctv").doubtful
    assert value(report, "5.12", NKO, "schools").doubtful
    assert not value(report, "5.12", NKO, "preschools").doubtful


# --- 2.8 (17 regions) and the region spellings ----------------------------------------------


def test_2_8_lists_the_17_regions_of_before_june_2022(report: Report) -> None:
    table = report.table("2.8")
    assert {row.region for row in table.region_rows()} == ALL_REGIONS - {ABAI, ZHETISU, ULYTAU}
    # L2585 "ҚР 1431 53 605 1 436 52 253": 1441 schools less 10 (9th only) and 5 (4th only), L2517-2521
    national = table.national_row()
    assert national is not None and national.cells["students_g4"] == 53605 and national.cells["schools_g9"] == 1436
    assert set(table.total_checks.values()) == {"ok"}
    assert not report.findings_of("2.8")


def test_damaged_region_names_are_resolved(report: Report) -> None:
    labels = {row.label: row.region for table in report.tables for row in table.region_rows()}
    assert labels["Ақтӛбе"] == AKTOBE  # ӛ for ө, L838
    assert labels["Ақтӛбе облысы"] == AKTOBE  # L9738
    assert labels["ШӚО"] == EKO  # L2563: Ӛ for Қ in "ШҚО"
    assert labels["Ұлытау"] == ULYTAU
    assert labels["Карағанды облысы"] == KARAGANDA  # L10351, via the YAML's spelling fix
    assert labels["Костанай облысы"] == KOSTANAY  # L10353
    assert labels["БҚО"] == WKO and labels["СҚО"] == NKO
    assert labels["Маңғыстау облысы"] == MANGYSTAU and labels["Жамбыл"] == ZHAMBYL
    assert labels["Атырау"] == ATYRAU and labels["Ақмола"] == AKMOLA and labels["Павлодар"] == PAVLODAR


def test_values_have_provenance_and_catalogue_entries(report: Report) -> None:
    spec = load_spec()
    assert report.values
    for v in report.values:
        assert v.document == "002"
        assert v.indicator in spec.indicators
        assert v.region == NATIONAL or v.region in ALL_REGIONS
    tables = {v.table for v in report.values}
    assert {"2.1", "2.2", "2.5", "2.6", "2.7", "3.1", "3.6", "3.8", "4.1", "4.2", "5.1", "5.11", "5.12"} <= tables
    doubtful = {(v.table, v.line) for v in report.values if v.doubtful}
    assert ("5.12", 10361) in doubtful and ("2.5", 1879) in doubtful


# --- the reader on small made-up texts ------------------------------------------------------


def _spec(columns: list[dict[str, Any]], **table: Any) -> Any:
    data = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["tables"] = [{"number": "9.9", "title_kk": "Сынақ кестесі", "title_en": "Test", "region_set": "all20",
                       "columns": columns, **table}]  # fmt: skip
    return parse_spec(data)


COUNTS = [
    {"key": "total", "indicator": "population", "year": 2023, "additive": True, "range": [0, 1000000],
     "sum_of": ["urban", "rural"]},
    {"key": "urban", "indicator": "population", "year": 2023, "area": "urban", "additive": True,
     "range": [0, 1000000]},
    {"key": "rural", "indicator": "population", "year": 2023, "area": "rural", "additive": True,
     "range": [0, 1000000]},
]  # fmt: skip


def test_thousands_groups_are_told_apart_by_the_row_sum() -> None:
    # "12 345 12 000 345" fits 12345 = 12000 + 345 only; 12 | 345 12 000 | 345 breaks the sum.
    text = "9.9-кесте. Сынақ кестесі\nАбай 12 345 12 000 345\nДереккөз: сынақ\n"
    report = read_report(text, _spec(COUNTS))
    assert report.table("9.9").row(ABAI).cells == {"total": 12345, "urban": 12000, "rural": 345}


def test_ambiguous_numbers_are_reported_not_guessed() -> None:
    columns = [dict(COUNTS[1]), dict(COUNTS[2])]
    text = "9.9-кесте. Сынақ кестесі\nАбай 12 345 678\nДереккөз: сынақ\n"
    report = read_report(text, _spec(columns))
    row = report.table("9.9").row(ABAI)
    assert row.unreadable and row.cells == {}
    (finding,) = report.findings_of("9.9", "unreadable-cell")
    assert finding.line == 2 and "2 ways" in finding.message
    assert not [v for v in report.values if v.table == "9.9"]


def test_totals_duplicates_and_continued_rows() -> None:
    text = (
        "9.9-кесте. Сынақ кестесі\n"
        "ҚР 100 60 40\n"
        "Абай 50 30 20\n"
        "Ақмола 40 25\n"
        "15\n"  # the last cell pushed onto the next line
        "Ақмола 1 1 0\n"
        "Белгісіз 5 5 0\n"
        "Дереккөз: сынақ\n"
    )
    report = read_report(text, _spec(COUNTS))
    found = {(f.code, f.line) for f in report.findings_of("9.9")}
    assert ("row-continued", 5) in found
    assert ("duplicate-region", 6) in found
    assert ("unknown-row", 7) in found
    assert report.table("9.9").row(AKMOLA).cells == {"total": 40, "urban": 25, "rural": 15}
    assert len(report.findings_of("9.9", "missing-region")) == 18
    # A duplicate leaves the total unchecked rather than compared with a wrong sum.
    assert set(report.table("9.9").total_checks.values()) == {"unchecked"}


def test_total_mismatch_and_sum_mismatch() -> None:
    names = [record["name_kk"] for record in region_records() if record["pcode"] != ATYRAU]
    rows = "\n".join(f"{name} 10 5 5" for name in names)
    text = f"9.9-кесте. Сынақ кестесі\nҚР 199 99 100\n{rows}\nАтырау облысы 10 4 5\nДереккөз: сынақ\n"
    report = read_report(text, _spec(COUNTS))
    assert not report.findings_of("9.9", "missing-region")
    checks = report.table("9.9").total_checks
    assert checks == {"total": "mismatch", "urban": "ok", "rural": "ok"}
    messages = [f.message for f in report.findings_of("9.9", "total-mismatch")]
    assert "the regions add up to 200, the national row says 199 (difference 1)" in messages[0]
    (sum_error,) = report.findings_of("9.9", "sum-mismatch")
    assert sum_error.line == 22 and "total is 10 but urban + rural = 9" in sum_error.message


def test_spec_rejects_a_bad_reference() -> None:
    with pytest.raises(ValueError, match="bad column reference 'nowhere'"):
        _spec([{**COUNTS[0], "sum_of": ["urban", "nowhere"]}, COUNTS[1], COUNTS[2]])
    with pytest.raises(ValueError, match="unknown indicator"):
        _spec([{**COUNTS[1], "indicator": "no_such_indicator"}])


def test_the_yaml_describes_meaning_not_numbers() -> None:
    spec = load_spec()
    assert [t.number for t in spec.tables][:5] == ["2.1", "2.2", "2.5", "2.6", "2.7"]
    assert spec.denominators["child_population"].table == "2.1"
    for indicator in spec.indicators.values():
        assert indicator.polarity in {"positive", "negative", "neutral"}
        assert indicator.name_kk and indicator.name_ru and indicator.name_en
        assert "ӛ" not in indicator.name_kk and "ҧ" not in indicator.name_kk and "ҥ" not in indicator.name_kk
    for table in spec.tables:
        assert "ӛ" not in table.title_kk and "ҧ" not in table.title_kk and "ҥ" not in table.title_kk
