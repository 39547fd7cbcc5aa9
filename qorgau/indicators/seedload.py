"""Load seed 002 (the 2022 report on the situation of children) into the catalogue and the values.

The reader (:mod:`indicators.seed002`) turns the report's text into values with provenance and
findings; this module stores them: the catalogue entries its YAML describes (created once; later edits
by analysts are kept), the derived indicators of ``data/derived.yaml``, the values (document "002",
table, line, column; doubtful where the reader found a problem), and one import batch holding the
reader's findings and those of the data rules. Loading the same file again changes nothing.

Each table's source agency is read from the "Дереккөз:" (source) line the report prints under it.
"""

from __future__ import annotations

import hashlib
import math
import re
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import yaml
from django.conf import settings
from django.db import transaction
from tqdm import tqdm

from core.models import Agency, Region
from core.reference import resolve_agency_code
from indicators import actions, rates
from indicators.actions import Incoming
from indicators.models import Domain, ImportBatch, Indicator, IndicatorValue, Periodicity, ValidationFinding
from indicators.seed002 import NATIONAL, Report, read_report
from indicators.seed002_spec import Spec, load_spec
from indicators.validation import Finding

DERIVED_FILE = Path(__file__).resolve().parent / "data" / "derived.yaml"
SEED_PATTERN = "002_*.txt"
SOURCE_RE = re.compile(r"^\s*Дереккөз\s*:\s*(?P<text>.+?)\s*$")
SOURCE_TAIL_RE = re.compile(r"\s+(деректері|сауалнамасы|мәліметтері)\s*$")
SOURCE_LOOKAHEAD = 15  # lines after a table's last row where its source line may stand


class SeedMissing(FileNotFoundError):
    """The seed file is not where it was looked for."""


def seed_path(path: str | Path | None = None) -> Path:
    """The seed 002 text: ``path`` if given, else the one file ``002_*.txt`` in ``QORGAU_SEEDS_DIR``."""
    if path is not None:
        candidate = Path(path)
        if not candidate.is_file():
            raise SeedMissing(f"{candidate}: no such file")
        return candidate
    folder = Path(settings.QORGAU_SEEDS_DIR)
    found = sorted(folder.glob(SEED_PATTERN)) if folder.is_dir() else []
    if not found:
        raise SeedMissing(
            f"seed 002 not found: no {SEED_PATTERN} in {folder} (set QORGAU_SEEDS_DIR or pass the file's path)"
        )
    return found[0]


def table_sources(text: str, report: Report) -> tuple[dict[str, str], list[Finding]]:
    """Agency code of each table, from the "Дереккөз:" line under it; unresolved ones are findings."""
    lines = text.splitlines()
    sources: dict[str, str] = {}
    findings: list[Finding] = []
    for table in report.tables:
        last = max((line for row in table.rows for line in (row.line, *row.lines)), default=table.line)
        for number in range(last, min(last + SOURCE_LOOKAHEAD, len(lines))):
            match = SOURCE_RE.match(lines[number])  # lines[number] is line number + 1 (1-based)
            if not match:
                continue
            raw = match["text"]
            names = [SOURCE_TAIL_RE.sub("", part).strip() for part in raw.split(",")]
            codes = [resolve_agency_code(re.sub(r"^ҚР(-дың)?\s+", "", name)) for name in names]
            code = next((c for c in codes if c), None)
            if code is None:
                findings.append(
                    Finding(
                        "warning",
                        "source-unresolved",
                        {"table": table.number, "value": raw},
                        table=table.number,
                        line=number + 1,
                    )
                )
            else:
                sources[table.number] = code
            break
    return sources, findings


def _catalogue(spec: Spec, report: Report, sources: dict[str, str], user: Any) -> dict[str, Indicator]:
    """The catalogue entries of the YAML and of ``derived.yaml``; existing entries are left as they are."""
    domains = {
        code: Domain.objects.get_or_create(
            code=code, defaults={"name_kk": names["kk"], "name_ru": names["ru"], "name_en": names["en"]}
        )[0]
        for code, names in spec.domains.items()
    }
    agencies = {a.code: a for a in Agency.objects.filter(code__in=set(sources.values()))}
    columns = defaultdict(list)
    source_of: dict[str, str] = {}
    for table in spec.tables:
        for column in table.columns:
            columns[column.indicator].append(column)
            if table.number in sources and column.indicator not in source_of:
                source_of[column.indicator] = sources[table.number]
    existing = {i.code: i for i in Indicator.objects.all()}
    for code, entry in spec.indicators.items():
        if code in existing:
            continue
        cols = columns.get(code, [])
        low = min((c.range[0] for c in cols), default=-math.inf)
        high = max((c.range[1] for c in cols), default=math.inf)
        existing[code] = actions.save_indicator(
            user,
            Indicator(
                code=code,
                name_kk=entry.name_kk,
                name_ru=entry.name_ru,
                name_en=entry.name_en,
                unit=entry.unit,
                polarity=entry.polarity,
                domain=domains.get(entry.domain or ""),
                source_agency=agencies.get(source_of.get(code, "")),
                periodicity=Periodicity.ANNUAL,
                by_sex=any(c.sex for c in cols),
                by_area=any(c.area for c in cols),
                by_age=any(c.age for c in cols),
                additive=any(c.additive for c in cols),
                valid_min=Decimal(str(low)) if math.isfinite(low) else None,
                valid_max=Decimal(str(high)) if math.isfinite(high) else None,
                published=True,  # the report is public; its regional tables are open data
            ),
        )
    with DERIVED_FILE.open(encoding="utf-8") as fh:
        for entry in yaml.safe_load(fh) or []:
            if entry["code"] in existing:
                continue
            existing[entry["code"]] = actions.save_indicator(
                user,
                Indicator(
                    code=entry["code"],
                    name_kk=entry["name_kk"],
                    name_ru=entry["name_ru"],
                    name_en=entry["name_en"],
                    unit=entry["unit"],
                    polarity=entry["polarity"],
                    domain=domains.get(entry.get("domain", "")),
                    numerator=existing[entry["numerator"]],
                    denominator=existing[entry["denominator"]],
                    multiplier=Decimal(str(entry["multiplier"])),
                    denominator_year_offset=int(entry.get("denominator_year_offset", 0)),
                    by_sex=existing[entry["numerator"]].by_sex,
                    by_area=existing[entry["numerator"]].by_area,
                    published=True,
                ),
            )
    return existing


def load_seed002(path: Path, *, user: Any = None, progress: bool = False, stderr: TextIO | None = None) -> ImportBatch:
    """Read ``path`` (seed 002's text) and store its catalogue, values and findings; see the module."""
    text = path.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    spec = load_spec()
    report = read_report(text, spec)
    sources, source_findings = table_sources(text, report)
    regions = dict(Region.objects.values_list("pcode", "pk"))
    with transaction.atomic():
        indicators = _catalogue(spec, report, sources, user)
        batch = ImportBatch.objects.filter(
            kind=ImportBatch.Kind.DOCUMENT, document=spec.document, sha256=digest
        ).first() or ImportBatch(kind=ImportBatch.Kind.DOCUMENT, document=spec.document, sha256=digest)
        if batch.pk:
            ValidationFinding.objects.filter(batch=batch).delete()  # found again below, identically
        batch.filename, batch.uploaded_by = path.name, user
        batch.rows = len(report.values)
        batch.created = batch.updated = batch.unchanged = batch.errors = batch.warnings = 0
        batch.state = ImportBatch.State.APPLIED
        batch.save()
        by_table: dict[str, list[Incoming]] = defaultdict(list)
        for v in report.values:
            by_table[v.table].append(
                Incoming(
                    indicator_id=indicators[v.indicator].pk,
                    region_id=None if v.region == NATIONAL else regions[v.region],
                    year=v.year,
                    value=Decimal(str(v.value)),
                    sex=v.sex or "",
                    area=v.area or "",
                    age=v.age or "",
                    as_of=_date(v.as_of),
                    doubtful=v.doubtful,
                    document=v.document,
                    table=v.table,
                    line=v.line,
                    column=v.column,
                )
            )
        stored: list[IndicatorValue] = []
        with tqdm(
            total=len(report.values),
            unit=" values",
            desc="seed 002",
            file=stderr or sys.stderr,
            disable=not progress,
            mininterval=0.5,
        ) as bar:
            for table, items in by_table.items():
                bar.set_postfix_str(f"table {table}")
                result = actions.write_values(user, items, origin=IndicatorValue.Origin.DOCUMENT, batch=batch)
                batch.created += result.created
                batch.updated += result.updated
                batch.unchanged += result.unchanged
                stored += result.values
                bar.update(len(items))
        findings = [
            Finding(f.severity, f.code, {}, table=f.table, line=f.line, message=f.message) for f in report.findings
        ]
        findings += source_findings
        findings += actions.validate(stored, ranges=True)
        actions.store_findings(batch, findings)
        rates.refresh_dependants(user, {i.pk for i in indicators.values() if not i.is_derived}, batch)
        batch.save()
    return batch


def _date(text: str | None) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(text) if text else None
