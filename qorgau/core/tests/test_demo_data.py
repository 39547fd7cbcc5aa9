"""Tests for the demo-data distribution, name lists and NameMaker (no database)."""

from __future__ import annotations

import pytest

from core.demo_names import (
    NameMaker,
    kazakh_patronymic,
    kazakh_surname,
    load_distribution,
    load_names,
    russian_female_surname,
    russian_patronymic,
)

PCODES = [f"KAZ{i:03d}" for i in range(1, 21)]
INT_FIELDS = ("schools", "pupils", "children_0_17", "boys", "girls")

# ҚР rows as printed in seed 002 (table 2.7 line 2377, table 2.1 line 832).
STATED_SCHOOLS = 7687
STATED_PUPILS = 3_709_637
STATED_CHILDREN = 6_717_954
STATED_BOYS = 3_444_693
STATED_GIRLS = 3_273_261

KAZAKH_LETTERS = set("ӘҒҚҢӨҰҮҺІәғқңөұүһі")
RU_FEMALE_ENDINGS = ("ова", "ева", "ёва", "ина", "ына", "ая")
RU_INVARIANT_ENDINGS = ("енко", "ук", "юк")
RU_INVARIANT_GERMAN = {"Шмидт", "Миллер", "Вебер", "Фишер"}


@pytest.fixture(scope="module")
def regions() -> dict:
    """The per-region block of demo_distribution.yaml."""
    return load_distribution()["regions"]


def test_twenty_regions_with_positive_integers(regions: dict) -> None:
    assert sorted(regions) == PCODES
    for pcode, region in regions.items():
        for field in INT_FIELDS:
            value = region[field]
            assert isinstance(value, int) and not isinstance(value, bool), (pcode, field)
            assert value > 0, (pcode, field)


def test_schools_sum_to_stated_total(regions: dict) -> None:
    national = load_distribution()["national"]
    assert national["schools"] == STATED_SCHOOLS
    assert sum(r["schools"] for r in regions.values()) == STATED_SCHOOLS


def test_pupils_sum_to_stated_total(regions: dict) -> None:
    national = load_distribution()["national"]
    assert national["pupils"] == STATED_PUPILS
    assert sum(r["pupils"] for r in regions.values()) == STATED_PUPILS


def test_children_sum_to_stated_total(regions: dict) -> None:
    national = load_distribution()["national"]
    assert national["children_0_17"] == STATED_CHILDREN
    assert sum(r["children_0_17"] for r in regions.values()) == STATED_CHILDREN
    assert sum(r["boys"] for r in regions.values()) == STATED_BOYS
    assert sum(r["girls"] for r in regions.values()) == STATED_GIRLS


def test_recorded_regional_sums_match_the_rows(regions: dict) -> None:
    national = load_distribution()["national"]
    sums = national["regional_sums"]
    assert sums["schools"] == sum(r["schools"] for r in regions.values())
    assert sums["pupils"] == sum(r["pupils"] for r in regions.values())
    assert sums["children_0_17"] == sum(r["children_0_17"] for r in regions.values())
    assert national["sums_match_stated_totals"] is True


def test_boys_plus_girls_equals_children(regions: dict) -> None:
    for pcode, region in regions.items():
        assert region["boys"] + region["girls"] == region["children_0_17"], pcode


def test_known_rows_and_city_region_split(regions: dict) -> None:
    # "Алматы" without "қ." is the region, "Алматы қ." the city.
    assert regions["KAZ005"]["schools"] == 464 and regions["KAZ005"]["children_0_17"] == 538_099
    assert regions["KAZ004"]["schools"] == 333 and regions["KAZ004"]["children_0_17"] == 647_156
    assert regions["KAZ018"]["schools"] == 1004 and regions["KAZ018"]["pupils"] == 517_721
    assert regions["KAZ019"]["children_0_17"] == 74_663


def test_shares_and_districts(regions: dict) -> None:
    for pcode, region in regions.items():
        assert 0 < region["kazakh_name_share"] <= 1, pcode
        assert 0 < region["urban_share_derived"] <= 1, pcode
        assert 3 <= len(region["districts"]) <= 8, pcode
        for district in region["districts"]:
            assert district["kk"] and district["ru"], pcode
    for city in ("KAZ004", "KAZ006", "KAZ017"):
        assert regions[city]["urban_share_derived"] == 1.0
    assert regions["KAZ013"]["kazakh_name_share"] > regions["KAZ015"]["kazakh_name_share"]


def test_name_list_sizes() -> None:
    names = load_names()
    kz, ru = names["kazakh"], names["russian"]
    for key in ("male_first", "female_first", "surname_stems"):
        assert len(kz[key]) >= 80, key
        assert len(set(kz[key])) == len(kz[key]), key
    assert len(ru["surname_male"]) >= 80
    assert len(set(ru["surname_male"])) == len(ru["surname_male"])
    assert len(ru["male_first"]) >= 40 and len(ru["female_first"]) >= 40
    # Kazakh letters are used where they belong.
    for name in ("Әлихан", "Ғалым", "Нұрсұлтан"):
        assert name in kz["male_first"]
    for name in ("Айгүл", "Жұлдыз"):
        assert name in kz["female_first"]
    assert any(set(n) & KAZAKH_LETTERS for n in kz["surname_stems"])


def test_form_rules() -> None:
    assert kazakh_surname("Ахмет", female=False) == "Ахметов"
    assert kazakh_surname("Ахмет", female=True) == "Ахметова"
    assert kazakh_surname("Жұмабай", female=True) == "Жұмабаева"
    assert kazakh_surname("Мұса", female=False) == "Мұсаев"
    assert kazakh_surname("Ахмет", female=True, uly=True) == "Ахметқызы"
    assert kazakh_patronymic("Серік", female=False, modern=True) == "Серікұлы"
    assert kazakh_patronymic("Серік", female=True, modern=False) == "Серіковна"
    assert kazakh_patronymic("Жұмабай", female=False, modern=False) == "Жұмабаевич"
    rules = load_names()["russian"]["surname_female_rules"]
    assert russian_female_surname("Иванов", rules) == "Иванова"
    assert russian_female_surname("Никитин", rules) == "Никитина"
    assert russian_female_surname("Покровский", rules) == "Покровская"
    assert russian_female_surname("Шевченко", rules) == "Шевченко"
    exceptions = load_names()["russian"]["patronymic"]["exceptions"]
    assert russian_patronymic("Иван", False, exceptions) == "Иванович"
    assert russian_patronymic("Сергей", True, exceptions) == "Сергеевна"
    assert russian_patronymic("Юрий", False, exceptions) == "Юрьевич"
    assert russian_patronymic("Игорь", True, exceptions) == "Игоревна"
    assert russian_patronymic("Илья", True, exceptions) == "Ильинична"


def test_female_forms() -> None:
    maker = NameMaker(7)
    male_ru = set(load_names()["russian"]["surname_male"])
    kz_female_first = set(load_names()["kazakh"]["female_first"])
    for _ in range(3000):
        last, first, middle = maker.person("F", kazakh=False)
        assert last not in male_ru or last.endswith(RU_INVARIANT_ENDINGS) or last in RU_INVARIANT_GERMAN
        assert last.endswith(RU_FEMALE_ENDINGS + RU_INVARIANT_ENDINGS) or last in RU_INVARIANT_GERMAN
        assert middle.endswith(("овна", "евна", "ична")), middle

        last, first, middle = maker.person("F", kazakh=True)
        assert first in kz_female_first
        assert last.endswith(("ова", "ева", "қызы")), last
        assert middle.endswith(("қызы", "овна", "евна")), middle

        last, _first, middle = maker.person("M", kazakh=True)
        assert last.endswith(("ов", "ев", "ұлы")), last
        assert middle.endswith(("ұлы", "ович", "евич")), middle

        last, _first, middle = maker.person("M", kazakh=False)
        assert last in male_ru
        assert middle.endswith(("ович", "евич", "ич")), middle


def test_both_kazakh_patronymic_forms_occur() -> None:
    maker = NameMaker(1)
    middles = [maker.person("F", kazakh=True)[2] for _ in range(2000)]
    assert any(m.endswith("қызы") for m in middles)
    assert any(m.endswith(("овна", "евна")) for m in middles)


def test_deterministic_for_seed() -> None:
    def run(seed: int) -> list[tuple[str, str, str]]:
        maker = NameMaker(seed)
        return [maker.person(sex, kazakh) for sex in "MF" for kazakh in (True, False) for _ in range(200)]

    assert run(123) == run(123)
    assert run(123) != run(124)


def test_invalid_sex_rejected() -> None:
    with pytest.raises(ValueError):
        NameMaker(0).person("X", kazakh=True)
