"""The reader of seed 000: Government Decree №748 of 31 August 2023, Comprehensive Plan 2023–2025.

Plain pytest, no database. Every expected value below was read by hand from the seed file; the
comments give its line numbers. The seed documents are the repository's ``seeds/`` (``settings.QORGAU_SEEDS_DIR``).
"""

from __future__ import annotations

import pytest

from core.seeds import seed_text
from plans.parsing import plan2023
from plans.parsing.types import ParsedMeasure, ParsedPlan

NOT_REQUIRED = "Талап етілмейді"  # core/data/agencies.yaml, budget_not_required, name_kk
WITHIN_ALLOCATED = "Көзделген бюджет қаражаты шегінде"  # budget_within_allocated, name_kk
EXTRA_BUDGETARY = "Бюджеттен тыс қаражат"  # budget_extra, name_kk


def _seed_text(prefix: str) -> str:
    return seed_text(prefix)  # the repository's seeds/ (QORGAU_SEEDS_DIR)


@pytest.fixture(scope="module")
def plan() -> ParsedPlan:
    """Seed 000 as read."""
    return plan2023.read(_seed_text("000"))


@pytest.fixture(scope="module")
def measures(plan: ParsedPlan) -> dict[str, ParsedMeasure]:
    """The measures by number."""
    return {m.number: m for m in plan.measures}


def _years(measure: ParsedMeasure) -> dict[int | None, float]:
    return {a.year: a.mln_kzt for a in measure.funding.amounts}


# --- the document ---------------------------------------------------------------------------


def test_recognised_as_the_national_text_and_not_the_school_copy() -> None:
    assert plan2023.looks_like(_seed_text("000"))
    assert not plan2023.looks_like(_seed_text("001"))  # same decree, but a tabulated school copy
    assert not plan2023.looks_like(_seed_text("004"))


def test_counts(plan: ParsedPlan) -> None:
    assert len(plan.measures) == 53
    assert [m.number for m in plan.measures] == [str(n) for n in range(1, 54)]
    assert len(plan.indicators) == 9


def test_act_period_title_language(plan: ParsedPlan) -> None:
    # L5 "Қазақстан Республикасы Үкіметінің 2023 жылғы 31 тамыздағы № 748 қаулысы"
    assert (plan.act.type, plan.act.number, plan.act.date) == ("decree", "748", "2023-08-31")
    assert (plan.period_start, plan.period_end) == (2023, 2025)
    assert plan.kind == "plan-2023-2025"
    assert plan.language == "kk"
    # L40-41, the plan's own title after the approval stamp
    assert plan.title == (
        "Балаларды зорлық-зомбылықтан қорғау, суицидтің алдын алу және олардың құқықтары мен саламаттығын"
        " қамтамасыз ету жөніндегі 2023 – 2025 жылдарға арналған кешенді жоспар"
    )


def test_sections(plan: ParsedPlan, measures: dict[str, ParsedMeasure]) -> None:
    # L140-141, L910, L1389 (the table's headings; the third misspells "саламаттылық", L64 does not)
    assert plan.sections == [
        "Балалардың зорлық-зомбылықтан, жәбірленуден және оларға қатыгездікпен қараудан қорғалу құқығын іске асыру",
        "Балалардың суицидтік және аутоагрессивті мінез-құлқының профилактикасы және оны түзету",
        "Қазақстандық балалардың салматтылық деңгейін арттыру",
    ]
    assert any("section 3 heading" in w and "саламаттылық" in w for w in plan.warnings)
    assert {measures[str(n)].section for n in range(1, 24)} == {plan.sections[0]}
    assert {measures[str(n)].section for n in range(24, 38)} == {plan.sections[1]}
    assert {measures[str(n)].section for n in range(38, 54)} == {plan.sections[2]}


def test_reporting_rules(plan: ParsedPlan) -> None:
    # L13-20: executors quarterly to the Ministry by the 10th; the Ministry half-yearly to the Government.
    texts = [rule["text"] for rule in plan.reporting_rules]
    assert len(texts) == 2
    assert "тоқсан сайын, есепті кезеңнен кейінгі айдың 10-ы күнінен кешіктірмей" in texts[0]
    assert texts[0].startswith("2. Кешенді жоспарды орындауға жауапты")
    assert "жартыжылдықта бір рет" in texts[1] and "Аппаратына" in texts[1]


# --- indicators (L123-138) ------------------------------------------------------------------


def test_all_nine_indicators_with_their_targets(plan: ParsedPlan) -> None:
    got = {i.number: (i.unit, i.targets) for i in plan.indicators}
    assert got == {
        "1": ("факт", {"2023": 1648.0, "2024": 1565.0, "2025": 1486.0}),  # L123-124
        "2": ("факт", {"2023": 1904.0, "2024": 1808.0, "2025": 1717.0}),  # L125-126
        "3": ("факт", {"2023": 147.0, "2024": 139.0, "2025": 130.0}),  # L127-129 (suicides)
        "4": ("бірлік", {"2025": 1000.0}),  # L130 "2025 жылы – қосымша 1000 бірлік"
        "5": ("бірлік", {"2025": 2000.0}),  # L131
        "6": ("%", {"2023": 33.3, "2024": 33.3, "2025": 33.3}),  # L132-134 "жыл сайын 33,3 %-ға ұлғайту"
        "7": ("%", {"2023": 90.0, "2024": 93.0, "2025": 96.0}),  # L135-136
        "8": ("%", {"2025": 100.0}),  # L137 "100 %-ға дейін ұлғайту", no year
        "9": ("%", {"2025": 100.0}),  # L138 "100 % қамту", no year
    }
    by_number = {i.number: i for i in plan.indicators}
    assert by_number["1"].name == "кәмелетке толмағандар арасындағы құқық бұзушылықтар санын жыл сайын 5 %-ға төмендету"
    # The attempts series of indicator 3 (L128-129) and the readings that are not plain levels are warned.
    assert any("293" in w and "278" in w and "264" in w for w in by_number["3"].warnings)
    assert any("қосымша" in w for w in by_number["4"].warnings)
    assert any("yearly change" in w for w in by_number["6"].warnings)
    assert any("no year given" in w for w in by_number["8"].warnings + by_number["9"].warnings)
    for number in ("1", "2", "7"):
        assert by_number[number].warnings == []


# --- measures, hand-checked -----------------------------------------------------------------


def test_rows_lost_before_the_table_are_reported(measures: dict[str, ParsedMeasure]) -> None:
    # The extracted table begins inside row 6 (L150): rows 1-5 are not in the text at all.
    for number in "12345":
        measure = measures[number]
        assert measure.name == ""
        assert any("lost" in w for w in measure.warnings)


def test_measure_6_number_reconstructed(measures: dict[str, ParsedMeasure]) -> None:
    m = measures["6"]  # L150-165: only the end of the name survives, before row 7
    assert m.name == "қарсы ұлттық ақпараттық науқан жүргізу"
    assert m.completion_form == "ақпараттық науқан"
    assert m.deadline == "жыл сайын желтоқсан"
    assert m.executors == ["ОМ", "АҚДМ", "ЖАО"]
    assert m.funding.sources == [NOT_REQUIRED] and m.funding.amounts == []
    assert any("reconstructed as 6" in w for w in m.warnings)
    assert any("start of the row" in w for w in m.warnings)
    assert m.source_lines == (150, 165)


def test_measure_7(measures: dict[str, ParsedMeasure]) -> None:
    m = measures["7"]  # L167-207
    assert m.section.startswith("Балалардың зорлық-зомбылықтан")
    assert m.name == (
        "Кәмелетке толмағандар арасындағы құқық бұзушылықтарды азайтуға және балаларда психо-эмоционалдық"
        " орнықтылықты қалыптастыруға бағытталған бірыңғай тәрбие жұмысы бағдарламасын әзірлеу және бекіту"
    )
    assert m.completion_form == "тәрбие жұмысы бағдарламасы"
    assert m.deadline == "2023 жылғы қыркүйек"
    assert m.executors == ["ОМ", "АҚДМ", "МСМ", "ІІМ", "Қорғанысмині", "БП"]
    assert m.lead_executor == "ОМ"
    assert m.by_agreement == ["БП"]  # L203-204 "БП (келісу бойынша)"
    assert m.funding.text == "талап етілмейді | -"
    assert m.funding.sources == [NOT_REQUIRED]
    assert m.warnings == []


def test_measure_9_name_begins_before_its_number(measures: dict[str, ParsedMeasure]) -> None:
    m = measures["9"]  # L249-256 (before the page break), L260-281
    assert m.name == (
        "Қауіп төніп тұрғаны туралы сигнал беретін, балаларға арналған тану ым-ишараларының, белгілерінің,"
        " сөздерінің бірыңғай тізбелерін әзірлеу және бекіту, оларды қоғам назарына жеткізу"
    )
    assert m.completion_form == "бірыңғай тізбе"
    assert m.deadline == "2023 жылғы желтоқсан"
    assert m.executors == ["ОМ", "АҚДМ"]  # L278 "ОМ, АҚДМ т а л а п" (executors and amount on one line)
    assert m.funding.sources == [NOT_REQUIRED]
    assert m.source_lines == (249, 281)


def test_measure_12_funding_within_allocated_republican_budget(measures: dict[str, ParsedMeasure]) -> None:
    m = measures["12"]  # L344-378
    assert m.completion_form == "жыл сайын тергеушілердің жалпы санының кемінде 5 %-ы"
    assert m.deadline == "жыл сайын желтоқсан"  # L371-372 "жыл сайын желтоқсан ІІМ, ЖАО -"
    assert m.executors == ["ІІМ", "ЖАО"]
    assert m.funding.text == "- | РБ (көзделген бюджет қаражаты шегінде)"
    assert m.funding.sources == ["РБ", WITHIN_ALLOCATED]
    assert m.funding.amounts == []


def test_measure_13_name_continues_after_the_page_break(measures: dict[str, ParsedMeasure]) -> None:
    m = measures["13"]  # L384-460, and the end of the name at L464-476
    assert m.name.startswith("Қазақстан Республикасының заңнамалық актілеріне: білім беру, денсаулық сақтау,")
    assert m.name.endswith(
        '"мектепішілік есепке алу" ұғымын бекіту бөлігінде өзгерістер мен толықтырулар енгізу бойынша'
        " Қазақстан Республикасы Заңының жобасын әзірлеу."
    )
    assert m.completion_form == "Қазақстан Республикасы Заңының жобасы"
    assert m.deadline == "2024 жылғы желтоқсан"
    assert m.executors == ["ОМ", "ІІМ", "БП", "СӘ", "Еңбекмині", "ДСМ"]
    assert m.by_agreement == ["БП", "СӘ"]
    assert any("page break" in w for w in m.warnings)


def test_measure_15_word_split_by_the_layout(measures: dict[str, ParsedMeasure]) -> None:
    m = measures["15"]  # L551-614; "№ 789 қаулыс" / ":  ы н а" at L570-572
    assert "2001 жылғы 11 маусымдағы № 789 қаулысына: медициналық-әлеуметтік есепке алуды" in m.name
    assert m.completion_form == "Қазақстан Республикасы Үкіметінің қаулысы"
    assert m.deadline == "2024 жылғы мамыр; 2024 жылғы желтоқсан"  # L598-602, two dates in one cell
    assert m.executors == ["ОМ", "Еңбекмині", "АҚДМ", "ДСМ", "ІІМ", "ЖАО"]  # L605 "О М ,"
    assert any("re-joined" in w for w in m.warnings)


def test_measure_19_three_columns_continue_after_the_page_break(measures: dict[str, ParsedMeasure]) -> None:
    m = measures["19"]  # L726-771, then L776-785 (name, deadline and source continue)
    assert m.name == (
        "Қолайсыз отбасылардан шыққан балаларды әлеуметтік қызметтердің кешенді сүйемелдеуіне бағытталған"
        ' "Әлеуметтік патронат" жобасын әзірлеу және іске асыру'
    )
    assert m.completion_form == "Қазақстан Республикасының Үкіметіне ақпарат"
    assert m.deadline == (
        "2024 жылғы наурыз – әзірлеу; 2024 жылғы сәуір – желтоқсан – сынақтан өткізу; 2025 жылғы қаңтар –"
        " сынақтан өткізу қорытындысын қарау; 2025 жылғы ақпан – ендіру"
    )
    assert m.executors == ["ОМ", "Еңбекмині", "АҚДМ", "ДСМ", "ІІМ", "ЖАО"]
    assert m.funding.text == "- | ЖБ (көзделген бюджет қаражаты шегінде)"
    assert m.funding.sources == ["ЖБ", WITHIN_ALLOCATED]


def test_measure_21_akimat_executor(measures: dict[str, ParsedMeasure]) -> None:
    m = measures["21"]  # L819-850
    assert m.completion_form == "ОМ-ге ақпарат"
    assert m.deadline == "2024 жылғы маусым"
    assert m.executors == ["ИИДМ", "ОМ", "ҰЭМ", "Астана қаласының әкімдігі"]
    assert m.lead_executor == "ИИДМ"


def test_measure_23_amount_after_the_page_break(measures: dict[str, ParsedMeasure]) -> None:
    m = measures["23"]  # L879-908: "ЖАО, ОМ -" then, after the break, "т а л а п етілмейді"
    assert m.name == (
        "Оқушылар арасында зорлық-зомбылықтың алдын алу бойынша бірыңғай сабақтарды тоқсан сайын жасау және өткізу"
    )
    assert m.deadline == "жыл сайын қаңтар, наурыз, мамыр, қыркүйек"
    assert m.executors == ["ЖАО", "ОМ"]
    assert m.funding.text == "талап етілмейді | -"
    assert m.funding.sources == [NOT_REQUIRED]


def test_measure_24_amount_without_a_year(measures: dict[str, ParsedMeasure]) -> None:
    m = measures["24"]  # L914-949
    assert m.section.startswith("Балалардың суицидтік")
    assert m.completion_form == "талдау жүргізу және ұсынымдар пакеті"
    assert m.deadline == "2023 жылғы желтоқсан"
    assert m.executors == ["ОМ", "ДСМ", "ЖАО"]
    assert _years(m) == {None: 4.442}  # L944 "4, 442 млн теңге"
    assert m.funding.sources == [EXTRA_BUDGETARY]  # L947-949
    assert any("4, 442" in w for w in m.warnings)


def test_measure_34_yearly_amounts(measures: dict[str, ParsedMeasure]) -> None:
    m = measures["34"]  # L1263-1295
    assert m.name == "Облыстық және (немесе) аудандық психологиялық қызмет орталықтарын құру"
    assert m.completion_form == "жыл сайын 5 жаңа орталық құру"
    assert m.deadline == "2025 жылғы наурыз"
    assert m.executors == ["ЖАО", "ОМ"]
    assert _years(m) == {2023: 1343.8, 2024: 1193.84, 2025: 1437.64}
    assert m.funding.sources == ["ЖБ"]


def test_measure_38_name_begins_under_the_section_heading(measures: dict[str, ParsedMeasure]) -> None:
    m = measures["38"]  # L1393-1398 before "38." (L1402), the rest at L1404-1431
    assert m.section == "Қазақстандық балалардың салматтылық деңгейін арттыру"
    assert m.name.startswith("Балаларды зорлық-зомбылықтан қорғау, суицидтің алдын алу және олардың құқықтары")
    assert m.name.endswith("кешенді жоспарды іске асыру жөніндегі жол карталарын әзірлеу және бекіту")
    assert m.completion_form == "ОМ-ге ақпарат"
    assert m.deadline == "2023 жылғы қараша"
    assert m.executors == ["ЖАО"]


def test_measure_42_cells_split_around_the_number(measures: dict[str, ParsedMeasure]) -> None:
    m = measures["42"]  # L1518-1524 (name, form and 2023 amount) before "42." (L1530), the rest to L1553
    assert m.name == (
        "Балалар мен жасөспірімдердің мәдени тәрбиесін арттыруға, шығармашылық әлеуетін дамытуға бағытталған"
        " іс-шаралар өткізу"
    )
    assert m.completion_form == "ОМ-ге ақпарат"  # "ОМ-ге" at L1522, "ақпарат" at L1537
    assert m.deadline == "жыл сайын желтоқсан"
    assert m.executors == ["ЖАО", "МСМ", "ОМ"]
    assert _years(m) == {2023: 22870.23, 2024: 23214.635, 2025: 23495.218}
    assert m.funding.sources == ["ЖБ"]


def test_measure_44_suspicious_amount_is_kept_and_warned(measures: dict[str, ParsedMeasure]) -> None:
    m = measures["44"]  # L1596-1628; 2025 is printed "1 001 355,68" (L1625), ten times the other years
    assert _years(m) == {2023: 81599.203, 2024: 92327.978, 2025: 1001355.68}
    assert m.deadline == "жыл сайын маусым, желтоқсан"
    assert any("2025 amount" in w for w in m.warnings)


def test_measure_49_executors_on_both_sides_of_the_number(measures: dict[str, ParsedMeasure]) -> None:
    m = measures["49"]  # "ЖАО, ИИДМ, МСМ, ОМ," at L1788-1789 before "49.", the rest at L1820-1824
    assert m.executors == ["ЖАО", "ИИДМ", "МСМ", "ОМ", "ДСМ", "АҚДМ", "ЦДИАӨМ", "ТЖМ", "ҒЖБМ", "БП"]
    assert m.by_agreement == ["БП"]
    assert m.name.startswith("Балалардың қоғамдық көліктердегі, вокзалдардағы, әуежайлардағы,")
    assert m.name.endswith("алаңдардағы және т.б. қауіпсіздігі тақырыбын жариялау")
    assert m.completion_form == "ОМ-ге ақпарат"
    assert m.deadline == "жыл сайын желтоқсан"


def test_measure_53_deadline_continues_after_the_page_break(measures: dict[str, ParsedMeasure]) -> None:
    m = measures["53"]  # L1907-1927, then L1931-1938
    assert m.name == (
        "Білім беру ұйымдарында ата-аналар арасында жалпыға бірдей ағартуды жүргізу арқылы бала – ата-ана"
        " қарым-қатынасын нығайту"
    )
    assert m.deadline == "жыл сайын қыркүйек, желтоқсан, наурыз, маусым"
    assert m.executors == ["ЖАО", "ОМ"]
    assert m.funding.sources == [NOT_REQUIRED]


# --- funding totals and completeness --------------------------------------------------------


def test_funding_sums(plan: ParsedPlan, measures: dict[str, ParsedMeasure]) -> None:
    """The plan states no total of its measure table (no "Барлығы" row), so the row amounts are
    checked one by one and their sums per year against the hand-added figures of the rows that
    have amounts: 24, 32, 34, 39, 40, 42, 43, 44, 45, 50. The only other money in the table, "2023
    жылы – 902 / 2024 – 961 / 2025 – 992 млн теңге" (L142-149), sits before the first readable
    row and belongs to a lost row: it must be reported, not added to a row."""
    with_amounts = sorted((m.number for m in plan.measures if m.funding.amounts), key=int)
    assert with_amounts == ["24", "32", "34", "39", "40", "42", "43", "44", "45", "50"]
    assert _years(measures["32"]) == {None: 8.885}  # L1223
    assert _years(measures["39"]) == {None: 44.429}  # L1455
    assert _years(measures["40"]) == {2023: 37.5, 2024: 34.1, 2025: 42.0}  # L1479-1487
    assert _years(measures["43"]) == {2023: 48878.783, 2024: 48339.729, 2025: 51577.685}  # L1584-1592
    assert _years(measures["45"]) == {2023: 21885.895, 2024: 42628.6, 2025: 48279.6}  # L1651-1659 ("2025 ж.")
    assert _years(measures["50"]) == {None: 8.885}  # L1851
    totals: dict[int | None, float] = {}
    for measure in plan.measures:
        for amount in measure.funding.amounts:
            totals[amount.year] = totals.get(amount.year, 0.0) + amount.mln_kzt
    assert totals[2023] == pytest.approx(1343.8 + 37.5 + 22870.23 + 48878.783 + 81599.203 + 21885.895)
    assert totals[2024] == pytest.approx(1193.84 + 34.1 + 23214.635 + 48339.729 + 92327.978 + 42628.6)
    assert totals[2025] == pytest.approx(1437.64 + 42.0 + 23495.218 + 51577.685 + 1001355.68 + 48279.6)
    assert totals[None] == pytest.approx(4.442 + 8.885 + 44.429 + 8.885)
    assert any("902" in w and "992" in w and "not attributed" in w for w in plan.warnings)


def test_no_empty_field_without_a_warning(plan: ParsedPlan) -> None:
    for m in plan.measures:
        for value, label in (
            (m.name, "name"),
            (m.completion_form, "completion form"),
            (m.deadline, "deadline"),
            (m.executors, "executors"),
        ):
            if not value:
                assert m.warnings, f"measure {m.number}: empty {label} without a warning"
        assert m.funding.text or m.warnings, f"measure {m.number}: no funding and no warning"
        if m.name:
            assert m.source_lines is not None


def test_readable_rows_are_complete(plan: ParsedPlan) -> None:
    # Rows 7-53 are all in the text: each has every field, and every executor resolves.
    for m in plan.measures[6:]:
        assert m.name and m.completion_form and m.deadline and m.executors, m.number
        assert m.lead_executor == m.executors[0]
        assert m.funding.sources, m.number
        assert not [w for w in m.warnings if "not a known" in w or "missing" in w], (m.number, m.warnings)
