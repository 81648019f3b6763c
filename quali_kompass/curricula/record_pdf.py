"""The record of completed qualifications (Qualifizierungsnachweis) as an A4 PDF in Fira Sans."""

from __future__ import annotations

import re

from flask import make_response
from flask_babel import format_date
from flask_babel import gettext as _
from fpdf import XPos, YPos
from werkzeug.wrappers import Response

from quali_kompass.catalogue.guide_pdf import MUTED_RGB, TEXT_RGB, GuidePDF, _ascii
from quali_kompass.catalogue.rendering import KIND_LABELS
from quali_kompass.curricula.kompass import RecordRow
from quali_kompass.organisation.models import Person, Team

# Column widths in mm of the 174 mm between the margins: title, kind, date, how recorded, valid until.
COLUMNS = (62, 24, 22, 40, 26)
ROW_LINE_MM = 4.6


def _day(value) -> str:
    return format_date(value, "dd.MM.yyyy") if value else ""


def render(person: Person, team: Team | None, rows: list[RecordRow], today) -> bytes:
    """The record as PDF bytes; the guide PDF's page set-up, fonts and footer are reused."""
    title = _("Qualifizierungsnachweis")
    pdf = GuidePDF(f"{title} – {person.name}")
    pdf.add_page()
    pdf.set_text_color(*TEXT_RGB)
    pdf.set_font("Fira Sans", "B", 20)
    pdf.multi_cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font("Fira Sans", size=11)
    facts = [
        (_("Name"), person.name),
        (_("Personalnummer"), person.personnel_number or "–"),
        (_("Team"), f"{team.name} ({team.department.name})" if team is not None else _("kein Team")),
        (_("Stand"), _day(today)),
    ]
    for label, value in facts:
        pdf.set_font("Fira Sans", "B", 11)
        pdf.cell(36, 6, f"{label}:")
        pdf.set_font("Fira Sans", size=11)
        pdf.multi_cell(0, 6, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    if not rows:
        pdf.multi_cell(0, 6, _("Es sind noch keine abgeschlossenen Qualifizierungen erfasst."))
        return bytes(pdf.output())
    headings = (_("Qualifizierung"), _("Art"), _("Abgeschlossen"), _("Erfasst"), _("Gültig bis"))
    pdf.set_font("Fira Sans", "B", 9)
    with pdf.table(
        col_widths=COLUMNS,
        text_align="LEFT",
        line_height=ROW_LINE_MM,
        borders_layout="HORIZONTAL_LINES",
        first_row_as_headings=True,
    ) as table:
        header = table.row()
        for heading in headings:
            header.cell(heading)
        pdf.set_font("Fira Sans", size=9)
        for row in rows:
            completion = row.completion
            until = _day(row.valid_until)
            if until and row.expired:
                until = _("%(date)s (abgelaufen)", date=until)
            cells = table.row()
            for text in (
                completion.material.title,
                str(KIND_LABELS.get(completion.material.kind, completion.material.kind)),
                _day(completion.completed_on),
                row.method,
                until or "–",
            ):
                cells.cell(text)
    pdf.ln(4)
    pdf.set_font("Fira Sans", size=8)
    pdf.set_text_color(*MUTED_RGB)
    pdf.multi_cell(
        0,
        4,
        _("Erstellt aus dem Quali-Kompass. Zurückgesetzte Nachweise sind nicht aufgeführt."),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    return bytes(pdf.output())


def download(person: Person, team: Team | None, rows: list[RecordRow], today) -> Response:
    """The PDF as an attachment named after the person."""
    response = make_response(render(person, team, rows, today))
    response.headers["Content-Type"] = "application/pdf"
    name = re.sub(r"[^\w\- ]+", "", person.name).strip().replace(" ", "-")[:60]
    filename = _ascii(f"Qualifizierungsnachweis-{name}") if name else "Qualifizierungsnachweis"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response
