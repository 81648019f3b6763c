"""Privacy: the transparency page, the personal data export, retention and the access log page."""

from __future__ import annotations

import json
from datetime import date, timedelta
from types import SimpleNamespace

from flask import Flask
from sqlalchemy import func, select

from quali_kompass.accounts.models import LoginSession, PasswordResetToken
from quali_kompass.audit.models import AuditEvent
from quali_kompass.audit.services import record
from quali_kompass.catalogue.models import SessionDate, SessionRegistration, StoredFile
from quali_kompass.curricula.models import Completion, PlanItem
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import Base, utcnow
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Membership, OrgImport, Person, Team
from quali_kompass.privacy.export import person_columns
from quali_kompass.review.models import AccessLogEntry
from tests.conftest import build_org, login
from tests.factories import CompletionFactory, MaterialFactory, PersonFactory, RequirementFactory

# Tables the sample person below has rows in; a table that refers to a person but has no row here is still
# checked to be part of the export.
FILLED = {
    "person",
    "membership",
    "team_lead",
    "department_head",
    "editor_department",
    "completion",
    "plan_item",
    "session_registration",
    "session_date",
    "login_session",
    "password_reset_token",
    "audit_event",
    "access_log",
    "org_import",
    "requirement",
    "stored_file",
}


def _fill(app: Flask, org: SimpleNamespace) -> None:
    """Give the sample employee rows in many tables, and the other employee rows of their own."""
    with app.app_context():
        employee = db.session.get(Person, org.employee.id)
        other = db.session.get(Person, org.other_employee.id)
        team_b = db.session.get(Team, org.team_b.id)
        employee.is_editor = True
        employee.editor_departments.append(team_b.department)
        team_b.leads.append(employee)
        team_b.department.heads.append(employee)
        old = employee.current_membership
        old.start_date = berlin_today() - timedelta(days=400)
        old.end_date = berlin_today() - timedelta(days=200)
        db.session.add(Membership(person=employee, team=team_b, start_date=berlin_today() - timedelta(days=199)))
        material = MaterialFactory()
        CompletionFactory(person=employee, material=material, recorded_by=db.session.get(Person, org.lead.id))
        CompletionFactory(person=other, material=material)
        db.session.add(PlanItem(person=employee, wish="Excel für Fortgeschrittene"))
        db.session.add(PlanItem(person=other, wish="Gesprächsführung"))
        session_date = SessionDate(
            material=material,
            starts_at=utcnow() + timedelta(days=3),
            ends_at=utcnow() + timedelta(days=3, hours=2),
            capacity=10,
            trainer=employee,
        )
        db.session.add(session_date)
        db.session.add(SessionRegistration(session_date=session_date, person=employee))
        db.session.add(SessionRegistration(session_date=session_date, person=other))
        db.session.add(
            PasswordResetToken(token_digest="d" * 64, person=employee, expires_at=utcnow() + timedelta(hours=1))
        )
        db.session.add(
            OrgImport(created_by_id=employee.id, created_at=utcnow(), filename="hr.csv", content=b"geheim", summary={})
        )
        RequirementFactory(material=material, created_by=employee)
        db.session.add(
            StoredFile(
                storage_name="s" * 32,
                display_name="a.pdf",
                content_type="application/pdf",
                size=1,
                sha256="0" * 64,
                uploaded_by_id=employee.id,
            )
        )
        record("person_updated", employee, actor=employee)
        record("person_updated", other, actor=other)
        db.session.add(AccessLogEntry(action="person_viewed", viewer_id=org.lead.id, subject_id=employee.id))
        db.session.add(AccessLogEntry(action="person_viewed", viewer_id=org.other_lead.id, subject_id=other.id))
        db.session.commit()


def _export(app: Flask, org: SimpleNamespace):
    _fill(app, org)
    client = app.test_client()
    login(client, org.employee.email)
    return client.get("/konto/meine-daten.json")


def test_export_holds_every_table_that_refers_to_a_person(app: Flask, org) -> None:
    response = _export(app, org)
    assert response.status_code == 200
    data = response.get_json()
    referring = {table.name for table in Base.metadata.tables.values() if person_columns(table)} | {"person"}
    assert referring >= FILLED
    missing = referring - data["tables"].keys()
    assert not missing, f"tables that refer to a person but are missing from the export: {sorted(missing)}"
    empty = sorted(name for name in FILLED if not data["tables"][name]["rows"])
    assert not empty, f"tables without the person's rows: {empty}"
    completion = data["tables"]["completion"]["rows"][0]
    assert completion["recorded_by_id"] == org.lead.id
    assert data["tables"]["person"]["rows"][0]["email"] == org.employee.email


def test_export_leaves_out_secrets_and_other_people(app: Flask, org) -> None:
    response = _export(app, org)
    body = response.get_data(as_text=True)
    data = json.loads(body)
    with app.app_context():
        password_hash = db.session.get(Person, org.employee.id).password_hash
    assert password_hash and password_hash not in body
    for name in ("person", "login_session", "password_reset_token"):
        table = data["tables"][name]
        assert set(table["omitted_columns"]) & {"password_hash", "token_digest"}
        assert all(not set(row) & {"password_hash", "token_digest"} for row in table["rows"])
    assert "d" * 64 not in body
    assert "content" not in data["tables"]["org_import"]["columns"]
    own = {org.employee.id}
    for name, table in data["tables"].items():
        for row in table["rows"]:
            assert own & {row[column] for column in table["refers_by"]}, f"{name}: a row of someone else"
    assert org.other_employee.email not in body
    assert "Gesprächsführung" not in body


def test_export_is_a_json_attachment(app: Flask, org) -> None:
    response = _export(app, org)
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"


def test_transparency_page_shows_retention_settings(make_app) -> None:
    app = make_app(QK_RETENTION_YEARS=5, QK_ACCESS_LOG_DAYS=180)
    people = build_org(app)
    client = app.test_client()
    login(client, people.employee.email)
    html = client.get("/transparenz").get_data(as_text=True)
    assert "nach 5 Jahren anonymisiert" in html
    assert "nach 180 Tagen gelöscht" in html
    assert "/konto/meine-daten.json" in html
    assert 'href="/transparenz"' in client.get("/konto").get_data(as_text=True)


def test_access_log_page_lists_entries_newest_first(app: Flask, org) -> None:
    with app.app_context():
        now = utcnow()
        db.session.add(
            AccessLogEntry(action="person_viewed", viewer_id=org.lead.id, subject_id=org.employee.id, at=now)
        )
        db.session.add(
            AccessLogEntry(action="team_exported", viewer_id=org.head.id, team_id=org.team_a.id, at=now - timedelta(1))
        )
        db.session.commit()
    client = app.test_client()
    login(client, org.auditor.email)
    html = client.get("/protokoll/zugriffe").get_data(as_text=True)
    assert html.index("Erika Beispiel") < html.index("Leistung Team 1 (Leistungsgewährung)")
    assert "Lena Leitung" in html and "Hans Bereich" in html
    employee = app.test_client()
    login(employee, org.employee.email)
    assert employee.get("/protokoll/zugriffe").status_code == 403


def _leaver(app: Flask, org, *, left_days_ago: int) -> int:
    with app.app_context():
        person = PersonFactory(active=False, personnel_number=f"P{left_days_ago}")
        db.session.add(
            Membership(
                person=person,
                team_id=org.team_a.id,
                start_date=berlin_today() - timedelta(days=left_days_ago + 500),
                end_date=berlin_today() - timedelta(days=left_days_ago),
            )
        )
        material = MaterialFactory()
        CompletionFactory(person=person, material=material)
        db.session.add(PlanItem(person=person, wish="Etwas"))
        session_date = SessionDate(
            material=material, starts_at=utcnow(), ends_at=utcnow() + timedelta(hours=1), capacity=5
        )
        db.session.add(SessionRegistration(session_date=session_date, person=person))
        db.session.commit()
        return person.id


def _counts(app: Flask, person_id: int) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model).where(model.person_id == person_id))
            for model in (Completion, PlanItem, SessionRegistration)
        )


def test_retention_anonymises_people_who_left_long_ago(app: Flask, org) -> None:
    gone = _leaver(app, org, left_days_ago=4 * 365)
    recent = _leaver(app, org, left_days_ago=365)
    with app.app_context():
        db.session.add(AccessLogEntry(action="person_viewed", viewer_id=org.lead.id, at=utcnow() - timedelta(400)))
        db.session.add(AccessLogEntry(action="person_viewed", viewer_id=org.lead.id, at=utcnow() - timedelta(10)))
        db.session.commit()
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["retention", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "People anonymised (left more than 3 year(s) ago): 1" in dry.output
    assert "Access-log entries older than 365 day(s) deleted: 1" in dry.output
    assert "Dry run" in dry.output
    assert _counts(app, gone) == (1, 1, 1)

    result = runner.invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "Deleted: 1 completion(s), 1 plan item(s), 1 registration(s)" in result.output
    with app.app_context():
        person = db.session.get(Person, gone)
        assert person.name == f"Ehemalige Person #{gone}"
        assert person.email == f"geloescht-{gone}@invalid"
        assert person.personnel_number is None and person.password_hash is None
        assert db.session.get(Person, recent).personnel_number == "P365"
        assert db.session.scalar(select(func.count(AccessLogEntry.id))) == 1
        assert db.session.scalar(select(func.count(LoginSession.id)).where(LoginSession.person_id == gone)) == 0
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention_applied")).one()
        assert event.actor_label == "cli" and event.details["people"] == 1
    assert _counts(app, gone) == (0, 0, 0)
    assert _counts(app, recent) == (1, 1, 1)

    again = runner.invoke(args=["retention"])
    assert "People anonymised (left more than 3 year(s) ago): 0" in again.output


def test_retention_keeps_active_people_and_current_members(make_app) -> None:
    app = make_app(QK_RETENTION_YEARS=1)
    org = build_org(app)
    with app.app_context():
        still_active = PersonFactory(active=True)
        db.session.add(
            Membership(
                person=still_active,
                team_id=org.team_a.id,
                start_date=date(2015, 1, 1),
                end_date=date(2016, 1, 1),
            )
        )
        db.session.commit()
        still_active_id = still_active.id
    result = app.test_cli_runner().invoke(args=["retention"])
    assert "People anonymised (left more than 1 year(s) ago): 0" in result.output
    with app.app_context():
        assert not db.session.get(Person, still_active_id).email.startswith("geloescht-")
