"""Team exports: CSV, XLSX and print view of a team's mandatory trainings, who may fetch them, and the access log."""

from __future__ import annotations

import csv
import io
from datetime import date
from types import SimpleNamespace

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from quali_kompass.curricula.status import berlin_today
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Person, Team
from quali_kompass.review.exports import neutralised
from quali_kompass.review.models import AccessLogEntry
from tests.conftest import login
from tests.factories import CompletionFactory, MaterialFactory, PersonFactory, RequirementFactory

HEADER = ["Name", "Personalnummer", "Team", "Pflichtschulung", "Status", "Fällig am", "Erledigt am", "Gültig bis"]
EVIL_NAME = '=HYPERLINK("http://example.invalid";"Klick")'
EVIL_TITLE = "@SUM(1+1)"
GERMAN_LABELS = {"Erledigt", "Offen", "Bald fällig", "Überfällig", "Auffrischung fällig", "Abgelaufen"}


@pytest.fixture
def team(app: Flask, org: SimpleNamespace) -> SimpleNamespace:
    """Team A with a team requirement (the employee has completed it), an organisation-wide one, and a bad name."""
    with app.app_context():
        privacy = MaterialFactory(title="Datenschutz im Jobcenter")
        evil = MaterialFactory(title=EVIL_TITLE)
        RequirementFactory(material=privacy, team=db.session.get(Team, org.team_a.id))
        RequirementFactory(material=evil)
        CompletionFactory(person=db.session.get(Person, org.employee.id), material=privacy)
        intruder = PersonFactory(
            name=EVIL_NAME, email="formel@jobcenter-test.de", team=db.session.get(Team, org.team_a.id)
        )
        intruder.personnel_number = "-4711"
        db.session.commit()
        return SimpleNamespace(org=org, privacy_id=privacy.id, intruder_id=intruder.id)


def client_as(app: Flask, person):
    client = app.test_client()
    login(client, person.email)
    return client


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_is_excel_friendly_with_german_rows(app: Flask, team: SimpleNamespace) -> None:
    org = team.org
    response = client_as(app, org.lead).get(f"/team/{org.team_a.id}/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "pflichtschulungen-leistung-team-1-" in disposition
    assert disposition.endswith('.csv"') or disposition.endswith(".csv")
    content = response.data
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.startswith("Name;Personalnummer;Team;Pflichtschulung;Status;")
    assert "\r\n" in text and text.count("\r\n") == text.count("\n")
    rows = csv_rows(content)
    assert rows[0] == HEADER
    body = rows[1:]
    # Four members of team A, two mandatory items each.
    assert len(body) == 8
    assert {row[2] for row in body} == {"Leistung Team 1"}
    assert {row[4] for row in body} <= GERMAN_LABELS
    today = berlin_today().strftime("%d.%m.%Y")
    done = [row for row in body if row[0] == "Erika Beispiel" and row[3] == "Datenschutz im Jobcenter"]
    assert len(done) == 1 and done[0][4] == "Erledigt" and done[0][6] == today
    assert all(not row[5] or len(row[5].split(".")) == 3 for row in body)
    assert "Olga Weit" not in text  # team B


def test_csv_neutralises_formulas(app: Flask, team: SimpleNamespace) -> None:
    org = team.org
    body = csv_rows(client_as(app, org.lead).get(f"/team/{org.team_a.id}/export.csv").data)[1:]
    names = {row[0] for row in body}
    assert "'" + EVIL_NAME in names and EVIL_NAME not in names
    titles = {row[3] for row in body}
    assert "'" + EVIL_TITLE in titles and EVIL_TITLE not in titles
    assert "'-4711" in {row[1] for row in body}
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in body for cell in row)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_neutralised_prefixes_formula_starts(text: str) -> None:
    assert neutralised(text) == "'" + text
    assert neutralised("Erika") == "Erika"


def test_xlsx_has_header_dates_and_no_formulas(app: Flask, team: SimpleNamespace) -> None:
    org = team.org
    response = client_as(app, org.lead).get(f"/team/{org.team_a.id}/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert ".xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width >= 30
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 8
    evil_names = [row[0] for row in rows if row[0].value == EVIL_NAME]
    assert evil_names and all(cell.data_type == "s" for cell in evil_names)
    evil_titles = [row[3] for row in rows if row[3].value == EVIL_TITLE]
    assert evil_titles and all(cell.data_type == "s" for cell in evil_titles)
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    done = next(row for row in rows if row[0].value == "Erika Beispiel" and row[3].value == "Datenschutz im Jobcenter")
    assert done[4].value == "Erledigt"
    assert done[6].is_date and done[6].value.date() == berlin_today()
    assert done[6].number_format == "DD.MM.YYYY"
    due = [row[5] for row in rows if row[5].value is not None]
    assert due and all(cell.is_date for cell in due)


def test_print_view_lists_the_people(app: Flask, team: SimpleNamespace) -> None:
    org = team.org
    response = client_as(app, org.head).get(f"/team/{org.team_a.id}/drucken")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for name in ("Erika Beispiel", "Lena Leitung", "Hans Bereich", "=HYPERLINK(&#34;http://example.invalid&#34;"):
        assert name in page
    assert "Olga Weit" not in page
    assert "Datenschutz im Jobcenter" in page and "Erledigt" in page
    assert berlin_today().strftime("%d.%m.%Y") in page


@pytest.mark.parametrize("suffix", ["export.csv", "export.xlsx", "drucken"])
def test_others_are_refused(app: Flask, team: SimpleNamespace, suffix: str) -> None:
    org = team.org
    url = f"/team/{org.team_a.id}/{suffix}"
    assert client_as(app, org.other_lead).get(url).status_code == 403
    assert client_as(app, org.employee).get(url).status_code == 403
    assert client_as(app, org.admin).get(url).status_code == 403
    assert app.test_client().get(url).status_code in (302, 401)
    assert client_as(app, org.lead).get("/team/999999/" + suffix).status_code == 404
    with app.app_context():
        assert db.session.scalars(select(AccessLogEntry)).all() == []


def test_exports_are_logged(app: Flask, team: SimpleNamespace) -> None:
    org = team.org
    client = client_as(app, org.lead)
    for suffix in ("export.csv", "export.xlsx", "drucken"):
        assert client.get(f"/team/{org.team_a.id}/{suffix}").status_code == 200
    with app.app_context():
        entries = db.session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id)).all()
        assert [(entry.action, entry.details) for entry in entries] == [
            ("team_exported", {"format": "csv"}),
            ("team_exported", {"format": "xlsx"}),
            ("team_printed", {}),
        ]
        assert {entry.viewer_id for entry in entries} == {org.lead.id}
        assert {entry.team_id for entry in entries} == {org.team_a.id}
        assert all(entry.subject_id is None for entry in entries)
        assert all(isinstance(entry.at.date(), date) for entry in entries)


def test_team_page_links_the_exports(app: Flask, team: SimpleNamespace) -> None:
    org = team.org
    page = client_as(app, org.lead).get(f"/team/{org.team_a.id}").get_data(as_text=True)
    for suffix in ("export.csv", "export.xlsx", "drucken"):
        assert f"/team/{org.team_a.id}/{suffix}" in page
