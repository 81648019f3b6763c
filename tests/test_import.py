"""The organisation import from an HR export: upload, preview, confirm, and the same on the command line."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from email_validator import EmailNotValidError, validate_email
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quali_kompass.accounts.models import LoginSession
from quali_kompass.audit.models import AuditEvent
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.organisation.importer import _valid_email
from quali_kompass.organisation.models import Department, Membership, OrgImport, Person, Team, team_leads
from tests.conftest import login
from tests.factories import PersonFactory

HEADER = "Personalnummer;Name;E-Mail;Fachbereich;Team;Führungskraft E-Mail;Aktiv"
NEW_PEOPLE = [
    HEADER,
    "1001;Jürgen Müller;juergen.mueller@jobcenter-test.de;Eingangszone;Empfang;sabine.sonne@jobcenter-test.de;ja",
    "1002;Sabine Sonne;sabine.sonne@jobcenter-test.de;Eingangszone;Empfang;hans.bereich@jobcenter-test.de;ja",
    "1003;Karl Klar;karl.klar@jobcenter-test.de;Eingangszone;Telefonservice;sabine.sonne@jobcenter-test.de;",
]
TABLES = (Department, Team, Person, Membership, OrgImport, AuditEvent, LoginSession)


def csv_bytes(lines: list[str], encoding: str = "utf-8-sig", delimiter: str = ";") -> bytes:
    return "\r\n".join(line.replace(";", delimiter) for line in lines).encode(encoding)


def snapshot(app: Flask) -> dict[str, int]:
    """The number of rows of every table the import can write to."""
    with app.app_context():
        counts = {model.__tablename__: db.session.scalar(select(func.count()).select_from(model)) for model in TABLES}
        counts["team_lead"] = db.session.scalar(select(func.count()).select_from(team_leads))
        counts["active"] = db.session.scalar(select(func.count()).where(Person.active.is_(True)))
        counts["ended_memberships"] = db.session.scalar(
            select(func.count()).select_from(Membership).where(Membership.end_date.is_not(None))
        )
        return counts


def as_admin(app: Flask, org) -> FlaskClient:
    client = app.test_client()
    login(client, org.admin.email)
    return client


def upload(client: FlaskClient, content: bytes, filename: str = "personal.csv", **fields):
    return client.post(
        "/verwaltung/import",
        data={"file": (BytesIO(content), filename), **fields},
        content_type="multipart/form-data",
    )


def upload_ok(client: FlaskClient, content: bytes, **fields) -> str:
    """Upload a file and return the URL of its preview."""
    response = upload(client, content, **fields)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def apply(client: FlaskClient, preview_url: str):
    return client.post(f"{preview_url}/uebernehmen", follow_redirects=True)


def person(app: Flask, email: str) -> Person | None:
    with app.app_context():
        return db.session.scalar(select(Person).where(Person.email == email))


def team_of(app: Flask, email: str) -> str | None:
    with app.app_context():
        found = db.session.scalar(select(Person).where(Person.email == email))
        team = found.current_team if found else None
        return team.name if team else None


def leads_of(app: Flask, team_name: str) -> list[str]:
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == team_name))
        return sorted(p.email for p in team.leads)


def org_lines(org, **overrides: str) -> list[str]:
    """The ``org`` fixture's employees as an HR export; ``overrides`` replace single lines by key."""
    lines = {
        "lead": f";Lena Leitung;{org.lead.email};Leistungsgewährung;Leistung Team 1;{org.head.email};ja",
        "employee": f";Erika Beispiel;{org.employee.email};Leistungsgewährung;Leistung Team 1;{org.lead.email};ja",
        "head": f";Hans Bereich;{org.head.email};Leistungsgewährung;Leistung Team 1;;ja",
        "other_lead": f";Otto Anders;{org.other_lead.email};Markt und Integration;Integration Nord;;ja",
        "other_employee": (
            f";Olga Weit;{org.other_employee.email};Markt und Integration;Integration Nord;{org.other_lead.email};ja"
        ),
    }
    lines.update(overrides)
    return [HEADER, *lines.values()]


# Upload, preview, confirm -----------------------------------------------------------------------------------
def test_preview_writes_nothing_and_confirm_builds_the_organisation(app: Flask, org) -> None:
    client = as_admin(app, org)
    preview_url = upload_ok(client, csv_bytes(NEW_PEOPLE))
    before = snapshot(app)

    page = client.get(preview_url)
    assert page.status_code == 200
    assert "Vorschau: Noch ist nichts geändert." in page.text
    assert "Jürgen Müller" in page.text and "Team: Empfang (Eingangszone)" in page.text
    assert 'action="' + preview_url + '/uebernehmen"' in page.text
    assert snapshot(app) == before, "the preview must not write"

    page = apply(client, preview_url)
    assert "Der Import ist übernommen: 3 neu angelegt, 0 geändert, 0 deaktiviert, 0 unverändert." in page.text
    assert "Dieser Import wurde am" in page.text and "/uebernehmen" not in page.text
    with app.app_context():
        department = db.session.scalar(select(Department).where(Department.name == "Eingangszone"))
        assert sorted(team.name for team in department.teams) == ["Empfang", "Telefonservice"]
        juergen = db.session.scalar(select(Person).where(Person.personnel_number == "1001"))
        assert (juergen.name, juergen.email, juergen.active) == (
            "Jürgen Müller",
            "juergen.mueller@jobcenter-test.de",
            True,
        )
        assert juergen.current_membership.start_date == berlin_today()
        upload_record = db.session.scalar(select(OrgImport))
        assert upload_record.status == "applied" and upload_record.applied_at is not None
        assert upload_record.summary["counts"]["created"] == 3
    # Sabine leads both teams; her own line names her superior, who is no lead of Empfang.
    assert leads_of(app, "Empfang") == ["sabine.sonne@jobcenter-test.de"]
    assert leads_of(app, "Telefonservice") == ["sabine.sonne@jobcenter-test.de"]


def test_confirm_writes_one_audit_entry_per_change_and_the_import_entry(app: Flask, org) -> None:
    client = as_admin(app, org)
    apply(client, upload_ok(client, csv_bytes(NEW_PEOPLE)))
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action != "login")).all()
        entry = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "org_import_applied"))
        assert entry.actor_id == org.admin.id and entry.object_type == "org_import"
        assert entry.object_label == "personal.csv"
        assert entry.details["created"] == 3 and entry.details["teams_created"] == 2
    assert actions.count("person_created") == 3
    assert actions.count("person_moved") == 3
    assert actions.count("department_created") == 1 and actions.count("team_created") == 2
    assert actions.count("team_lead_added") == 2
    assert actions.count("org_import_applied") == 1


def test_utf8_with_bom_and_semicolons(app: Flask, org) -> None:
    content = csv_bytes(NEW_PEOPLE, encoding="utf-8-sig")
    assert content.startswith(b"\xef\xbb\xbf")
    client = as_admin(app, org)
    apply(client, upload_ok(client, content))
    assert person(app, "juergen.mueller@jobcenter-test.de").name == "Jürgen Müller"


def test_windows_1252_with_commas_and_umlauts(app: Flask, org) -> None:
    lines = [
        "Personalnummer,Name,E-Mail,Fachbereich,Team,Führungskraft E-Mail,Aktiv",
        '2001,"Müller, Jürgen",jm@jobcenter-test.de,Leistungsgewährung,Leistung Team 1,,ja',
        "2002,Günther Weiß,gw@jobcenter-test.de,Leistungsgewährung,Widerspruchsstelle Süd,,1",
    ]
    content = "\r\n".join(lines).encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    client = as_admin(app, org)
    page = client.get(upload_ok(client, content))
    assert "Müller, Jürgen" in page.text
    apply(client, page.request.path)
    assert person(app, "jm@jobcenter-test.de").name == "Müller, Jürgen"
    assert team_of(app, "gw@jobcenter-test.de") == "Widerspruchsstelle Süd"
    with app.app_context():  # the existing department is found, not created again
        assert db.session.scalar(select(func.count()).where(Department.name == "Leistungsgewährung")) == 1


def test_english_headers_in_any_order_and_extra_columns(app: Flask, org) -> None:
    lines = [
        "email,department,Cost centre,name,team,active,lead_email,personnel_number",
        "ann@jobcenter-test.de,Eingangszone,K-17,Ann Ahorn,Empfang,yes,,3001",
    ]
    client = as_admin(app, org)
    page = client.get(upload_ok(client, csv_bytes(lines, encoding="utf-8")))
    assert "Die Spalte „Cost centre“ wird nicht berücksichtigt." in page.text
    apply(client, page.request.path)
    assert person(app, "ann@jobcenter-test.de").personnel_number == "3001"


def test_running_the_same_file_again_changes_nothing(app: Flask, org) -> None:
    client = as_admin(app, org)
    content = csv_bytes(NEW_PEOPLE)
    apply(client, upload_ok(client, content))
    before = snapshot(app)

    preview_url = upload_ok(client, content)
    page = client.get(preview_url)
    assert "Die Datei stimmt mit dem Quali-Kompass überein." in page.text
    page = apply(client, preview_url)
    assert "0 neu angelegt, 0 geändert, 0 deaktiviert, 3 unverändert" in page.text
    after = snapshot(app)
    # Only the second upload and its "org_import_applied" entry are new.
    assert after == {**before, "org_import": before["org_import"] + 1, "audit_event": before["audit_event"] + 1}


def test_existing_people_are_matched_and_updated(app: Flask, org) -> None:
    """By personnel number when there is one (an address can change), else by e-mail address."""
    with app.app_context():
        db.session.get(Person, org.employee.id).personnel_number = "5001"
        db.session.commit()
    lines = org_lines(
        org,
        employee=(
            f"5001;Erika Neumann;erika.neumann@jobcenter-test.de;Leistungsgewährung;Leistung Team 1;{org.lead.email};"
        ),
        head=f"5003;Hans Bereich;{org.head.email};Leistungsgewährung;Leistung Team 1;;ja",
    )
    client = as_admin(app, org)
    page = client.get(upload_ok(client, csv_bytes(lines)))
    assert "Name: Erika Beispiel → Erika Neumann" in page.text
    assert "E-Mail-Adresse: erika.beispiel@jobcenter-test.de → erika.neumann@jobcenter-test.de" in page.text
    assert "Personalnummer: – → 5003" in page.text
    page = apply(client, page.request.path)
    assert "0 neu angelegt, 2 geändert, 0 deaktiviert, 3 unverändert" in page.text
    with app.app_context():
        erika = db.session.get(Person, org.employee.id)
        assert (erika.name, erika.email) == ("Erika Neumann", "erika.neumann@jobcenter-test.de")
        assert db.session.get(Person, org.head.id).personnel_number == "5003"


def test_team_change_keeps_the_history(app: Flask, org) -> None:
    lines = org_lines(org, employee=f";Erika Beispiel;{org.employee.email};Markt und Integration;Integration Nord;;ja")
    client = as_admin(app, org)
    page = client.get(upload_ok(client, csv_bytes(lines)))
    assert "Team: Leistung Team 1 (Leistungsgewährung) → Integration Nord (Markt und Integration)" in page.text
    apply(client, page.request.path)
    with app.app_context():
        memberships = db.session.scalars(
            select(Membership).where(Membership.person_id == org.employee.id).order_by(Membership.start_date)
        ).all()
        assert [(m.team_id, m.end_date) for m in memberships] == [
            (org.team_a.id, berlin_today() - timedelta(days=1)),
            (org.team_b.id, None),
        ]


def test_inactive_in_the_file_deactivates_and_ends_the_login_sessions(app: Flask, org) -> None:
    employee_client = app.test_client()
    login(employee_client, org.employee.email)
    assert employee_client.get("/").status_code == 200

    lines = org_lines(
        org, employee=f";Erika Beispiel;{org.employee.email};Leistungsgewährung;Leistung Team 1;{org.lead.email};nein"
    )
    client = as_admin(app, org)
    page = client.get(upload_ok(client, csv_bytes(lines)))
    assert "Status: aktiv → deaktiviert" in page.text
    assert employee_client.get("/").status_code == 200, "the preview must not end sessions"
    page = apply(client, page.request.path)
    assert "0 neu angelegt, 0 geändert, 1 deaktiviert, 4 unverändert" in page.text
    assert not person(app, org.employee.email).active
    response = employee_client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/anmelden")
    with app.app_context():
        open_sessions = select(func.count()).where(
            LoginSession.person_id == org.employee.id, LoginSession.ended_at.is_(None)
        )
        assert db.session.scalar(open_sessions) == 0
        assert team_of(app, org.employee.email) == "Leistung Team 1"  # the history stays


def test_deactivate_missing_spares_admins_and_the_acting_person(app: Flask, org, create) -> None:
    second_admin = create(PersonFactory, name="Ada Zweit", email="ada.zweit@jobcenter-test.de", is_admin=True)
    lines = org_lines(org)
    lines.remove(next(line for line in lines if org.other_employee.email in line))
    client = as_admin(app, org)
    preview_url = upload_ok(client, csv_bytes(lines), deactivate_missing="y")
    page = client.get(preview_url)
    assert "Vollständiger Abgleich" in page.text
    page = apply(client, preview_url)
    # Missing from the file: Olga, the editor, the auditor and both admins; the admins stay.
    assert "0 neu angelegt, 0 geändert, 3 deaktiviert, 4 unverändert" in page.text
    assert not person(app, org.other_employee.email).active
    assert not person(app, org.editor.email).active
    assert not person(app, org.auditor.email).active
    assert person(app, org.admin.email).active
    assert person(app, second_admin.email).active


def test_without_deactivate_missing_people_missing_from_the_file_stay(app: Flask, org) -> None:
    client = as_admin(app, org)
    apply(client, upload_ok(client, csv_bytes(NEW_PEOPLE)))
    assert person(app, org.employee.email).active and person(app, org.editor.email).active


def test_leads_follow_the_file(app: Flask, org) -> None:
    """A lead's own line names their superior; a team named in the file gets exactly the leads it names."""
    lines = org_lines(
        org,
        other_employee=(
            f";Olga Weit;{org.other_employee.email};Markt und Integration;Integration Nord;{org.employee.email};ja"
        ),
    )
    client = as_admin(app, org)
    page = client.get(upload_ok(client, csv_bytes(lines)))
    assert "Führungskraft von Integration Nord (Markt und Integration) (neu)" in page.text
    assert "nicht mehr Führungskraft von Integration Nord (Markt und Integration)" in page.text
    apply(client, page.request.path)
    assert leads_of(app, "Leistung Team 1") == [org.lead.email]  # not Hans, whom Lena's own line names
    assert leads_of(app, "Integration Nord") == [org.employee.email]


def test_a_team_without_leads_in_the_file_keeps_its_leads(app: Flask, org) -> None:
    lines = [line.rsplit(";", 2)[0] + ";;ja" if line != HEADER else line for line in org_lines(org)]
    client = as_admin(app, org)
    apply(client, upload_ok(client, csv_bytes(lines)))
    assert leads_of(app, "Leistung Team 1") == [org.lead.email]
    assert leads_of(app, "Integration Nord") == [org.other_lead.email]


# Bad files -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            ";Bernd Bote;abc;Eingangszone;Empfang;;ja",
            "Zeile 3: Die E-Mail-Adresse „abc“ ist ungültig.",
        ),
        (
            ";Bernd Bote;juergen.mueller@jobcenter-test.de;Eingangszone;Empfang;;ja",
            "Zeile 3: Die E-Mail-Adresse „juergen.mueller@jobcenter-test.de“ steht schon in Zeile 2.",
        ),
        (
            ";Bernd Bote;bernd.bote@jobcenter-test.de;Eingangszone;Empfang;niemand@jobcenter-test.de;ja",
            "Zeile 3: Die Führungskraft „niemand@jobcenter-test.de“ gibt es weder in der Datei noch im Quali-Kompass.",
        ),
        (
            ";Bernd Bote;bernd.bote@jobcenter-test.de;Eingangszone;;;ja",
            "Zeile 3: Das Team fehlt.",
        ),
        (
            ";Bernd Bote;bernd.bote@jobcenter-test.de;Eingangszone;Empfang;;vielleicht",
            "Zeile 3: Den Wert „vielleicht“ in der Spalte Aktiv kennt das Programm nicht.",
        ),
        (
            "1001;Bernd Bote;bernd.bote@jobcenter-test.de;Eingangszone;Empfang;;ja",
            "Zeile 3: Die Personalnummer „1001“ steht schon in Zeile 2.",
        ),
    ],
)
def test_a_line_with_an_error_stops_the_whole_import(app: Flask, org, line: str, message: str) -> None:
    lines = [HEADER, "1001;Jürgen Müller;juergen.mueller@jobcenter-test.de;Eingangszone;Empfang;;ja", line]
    client = as_admin(app, org)
    preview_url = upload_ok(client, csv_bytes(lines))
    before = snapshot(app)
    page = client.get(preview_url)
    assert page.status_code == 200
    assert message in page.text
    assert "Es wird nichts übernommen." in page.text
    assert "/uebernehmen" not in page.text, "no confirm button for an invalid file"

    page = apply(client, preview_url)
    assert "Der Import wurde nicht übernommen, weil die Datei Fehler enthält." in page.text
    assert snapshot(app) == before
    with app.app_context():
        assert db.session.scalar(select(OrgImport.status)) == "preview"


def test_all_errors_are_listed_with_their_line_numbers(app: Flask, org) -> None:
    lines = [
        HEADER,
        ";;ohne.name@jobcenter-test.de;Eingangszone;Empfang;;ja",
        "",
        ";Bernd Bote;kein-at-zeichen;Eingangszone;Empfang;;ja",
    ]
    client = as_admin(app, org)
    page = client.get(upload_ok(client, csv_bytes(lines)))
    assert "Zeile 2: Der Name fehlt." in page.text
    assert "Zeile 4: Die E-Mail-Adresse „kein-at-zeichen“ ist ungültig." in page.text
    assert "Die Datei enthält 2 Fehler." in page.text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Die Datei ist leer."),
        (b"   \r\n", "Die Datei ist leer."),
        (
            csv_bytes(["Name;E-Mail;Team", "Bernd;b@jobcenter-test.de;Empfang"]),
            "fehlen diese Pflichtspalten: Fachbereich",
        ),
        (csv_bytes([HEADER]), "Die Datei enthält nur die Kopfzeile und keine Personen."),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00binary", "Die Datei ist keine lesbare CSV-Datei."),
        ("Name;E-Mail".encode("utf-16"), "Die Datei ist keine lesbare CSV-Datei."),
    ],
)
def test_an_unreadable_file_is_refused_at_upload(app: Flask, org, content: bytes, message: str) -> None:
    client = as_admin(app, org)
    before = snapshot(app)
    response = upload(client, content)
    assert response.status_code == 400
    assert message in response.text
    assert snapshot(app) == before


def test_only_csv_files_are_accepted(app: Flask, org) -> None:
    client = as_admin(app, org)
    response = upload(client, csv_bytes(NEW_PEOPLE), filename="personal.xlsx")
    assert response.status_code == 400
    assert "Bitte wählen Sie eine CSV-Datei (.csv) aus." in response.text
    response = client.post("/verwaltung/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Bitte wählen Sie eine Datei aus." in response.text


def test_a_stored_file_with_only_the_header_shows_a_clear_error(app: Flask, org) -> None:
    with app.app_context():
        stored = OrgImport(created_at=utcnow(), filename="leer.csv", content=csv_bytes([HEADER]))
        db.session.add(stored)
        db.session.commit()
        import_id = stored.id
    client = as_admin(app, org)
    page = client.get(f"/verwaltung/import/{import_id}")
    assert page.status_code == 200
    assert "Die Datei enthält nur die Kopfzeile und keine Personen." in page.text


def test_the_acting_admin_cannot_deactivate_themselves(app: Flask, org) -> None:
    lines = [HEADER, f";Adam Admin;{org.admin.email};Verwaltung;IT;;nein"]
    client = as_admin(app, org)
    page = client.get(upload_ok(client, csv_bytes(lines)))
    assert "Zeile 2: Sie können sich nicht selbst deaktivieren." in page.text


# Confirm twice, discard, history ---------------------------------------------------------------------------------
def test_an_import_is_applied_only_once(app: Flask, org) -> None:
    client = as_admin(app, org)
    preview_url = upload_ok(client, csv_bytes(NEW_PEOPLE))
    apply(client, preview_url)
    before = snapshot(app)
    page = apply(client, preview_url)
    assert "Dieser Import wurde bereits übernommen. Er wird nicht ein zweites Mal ausgeführt." in page.text
    assert snapshot(app) == before


def test_discard_keeps_nothing(app: Flask, org) -> None:
    client = as_admin(app, org)
    preview_url = upload_ok(client, csv_bytes(NEW_PEOPLE))
    page = client.post(f"{preview_url}/verwerfen", follow_redirects=True)
    assert "ist verworfen. Es wurde nichts geändert." in page.text
    assert person(app, "juergen.mueller@jobcenter-test.de") is None
    with app.app_context():
        stored = db.session.scalar(select(OrgImport))
        assert (stored.status, stored.content) == ("discarded", b"")
    page = apply(client, preview_url)
    assert "Dieser Import wurde verworfen und kann nicht mehr übernommen werden." in page.text
    assert person(app, "juergen.mueller@jobcenter-test.de") is None


def test_the_import_page_explains_the_format_and_lists_earlier_imports(app: Flask, org) -> None:
    client = as_admin(app, org)
    apply(client, upload_ok(client, csv_bytes(NEW_PEOPLE)))
    page = client.get("/verwaltung/import")
    assert page.status_code == 200
    assert "Führungskraft E-Mail" in page.text and "Leistungsgewährung" in page.text
    assert "personal.csv" in page.text and "Adam Admin" in page.text
    assert "3 neu angelegt, 0 geändert, 0 deaktiviert, 0 unverändert" in page.text


def test_the_import_pages_are_for_admins_only(app: Flask, org) -> None:
    client = app.test_client()
    login(client, org.lead.email)
    assert upload(client, csv_bytes(NEW_PEOPLE)).status_code == 403
    assert snapshot(app)["org_import"] == 0


# Command line -----------------------------------------------------------------------------------------------
def test_command_line_dry_run_writes_nothing(app: Flask, org, tmp_path: Path) -> None:
    path = tmp_path / "personal.csv"
    path.write_bytes(csv_bytes(NEW_PEOPLE))
    before = snapshot(app)
    result = app.test_cli_runner().invoke(args=["import-org", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "People: 3 created, 0 updated, 0 unchanged, 0 deactivated." in result.output
    assert "Dry run: nothing was written." in result.output
    assert snapshot(app) == before


def test_command_line_import(app: Flask, org, tmp_path: Path) -> None:
    path = tmp_path / "personal.csv"
    path.write_bytes(csv_bytes(NEW_PEOPLE))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-org", str(path)])
    assert result.exit_code == 0, result.output
    assert "People: 3 created" in result.output
    assert leads_of(app, "Empfang") == ["sabine.sonne@jobcenter-test.de"]
    with app.app_context():
        stored = db.session.scalar(select(OrgImport))
        assert (stored.status, stored.created_by_id, stored.summary["source"]) == ("applied", None, "cli")
        labels = set(db.session.scalars(select(AuditEvent.actor_label)))
        assert labels == {"cli"}
        assert db.session.scalar(select(func.count()).where(AuditEvent.action == "org_import_applied")) == 1
    again = runner.invoke(args=["import-org", str(path)])
    assert "People: 0 created, 0 updated, 3 unchanged, 0 deactivated." in again.output


def test_command_line_deactivate_missing(app: Flask, org, tmp_path: Path) -> None:
    path = tmp_path / "personal.csv"
    path.write_bytes(csv_bytes(org_lines(org)))
    result = app.test_cli_runner().invoke(args=["import-org", str(path), "--deactivate-missing"])
    assert result.exit_code == 0, result.output
    assert "2 deactivated" in result.output  # the editor and the auditor; never the admin
    assert person(app, org.admin.email).active and not person(app, org.editor.email).active


def test_command_line_refuses_an_invalid_file(app: Flask, org, tmp_path: Path) -> None:
    path = tmp_path / "personal.csv"
    path.write_bytes(csv_bytes([*NEW_PEOPLE, ";Bernd Bote;abc;Eingangszone;Empfang;;ja"]))
    before = snapshot(app)
    result = app.test_cli_runner().invoke(args=["import-org", str(path)])
    assert result.exit_code == 1
    assert "Zeile 5: Die E-Mail-Adresse „abc“ ist ungültig." in result.output
    assert "nothing was written" in result.output
    assert snapshot(app) == before


def test_an_address_and_a_personnel_number_of_two_different_people_are_an_error(app: Flask, org) -> None:
    with app.app_context():
        db.session.get(Person, org.employee.id).personnel_number = "5001"
        db.session.commit()
    lines = org_lines(org, lead=f"5001;Lena Leitung;{org.lead.email};Leistungsgewährung;Leistung Team 1;;ja")
    client = as_admin(app, org)
    page = client.get(upload_ok(client, csv_bytes(lines)))
    assert (
        "Zeile 2: Die E-Mail-Adresse „lena.leitung@jobcenter-test.de“ gehört bereits zu Lena Leitung, "
        "die Personalnummer „5001“ aber zu Erika Beispiel." in page.text
    )


def test_the_import_speaks_english_too(app: Flask, org) -> None:
    client = as_admin(app, org)
    client.post("/sprache", data={"locale": "en", "next": "/"})
    page = client.get(upload_ok(client, csv_bytes([*NEW_PEOPLE, ";Bernd Bote;abc;Eingangszone;Empfang;;ja"])))
    assert "Line 5: The e-mail address “abc” is not valid." in page.text
    page = apply(client, upload_ok(client, csv_bytes(NEW_PEOPLE)))
    assert "The import has been applied: 3 created, 0 changed, 0 deactivated, 0 unchanged." in page.text


# Addresses: the import judges them as email_validator does (without DNS), though it checks each domain only once.
ADDRESSES = [
    "a@b.de", "A@B.DE", "a+tag@c.de", "müller@jobcenter.de", "a@müller.de", "a@xn--mller-kva.de", "a@[1.2.3.4]",
    "x" * 64 + "@c.de", "a@b.c.de", "a%b@c.de",
    "a@b", "@b.de", "a@", "a@@b.de", "a b@c.de", '"a b"@c.de', "a..b@c.de", ".a@c.de", "a.@c.de", "a@c..de",
    "x" * 65 + "@c.de", "a@" + "b" * 250 + ".de", "a@localhost", "a@c.de ", "Name <a@c.de>", "a\n@c.de", "a@-c.de",
    "a@c.123", "<script>@c.de", "a@b_c.de", "", "a@b@c.de", "a\u200b@c.de", "a@c.de\u200b",
]  # fmt: skip


@pytest.mark.parametrize("address", ADDRESSES)
def test_addresses_are_judged_as_email_validator_judges_them(address: str) -> None:
    try:
        validate_email(address, check_deliverability=False)
        expected = True
    except EmailNotValidError:
        expected = False
    assert _valid_email(address) is expected
