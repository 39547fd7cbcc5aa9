"""Reading uploaded tables (CSV or XLSX) row by row, for every importer of every module.

Rows are streamed: a CSV is decoded incrementally and an XLSX is opened read-only, so a file of a
million rows never sits in memory as a list. Problems with the file as a whole (format, encoding,
size) raise :class:`ImportFileError` with a message in the user's language.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, encoding, header, size)."""


@dataclass
class RowError:
    row: int  # the line/row number as the user sees it in their spreadsheet (header = 1)
    field: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        """The result as an API answers it."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [{"row": e.row, "field": e.field, "message": e.message} for e in self.errors],
        }


def header_key(name: Any) -> str:
    """A header cell compared loosely: lower case, letters and digits only."""
    return "".join(ch for ch in str(name or "").lower() if ch.isalnum())


def cell(value: Any) -> str:
    """A cell as text: dates as ISO dates, whole floats (from Excel) without ``.0``."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value if value is not None else "").strip()


def iter_rows(upload: IO[bytes], filename: str, max_bytes: int | None = None) -> Iterator[list[Any]]:
    """The rows of a .csv (UTF-8; comma, semicolon or tab) or .xlsx file, header first."""
    name = filename.lower()
    if max_bytes is not None:
        size = getattr(upload, "size", None)
        if size is None:
            pos = upload.tell()
            upload.seek(0, io.SEEK_END)
            size = upload.tell() - pos
            upload.seek(pos)
        if size > max_bytes:
            raise ImportFileError(_("The file is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)})
    if name.endswith(".xlsx"):
        return _xlsx_rows(upload)
    if name.endswith(".csv"):
        return _csv_rows(upload)
    raise ImportFileError(_("Upload a .csv or .xlsx file."))


def _csv_rows(upload: IO[bytes]) -> Iterator[list[str]]:
    head = upload.read(8192)
    try:
        sample = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError as exc:
        raise ImportFileError(_('The CSV file is not in UTF-8. Save it as "CSV UTF-8" and try again.')) from exc
    try:
        dialect: Any = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    stream = io.TextIOWrapper(io.BufferedReader(_Prefixed(head, upload)), encoding="utf-8-sig", newline="")
    try:
        yield from csv.reader(stream, dialect)
    except UnicodeDecodeError as exc:
        raise ImportFileError(_('The CSV file is not in UTF-8. Save it as "CSV UTF-8" and try again.')) from exc
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file is damaged: %(error)s") % {"error": exc}) from exc
    finally:
        stream.detach()


class _Prefixed(io.RawIOBase):
    """The bytes already read for sniffing, then the rest of the upload."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _xlsx_rows(upload: IO[bytes]) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(upload, read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()
