"""Import a class roster (children) from CSV or XLSX: all rows or none, idempotent, errors per row.

A school uploads its pupils once a year. The file's header may be in Kazakh, Russian or English;
every row is validated with the same form as the web page (IIN check digit, date of birth and sex
agreeing with the IIN, required names). If any row is wrong, nothing is written and the user gets
the list of rows with the reason, in their language. Importing the same file again creates nothing:
a row whose child is already registered at that organisation with the same data is counted as
unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import actions
from core.forms import ChildForm
from core.models import Child, Organisation
from core.tables import ImportFileError, ImportResult, RowError, cell, header_key, iter_rows

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024

# Header aliases (normalised: lower case, no spaces/punctuation) → field.
HEADERS: dict[str, str] = {}
for _field, _names in {
    "iin": ["iin", "жсн", "иин"],
    "last_name": ["last_name", "lastname", "surname", "тегі", "фамилия"],
    "first_name": ["first_name", "firstname", "name", "аты", "имя"],
    "middle_name": ["middle_name", "patronymic", "әкесінің аты", "әкесініңаты", "отчество"],
    "birth_date": ["birth_date", "date of birth", "туған күні", "дата рождения"],
    "sex": ["sex", "gender", "жынысы", "пол"],
    "class_name": ["class", "class_name", "сынып", "класс"],
    "language": ["language", "оқыту тілі", "тіл", "язык обучения", "язык"],
}.items():
    for _name in _names:
        HEADERS[header_key(_name)] = _field
REQUIRED = ("last_name", "first_name", "birth_date", "sex")
TEMPLATE_HEADER = ["iin", "last_name", "first_name", "middle_name", "birth_date", "sex", "class", "language"]

SEX_VALUES = {
    "m": "M",
    "м": "M",
    "е": "M",
    "ер": "M",
    "male": "M",
    "муж": "M",
    "f": "F",
    "ж": "F",
    "әйел": "F",
    "қыз": "F",
    "female": "F",
    "жен": "F",
}
LANGUAGE_VALUES = {
    "kk": "kk",
    "қаз": "kk",
    "каз": "kk",
    "қазақ": "kk",
    "казахский": "kk",
    "ru": "ru",
    "орыс": "ru",
    "рус": "ru",
    "русский": "ru",
    "en": "en",
    "ағылшын": "en",
    "английский": "en",
}


def read_table(upload: IO[bytes], filename: str) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8, comma or semicolon) or XLSX roster as dicts keyed by field name."""
    rows = iter_rows(upload, filename, max_bytes=MAX_BYTES)
    first = next(rows, None)
    if first is None:
        raise ImportFileError(_("The file is empty."))
    header = [HEADERS.get(header_key(h), "") for h in first]
    unknown = [str(h) for h, f in zip(first, header, strict=True) if not f and str(h or "").strip()]
    if unknown:
        raise ImportFileError(_("Unknown columns: %(cols)s.") % {"cols": ", ".join(unknown)})
    missing = [f for f in REQUIRED if f not in header]
    if missing:
        raise ImportFileError(_("Required columns are missing: %(cols)s.") % {"cols": ", ".join(missing)})
    body = []
    for r in rows:
        body.append({f: cell(v) for f, v in zip(header, r, strict=False) if f})
        if len(body) > MAX_ROWS:
            raise ImportFileError(_("At most %(n)s rows per file.") % {"n": MAX_ROWS})
    return body


def _normalise(row: dict[str, str]) -> dict[str, str]:
    out = dict(row)
    out["sex"] = SEX_VALUES.get(row.get("sex", "").strip().lower().rstrip("."), row.get("sex", ""))
    lang = row.get("language", "").strip().lower()
    out["language"] = LANGUAGE_VALUES.get(lang, lang) if lang else "kk"
    birth = row.get("birth_date", "").strip()
    for fmt in ("%d.%m.%Y", "%d/%m/%Y"):
        try:
            out["birth_date"] = dt.datetime.strptime(birth, fmt).date().isoformat()
            break
        except ValueError:
            continue
    return out


def _same(child: Child, data: dict[str, Any]) -> bool:
    return all(getattr(child, k) == v for k, v in data.items() if k != "organisation")


def import_children(user: Any, organisation: Organisation, rows: list[dict[str, str]]) -> ImportResult:
    """Validate every row, then create the new children in one transaction (or nothing at all)."""
    result = ImportResult()
    to_create: list[Child] = []
    seen_iins: dict[str, int] = {}
    for number, raw in enumerate(rows, start=2):
        if not any(raw.values()):
            continue
        data = _normalise(raw) | {"organisation": str(organisation.pk)}
        iin = data.get("iin", "").strip()
        existing = None
        if iin:
            if iin in seen_iins:
                result.errors.append(
                    RowError(number, "iin", _("The same IIN is already in row %(row)s.") % {"row": seen_iins[iin]})
                )
                continue
            seen_iins[iin] = number
            existing = Child.objects.filter(iin=iin).first()
        else:
            existing = (
                Child.objects.filter(
                    organisation=organisation,
                    iin__isnull=True,
                    last_name=data.get("last_name", "").strip(),
                    first_name=data.get("first_name", "").strip(),
                    birth_date=data.get("birth_date") or "",
                ).first()
                if _valid_date(data.get("birth_date"))
                else None
            )
        form = ChildForm(data=data, user=user, instance=None)
        if existing is not None:
            # Already registered: unchanged if identical here, otherwise the row needs a person's look.
            form.is_valid()
            clean = {k: v for k, v in getattr(form, "cleaned_data", {}).items() if k not in {"version"}}
            if existing.organisation_id == organisation.pk and _same(existing, clean):
                result.unchanged += 1
            else:
                result.errors.append(
                    RowError(
                        number,
                        "iin",
                        _(
                            "A child with this IIN is already registered with different data or at another "
                            "organisation; correct it on the child's page, not by import."
                        ),
                    )
                )
            continue
        if not form.is_valid():
            for name, messages in form.errors.items():
                label = str(form.fields[name].label) if name in form.fields else ""
                for message in messages:
                    result.errors.append(RowError(number, label, str(message)))
            continue
        to_create.append(form.save(commit=False))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for child in to_create:
                actions.create_object(user, child)
    except IntegrityError:
        # Someone registered one of these children while the file was being checked: nothing was kept.
        result.errors.append(RowError(0, "", _("The data changed while importing; nothing was imported. Try again.")))
        return result
    result.created = len(to_create)
    return result


def _valid_date(value: str | None) -> bool:
    try:
        dt.date.fromisoformat(value or "")
    except ValueError:
        return False
    return True


def template_csv() -> str:
    """An empty roster with the expected header and one example row."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(["", "Ахметова", "Айгерім", "Серікқызы", "05.04.2012", "F", "7А", "kk"])
    return buf.getvalue()


IMPORT_HELP = gettext_lazy(
    "Columns (any order; Kazakh, Russian or English headers): IIN, last name, first name, patronymic, "
    "date of birth (DD.MM.YYYY), sex (M/F), class, language (kk/ru/en). If any row has an error, "
    "nothing is imported; importing the same file again adds nothing."
)
