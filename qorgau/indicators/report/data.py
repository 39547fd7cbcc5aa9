"""What the annual report is made of, as plain data in the report's language, and how it is assembled.

:class:`ReportData` holds the index results (score, zone, rank and domain scores per region, the
shape the ``wellbeing_index`` command prints, SPEC §3), the domains, and the indicator tables with their
provenance. :func:`assemble` builds it from the values read from an official document (the seed 002
reader's :class:`~indicators.seed002_types.Value`, or values loaded from the database into that
shape) and from the index engine's results. Every name and phrase in it is already in the report's
language, so the DOCX and PDF writers only lay it out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from indicators.report.i18n import ZONES, Language, region_pcodes, unit_label
from indicators.seed002_spec import Spec, load_spec
from indicators.seed002_types import NATIONAL, Value

# The zone thresholds of SPEC §2.6 (high 75-100, medium 50-74, low 0-49). The engine gives each region's
# index zone; domain scores come without one, so their zone is read off these.
HIGH_FROM = 75.0
MEDIUM_FROM = 50.0
MAX_COLUMNS = 4  # number columns per table that fit a portrait A4 page beside the region names


@dataclass(frozen=True)
class RegionScores:
    """One region's index results: overall score, zone and rank, and a score per domain."""

    score: float | None
    zone: str | None
    rank: int | None
    domains: dict[str, float | None] = field(default_factory=dict)
    previous_score: float | None = None
    previous_domains: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class DomainInfo:
    """A domain of the index: its code and its name in the report's language."""

    code: str
    name: str


@dataclass(frozen=True)
class Cell:
    """A figure of an indicator table; ``doubtful`` when it failed a check of the source document."""

    value: float | None
    doubtful: bool = False


@dataclass(frozen=True)
class Column:
    """An indicator column: what it measures, in which unit, for which year."""

    indicator: str
    label: str
    unit: str
    year: int
    as_of: str | None = None


@dataclass(frozen=True)
class IndicatorTable:
    """The regions' figures for a few indicators of one domain, from one table of a source document."""

    domain: str
    source_table: str
    title: str
    columns: tuple[Column, ...]
    rows: dict[str, tuple[Cell, ...]]
    provenance: str

    @property
    def has_doubtful(self) -> bool:
        """Whether any figure carries the "failed a check" mark."""
        return any(cell.doubtful for cells in self.rows.values() for cell in cells)


@dataclass
class ReportData:
    """Everything the annual report shows, in one language."""

    year: int
    language: Language
    regions: dict[str, RegionScores]
    domains: list[DomainInfo]
    tables: list[IndicatorTable]
    national_score: float | None = None
    national_domains: dict[str, float | None] = field(default_factory=dict)
    previous_year: int | None = None

    def domain_scores(self, domain: str | None) -> dict[str, float | None]:
        """p-code -> score of ``domain`` (None: the overall index), for all regions of the results."""
        if domain is None:
            return {pcode: region.score for pcode, region in self.regions.items()}
        return {pcode: region.domains.get(domain) for pcode, region in self.regions.items()}

    def domain_zones(self, domain: str | None) -> dict[str, str | None]:
        """p-code -> zone of the overall index (the engine's) or of a domain score (by the thresholds)."""
        if domain is None:
            return {pcode: region.zone for pcode, region in self.regions.items()}
        return {pcode: zone_of(score) for pcode, score in self.domain_scores(domain).items()}

    def domain_ranks(self, domain: str | None) -> dict[str, int | None]:
        """p-code -> rank (the engine's for the index; competition ranking 1, 2, 2, 4 for a domain)."""
        if domain is None:
            return {pcode: region.rank for pcode, region in self.regions.items()}
        return competition_ranks(self.domain_scores(domain))

    def previous_scores(self, domain: str | None) -> dict[str, float | None]:
        """p-code -> the previous year's score of ``domain`` (None: the index), where given."""
        if domain is None:
            return {pcode: region.previous_score for pcode, region in self.regions.items()}
        return {pcode: region.previous_domains.get(domain) for pcode, region in self.regions.items()}

    def tables_of(self, domain: str) -> list[IndicatorTable]:
        """The indicator tables of ``domain``, in the source document's order."""
        return [table for table in self.tables if table.domain == domain]


def zone_of(score: float | None) -> str | None:
    """The zone of a 0-100 score: "high" from 75, "medium" from 50, else "low"; None without a score."""
    if score is None:
        return None
    if score >= HIGH_FROM:
        return "high"
    if score >= MEDIUM_FROM:
        return "medium"
    return "low"


def competition_ranks(scores: Mapping[str, float | None]) -> dict[str, int | None]:
    """Ranks by descending score, equal scores sharing a rank and the next rank skipped (1, 2, 2, 4)."""
    present = sorted((score for score in scores.values() if score is not None), reverse=True)
    first_place = {}
    for position, score in enumerate(present, start=1):
        first_place.setdefault(score, position)
    return {pcode: (first_place[score] if score is not None else None) for pcode, score in scores.items()}


_PROVENANCE = {
    "kk": "Дереккөз: {document} құжаты, {table}-кесте, {lines}-жолдар.",
    "ru": "Источник: документ {document}, таблица {table}, строки {lines}.",
    "en": "Source: document {document}, table {table}, lines {lines}.",
}
_GRADE = {"kk": "{n}-сынып", "ru": "{n} класс", "en": "grade {n}"}


def _column_label(name: str, age: str | None, shared: bool, language: Language) -> str:
    """The indicator's name; two columns of one indicator and year differ by age band (school grade)."""
    if not shared or age is None:
        return name
    if age.startswith("grade "):
        return f"{name} ({_GRADE[language].format(n=age.removeprefix('grade '))})"
    return f"{name} ({age})"


def _wanted_year(year: int, column_year: int, as_of: str | None) -> bool:
    # A stock counted at the start of next year (as_of) describes the end of the report year.
    return column_year in (year - 1, year) or (as_of is not None and column_year == year + 1)


def _indicator_tables(values: list[Value], year: int, language: Language, spec: Spec) -> list[IndicatorTable]:
    by_cell: dict[tuple[str, str, str], Value] = {}
    lines: dict[str, list[int]] = defaultdict(list)
    for value in values:
        if value.is_total:
            by_cell[(value.table, value.column, value.region)] = value
            lines[value.table].append(value.line)
    tables: list[IndicatorTable] = []
    for table_spec in spec.tables:
        columns = [
            column
            for column in table_spec.columns
            if column.sex is None
            and column.area is None
            and spec.indicators[column.indicator].domain is not None
            and _wanted_year(year, column.year, column.as_of)
            and any(key[:2] == (table_spec.number, column.key) for key in by_cell)
        ]
        by_domain: dict[str, list[Any]] = defaultdict(list)
        for column in columns:
            by_domain[str(spec.indicators[column.indicator].domain)].append(column)
        for domain, domain_columns in by_domain.items():
            # Nine columns become 3 + 3 + 3 rather than 4 + 4 + 1.
            parts = -(-len(domain_columns) // MAX_COLUMNS)
            size = -(-len(domain_columns) // parts)
            for start in range(0, len(domain_columns), size):
                chunk = domain_columns[start : start + size]
                heads = []
                for column in chunk:
                    indicator = spec.indicators[column.indicator]
                    shared = sum(c.indicator == column.indicator and c.year == column.year for c in chunk) > 1
                    name = getattr(indicator, f"name_{language}")
                    heads.append(
                        Column(
                            indicator=column.indicator,
                            label=_column_label(name, column.age, shared, language),
                            unit=unit_label(indicator.unit, language),
                            year=column.year,
                            as_of=column.as_of,
                        )
                    )
                rows: dict[str, tuple[Cell, ...]] = {}
                for pcode in [*region_pcodes(), NATIONAL]:
                    cells = []
                    for column in chunk:
                        found = by_cell.get((table_spec.number, column.key, pcode))
                        cells.append(Cell(found.value, found.doubtful) if found else Cell(None))
                    rows[pcode] = tuple(cells)
                names = list(dict.fromkeys(head.label for head in heads))
                span = lines[table_spec.number]
                tables.append(
                    IndicatorTable(
                        domain=domain,
                        source_table=table_spec.number,
                        title="; ".join(names),
                        columns=tuple(heads),
                        rows=rows,
                        provenance=_PROVENANCE[language].format(
                            document=spec.document, table=table_spec.number, lines=f"{min(span)}–{max(span)}"
                        ),
                    )
                )
    return tables


def _number(raw: Any) -> float | None:
    return None if raw is None else float(raw)


def assemble(
    year: int,
    language: Language,
    values: Iterable[Value],
    index: Mapping[str, Any],
    *,
    previous_index: Mapping[str, Any] | None = None,
    spec: Spec | None = None,
) -> ReportData:
    """Build the report's data for ``year`` in ``language``.

    ``index`` is the index engine's result in the shape of the ``wellbeing_index`` command's JSON:
    ``{"year", "national", "regions": {PCODE: {"score", "zone", "rank", "domains": {CODE: score}}}}``
    (``national`` may be a number or ``{"score", "domains"}``). ``previous_index``, the same for the
    year before, adds the year-on-year change. ``values`` are the indicator figures with provenance;
    ``spec`` (seed 002's catalogue by default) names the indicators and domains.
    """
    spec = spec or load_spec()
    if int(index.get("year", year)) != year:
        raise ValueError(f"the index results are for {index.get('year')}, not {year}")
    previous = (previous_index or {}).get("regions", {})
    regions: dict[str, RegionScores] = {}
    for pcode in region_pcodes():
        result = index.get("regions", {}).get(pcode, {})
        before = previous.get(pcode, {})
        zone = result.get("zone")
        regions[pcode] = RegionScores(
            score=_number(result.get("score")),
            zone=zone if zone in ZONES else None,
            rank=result.get("rank"),
            domains={code: _number(score) for code, score in result.get("domains", {}).items()},
            previous_score=_number(before.get("score")),
            previous_domains={code: _number(score) for code, score in before.get("domains", {}).items()},
        )
    national = index.get("national")
    national_score = _number(national.get("score")) if isinstance(national, Mapping) else _number(national)
    national_domains = (
        {code: _number(score) for code, score in national.get("domains", {}).items()}
        if isinstance(national, Mapping)
        else {}
    )
    domains = [DomainInfo(code, names[language]) for code, names in spec.domains.items()]
    return ReportData(
        year=year,
        language=language,
        regions=regions,
        domains=domains,
        tables=_indicator_tables(list(values), year, language, spec),
        national_score=national_score,
        national_domains=national_domains,
        previous_year=year - 1 if previous_index else None,
    )
