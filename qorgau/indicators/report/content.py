"""The annual report as a sequence of blocks (headings, paragraphs, images, tables), in its language.

Both writers, DOCX (:mod:`indicators.report.annual`) and HTML for the PDF
(:mod:`indicators.report.annual_html`), lay out this one sequence, so the two files say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indicators.report.charts import ranking_bar
from indicators.report.data import IndicatorTable, ReportData
from indicators.report.i18n import (
    Language,
    decimals_needed,
    format_number,
    format_signed,
    region_name,
    text,
    zone_label,
)
from indicators.report.maps import ZONE_COLOURS, choropleth
from indicators.report.narrative import domain_paragraphs
from indicators.report.render import Chromium
from indicators.seed002_types import NATIONAL

_WORDS: dict[str, dict[str, str]] = {
    "title": {
        "kk": "Қазақстандағы балалардың жағдайы {year}",
        "ru": "Положение детей в Казахстане в {year} году",
    },
    "subtitle": {
        "kk": "Бала әл-ауқатының индексі бойынша жыл сайынғы баяндама",
        "ru": "Ежегодный доклад по индексу благополучия детей",
    },
    "intro.heading": {"kk": "Кіріспе", "ru": "Введение"},
    "intro": {
        "kk": "Баяндама бала әл-ауқатының индексінің {count} доменіне сәйкес құрылған: {domains}. "
        "Әр тарауда доменнің өңірлер бойынша балдары, аймақтары мен орындары, картасы мен рейтингі, "
        "ең жоғары және ең төменгі балл жинаған өңірлер, сондай-ақ доменнің көрсеткіштері кестелерде "
        "дереккөзін көрсете отырып берілген.",
        "ru": "Доклад построен по {count} доменам индекса благополучия детей: {domains}. "
        "В каждой главе приведены баллы, зоны и места регионов по домену, карта и рейтинг, "
        "регионы с наибольшими и наименьшими баллами, а также таблицы показателей домена "
        "с указанием источника.",
    },
    "index.heading": {"kk": "Бала әл-ауқатының индексі", "ru": "Индекс благополучия детей"},
    "domain.heading": {"kk": "«{name}» домені", "ru": "Домен «{name}»"},
    "map.caption": {
        "kk": "{name}: өңірлердің балдары мен аймақтары, {year} жыл",
        "ru": "{name}: баллы и зоны регионов, {year} год",
    },
    "bar.caption": {"kk": "{name}: өңірлердің рейтингі, {year} жыл", "ru": "{name}: рейтинг регионов, {year} год"},
    "scores.caption": {
        "kk": "{name}: өңірлердің балдары, аймақтары және орындары, {year} жыл",
        "ru": "{name}: баллы, зоны и места регионов, {year} год",
    },
    "figure": {"kk": "{number}-сурет. {caption}", "ru": "Рисунок {number}. {caption}"},
    "table": {"kk": "{number}-кесте. {caption}", "ru": "Таблица {number}. {caption}"},
    "indicators.heading": {"kk": "Доменнің көрсеткіштері", "ru": "Показатели домена"},
    "doubtful": {
        "kk": "* Бастапқы құжаттағы мән тексеруден өтпеді (сома, үлес немесе коэффициент қайта есептегенде "
        "сәйкес келмейді); деректерді тексеру журналын қараңыз.",
        "ru": "* Значение в исходном документе не прошло проверку (сумма, доля или коэффициент не совпадают "
        "при пересчёте); см. журнал проверки данных.",
    },
    "methodology.heading": {"kk": "Әдістеме туралы ескертпе", "ru": "Методологическое примечание"},
    "methodology": {
        "kk": "Әр көрсеткіш өңірлер арасындағы ең кіші және ең үлкен мәні бойынша 0-ден 100-ге дейінгі "
        "шкалаға келтіріледі; мәні өскен сайын балалардың жағдайы нашарлайтын көрсеткіштердің шкаласы "
        "керісінше алынады. Доменнің балы — оның көрсеткіштерінің орташа өлшенген мәні, индекс — "
        "домендер балдарының орташа өлшенген мәні; салмақтар әдістемеде белгіленеді. Аймақтар: "
        "жоғары — 75–100 балл, орташа — 50–74 балл, төмен — 0–49 балл. Балдары тең өңірлер бір орынды "
        "бөліседі. Кестелердегі мәндер ресми дереккөздерден алынған, әр кестеде құжат, кесте және жол "
        "көрсетілген.",
        "ru": "Каждый показатель приводится к шкале от 0 до 100 по наименьшему и наибольшему значениям "
        "среди регионов; для показателей, рост которых означает ухудшение положения детей, шкала "
        "обращается. Балл домена — средневзвешенное значение его показателей, индекс — "
        "средневзвешенное значение баллов доменов; веса задаются методологией. Зоны: высокая — "
        "75–100 баллов, средняя — 50–74 балла, низкая — 0–49 баллов. Регионы с равными баллами делят "
        "одно место. Значения в таблицах взяты из официальных источников; под каждой таблицей указаны "
        "документ, таблица и строки.",
    },
}


def words(key: str, language: Language, **values: object) -> str:
    """A phrase of the report's frame in ``language``, with ``values`` filled in."""
    return _WORDS[key][language].format(**values)


@dataclass(frozen=True)
class Heading:
    """A chapter (level 1) or section (level 2) heading."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Body text; ``note`` for the small print under a table."""

    text: str
    note: bool = False


@dataclass(frozen=True)
class Image:
    """A PNG picture with its numbered caption."""

    png: bytes
    caption: str
    kind: str  # "map" or "chart"


@dataclass(frozen=True)
class Table:
    """A table: header, text rows, which columns are numbers, and a zone per (row, column) to shade."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()
    shades: dict[tuple[int, int], str] = field(default_factory=dict)
    bold_rows: frozenset[int] = frozenset()
    notes: tuple[str, ...] = ()
    widths: tuple[float, ...] = ()  # relative column widths; empty: equal


@dataclass(frozen=True)
class TitlePage:
    """The cover: title and subtitle."""

    title: str
    subtitle: str


Block = Heading | Paragraph | Image | Table | TitlePage


def title_text(data: ReportData) -> str:
    """The report's title in its language."""
    return words("title", data.language, year=data.year)


def _scores_table(data: ReportData, domain: str | None, name: str, number: str) -> Table:
    language = data.language
    scores, zones, ranks = data.domain_scores(domain), data.domain_zones(domain), data.domain_ranks(domain)
    previous = data.previous_scores(domain)
    with_change = data.previous_year is not None
    header = [text("rank", language), text("region", language), text("score", language), text("zone", language)]
    if with_change:
        header.append(f"{text('change', language)} ({data.previous_year})")
    order = sorted(scores, key=lambda p: (ranks[p] is None, ranks[p] or 0, p))
    rows: list[tuple[str, ...]] = []
    shades: dict[tuple[int, int], str] = {}
    for i, pcode in enumerate(order):
        row = [
            str(ranks[pcode]) if ranks[pcode] is not None else "–",
            region_name(pcode, language),
            format_number(scores[pcode], language, fixed=True),
            zone_label(zones[pcode], language),
        ]
        if with_change:
            before = previous.get(pcode)
            score = scores[pcode]
            row.append(format_signed(score - before, language) if score is not None and before is not None else "–")
        zone = zones[pcode]
        if zone in ZONE_COLOURS:
            shades[(i, 3)] = zone
        rows.append(tuple(row))
    national = data.national_score if domain is None else data.national_domains.get(domain)
    bold: set[int] = set()
    if national is not None:
        rows.append(
            ("", text("national", language), format_number(national, language, fixed=True), "")
            + (("",) if with_change else ())
        )
        bold.add(len(rows) - 1)
    return Table(
        caption=words(
            "table", language, number=number, caption=words("scores.caption", language, name=name, year=data.year)
        ),
        header=tuple(header),
        rows=tuple(rows),
        numeric=frozenset({0, 2, 4}),
        shades=shades,
        bold_rows=frozenset(bold),
        widths=(0.9, 4.4, 1.2, 1.5, 1.6)[: len(header)],
    )


def _indicator_table(table: IndicatorTable, language: Language, number: str) -> Table:
    header = [text("region", language)]
    for column in table.columns:
        when = f"01.01.{column.year}" if column.as_of else str(column.year)
        header.append(f"{column.label}, {column.unit}, {when}")
    # A column keeps the decimals its figures were printed with, so "35,0" stands beside "28,4".
    places = [decimals_needed(cells[i].value for cells in table.rows.values()) for i in range(len(table.columns))]
    rows: list[tuple[str, ...]] = []
    for pcode, cells in table.rows.items():
        written = [
            format_number(cell.value, language, places[i], fixed=True) + ("*" if cell.doubtful else "")
            for i, cell in enumerate(cells)
        ]
        rows.append((region_name(pcode, language), *written))
    notes = [table.provenance]
    if table.has_doubtful:
        notes.append(words("doubtful", language))
    return Table(
        caption=words("table", language, number=number, caption=table.title),
        header=tuple(header),
        rows=tuple(rows),
        numeric=frozenset(range(1, len(header))),
        bold_rows=frozenset(i for i, pcode in enumerate(table.rows) if pcode == NATIONAL),
        notes=tuple(notes),
        # Region names are the longest cells; the figures share the rest.
        widths=(2.4, *([1.6] * len(table.columns))),
    )


def report_blocks(data: ReportData, chromium: Chromium) -> list[Block]:
    """The whole report, in order; ``chromium`` renders the maps and charts to PNG."""
    language = data.language
    if language not in ("kk", "ru"):
        raise ValueError(f"the annual report is written in kk and ru, not {language!r}")
    blocks: list[Block] = [TitlePage(title_text(data), words("subtitle", language))]
    blocks.append(Heading(words("intro.heading", language)))
    domain_list = ", ".join(f"«{d.name}»" for d in data.domains)
    blocks.append(Paragraph(words("intro", language, count=len(data.domains), domains=domain_list)))
    chapters: list[tuple[str | None, str, str]] = [(None, text("index", language), words("index.heading", language))]
    chapters += [(d.code, d.name, words("domain.heading", language, name=d.name)) for d in data.domains]
    for chapter, (domain, name, heading) in enumerate(chapters, start=1):
        blocks.append(Heading(f"{chapter}. {heading}"))
        blocks += [
            Paragraph(paragraph) for paragraph in domain_paragraphs(data, domain, None if domain is None else name)
        ]
        scores, zones = data.domain_scores(domain), data.domain_zones(domain)
        national = data.national_score if domain is None else data.national_domains.get(domain)
        unit = text("unit.score", language)
        figure_map = choropleth(scores, language, zones=zones, unit=unit, width=1000, height=500)
        blocks.append(
            Image(
                chromium.image(figure_map),
                words(
                    "figure",
                    language,
                    number=f"{chapter}.1",
                    caption=words("map.caption", language, name=name, year=data.year),
                ),
                "map",
            )
        )
        figure_bar = ranking_bar(scores, language, zones=zones, national=national, unit=unit, width=1000, height=580)
        blocks.append(
            Image(
                chromium.image(figure_bar),
                words(
                    "figure",
                    language,
                    number=f"{chapter}.2",
                    caption=words("bar.caption", language, name=name, year=data.year),
                ),
                "chart",
            )
        )
        blocks.append(_scores_table(data, domain, name, f"{chapter}.1"))
        if domain is not None and data.tables_of(domain):
            blocks.append(Heading(words("indicators.heading", language), level=2))
            for n, table in enumerate(data.tables_of(domain), start=2):
                blocks.append(_indicator_table(table, language, f"{chapter}.{n}"))
    blocks.append(Heading(words("methodology.heading", language)))
    blocks.append(Paragraph(words("methodology", language)))
    return blocks
