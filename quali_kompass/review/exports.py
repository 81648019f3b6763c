"""Team exports: the compliance matrix as rows (one per person and mandatory item), as CSV, XLSX or print view."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from quali_kompass.curricula.queries import items_for_people
from quali_kompass.curricula.rendering import STATE_LABELS
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Person, Team
from quali_kompass.organisation.queries import team_members

# Text a spreadsheet would read as a formula (or as the start of one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMN_WIDTHS = (28, 16, 24, 40, 20, 12, 12, 12)
DATE_FORMAT = "DD.MM.YYYY"


@dataclass(frozen=True)
class ExportRow:
    """One mandatory item of one person."""

    name: str
    personnel_number: str
    team: str
    material: str
    state: str
    status: str  # the German (interface-language) label of the state
    due_on: date | None
    completed_on: date | None
    valid_until: date | None


def headers() -> list[str]:
    """The column titles in the interface language."""
    return [
        _("Name"),
        _("Personalnummer"),
        _("Team"),
        _("Pflichtschulung"),
        _("Status"),
        _("Fällig am"),
        _("Erledigt am"),
        _("Gültig bis"),
    ]


def team_rows(team: Team, today: date) -> list[ExportRow]:
    """Every current, active member's mandatory items, by name, then most urgent first."""
    members: Sequence[Person] = db.session.scalars(team_members(team.id)).all()
    items = items_for_people([member.id for member in members], today)
    return [
        ExportRow(
            name=member.name,
            personnel_number=member.personnel_number or "",
            team=team.name,
            material=item.material.title,
            state=item.status.state,
            status=str(STATE_LABELS[item.status.state]),
            due_on=item.status.due_on,
            completed_on=item.status.completed_on,
            valid_until=item.status.valid_until,
        )
        for member in members
        if member.active
        for item in items.get(member.id, [])
    ]


def neutralised(text: str) -> str:
    """Text that a spreadsheet shows as is: a leading formula character gets an apostrophe before it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def german_day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def row_values(row: ExportRow) -> list[str | date | None]:
    return [
        row.name,
        row.personnel_number,
        row.team,
        row.material,
        row.status,
        row.due_on,
        row.completed_on,
        row.valid_until,
    ]


def to_csv(rows: Sequence[ExportRow]) -> bytes:
    """UTF-8 with BOM, semicolons and CRLF: what Excel in a German locale opens without an import dialogue."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralised(title) for title in headers()])
    for row in rows:
        writer.writerow(
            [
                german_day(value) if isinstance(value, date) or value is None else neutralised(value)
                for value in row_values(row)
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell_text(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def to_xlsx(rows: Sequence[ExportRow], title: str) -> bytes:
    """A workbook with a bold, frozen header row, set column widths and real date cells; text stays text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    bold = Font(bold=True)
    for column, heading in enumerate(headers(), start=1):
        cell = sheet.cell(row=1, column=column)
        cell.value = _cell_text(heading)
        cell.data_type = "s"
        cell.font = bold
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row_values(row), start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, date):
                cell.value = value
                cell.number_format = DATE_FORMAT
            elif value:
                cell.value = _cell_text(value)
                cell.data_type = "s"  # never a formula, whatever the text starts with
    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:H{max(len(rows) + 1, 1)}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    """At most 31 characters, none of those Excel forbids in sheet names."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", title).strip("' ") or "Export"
    return cleaned[:31]


def file_name(team: Team, today: date, extension: str) -> str:
    """E.g. ``pflichtschulungen-leistung-team-1-2026-11-23.csv`` (ASCII only)."""
    text = team.name.replace("ß", "ss")
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue")):
        text = text.replace(umlaut, spelled)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or f"team-{team.id}"
    return f"pflichtschulungen-{slug}-{today.isoformat()}.{extension}"
