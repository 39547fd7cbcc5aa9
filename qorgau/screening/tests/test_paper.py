"""Paper forms: template, all-or-nothing import with row errors, idempotency, alerts."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from core import audit
from core.tables import ImportFileError
from screening import paper
from screening.models import Participant, Response, RiskAlert

pytestmark = pytest.mark.django_db


def template(school: Any) -> list[list[str]]:
    with audit.user_context(school.psychologist):
        body = paper.template_csv(school.campaign, school.psychologist).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def fill(rows: list[list[str]], answers: dict[int, dict[str, str]]) -> bytes:
    header = rows[0]
    out = [header]
    for i, row in enumerate(rows[1:]):
        if i not in answers:
            continue
        filled = list(row)
        for item, value in answers[i].items():
            filled[header.index(item)] = value
        out.append(filled)
    buf = io.StringIO()
    csv.writer(buf, delimiter=";").writerows(out)
    return buf.getvalue().encode()


def run(school: Any, data: bytes, name: str = "forms.csv") -> paper.PaperResult:
    with audit.user_context(school.psychologist):
        return paper.import_paper(school.psychologist, school.campaign, io.BytesIO(data), name)


NONE = {
    **{f"asq{i}": "0" for i in range(1, 5)},
    **{f"phq{i}": "0" for i in range(1, 10)},
    **{f"gad{i}": "1" for i in range(1, 8)},
}


def test_the_template_lists_the_consenting_students_and_every_question(school: Any) -> None:
    rows = template(school)
    assert rows[0][:3] == ["code", "class", "student"]
    assert rows[0][3:] == [f"asq{i}" for i in range(1, 6)] + [f"phq{i}" for i in range(1, 10)] + [
        f"gad{i}" for i in range(1, 8)
    ]
    assert len(rows) == 1 + 8
    assert {r[0] for r in rows[1:]} == {p.code for p in school.participants}


def test_a_good_file_imports_scores_and_raises_alerts_and_a_second_import_changes_nothing(school: Any) -> None:
    rows = template(school)
    data = fill(rows, {0: NONE, 1: NONE | {"phq9": "1"}, 2: NONE | {"asq2": "declined", "asq5": "1"}})
    result = run(school, data)
    assert result.ok, result.errors
    assert (result.created, result.unchanged, result.alerts) == (3, 0, 2)
    assert result.by_level == {"low": 1, "high": 1, "acute": 1}
    by_code = {p.code: p for p in Participant.objects.filter(campaign=school.campaign)}
    high = by_code[rows[2][0]]
    assert (high.status, high.mode, high.risk_level) == ("completed", "paper", "high")
    assert high.risk_fired == ["phq_a.flag.suicidal_ideation"] and high.flags == ["suicidal_ideation"]
    gad = Response.objects.get(participant=high, instrument__code="gad7")
    assert (gad.total, gad.band) == (7, "mild")
    assert Response.objects.get(participant=by_code[rows[3][0]], instrument__code="asq").answers["asq2"] == "declined"
    assert set(RiskAlert.objects.values_list("level", flat=True)) == {"high", "acute"}
    counts = (Response.objects.count(), RiskAlert.objects.count())
    again = run(school, data)
    assert again.ok and (again.created, again.unchanged, again.alerts) == (0, 3, 0)
    assert (Response.objects.count(), RiskAlert.objects.count()) == counts


def test_one_bad_row_imports_nothing_and_says_which_row_and_why(school: Any) -> None:
    rows = template(school)
    data = fill(rows, {0: NONE, 1: NONE | {"phq4": "5"}, 2: NONE | {"gad3": ""}, 3: NONE})
    with translation.override("en"):
        result = run(school, data)
    assert not result.ok
    assert [(e.row, e.field) for e in result.errors] == [(3, "phq4"), (4, "gad3")]
    assert "5" in result.errors[0].message
    assert not Response.objects.exists()
    assert not Participant.objects.filter(status="completed").exists()
    assert not RiskAlert.objects.exists()


def test_unknown_duplicate_and_refused_codes_are_row_errors(school: Any) -> None:
    rows = template(school)
    with audit.system_context("test"):
        Participant.objects.filter(code=rows[2][0]).update(status="refused", consent="refused")
    data = fill(rows, {0: NONE, 1: NONE})
    data += b"ZZZZZZZZ;;;" + b";".join(b"0" for _ in rows[0][3:]) + b"\n"
    data += (rows[1][0] + ";;;").encode() + b";".join(b"0" for _ in rows[0][3:]) + b"\n"
    with translation.override("en"):
        result = run(school, data)
    messages = {e.row: e.message for e in result.errors}
    assert set(messages) == {3, 4, 5}
    assert "refused" in messages[3] and "ZZZZZZZZ" in messages[4] and "row 2" in messages[5]


def test_a_file_that_cannot_be_read_is_refused_as_a_whole(school: Any) -> None:
    with pytest.raises(ImportFileError, match="code"):
        run(school, b"name;asq1\nx;1\n")
    with pytest.raises(ImportFileError, match="phq1"):
        run(school, b"code;asq1;asq2;asq3;asq4;asq5\n")
    with pytest.raises(ImportFileError, match="xlsx"):
        run(school, b"\x00\x01", name="forms.pdf")
    with pytest.raises(ImportFileError):
        run(school, b"not a zip", name="forms.xlsx")


def test_the_xlsx_template_round_trips_through_the_page(school: Any) -> None:
    from openpyxl import load_workbook

    client = school.client(school.psychologist)
    url = reverse("screening:paper-template", args=[school.campaign.uuid])
    book = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content))
    sheet = book.worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    for row in sheet.iter_rows(min_row=2, max_row=2):
        for cell in row[3:]:
            cell.value = int(NONE.get(header[cell.column - 1], 0)) if header[cell.column - 1] != "asq5" else None
    assert book.worksheets[1].max_row > 20  # one help line per question
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("forms.xlsx", out.getvalue())
    r = client.post(reverse("screening:paper-import", args=[school.campaign.uuid]), {"file": upload})
    assert r.status_code == 302, r.content.decode().split("<main")[1][:3000]
    assert Participant.objects.filter(status="completed", mode="paper").count() == 1


def test_the_import_page_lists_row_errors(school: Any) -> None:
    rows = template(school)
    client = school.client(school.psychologist)
    data = fill(rows, {0: NONE | {"phq1": "x"}})
    r = client.post(
        reverse("screening:paper-import", args=[school.campaign.uuid]),
        {"file": SimpleUploadedFile("forms.csv", data)},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert r.status_code == 200
    assert "phq1" in r.content.decode() and not Response.objects.exists()
