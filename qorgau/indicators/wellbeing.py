"""The child well-being index computed from the database (SPEC §2.6).

The engine (:mod:`indicators.index`) is pure: it reads a methodology and a ``region,indicator,year,value``
table. This module feeds it the stored :class:`~indicators.models.IndicatorValue` rows of a year and of
the year before, so that the index pages, the API and the annual report show what the
``wellbeing_index`` command would print for the same values.

The values go through the engine's own CSV reader (:func:`indicators.index.parse_index_csv`), so the
database and a file exported from it (``export.csv?index=1``) are checked and laid out alike. What the
input leaves out is said in a warning, never dropped silently:

* indicators of the methodology that the catalogue does not have;
* values the data rules questioned (``doubtful``): a figure the report itself contradicts must not
  move a region's rank;
* a region and year with several totals of one indicator (different age bands): which one the index
  means is not known;
* count indicators (people, cases, organisations) in a methodology: they grow with a region's size.

Methodologies are the YAML files of ``indicators/data/methodology/``, chosen by file name without
``.yaml`` (``catalogue-2022``, ``default``). ``default.yaml`` names the 2022 report's indicators, whose
values are not in the catalogue; ``catalogue-2022.yaml`` runs the same rules over the catalogue's own
indicators and is what the pages use unless told otherwise.
"""

from __future__ import annotations

import csv
import functools
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indicators.index import (
    DataError,
    EngineError,
    IndexData,
    IndexResult,
    Methodology,
    SensitivityResult,
    compute_index,
    load_methodology,
    parse_index_csv,
    run_sensitivity,
)
from indicators.index.methodology import DATA_DIR
from indicators.models import Indicator, IndicatorValue

DEFAULT_KEY = "catalogue-2022"
SHOWN_CODES = 5  # codes named in a warning before "and N more"


class IndexUnavailable(ValueError):
    """The index cannot be computed for this choice (unknown methodology, no data...); the message says why."""


@dataclass(frozen=True)
class MethodologyOption:
    """A methodology file the pages and the API offer: its key (file name without ``.yaml``) and content."""

    key: str
    methodology: Methodology

    def name(self, language: str) -> str:
        """The methodology's title in ``language`` (kk, ru or en)."""
        return str(getattr(self.methodology.names, language, self.methodology.names.en))

    def domain_name(self, code: str, language: str) -> str:
        """The name of domain ``code`` in ``language``."""
        domain = next(d for d in self.methodology.domains if d.code == code)
        return str(getattr(domain.names, language, domain.names.en))

    def indicator_name(self, code: str, language: str) -> str:
        """The name of indicator ``code`` in ``language``."""
        indicator = next(i for i in self.methodology.indicators if i.code == code)
        return str(getattr(indicator.names, language, indicator.names.en))


@functools.cache
def _load(path: Path, mtime: float) -> Methodology:
    # Keyed by the modification time: an edited file is read again without restarting the server.
    return load_methodology(path)


def methodology_options(folder: Path = DATA_DIR) -> list[MethodologyOption]:
    """Every valid methodology file of ``folder``, the default (``catalogue-2022``) first.

    A file that fails validation is left out here; :func:`methodology_option` names it with its errors.
    """
    found: list[MethodologyOption] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            found.append(MethodologyOption(path.stem, _load(path, path.stat().st_mtime)))
        except ValueError:
            continue
    found.sort(key=lambda option: (option.key != DEFAULT_KEY, option.key))
    return found


def methodology_option(key: str | None, folder: Path = DATA_DIR) -> MethodologyOption:
    """The methodology called ``key`` (the default when empty); :class:`IndexUnavailable` otherwise."""
    key = key or DEFAULT_KEY
    path = folder / f"{key}.yaml"
    # Only names of files in the folder: never a path a caller could point elsewhere.
    if key not in {p.stem for p in folder.glob("*.yaml")}:
        known = ", ".join(p.stem for p in sorted(folder.glob("*.yaml")))
        raise IndexUnavailable(f"unknown methodology {key!r} (available: {known})")
    try:
        return MethodologyOption(key, _load(path, path.stat().st_mtime))
    except ValueError as exc:  # MethodologyError lists every problem of the file
        raise IndexUnavailable(str(exc)) from exc


def _codes(methodology: Methodology) -> list[str]:
    codes = list(methodology.indicator_codes)
    if methodology.national.weight_indicator:
        codes.append(methodology.national.weight_indicator)
    return codes


def _listed(codes: list[str]) -> str:
    shown = ", ".join(codes[:SHOWN_CODES])
    return shown + (f" and {len(codes) - SHOWN_CODES} more" if len(codes) > SHOWN_CODES else "")


@dataclass(frozen=True)
class IndexInput:
    """The engine's input read from the database, with what was left out and why."""

    data: IndexData
    warnings: tuple[str, ...]


def index_input(methodology: Methodology, years: Iterable[int]) -> IndexInput:
    """The totals (no sex or urban/rural breakdown) of the methodology's indicators for ``years``.

    Raises :class:`IndexUnavailable` when none of its indicators is in the catalogue or none has a
    usable value in those years.
    """
    years = sorted(set(years))
    codes = _codes(methodology)
    catalogue = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    absent = [code for code in codes if code not in catalogue]
    if len(absent) == len(codes):
        raise IndexUnavailable(
            f"none of the {len(codes)} indicators of methodology {methodology.code!r} is in the catalogue "
            f"({_listed(absent)})"
        )
    warnings: list[str] = []
    if absent:
        warnings.append(f"{len(absent)} indicator(s) of the methodology are not in the catalogue: {_listed(absent)}")
    for code in methodology.indicator_codes:
        indicator = catalogue.get(code)
        # "Regions add up to the national total" marks a count (students, schools), whatever its unit says.
        if indicator is not None and indicator.additive:
            warnings.append(
                f"indicator {code!r} is a count that adds up over the regions, not a rate or a share: "
                "larger regions score higher"
            )
    national = methodology.national.method == "national_row"
    rows = IndicatorValue.objects.filter(indicator__code__in=codes, year__in=years, sex="", area="")
    if not national:
        rows = rows.filter(region__isnull=False)
    cells: dict[tuple[str, str, int], list[IndicatorValue]] = defaultdict(list)
    for value in rows.select_related("indicator", "region").order_by("indicator__code", "year", "region__pcode"):
        cells[(value.indicator.code, value.region_code, value.year)].append(value)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["region", "indicator", "year", "value"])
    doubtful: list[str] = []
    for (code, region, year), found in cells.items():
        if len(found) > 1:
            ages = ", ".join(sorted(v.age or "-" for v in found))
            warnings.append(f"{code} {region} {year}: {len(found)} totals (age groups {ages}); left out")
            continue
        value = found[0]
        if value.doubtful:
            where = f" (document {value.document}, table {value.table}, line {value.line})" if value.table else ""
            doubtful.append(f"{code} {region} {year}{where}")
            continue
        writer.writerow([region, code, year, str(value.value)])
    for item in doubtful:
        warnings.append(f"value questioned by a validation finding, left out: {item}")
    try:
        data = parse_index_csv(buffer.getvalue(), methodology, source="database")
    except DataError as exc:
        if buffer.getvalue().count("\n") <= 1:
            shown = ", ".join(map(str, years))
            also = f" ({warnings[0]})" if absent else ""
            raise IndexUnavailable(
                f"no usable values of the indicators of methodology {methodology.code!r} for {shown}{also}"
            ) from exc
        raise IndexUnavailable(str(exc)) from exc  # a stored value the engine refuses: a bug worth seeing
    return IndexInput(data, tuple(warnings))


def available_years(methodology: Methodology) -> list[int]:
    """The years with at least one regional total of the methodology's indicators, oldest first."""
    years = (
        IndicatorValue.objects.filter(
            indicator__code__in=methodology.indicator_codes, region__isnull=False, sex="", area=""
        )
        .values_list("year", flat=True)
        .distinct()
        .order_by("year")
    )
    return list(years)


def no_data_reason(methodology: Methodology) -> str:
    """Why no year has values of the methodology's indicators, naming those absent from the catalogue."""
    codes = _codes(methodology)
    known = set(Indicator.objects.filter(code__in=codes).values_list("code", flat=True))
    absent = [code for code in codes if code not in known]
    reason = f"no regional totals of the indicators of methodology {methodology.code!r} are stored"
    if absent:
        reason += f" ({len(absent)} of its {len(codes)} indicators are not in the catalogue: {_listed(absent)})"
    return reason


@dataclass(frozen=True)
class WellbeingIndex:
    """The index of one year from the database: the engine's result, the year before's, and every warning."""

    option: MethodologyOption
    year: int
    data: IndexData
    result: IndexResult
    previous: IndexResult | None
    warnings: tuple[str, ...]

    @property
    def methodology(self) -> Methodology:
        """The methodology the index was computed with."""
        return self.option.methodology

    def document(self, *, gaps: bool = False) -> dict[str, Any]:
        """The ``wellbeing_index --json`` document (SPEC §3), the input's warnings included."""
        document = self.result.as_dict(gaps=gaps)
        document["warnings"] = list(self.warnings)
        return document

    def previous_document(self) -> dict[str, Any] | None:
        """The previous year's document, when the data has an index for it."""
        return None if self.previous is None else self.previous.as_dict()

    def sensitivity(self, draws: int | None = None, seed: int | None = None) -> SensitivityResult:
        """The Monte Carlo analysis of the year's ranks (the methodology's draws and seed by default)."""
        try:
            return run_sensitivity(self.methodology, self.data, self.year, draws=draws, seed=seed)
        except EngineError as exc:
            raise IndexUnavailable(str(exc)) from exc


def compute_wellbeing(year: int, key: str | None = None) -> WellbeingIndex:
    """The index of ``year`` with the methodology ``key`` (the default when None) from the stored values.

    Raises :class:`IndexUnavailable` with the reason when it cannot be computed.
    """
    option = methodology_option(key)
    methodology = option.methodology
    found = index_input(methodology, (year - 1, year))
    if not found.data.has_year(year):
        raise IndexUnavailable(f"no usable values of the indicators of methodology {methodology.code!r} for {year}")
    try:
        result = compute_index(methodology, found.data, year)
    except EngineError as exc:
        raise IndexUnavailable(str(exc)) from exc
    warnings = list(found.warnings) + list(result.warnings)
    previous = None
    if found.data.has_year(year - 1):
        try:
            previous = compute_index(methodology, found.data, year - 1)
        except EngineError as exc:
            warnings.append(f"no index for {year - 1}, so no year-on-year change of the index: {exc}")
    return WellbeingIndex(option, year, found.data, result, previous, tuple(dict.fromkeys(warnings)))


def empty_document(year: int | None, option: MethodologyOption, reason: str) -> dict[str, Any]:
    """The document of a year without an index: no regions, no national score, the reason as a warning
    (``year`` None when no year has values at all)."""
    domains: dict[str, Any] = dict.fromkeys(option.methodology.domain_codes)
    return {
        "year": year,
        "national": {
            "score": None,
            "zone": None,
            "domains": domains,
            "change": None,
            "method": option.methodology.national.method,
        },
        "regions": {},
        "previous_year": None,
        "methodology": option.methodology.code,
        "normalisation": option.methodology.normalisation,
        "warnings": [reason],
    }


def latest_year(option: MethodologyOption) -> int | None:
    """The latest year with values of the methodology's indicators, or None."""
    years = available_years(option.methodology)
    return years[-1] if years else None
