"""Tests of the reader of seed 004: the Concept "Дети Казахстана" 2026–2030 and its Action Plan.

Plain pytest, no database. The expected values were read by hand from the seed file
(``seeds/004_880bd5849182d728.txt``); comments give its line numbers.
The tests that need the seed are skipped when it is not there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from core.seeds import seed_path
from plans.parsing import concept2026
from plans.parsing.concept2026_cells import read_executors, read_funding
from plans.parsing.concept2026_table import split_rows
from plans.parsing.concept2026_text import join_pieces, repair_words
from plans.parsing.types import ParsedMeasure, ParsedPlan


def _seed(prefix: str) -> Path | None:
    return seed_path(prefix)  # the repository's seeds/ (QORGAU_SEEDS_DIR)


@pytest.fixture(scope="module")
def text() -> str:
    path = _seed("004")
    if path is None:
        pytest.skip("seed 004 not found (set QORGAU_SEEDS_DIR)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def plan(text: str) -> ParsedPlan:
    return concept2026.read(text)


@pytest.fixture(scope="module")
def measures(plan: ParsedPlan) -> dict[str, ParsedMeasure]:
    return {measure.number: measure for measure in plan.measures}


D1 = "Направление 1. Право ребенка на безопасность"
D2 = "Направление 2. Право ребенка на образование"
D3 = "Направление 3. Право ребенка на здоровье"
D4 = "Направление 4. Право ребенка на семью и социальную защиту"
WITHIN = "за счет и в пределах предусмотренных средств"
LAW_2027 = (
    "октябрь 2027 года разработка проекта Закона февраль 2028 года внесение в Аппарат Правительства "
    "май 2028 года внесение в Мажилис Парламента"
)


# --- the document as a whole ----------------------------------------------------------------


def test_looks_like_recognises_only_the_concept(text: str) -> None:
    assert concept2026.looks_like(text)
    for prefix in ("000", "001", "002", "003"):
        other = _seed(prefix)
        if other is not None:
            assert not concept2026.looks_like(other.read_text(encoding="utf-8")), prefix


def test_act_title_period(plan: ParsedPlan) -> None:
    # L6: "Постановление Правительства Республики Казахстан от 29 января 2026 года № 56".
    assert (plan.act.type, plan.act.number, plan.act.date) == ("decree", "56", "2026-01-29")
    # L63 (passport): "Наименование<TAB>Концепция "Дети Казахстана" на 2026 – 2030 годы"; L64: 2026 – 2030.
    assert plan.title == 'Концепция "Дети Казахстана" на 2026 – 2030 годы'
    assert (plan.period_start, plan.period_end) == (2026, 2030)
    assert plan.language == "ru"
    assert plan.kind == "concept-2026-2030"


def test_sections_are_the_four_directions(plan: ParsedPlan) -> None:
    # L1834, L1989, L2025, L2078.
    assert plan.sections == [D1, D2, D3, D4]


def test_158_measures_numbered_in_order(plan: ParsedPlan) -> None:
    assert [m.number for m in plan.measures] == [str(n) for n in range(1, 159)]
    # Directions start at rows 1, 83, 100, 131 (L1836, L1996, L2029, L2082).
    firsts = {}
    for measure in plan.measures:
        firsts.setdefault(measure.section, measure.number)
    assert firsts == {D1: "1", D2: "83", D3: "100", D4: "131"}
    assert not any("row number" in w for w in plan.warnings)


def test_every_measure_has_the_fields_the_table_gives(plan: ParsedPlan) -> None:
    for measure in plan.measures:
        assert measure.name and measure.deadline and measure.executors, measure.number
        assert measure.lead_executor == measure.executors[0]
        assert set(measure.by_agreement) <= set(measure.executors)
        assert measure.funding.sources, measure.number
        assert measure.schedule == []
        assert measure.source_lines is not None
        assert all(isinstance(w, str) and w for w in measure.warnings)
    # The only row without a form of completion is 149 (L2116 has six cells).
    assert [m.number for m in plan.measures if not m.completion_form] == ["149"]


# --- indicators -----------------------------------------------------------------------------

INDICATORS = [
    # number, name (section 6, L1776-1794, capitalised as in the plan's headings), unit, 2026…2030
    ("1", "Индекс благополучия детей", "балл", [61.5, 63, 64.5, 66, 68]),
    (
        "2",
        "Доля специалистов, владеющих профильными знаниями в сфере защиты прав детей",
        "%",
        [60, 70, 80, 90, 100],
    ),
    ("3", "Уровень правовой защищенности детей", "%", [93, 94, 95, 96, 97]),
    (
        "4",
        "Доля объектов детской инфраструктуры, услуг и товаров, соответствующих требованиям безопасности",
        "%",
        [60, 65, 70, 75, 80],
    ),
    (
        "5",
        "Доля детей дошкольного и школьного возраста, обеспеченных непрерывным доступом к образованию",
        "%",
        [98, 98.5, 99, 99.5, 100],
    ),
    (
        "6",
        "Доля детей школьного возраста с особыми образовательными потребностями, обучающихся в "
        "общеобразовательных школах в условиях инклюзивного образования, от общего числа детей школьного "
        "возраста с особыми образовательными потребностями",
        "%",
        [50, 52, 53, 54, 55],
    ),
    (
        "7",
        "Уровень степени износа объектов инфраструктуры здравоохранения по стране",
        "%",
        [42.1, 38.5, 35.7, 32.2, 30],
    ),
    (
        "8",
        "Охват профилактическими мероприятиями детского населения (скрининги, патронажи, в том числе "
        "универсальная прогрессивная модель патронажа)",
        "%",
        [50, 58, 63, 65, 66],
    ),
    ("9", "Доля семей, охваченных курсами ответственного родительства", "%", [10, 20, 30, 40, 50]),
    (
        "10",
        "Увеличение доли детей, охваченных дополнительными мерами социальной поддержки",
        "%",
        [5, 7, 10, 12, 15],
    ),
]


def test_ten_indicators(plan: ParsedPlan) -> None:
    assert [i.number for i in plan.indicators] == [str(n) for n in range(1, 11)]


@pytest.mark.parametrize(("number", "name", "unit", "values"), INDICATORS)
def test_indicator_targets(plan: ParsedPlan, number: str, name: str, unit: str, values: list[float]) -> None:
    indicator = next(i for i in plan.indicators if i.number == number)
    assert indicator.name == name
    assert indicator.unit == unit
    assert indicator.targets == {str(year): float(v) for year, v in zip(range(2026, 2031), values, strict=True)}
    # Section 6 and the plan's headings (L1835 … L2090) agree; only 10 is qualified ("на 5 %", L1794).
    if number == "10":
        assert indicator.warnings == [
            "targets are qualified, read as the bare numbers: 2026 год – на 5 %; 2027 год – на 7 %; "
            "2028 год – на 10 %; 2029 год – на 12 %; 2030 год – на 15 %"
        ]
    else:
        assert indicator.warnings == []


# --- measures, hand-checked -----------------------------------------------------------------

MEASURES: list[dict[str, Any]] = [
    {  # L1836: a clean row; УПР by agreement.
        "number": "1",
        "section": D1,
        "name": "Формирование перечня государственных услуг, предоставляемых детям от рождения до 18 лет, "
        'в приложении mGov в разделе "Дети"',
        "form": "раздел в mGov",
        "deadline": "Декабрь 2026 года",
        "executors": ["МИИЦР", "МП", "МКИ", "МЗ", "МТСЗН", "МВД", "МПС", "МНВО", "УПР"],
        "by_agreement": ["УПР"],
        "funding": f"{WITHIN}; РБ",
        "sources": ["РБ"],
        "lines": (1836, 1836),
    },
    {  # L1838 (fragment above) + L1840: name and form start on the line before the numbered one.
        "number": "3",
        "section": D1,
        "name": "Проведение комплексного анализа законодательных актов по вопросам защиты прав детей",
        "form": "предложения в Правительство Республики Казахстан",
        "deadline": "ноябрь 2026 года",
        "executors": ["МП"],
        "by_agreement": [],
        "funding": "не требуется",
        "sources": ["не требуется"],
        "lines": (1838, 1840),
    },
    {  # L1842 + L1844: "психологичес" | "к о й поддержки"; the funding volume is on the fragment below.
        "number": "5",
        "section": D1,
        "name": "Внесение изменений и дополнений в некоторые приказы Министерства просвещения Республики "
        "Казахстан в части: 1) рассмотрения необходимости и получения согласия законного представителя "
        "ребенка на психолого-педагогическое сопровождение в случае наличия угрозы жизни или здоровью "
        "ребенка; 2) функционирования кабинетов поддержки детей с ООП; 3) закрепления единой формы "
        "документации для центров психологической поддержки",
        "form": "Приказ Министра просвещения Республики Казахстан",
        "deadline": "Август 2026 года",
        "executors": ["МП"],
        "by_agreement": [],
        "funding": "не требуется",
        "sources": ["не требуется"],
        "lines": (1842, 1844),
    },
    {  # L1852 + L1854: the executors are only on the fragment below.
        "number": "11",
        "section": D1,
        "name": "Разработка и утверждение алгоритма реагирования органов и организаций образования, "
        "здравоохранения, социальной защиты населения, внутренних дел, гражданской защиты при выявлении "
        "детей с суицидальными и намерениями",
        "form": "совместный приказ министров просвещения, внутренних дел, здравоохранения, труда и социальной "
        "защиты населения, по чрезвычайным ситуациям Республики Казахстан",
        "deadline": "Декабрь 2026 года",
        "executors": ["МП", "МВД", "МЗ", "МТСЗН", "МЧС"],
        "by_agreement": [],
        "funding": "не требуется",
        "sources": ["не требуется"],
        "lines": (1852, 1854),
    },
    {  # L1865: "видеонаблуде н и я", "искусственно го", "д л я", "предусмотрен ных", "2026- 2030".
        "number": "19",
        "section": D1,
        "name": "Поэтапное внедрение в системы видеонаблудения организаций образования технологий "
        "искусственного интеллекта для выявления признаков насилия, травли ( буллинга) ребенка и "
        "автоматического распознавания потенциально опасных лиц на территории организаций образования",
        "form": "информация в МП",
        "deadline": "август 2026-2030 годов",
        "executors": ["МИО"],
        "by_agreement": [],
        "funding": f"{WITHIN}; МБ",
        "sources": ["МБ"],
        "lines": (1865, 1865),
    },
    {  # L1884 + L1886: the deadline and half the funding volume are on the fragment below.
        "number": "29",
        "section": D1,
        "name": "Внесение изменений и дополнений в приказ Министра цифрового развития, инноваций и "
        'аэрокосмической промышленности Республики Казахстан от 28 июня 2024 года № 378/НҚ "Об утверждении '
        'Правил деятельности контакт-центра "111" по вопросам семьи, защиты прав женщин и детей и его '
        'взаимодействия с центральными и государственными органами, местными исполнительными органами " в '
        'части проработки вопроса установления нормативов штатной численности сотрудников контакт-центра "111"',
        "form": "приказ Министра искусственного интеллекта и цифрового развития Республики Казахстан",
        "deadline": "сентябрь 2027 года",
        "executors": ["МИИЦР"],
        "by_agreement": [],
        "funding": f"{WITHIN}; РБ",
        "sources": ["РБ"],
        "lines": (1884, 1886),
    },
    {  # L1897, separator L1898, L1900: a fragment above the row across page-break residue.
        "number": "33",
        "section": D1,
        "name": "Формирование каталога видеороликов, детских мультфильмов, методических рекомендаций, "
        "исследований, информационных материалов, направленных на обеспечение личной безопасности, "
        "профилактику насилия, травмы (буллинга) ребенка, обеспечение поддержки ментального здоровья, "
        "правил поведения при чрезвычайных ситуациях путем объединения имеющихся материалов",
        "form": "каталог материалов",
        "deadline": "январь 2027 года",
        "executors": ["МП", "МИИЦР", "МКИ", "МЗ", "МТСЗН", "МВД", "МЧС", "ГП", "УПР"],
        "by_agreement": ["ГП", "УПР"],
        "funding": "не требуется",
        "sources": ["не требуется"],
        "lines": (1897, 1900),
    },
    {  # L1930: "МИО по согласованию с МП, …" — МИО leads; only УПР is "(по согласованию)".
        "number": "51",
        "section": D1,
        "name": "Разработка и утверждение плана по модернизации домов культуры, сельских клубов, специальных "
        "организаций образования, организаций образования с особым режимом содержания",
        "form": "план",
        "deadline": "август 2026 года (утверждение плана) март 2027-2030 годы предоставление информации в МП "
        "об исполнении",
        "executors": ["МИО", "МП", "МКИ", "МПС", "УПР"],
        "by_agreement": ["УПР"],
        "funding": "не требуется",
        "sources": ["не требуется"],
        "lines": (1930, 1930),
    },
    {  # L1964, L1966, L1969: fragments above and below; deadline paragraphs with a stray "<p>а</p>".
        "number": "70",
        "section": D1,
        "name_start": "Выработка законодательных подходов по обеспечению безопасной и дружелюбной к детям "
        "инфраструктуры, в том числе: 1) урегулированию вопроса проведения психолого-педагогической экспертизы",
        "name_end": "8) регулированию вопроса междугородней перевозки детей без оформления соответствующего "
        "разрешения от законных представителей",
        "form": "проект Закона",
        "deadline": "октябрь 2028 года разработка проекта Закона февраль 2029 года внесение в Аппарат "
        "Правительства май 2029 года внесение в Мажилис Парламента",
        "executors": ["МП", "МТИ", "МПС", "МЗ", "МИО"],
        "by_agreement": [],
        "funding": "не требуется",
        "sources": ["не требуется"],
        "lines": (1964, 1969),
    },
    {  # L2038: "1 0 современных"; the akimat entry lists its regions with commas.
        "number": "105",
        "section": D3,
        "name": "Проработка вопроса строительства 10 современных многопрофильных детских стационаров в регионах "
        "с дефицитом высокотехнологичной помощи (области Абай, Ұлытау, Костанайская, Кызылординская, "
        "Мангистауская, Атырауская, Павлодарская, Северо-Казахстанская области, города Астана и Алматы)",
        "form": "информация в МП",
        "deadline": "декабрь 2026 года",
        "executors": [
            "МЗ",
            "акиматы областей Абай, Ұлытау, Костанайской, Кызылординской, Мангистауской, Атырауской, "
            "Павлодарской, Северо-Казахстанской областей, городов Астаны и Алматы",
        ],
        "by_agreement": [],
        "funding": "не требуется",
        "sources": ["не требуется"],
        "lines": (2038, 2038),
    },
    {  # L2040: three sources.
        "number": "107",
        "section": D3,
        "name": "Строительство и введение в эксплуатацию новых 9 перинатальных центров",
        "form": "информация в МП",
        "deadline": "декабрь 2026-2030 годов",
        "executors": [
            "МЗ",
            "акиматы городов Астана, Алматы, Шымкента, Кызылординской, Алматинской, Туркестанской, "
            "Западно-Казахстанской, Карагандинской областей",
        ],
        "by_agreement": [],
        "funding": f"{WITHIN}; РБ, МБ, ВБС",
        "sources": ["РБ", "МБ", "ВБС"],
        "lines": (2040, 2040),
    },
    {  # L2045 + L2047: volume "-" on the row, "не требуется" on the fragment.
        "number": "110",
        "section": D3,
        "name_start": "Разработка и утверждение плана по оснащению детских больниц и организаций родовспоможения "
        "медицинским оборудованием по потребности, в том числе: 1) КТ;",
        "name_end": "6) медицинским оборудованием для транспортировки детей ( ) транспортные кувезы, транспортные "
        "ИВЛ); 7) МРТ; 8) аппаратами для проведения лечебной гипотермии; 9) аппаратами для ингаляции оксида "
        "азота; 10) Т-системой.",
        "form": "план",
        "deadline": "март 2026 года",
        "executors": ["МИО"],
        "by_agreement": [],
        "funding": "не требуется",
        "sources": ["не требуется"],
        "lines": (2045, 2047),
    },
    {  # L2064 + L2066: "медико-генет" | "ической службы".
        "number": "122",
        "section": D3,
        "name": "Разработка и утверждение плана по совершенствованию медико-генетической службы",
        "form": "план",
        "deadline": "декабрь 2026 года",
        "executors": ["МЗ"],
        "by_agreement": [],
        "funding": "не требуется",
        "sources": ["не требуется"],
        "lines": (2064, 2066),
    },
    {  # L2069: ОСМС written in both funding columns.
        "number": "125",
        "section": D3,
        "name": "Пересмотр тарифов на проведение витреоэктомии и передним, задним доступом детям",
        "form": "приказ Министра здравоохранения и я Республики Казахстан",
        "deadline": "июль 2027 года",
        "executors": ["МЗ"],
        "by_agreement": [],
        "funding": "ОСМС; ОСМС",
        "sources": ["ОСМС"],
        "lines": (2069, 2069),
    },
    {  # L2086: "МИИЦР МП" without a comma; source "РРБ" (not a known abbreviation).
        "number": "132",
        "section": D4,
        "name": "Разработка и внедрение интерактивного курса по ответственному у родительству на платформе "
        "ata.ana.kz с интеграцией взаимодействия с государственной цифровой платформой eGov.kz",
        "form": "интерактивный курс на платформе",
        "deadline": "март 2028 года",
        "executors": ["МКИ", "МИИЦР", "МП"],
        "by_agreement": [],
        "funding": f"{WITHIN}; РРБ",
        "sources": ["РРБ"],
        "lines": (2086, 2086),
    },
    {  # L2108 + L2110: the volume is split across the two lines ("предусмотрен" | "ных средств, …").
        "number": "145",
        "section": D4,
        "name": "Открытие центров дневного пребывания для детей с расстройством аутистического спектра и "
        "другими ментальными нарушениями",
        "form": "информация в МП",
        "deadline": "март 2027 года",
        "executors": ["МИО"],
        "by_agreement": [],
        "funding": f"{WITHIN}, внебюджетных средств; МБ, ВБС",
        "sources": ["МБ", "ВБС"],
        "lines": (2108, 2110),
    },
    {  # L2114, L2116 (six cells: no form of completion), L2119; letter-spaced words throughout.
        "number": "149",
        "section": D4,
        "name_start": "Выработка законодательных подходов по защите прав детей-сирот, детей, оставшихся без "
        "попечения родителей, имущественных прав детей, в том числе:",
        "name_end": "4) введению контроля со стороны органа опеки и попечительства за действиями родителей и "
        "иных законных представителей по распоряжению имуществом детей; 5) установлению запрета для "
        "родителей, восстановленных в родительских правах, распоряжаться имуществом своих несовершеннолетних "
        "детей",
        "form": "",
        "deadline": LAW_2027,
        "executors": ["МП", "МФ"],
        "by_agreement": [],
        "funding": "не требуется",
        "sources": ["не требуется"],
        "lines": (2114, 2119),
    },
    {  # L2128: the executors cell is wrapped in parentheses.
        "number": "154",
        "section": D4,
        "name": "Разработка и утверждение плана по проведению ремонта организаций, осуществляющих функции по "
        "защите прав ребенка",
        "form": "план",
        "deadline": "июнь 2026 года (утверждение плана) март 2027-2030 годов предоставление информации в МП",
        "executors": ["МИО", "МП", "МЗ", "МТСЗН", "УПР"],
        "by_agreement": ["УПР"],
        "funding": "не требуется",
        "sources": ["не требуется"],
        "lines": (2128, 2128),
    },
    {  # L2134: the last row.
        "number": "158",
        "section": D4,
        "name": "Проведение анализа по распределению жилища из коммунального жилищного фонда или жилища, "
        "арендованного местным исполнительным органом в частном жилищном фонде для детей-сирот, детей, "
        "оставшихся без попечения родителей, и семей, воспитывающих детей с инвалидностью",
        "form": "предложения в Правительстве о Республики Казахстан",
        "deadline": "сентябрь 2026 года",
        "executors": ["МПС", "МП", "МТСЗН", "МЗ", "МИО"],
        "by_agreement": [],
        "funding": "не требуется",
        "sources": ["не требуется"],
        "lines": (2134, 2134),
    },
]


@pytest.mark.parametrize("expected", MEASURES, ids=[m["number"] for m in MEASURES])
def test_measure(measures: dict[str, ParsedMeasure], expected: dict[str, Any]) -> None:
    measure = measures[expected["number"]]
    assert measure.section == expected["section"]
    if "name" in expected:
        assert measure.name == expected["name"]
    else:
        assert measure.name.startswith(expected["name_start"])
        assert measure.name.endswith(expected["name_end"])
    assert measure.completion_form == expected["form"]
    assert measure.deadline == expected["deadline"]
    assert measure.executors == expected["executors"]
    assert measure.lead_executor == expected["executors"][0]
    assert measure.by_agreement == expected["by_agreement"]
    assert measure.funding.text == expected["funding"]
    assert measure.funding.sources == expected["sources"]
    assert measure.funding.amounts == []
    assert measure.source_lines == expected["lines"]


def test_damaged_rows_carry_warnings(measures: dict[str, ParsedMeasure]) -> None:
    def warnings(number: str) -> str:
        return " | ".join(measures[number].warnings)

    assert measures["1"].warnings == []  # a clean row
    assert "row 3 continues on line(s) 1838" in warnings("3")
    assert "психологичес|к о й→психологической" in warnings("5")
    assert "row 70 continues on line(s) 1964, 1969" in warnings("70")
    assert "dropped stray paragraph 'а'" in warnings("70")
    assert "line 2116: the form-of-completion cell is missing" in warnings("149")
    assert "form of completion cell is empty" in warnings("149")
    assert "comma missing between executors 'МП МИО'" in warnings("48")  # L1925
    assert "comma missing between executors 'МИИЦР МП'" in warnings("132")  # L2086
    assert "funding source 'РРБ' is not a known budget source" in warnings("132")
    assert "funding source 'РРБ' is not a known budget source" in warnings("134")  # L2088
    assert "executors cell is wrapped in parentheses" in warnings("154")
    # Residue the reader leaves as written, but reports: "здравоохранения и я" (L2060), "занимающихся я" (L1943).
    assert "form: stray letters left as written: 'здравоохранения и я Республики Казахстан'" in warnings("118")
    assert "stray letters left as written: 'детей, занимающихся я бродяжничеством, попрошайничеством,'" in warnings(
        "58"
    )
    # L2040: ВБС is a source although the volume names only the allocated funds.
    assert "funding source ВБС but the volume does not name extra-budgetary funds" in warnings("107")


def test_executors_resolve_except_the_ones_reported(plan: ParsedPlan) -> None:
    # Every executor abbreviation of the table is in the glossary (L2136-2205) or agencies.yaml.
    assert not [w for m in plan.measures for w in m.warnings if "not a known agency" in w]


# --- funding --------------------------------------------------------------------------------


def test_funding_has_no_amounts_and_no_total(text: str, plan: ParsedPlan) -> None:
    """The Concept's plan states no sums: its volume column holds only markers (L1832-2134), and the
    document states no total for the plan. The sum of row amounts is therefore empty for every year;
    the rows checked by hand above (1, 19, 107, 145 …) have markers, not figures."""
    table = text.split("\n")[1833:2134]  # L1834-2134: below the header and the column numbers (L1832-1833)
    volumes = {line.split("\t")[5].strip() for line in table if line.count("\t") == 6}
    assert "не требуется" in volumes and f"<p>{WITHIN}</p>" in volumes
    assert not any(ch.isdigit() for volume in volumes for ch in volume)
    per_year: dict[int | None, float] = {}
    for measure in plan.measures:
        for amount in measure.funding.amounts:
            per_year[amount.year] = per_year.get(amount.year, 0.0) + amount.mln_kzt
    assert per_year == {}
    assert any("states no funding amounts" in w for w in plan.warnings)


def test_funding_sources_by_kind(measures: dict[str, ParsedMeasure]) -> None:
    # L1847 ВБС; L2055 ОСМС; L2100 "РБ, МБ"; L2106 "МБ, ВБС".
    assert measures["8"].funding.sources == ["ВБС"]
    assert measures["8"].funding.text == "за счет внебюджетных средств; ВБС"
    assert measures["115"].funding.sources == ["ОСМС"]
    assert measures["139"].funding.sources == ["РБ", "МБ"]
    assert measures["143"].funding.sources == ["МБ", "ВБС"]


# --- reporting ------------------------------------------------------------------------------


def test_reporting_rules_from_the_decree(plan: ParsedPlan) -> None:
    # L15 + L19 (paragraph 2, subparagraph 3) and L21 (paragraph 3).
    assert plan.reporting_rules == [
        {
            "text": "Центральным государственным и местным исполнительным органам, заинтересованным "
            "организациям (по согласованию), ответственным за реализацию Концепции: не позднее 1 апреля года, "
            "следующего за отчетным годом, представлять информацию о ходе реализации Концепции в Министерство "
            "просвещения Республики Казахстан."
        },
        {
            "text": "Министерству просвещения Республики Казахстан не позднее 1 мая года, следующего за отчетным "
            "годом, представлять информацию о ходе реализации Концепции в уполномоченный орган по "
            "государственному планированию, а также размещать ее на своем интернет-ресурсе (за исключением "
            "информации ограниченного доступа)."
        },
    ]


def test_json_document(plan: ParsedPlan) -> None:
    document = plan.to_json()
    assert json.loads(json.dumps(document, ensure_ascii=False))["kind"] == "concept-2026-2030"
    assert len(document["measures"]) == 158 and len(document["indicators"]) == 10


# --- the pipeline's steps on small inputs ---------------------------------------------------


def test_fragments_attach_to_the_right_row() -> None:
    lines = [
        "№ п/п\tНаименование\tФорма\tСрок\tИсполнители\tОбъем\tИсточник",
        "Направление 1. Тест",
        "1.\tПервая мера\tплан\tмай 2026 года\tМП\t\t-",
        "",
        "\tпродолжение первой\t\t\t\tне требуется\t",
        "\tНачало второй\tпредложения в\t\t\t\t",
        "-----\t--\t--\t--\t--\t--\t--",
        "",
        "2.\tмеры\tПравительство\tиюнь 2026 года\tМЗ\tне требуется\t-",
    ]
    table = split_rows(lines)
    assert table is not None and table.warnings == []
    first, second = table.rows
    assert [n for n, _ in first.after] == [5] and first.before == []
    assert [n for n, _ in second.before] == [6] and second.after == []
    assert second.column(2) == ["предложения в", "Правительство"]


def test_split_rows_without_table() -> None:
    assert split_rows(["no table here"]) is None


def test_repair_words_uses_the_vocabulary() -> None:
    vocab = frozenset({"для", "искусственного", "иных", "и", "обязательным", "обязательными"})
    text, repairs = repair_words("технологий искусственно го интеллекта д л я детей и и н ы х", vocab)
    assert text == "технологий искусственного интеллекта для детей и иных"
    assert repairs
    # Two real words are never glued, even when their concatenation is a word.
    assert repair_words("с обязательным и темами", vocab)[0] == "с обязательным и темами"


def test_join_pieces_glues_a_word_cut_at_the_line() -> None:
    vocab = frozenset({"здравоохранения", "министра"})
    assert join_pieces("Приказ Министра здравоохране", "ния Республики", vocab)[0] == (
        "Приказ Министра здравоохранения Республики"
    )
    assert join_pieces("предложения в", "Правительство", vocab) == ("предложения в Правительство", None)


def test_read_executors() -> None:
    result = read_executors("МИО по согласованию с МП, МКИ, УПР (по согласованию)")
    assert (result.names, result.by_agreement, result.warnings) == (["МИО", "МП", "МКИ", "УПР"], ["УПР"], [])
    unknown = read_executors("МП, ХЮЗ")
    assert unknown.names == ["МП", "ХЮЗ"] and unknown.warnings == ["executor 'ХЮЗ' is not a known agency"]
    assert read_executors("").warnings == ["executors cell is empty"]


def test_read_funding() -> None:
    funding, warnings = read_funding("не требуется", "-")
    assert (funding.text, funding.sources, warnings) == ("не требуется", ["не требуется"], [])
    funding, warnings = read_funding("150,5 млн тенге", "РБ")
    assert funding.amounts == [] and any("figures" in w for w in warnings)
    _, warnings = read_funding("", "")
    assert warnings == ["funding volume and source are both empty"]
