"""Import indicator values from a CSV or XLSX file: every row checked, then all written or none.

Columns (any order; headers in Kazakh, Russian or English): indicator (code), region (p-code, any
known spelling, or empty / "KAZ" for the whole country), year, value, and optionally sex, area
(urban / rural), age, as_of, note. It is the format ``region,indicator,year,value`` of the index
engine's data, with the breakdowns added.

A row that cannot be used (unknown indicator or region, not a number, a breakdown the indicator does
not have, a value outside its valid range, the same key twice) makes the file rejected: nothing is
written and every such row is listed in the user's language. An accepted file is written in one
transaction; then the data rules run (regions against the national total, year-on-year jumps) and
the derived indicators built on what changed are recomputed. Every upload, accepted or rejected, is
kept as an :class:`~indicators.models.ImportBatch` with its findings. Importing the same file again
changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext_lazy

from core.reference import resolve_region_code
from core.tables import ImportFileError, cell, header_key, iter_rows
from indicators import actions, rates
from indicators.actions import Incoming
from indicators.models import ImportBatch, Indicator, IndicatorValue
from indicators.validation import MESSAGES, Finding, number

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_ERRORS = 500
MIN_YEAR, MAX_YEAR = 1990, 2100

HEADERS: dict[str, str] = {}
for _field, _names in {
    "indicator": ["indicator", "code", "индикатор", "показатель", "код", "көрсеткіш", "индикатор коды"],
    "region": ["region", "pcode", "p-code", "регион", "область", "өңір", "аймақ", "облыс"],
    "year": ["year", "год", "жыл"],
    "value": ["value", "значение", "мәні", "мән"],
    "sex": ["sex", "gender", "пол", "жынысы"],
    "area": ["area", "urban/rural", "местность", "тип местности", "елді мекен", "елді мекен түрі"],
    "age": ["age", "age group", "возраст", "возрастная группа", "жас", "жас тобы"],
    "as_of": ["as_of", "as of", "date", "на дату", "күні"],
    "note": ["note", "comment", "примечание", "ескерту"],
}.items():
    for _name in _names:
        HEADERS[header_key(_name)] = _field
REQUIRED = ("indicator", "year", "value")  # region: empty means the country
TEMPLATE_HEADER = ["indicator", "region", "year", "value", "sex", "area", "age", "as_of", "note"]

NATIONAL_SPELLINGS = {
    header_key(s)
    for s in ("", "KAZ", "ҚР", "РК", "Қазақстан", "Қазақстан Республикасы", "Казахстан", "Республика Казахстан")
} | {header_key(s) for s in ("Kazakhstan", "national", "total", "барлығы", "всего")}
SEXES = {
    **dict.fromkeys(["male", "m", "м", "boys", "men", "ер", "ұл", "ұлдар", "муж", "мужской", "мальчики"], "male"),
    **dict.fromkeys(
        ["female", "f", "ж", "girls", "women", "әйел", "қыз", "қыздар", "жен", "женский", "девочки"], "female"
    ),
}
AREAS = {
    **dict.fromkeys(["urban", "u", "қала", "қалалық", "город", "городская", "городской"], "urban"),
    **dict.fromkeys(["rural", "r", "ауыл", "ауылдық", "село", "сельская", "сельский"], "rural"),
}


def parse_number(text: str) -> Decimal | None:
    """A figure as spreadsheets write it: "12 345", "85,63", "1.5"; None when it is not a number."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_date(text: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class _Reader:
    """Turns rows into :class:`Incoming` values or findings, with the lookups cached."""

    def __init__(self) -> None:
        self.indicators = {i.code.lower(): i for i in Indicator.objects.all()}
        from core.models import Region

        self.regions = dict(Region.objects.values_list("pcode", "pk"))
        self.region_cache: dict[str, int | bool | None] = {}
        self.seen: dict[tuple[Any, ...], int] = {}

    def region(self, text: str) -> int | bool | None:
        """The region's id, None for the country, False when unknown."""
        if text not in self.region_cache:
            if header_key(text) in NATIONAL_SPELLINGS:
                found: int | bool | None = None
            else:
                code = text.strip().upper() if text.strip().upper() in self.regions else resolve_region_code(text)
                found = self.regions.get(code, False) if code else False
            self.region_cache[text] = found
        return self.region_cache[text]

    def row(self, number_: int, data: dict[str, str]) -> tuple[Incoming | None, list[Finding]]:
        errors: list[Finding] = []

        def err(code: str, **params: Any) -> None:
            errors.append(Finding("error", code, params, row=number_))

        code = data.get("indicator", "")
        indicator = self.indicators.get(code.lower()) if code else None
        if not code:
            err("no-indicator")
        elif indicator is None:
            err("unknown-indicator", value=code)
        elif indicator.is_derived:
            err("derived-indicator", indicator_code=indicator.code, indicator=indicator.code)
        region = self.region(data.get("region", ""))
        if region is False:
            err("unknown-region", value=data.get("region", ""))
        year_text = data.get("year", "")
        year = int(year_text) if year_text.isdigit() else None
        if not year_text:
            err("no-year")
        elif year is None or not MIN_YEAR <= year <= MAX_YEAR:
            err("bad-year", value=year_text, min=MIN_YEAR, max=MAX_YEAR)
        value_text = data.get("value", "")
        value = parse_number(value_text) if value_text else None
        if not value_text:
            err("no-value")
        elif value is None:
            err("bad-number", value=value_text)
        sex = SEXES.get(data.get("sex", "").lower(), "?") if data.get("sex") else ""
        if sex == "?":
            err("bad-sex", value=data["sex"])
        area = AREAS.get(data.get("area", "").lower(), "?") if data.get("area") else ""
        if area == "?":
            err("bad-area", value=data["area"])
        as_of = parse_date(data["as_of"]) if data.get("as_of") else None
        if data.get("as_of") and as_of is None:
            err("bad-date", value=data["as_of"])
        if indicator is not None and not indicator.is_derived:
            params = {"indicator_code": indicator.code, "indicator": indicator.code}
            if sex and sex != "?" and not indicator.by_sex:
                err("not-by-sex", **params)
            if area and area != "?" and not indicator.by_area:
                err("not-by-area", **params)
            if data.get("age") and not indicator.by_age:
                err("not-by-age", **params)
            low, high = indicator.valid_min, indicator.valid_max
            if value is not None and ((low is not None and value < low) or (high is not None and value > high)):
                err(
                    "out-of-range",
                    **params,
                    value=number(value),
                    min=number(low) if low is not None else "−∞",
                    max=number(high) if high is not None else "∞",
                )
        if errors or indicator is None or year is None or value is None or region is False:
            return None, errors
        item = Incoming(
            indicator_id=indicator.pk,
            region_id=None if region is None or region is False else int(region),
            year=year,
            value=value,
            sex=sex,
            area=area,
            age=data.get("age", "")[:20],
            as_of=as_of,
            note=data.get("note", ""),
        )
        if item.key in self.seen:
            return None, [Finding("error", "duplicate-row", {"other": self.seen[item.key]}, row=number_)]
        self.seen[item.key] = number_
        return item, []


def _header(first: list[Any]) -> list[str]:
    header = [HEADERS.get(header_key(h), "") for h in first]
    unknown = [str(h) for h, f in zip(first, header, strict=True) if not f and str(h or "").strip()]
    if unknown:
        raise ImportFileError(str(gettext_lazy("Unknown columns: %(cols)s.")) % {"cols": ", ".join(unknown)})
    missing = [f for f in REQUIRED if f not in header]
    if missing:
        raise ImportFileError(
            str(gettext_lazy("Required columns are missing: %(cols)s.")) % {"cols": ", ".join(missing)}
        )
    return header


def import_file(user: Any, upload: IO[bytes], filename: str) -> ImportBatch:
    """Check and import one file; the returned batch says whether it was applied and what was found."""
    actions.require(user, "importbatch.add")
    data = upload.read(MAX_BYTES + 1)  # a larger file is refused by iter_rows below
    batch = ImportBatch(
        kind=ImportBatch.Kind.FILE, filename=filename[:255], sha256=hashlib.sha256(data).hexdigest(), uploaded_by=user
    )
    findings: list[Finding] = []
    incoming: list[Incoming] = []
    try:
        rows = iter_rows(io.BytesIO(data), filename, max_bytes=MAX_BYTES)
        first = next(rows, None)
        if first is None:
            raise ImportFileError(str(gettext_lazy("The file is empty.")))
        header = _header(first)
        reader = _Reader()
        errors = 0
        for number_, raw in enumerate(rows, start=2):
            row = {f: cell(v) for f, v in zip(header, raw, strict=False) if f}
            if not any(row.values()):
                continue
            batch.rows += 1
            if batch.rows > MAX_ROWS:
                raise ImportFileError(str(MESSAGES["too-many-rows"] % {"n": MAX_ROWS}))
            item, row_errors = reader.row(number_, row)
            errors += len(row_errors)
            if len(findings) < MAX_ERRORS:
                findings += row_errors[: MAX_ERRORS - len(findings)]
            if item is not None:
                incoming.append(item)
    except ImportFileError as exc:
        findings = [Finding("error", "file", {"error": str(exc)}, message=f"The file cannot be read: {exc}")]
        incoming = []
    with transaction.atomic():
        if findings or not incoming:
            batch.state = ImportBatch.State.REJECTED
            if not findings:
                findings = [Finding("error", "file", {"error": str(gettext_lazy("The file has no values."))})]
            batch.save()
            actions.store_findings(batch, findings)
            batch.save()
            return batch
        batch.save()
        result = actions.write_values(user, incoming, origin=IndicatorValue.Origin.IMPORT, batch=batch)
        batch.created, batch.updated, batch.unchanged = result.created, result.updated, result.unchanged
        found = actions.validate(result.values)
        actions.store_findings(batch, found)
        rates.refresh_dependants(user, {i.indicator_id for i in incoming}, batch)  # adds its findings' counts
        batch.save()
    return batch


def template_csv() -> bytes:
    """An empty file with the expected header and two example rows."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(["children_0_17", "KAZ004", "2023", "483151", "", "", "0-17", "2023-01-01", ""])
    writer.writerow(["poverty_rate", "Абай облысы", "2022", "7,1", "", "urban", "", "", ""])
    return ("\ufeff" + buf.getvalue()).encode()


IMPORT_HELP = gettext_lazy(
    "Columns (any order; Kazakh, Russian or English headers): indicator (code), region (p-code or name; "
    "empty or KAZ for the whole country), year, value, and optionally sex, area (urban/rural), age, as_of, "
    "note. If any row has an error, nothing is imported; importing the same file again changes nothing."
)
