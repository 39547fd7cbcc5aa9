"""The implementation summary of a reporting period as DOCX (official table layout) and XLSX.

The official layout of the summaries sent to the Government: landscape A4, one table with the columns
№, measure, form of completion, deadline, executors, implementation information; the header repeats on
every page; the plan's sections are full-width rows. The summary is in Kazakh or Russian: the user's
language when it is one of the two, else the plan's.

A measure appears when reports on it are expected in the period or one was submitted. Its information is
the lead executor's report when the lead consolidated its co-executors (plus any co-executor who reported
after that); otherwise every submitted report in turn, each under its agency as the plan writes it. A text
missing in the summary's language is taken from the other language and marked with it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from plans.cycle import services
from plans.cycle.periods import ReportingPeriod
from plans.models import MeasureReport, Plan

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Column widths of the official table in millimetres (277 mm between 10 mm margins of landscape A4).
_WIDTHS_MM = (12, 70, 40, 30, 40, 85)


def export_language(plan: Plan) -> str:
    """Kazakh or Russian: the user's language if it is one of them, else the plan's."""
    lang = (translation.get_language() or "")[:2]
    if lang in ("kk", "ru"):
        return lang
    return plan.language if plan.language in ("kk", "ru") else "ru"


def _headers() -> list[str]:
    return [
        pgettext("official table", "No."),
        pgettext("official table", "Name of the measure"),
        pgettext("official table", "Form of completion"),
        pgettext("official table", "Deadline"),
        pgettext("official table", "Responsible executors"),
        pgettext("official table", "Information on implementation"),
    ]


@dataclass
class SummaryRow:
    """A row of the summary table: a section heading (``section`` set) or a measure."""

    section: str = ""
    number: str = ""
    name: str = ""
    completion_form: str = ""
    deadline: str = ""
    executors: str = ""
    information: str = ""
    status: str = ""
    spent: Decimal | None = None
    received: int = 0
    expected: int = 0


def _text(report: MeasureReport, lang: str) -> str:
    own = getattr(report, f"narrative_{lang}").strip()
    if own:
        return str(own)
    other = "ru" if lang == "kk" else "kk"
    text = getattr(report, f"narrative_{other}").strip()
    return f"[{other}] {text}" if text else ""


def summary_rows(plan: Plan, rp: ReportingPeriod, lang: str) -> list[SummaryRow]:
    """The rows of the summary of ``rp`` (call inside ``translation.override(lang)``)."""
    reports: dict[int, list[MeasureReport]] = {}
    for report in MeasureReport.objects.filter(
        measure__plan=plan, period=rp.label, state=MeasureReport.State.SUBMITTED
    ).select_related("agency"):
        reports.setdefault(report.measure_id, []).append(report)
    rows: list[SummaryRow] = []
    section_id: int | None = None
    for exp in services.measure_expectations(plan):
        measure = exp.measure
        mine = reports.get(measure.pk, [])
        if not exp.expected_in(rp.period) and not mine:
            continue
        if measure.section_id != section_id and measure.section_id is not None:
            rows.append(SummaryRow(section=measure.section.title))  # type: ignore[union-attr]
        section_id = measure.section_id
        executors = list(measure.executors.all())
        abbreviation = {e.agency_id: e.text for e in executors if e.agency_id}
        lead_id = exp.lead.pk if exp.lead else None
        mine.sort(key=lambda r: (r.agency_id != lead_id, r.agency.code))
        lead_report = next((r for r in mine if r.agency_id == lead_id), None)
        shown = mine
        if lead_report is not None and lead_report.consolidated:
            # The lead took these in; a co-executor who reported after the consolidation is shown apart.
            taken = set(lead_report.consolidated_from)
            shown = [r for r in mine if r is lead_report or str(r.uuid) not in taken]
        parts = []
        for report in shown:
            text = _text(report, lang)
            label = abbreviation.get(report.agency_id) or report.agency.name
            parts.append(f"{label}: {text}" if len(shown) > 1 or report.agency_id != lead_id else text)
        status_report = lead_report or (mine[0] if mine else None)
        spent = [r.spent_mln_kzt for r in mine if r.spent_mln_kzt is not None]
        rows.append(
            SummaryRow(
                number=measure.number,
                name=measure.name,
                completion_form=measure.completion_form,
                deadline=measure.deadline,
                executors=", ".join(e.text for e in executors),
                information="\n".join(p for p in parts if p) or _("No information received."),
                status=str(status_report.get_status_display()) if status_report and status_report.status else "",
                spent=sum(spent, Decimal(0)) if spent else None,
                received=len([r for r in mine if r.agency_id in {a.pk for a in exp.agencies}]),
                expected=len(exp.agencies) if exp.expected_in(rp.period) else 0,
            )
        )
    return rows


def _title(plan: Plan, rp: ReportingPeriod) -> str:
    return _("Information on the implementation of “%(plan)s” for %(period)s") % {
        "plan": plan.title,
        "period": rp.label,
    }


def _repeat_as_header(row: object) -> None:
    """Mark a table row to repeat at the top of every page (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def summary_docx(plan: Plan, rp: ReportingPeriod, lang: str) -> bytes:
    """The summary of ``rp`` as a Word document in the official layout."""
    with translation.override(lang):
        rows = summary_rows(plan, rp, lang)
        document = Document()
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(10))
        normal = document.styles["Normal"]
        normal.font.name = "Times New Roman"  # type: ignore[attr-defined]
        normal.font.size = Pt(11)  # type: ignore[attr-defined]
        heading = document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        heading.add_run(_title(plan, rp)).bold = True
        table = document.add_table(rows=2, cols=6)
        table.style = "Table Grid"
        for n, text in enumerate(_headers()):
            table.rows[0].cells[n].text = text
            table.rows[0].cells[n].paragraphs[0].runs[0].bold = True
            table.rows[1].cells[n].text = str(n + 1)
        _repeat_as_header(table.rows[0])
        _repeat_as_header(table.rows[1])
        for row in rows:
            cells = table.add_row().cells
            if row.section:
                merged = cells[0].merge(cells[5])
                merged.text = row.section
                merged.paragraphs[0].runs[0].bold = True
                continue
            values = [row.number, row.name, row.completion_form, row.deadline, row.executors, row.information]
            if row.status:
                values[5] = f"{row.status}.\n{row.information}"
            if row.spent is not None:
                values[5] += "\n" + _("Spent: %(amount)s mln KZT.") % {"amount": row.spent}
            for cell, value in zip(cells, values, strict=True):
                cell.text = value
        for table_row in table.rows:
            for cell, width in zip(table_row.cells, _WIDTHS_MM, strict=True):
                cell.width = Mm(width)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def summary_xlsx(plan: Plan, rp: ReportingPeriod, lang: str, *, day: date) -> bytes:
    """The summary, the completeness of the reports per agency and the overdue measures, one sheet each."""
    with translation.override(lang):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Summary")[:31]
        sheet.append([_title(plan, rp)])
        sheet.append([*_headers(), _("Status"), _("Spent, mln KZT"), _("Reports received"), _("Reports expected")])
        for row in summary_rows(plan, rp, lang):
            if row.section:
                sheet.append([row.section])
                continue
            spent = float(row.spent) if row.spent is not None else None
            sheet.append(
                [
                    row.number,
                    row.name,
                    row.completion_form,
                    row.deadline,
                    row.executors,
                    row.information,
                    row.status,
                    spent,
                    row.received,
                    row.expected,
                ]
            )
        sheet.freeze_panes = "A3"
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for column, width in zip("ABCDEFGHIJ", (8, 60, 30, 20, 30, 80, 16, 14, 12, 12), strict=True):
            sheet.column_dimensions[column].width = width
        for line in sheet.iter_rows(min_row=3):
            for cell in line:
                cell.alignment = Alignment(wrap_text=True, vertical="top")

        completeness = workbook.create_sheet(_("Completeness")[:31])
        result = services.monitoring(plan, rp, day=day)
        completeness.append(
            [
                _("Agency"),
                _("As written in the plan"),
                _("Expected"),
                _("Received"),
                _("On time"),
                _("Late"),
                _("Missing"),
                _("Voluntary"),
                _("Received, %"),
                _("On time, %"),
            ]
        )
        for rate in [*result.rows, result.total]:
            completeness.append(
                [
                    rate.agency.name if rate.agency else _("Total"),
                    ", ".join(rate.abbreviations),
                    rate.expected,
                    rate.received,
                    rate.on_time,
                    rate.late,
                    rate.missing,
                    rate.voluntary,
                    rate.received_rate,
                    rate.on_time_rate,
                ]
            )

        overdue_sheet = workbook.create_sheet(_("Overdue measures")[:31])
        overdue_sheet.append([pgettext("official table", "No."), _("Measure"), _("Deadline"), _("Lead executor")])
        overdue, _unchecked = services.overdue_measures(plan, day=day)
        for item in overdue:
            overdue_sheet.append(
                [item.measure.number, item.measure.name, item.deadline.label, item.lead.name if item.lead else ""]
            )
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
