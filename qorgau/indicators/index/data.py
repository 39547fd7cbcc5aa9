"""Index input data: a CSV of ``region,indicator,year,value`` rows checked and laid out as arrays.

Each row is one raw value. ``region`` is a p-code (``KAZ001``…``KAZ020``), any spelling
``core.reference.resolve_region_code`` knows (kk/ru/en names, abbreviations, former names, the
seeds' extraction damage), or the whole country (``KAZ``, ``ҚР``, ``РК``, ``Қазақстан
Республикасы``, ``Республика Казахстан``, ``Kazakhstan``) for the national row. ``indicator`` is
an indicator code of the methodology (or its national weight indicator). ``value`` is a number;
a decimal comma ("85,63") and spaces between digit groups ("12 345") are accepted; an empty cell,
``NA``, ``n/a`` or a dash means "no value" and counts as missing.

Malformed data is refused with every problem and its line number (:class:`DataError`): unknown
columns, regions or indicators, non-numeric values, impossible years, a value given twice for
the same region, indicator and year. What is accepted but worth a look (a bare "Алматы", read as
the oblast by the seed-002 convention) comes back as a warning.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.reference import normalize, region_records, resolve_region_code
from indicators.index.methodology import Methodology

NATIONAL = "KAZ"
COLUMNS = ("region", "indicator", "year", "value")
MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_REPORTED_ERRORS = 50

_MISSING_VALUES = frozenset({"", "na", "n/a", "-", "–", "—", "…", "..."})
_NATIONAL_SPELLINGS = (
    "KAZ",
    "ҚР",
    "РК",
    "Қазақстан Республикасы",
    "Қазақстан",
    "Республика Казахстан",
    "Казахстан",
    "Kazakhstan",
    "Republic of Kazakhstan",
    "national",
)
_DIGIT_GROUP_SPACE_RE = re.compile(r"(?<=\d)[\s\u00a0\u202f\u2009]+(?=\d)")
_NUMBER_RE = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


class DataError(ValueError):
    """Index data that cannot be used; ``errors`` lists the problems, each with its line number."""

    def __init__(self, source: str, errors: list[str]) -> None:
        self.source = source
        self.errors = errors
        shown = errors[:MAX_REPORTED_ERRORS]
        more = len(errors) - len(shown)
        tail = f"\n  … and {more} more" if more > 0 else ""
        super().__init__(f"{source}: invalid index data:\n" + "\n".join(f"  - {e}" for e in shown) + tail)


@dataclass(frozen=True)
class YearData:
    """The data of one year: raw values of the regions that report anything that year.

    ``values`` is (regions × indicators) in the methodology's indicator order, NaN where missing;
    ``national`` the country row (NaN where missing) or None; ``weights`` the national weight
    indicator per region (NaN where missing) or None when the methodology has none.
    """

    year: int
    regions: tuple[str, ...]
    values: np.ndarray
    national: np.ndarray | None
    weights: np.ndarray | None


@dataclass(frozen=True)
class IndexData:
    """Every year of a data file as one (years × regions × indicators) array, NaN where missing."""

    indicator_codes: tuple[str, ...]
    years: tuple[int, ...]
    regions: tuple[str, ...]
    values: np.ndarray
    national: np.ndarray
    weights: np.ndarray
    has_weights: bool
    source: str = "<data>"
    warnings: tuple[str, ...] = field(default=())

    def has_year(self, year: int) -> bool:
        """Whether any value (regional or national) exists for ``year``."""
        return year in self.years

    def year(self, year: int) -> YearData:
        """The :class:`YearData` of ``year`` (KeyError if the file has no row of that year)."""
        y = self.years.index(year)
        block = self.values[y]
        present = ~np.isnan(block).all(axis=1)
        national = self.national[y]
        return YearData(
            year=year,
            regions=tuple(r for r, keep in zip(self.regions, present, strict=True) if keep),
            values=block[present],
            national=None if np.isnan(national).all() else national.copy(),
            weights=self.weights[y][present] if self.has_weights else None,
        )


@functools.cache
def _known_pcodes() -> dict[str, str]:
    return {record["pcode"]: record["name_en"] for record in region_records()}


@functools.cache
def _national_keys() -> frozenset[str]:
    return frozenset(normalize(text) for text in _NATIONAL_SPELLINGS)


def resolve_region(text: str) -> tuple[str | None, str | None]:
    """Return (p-code or ``NATIONAL`` or None, warning or None) for a region cell."""
    stripped = text.strip()
    if stripped.upper() in _known_pcodes():
        return stripped.upper(), None
    if normalize(stripped) in _national_keys():
        return NATIONAL, None
    code = resolve_region_code(stripped)
    if code is None:
        return None, None
    if resolve_region_code(stripped, unmarked="none") is None:
        # A bare name shared by a city and an oblast ("Алматы"): say which one was taken.
        name = _known_pcodes()[code]
        return code, f"bare {stripped!r} read as {code} ({name}); add a city or oblast marker to be sure"
    return code, None


def parse_value(text: str) -> float | None:
    """Parse a value cell: a float, None for "no value"; ValueError for anything else."""
    cell = text.strip()
    if cell.casefold() in _MISSING_VALUES:
        return None
    cell = _DIGIT_GROUP_SPACE_RE.sub("", cell)
    if "," in cell and "." not in cell and cell.count(",") == 1:
        cell = cell.replace(",", ".")  # a decimal comma, as in the Kazakh and Russian tables
    if not _NUMBER_RE.fullmatch(cell):
        raise ValueError(f"value {text!r} is not a number")
    value = float(cell)
    if not math.isfinite(value):
        raise ValueError(f"value {text!r} is not a finite number")
    return value


def load_index_data(path: str | Path, methodology: Methodology) -> IndexData:
    """Read and check a ``region,indicator,year,value`` CSV file for ``methodology``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(str(path), [f"cannot read the file: {exc}"]) from exc
    return parse_index_csv(text, methodology, source=str(path))


def parse_index_csv(text: str, methodology: Methodology, *, source: str = "<data>") -> IndexData:
    """Check the CSV ``text`` and lay it out as an :class:`IndexData` (see the module docstring)."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","  # a ru-locale Excel export
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    errors: list[str] = []
    warnings: list[str] = []
    header = next(reader, None)
    if header is None:
        raise DataError(source, ["the file is empty (expected the header region,indicator,year,value)"])
    columns = [cell.strip().casefold() for cell in header]
    unknown = [c for c in columns if c not in COLUMNS]
    absent = [c for c in COLUMNS if c not in columns]
    if unknown or absent or len(set(columns)) != len(columns):
        raise DataError(
            source,
            [f"line 1: the header must be the four columns {','.join(COLUMNS)} (in any order); got {','.join(header)}"],
        )
    position = {name: columns.index(name) for name in COLUMNS}
    indicator_index = {code: i for i, code in enumerate(methodology.indicator_codes)}
    weight_code = methodology.national.weight_indicator
    # (region, year) -> {column: value}, where the column is an indicator position or -1 for the weight.
    cells: dict[tuple[str, int], dict[int, float]] = {}
    first_seen: dict[tuple[str, str, int], int] = {}
    region_warned: set[str] = set()
    repeated: dict[str, list[int]] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue  # blank line
        if len(row) != len(columns):
            errors.append(f"line {line}: expected {len(columns)} cells, found {len(row)}")
            continue
        region_text, code, year_text, value_text = (row[position[name]].strip() for name in COLUMNS)
        region, warning = resolve_region(region_text)
        problems: list[str] = []
        if region is None:
            repeated.setdefault(f"unknown region {region_text!r}", []).append(line)
        elif warning and region_text not in region_warned:
            region_warned.add(region_text)
            warnings.append(f"line {line}: {warning}")
        if code not in indicator_index and code != weight_code:
            repeated.setdefault(f"unknown indicator {code!r} (not in methodology {methodology.code!r})", []).append(
                line
            )
        year = None
        if not re.fullmatch(r"\d{4}", year_text) or not MIN_YEAR <= int(year_text) <= MAX_YEAR:
            problems.append(f"year {year_text!r} is not a year between {MIN_YEAR} and {MAX_YEAR}")
        else:
            year = int(year_text)
        value: float | None = None
        try:
            value = parse_value(value_text)
        except ValueError as exc:
            problems.append(str(exc))
        if problems:
            errors.append(f"line {line}: " + "; ".join(problems))
        if problems or region is None or year is None or (code not in indicator_index and code != weight_code):
            continue
        key = (region, code, year)
        if key in first_seen:
            errors.append(
                f"line {line}: duplicate row for region {region}, indicator {code!r}, year {year} "
                f"(first on line {first_seen[key]})"
            )
            continue
        first_seen[key] = line
        column = indicator_index.get(code, -1)
        if value is not None and column == -1 and value <= 0:
            errors.append(f"line {line}: the national weight {code!r} must be positive, got {value:g}")
            continue
        slot = cells.setdefault((region, year), {})
        if value is not None:
            slot[column] = value
    # An unknown name usually repeats on many lines: one message per name, with its lines.
    for message, lines in repeated.items():
        shown = ", ".join(map(str, lines[:10])) + (f" and {len(lines) - 10} more" if len(lines) > 10 else "")
        errors.append(f"line{'s' if len(lines) > 1 else ''} {shown}: {message}")
    if errors:
        raise DataError(source, sorted(errors, key=_first_line))
    if not first_seen:
        raise DataError(source, ["the file has a header but no data rows"])
    return _layout(cells, first_seen, methodology, source, warnings)


def _first_line(error: str) -> int:
    match = re.match(r"lines? (\d+)", error)
    return int(match.group(1)) if match else 0


def _layout(
    cells: dict[tuple[str, int], dict[int, float]],
    first_seen: dict[tuple[str, str, int], int],
    methodology: Methodology,
    source: str,
    warnings: list[str],
) -> IndexData:
    years = tuple(sorted({year for _, _, year in first_seen}))
    regions = tuple(sorted({region for region, _, _ in first_seen if region != NATIONAL}))
    n_ind = len(methodology.indicator_codes)
    values = np.full((len(years), len(regions), n_ind), np.nan)
    national = np.full((len(years), n_ind), np.nan)
    weights = np.full((len(years), len(regions)), np.nan)
    year_pos = {y: i for i, y in enumerate(years)}
    region_pos = {r: i for i, r in enumerate(regions)}
    for (region, year), row in cells.items():
        y = year_pos[year]
        for column, value in row.items():
            if region == NATIONAL:
                if column >= 0:
                    national[y, column] = value
            elif column == -1:
                weights[y, region_pos[region]] = value
            else:
                values[y, region_pos[region], column] = value
    return IndexData(
        indicator_codes=methodology.indicator_codes,
        years=years,
        regions=regions,
        values=values,
        national=national,
        weights=weights,
        has_weights=methodology.national.weight_indicator is not None,
        source=source,
        warnings=tuple(warnings),
    )
