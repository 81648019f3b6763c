"""Admins build the organisation in the browser; leads and heads see their teams."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from quali_kompass.catalogue.models import Material
from quali_kompass.curricula.status import berlin_today
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Membership, Person, Team
from tests.conftest import login
from tests.factories import PersonFactory, TeamFactory


def count(app: Flask, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def as_admin(app: Flask, org):
    client = app.test_client()
    login(client, org.admin.email)
    return client


def test_admin_creates_department_team_and_person(app: Flask, org) -> None:
    client = as_admin(app, org)
    response = client.post("/verwaltung/fachbereiche", data={"name": "Eingangszone"}, follow_redirects=True)
    assert "Der Fachbereich „Eingangszone“ ist angelegt." in response.text
    with app.app_context():
        department_id = db.session.scalar(select(Department.id).where(Department.name == "Eingangszone"))
    response = client.post("/verwaltung/teams", data={"name": "Empfang", "department_id": department_id})
    assert response.status_code == 302
    with app.app_context():
        team_id = db.session.scalar(select(Team.id).where(Team.name == "Empfang"))
    response = client.post(
        "/verwaltung/personen/neu",
        data={
            "name": "Jürgen Groß",
            "email": " Juergen.Gross@Jobcenter-Test.de ",
            "locale": "de",
            "active": "y",
            "team_id": team_id,
            "personnel_number": "4711",
        },
        follow_redirects=True,
    )
    assert "Jürgen Groß ist angelegt." in response.text
    assert "Empfang (Eingangszone)" in response.text
    listing = client.get("/verwaltung/personen?suche=gross").text
    assert "juergen.gross@jobcenter-test.de" in listing


def test_duplicate_names_and_addresses_are_refused_in_german(app: Flask, org) -> None:
    client = as_admin(app, org)
    departments_before = count(app, Department)
    response = client.post("/verwaltung/fachbereiche", data={"name": "leistungsgewährung"})
    assert response.status_code == 400
    assert "Einen Fachbereich mit diesem Namen gibt es schon." in response.text
    response = client.post(
        "/verwaltung/personen/neu",
        data={"name": "Doppelt", "email": org.employee.email.upper(), "locale": "de", "team_id": 0},
    )
    assert response.status_code == 400
    assert "Diese E-Mail-Adresse ist bereits vergeben." in response.text
    assert 'value="Doppelt"' in response.text  # the input is kept
    response = client.post("/verwaltung/personen/neu", data={"name": "", "email": "kein-at", "locale": "de"})
    assert "Bitte füllen Sie dieses Feld aus." in response.text
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in response.text
    assert count(app, Department) == departments_before


def test_moving_a_person_keeps_the_history(app: Flask, org) -> None:
    client = as_admin(app, org)
    yesterday = berlin_today() - timedelta(days=1)
    response = client.post(
        f"/verwaltung/personen/{org.employee.id}/team",
        data={"move-team_id": org.team_b.id, "move-start_date": yesterday.isoformat()},
        follow_redirects=True,
    )
    assert "Die Teamzugehörigkeit ist gespeichert." in response.text
    with app.app_context():
        memberships = db.session.scalars(
            select(Membership).where(Membership.person_id == org.employee.id).order_by(Membership.start_date)
        ).all()
        assert [(m.team_id, m.end_date) for m in memberships] == [
            (org.team_a.id, yesterday - timedelta(days=1)),
            (org.team_b.id, None),
        ]
    page = client.get(f"/verwaltung/personen/{org.employee.id}").text
    assert "Bisherige Teams" in page and "Leistung Team 1" in page and "Integration Nord" in page


def test_a_move_is_checked(app: Flask, org) -> None:
    client = as_admin(app, org)
    url = f"/verwaltung/personen/{org.employee.id}/team"
    same = client.post(url, data={"move-team_id": org.team_a.id, "move-start_date": berlin_today().isoformat()})
    assert same.status_code == 400 and "ist bereits in diesem Team" in same.text
    future = berlin_today() + timedelta(days=3)
    later = client.post(url, data={"move-team_id": org.team_b.id, "move-start_date": future.isoformat()})
    assert later.status_code == 400 and "Das Datum darf nicht in der Zukunft liegen." in later.text
    early = client.post(url, data={"move-team_id": org.team_b.id, "move-start_date": "2000-01-01"})
    assert early.status_code == 400 and "nicht vor dem Beginn" in early.text
    garbage = client.post(url, data={"move-team_id": org.team_b.id, "move-start_date": "31.02.2026"})
    assert garbage.status_code == 400
    assert count(app, Membership) == 5


def test_a_same_day_move_corrects_instead_of_adding_an_empty_membership(app: Flask, org, create) -> None:
    person = create(PersonFactory, team=org.team_a, team__since=berlin_today())
    client = as_admin(app, org)
    client.post(
        f"/verwaltung/personen/{person.id}/team",
        data={"move-team_id": org.team_b.id, "move-start_date": berlin_today().isoformat()},
    )
    with app.app_context():
        memberships = db.session.scalars(select(Membership).where(Membership.person_id == person.id)).all()
        assert [(m.team_id, m.end_date) for m in memberships] == [(org.team_b.id, None)]


def test_leads_and_heads_see_only_their_teams(app: Flask, org) -> None:
    lead = app.test_client()
    login(lead, org.lead.email)
    assert "Leistung Team 1" in lead.get("/team").text
    assert lead.get(f"/team/{org.team_a.id}").status_code == 200
    assert "Erika Beispiel" in lead.get(f"/team/{org.team_a.id}").text
    assert lead.get(f"/team/{org.team_b.id}").status_code == 403
    head = app.test_client()
    login(head, org.head.email)
    assert head.get(f"/team/{org.team_a.id}").status_code == 200
    assert head.get(f"/team/{org.team_b.id}").status_code == 403
    employee = app.test_client()
    login(employee, org.employee.email)
    assert "Mein Team" not in employee.get("/").text
    assert employee.get("/team").status_code == 403


def test_admin_adds_and_removes_leads_by_email(app: Flask, org) -> None:
    client = as_admin(app, org)
    url = f"/verwaltung/teams/{org.team_b.id}/fuehrungskraefte"
    unknown = client.post(url, data={"lead-email": "niemand@jobcenter-test.de"})
    assert unknown.status_code == 400 and "Es gibt keine Person mit dieser E-Mail-Adresse." in unknown.text
    added = client.post(url, data={"lead-email": org.lead.email}, follow_redirects=True)
    assert "Lena Leitung ist jetzt Führungskraft des Teams." in added.text
    lead = app.test_client()
    login(lead, org.lead.email)
    assert lead.get(f"/team/{org.team_b.id}").status_code == 200  # a lead can lead several teams
    client.post(f"/verwaltung/teams/{org.team_b.id}/fuehrungskraefte/{org.lead.id}/entfernen")
    assert lead.get(f"/team/{org.team_b.id}").status_code == 403


def test_department_heads_are_managed_on_the_department(app: Flask, org) -> None:
    client = as_admin(app, org)
    response = client.post(
        f"/verwaltung/fachbereiche/{org.dept_b.id}/leitung",
        data={"head-email": org.other_employee.email},
        follow_redirects=True,
    )
    assert "Olga Weit leitet jetzt den Fachbereich." in response.text
    head = app.test_client()
    login(head, org.other_employee.email)
    assert head.get(f"/team/{org.team_b.id}").status_code == 200


def test_deactivated_people_keep_their_history_and_cannot_log_in(app: Flask, org) -> None:
    client = as_admin(app, org)
    employee = app.test_client()
    login(employee, org.employee.email)
    response = client.post(
        f"/verwaltung/personen/{org.employee.id}",
        data={"name": org.employee.name, "email": org.employee.email, "locale": "de"},  # "active" unticked
        follow_redirects=True,
    )
    assert "deaktiviert" in response.text
    assert employee.get("/").status_code == 302  # the running session ended
    refused = app.test_client().post("/anmelden", data={"email": org.employee.email, "password": "x" * 12})
    assert refused.status_code == 200 and "nicht richtig" in refused.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Membership.person_id == org.employee.id)) == 1


def test_roles_and_the_last_admin(app: Flask, org) -> None:
    client = as_admin(app, org)
    response = client.post(
        f"/verwaltung/personen/{org.employee.id}/rollen",
        data={"roles-is_editor": "y", "roles-editor_department_ids": [org.dept_a.id]},
        follow_redirects=True,
    )
    assert "Die Rollen sind gespeichert." in response.text
    with app.app_context():
        person = db.session.get(Person, org.employee.id)
        assert person.is_editor and [d.name for d in person.editor_departments] == ["Leistungsgewährung"]
    refused = client.post(f"/verwaltung/personen/{org.admin.id}/rollen", data={}, follow_redirects=True)
    assert "mindestens eine aktive Person mit Administrationsrechten" in refused.text
    with app.app_context():
        assert db.session.get(Person, org.admin.id).is_admin


def test_teams_and_departments_with_people_are_not_deleted(app: Flask, org, create) -> None:
    client = as_admin(app, org)
    refused = client.post(f"/verwaltung/teams/{org.team_a.id}/loeschen", follow_redirects=True)
    assert "kann deshalb nicht gelöscht werden" in refused.text
    refused = client.post(f"/verwaltung/fachbereiche/{org.dept_a.id}/loeschen", follow_redirects=True)
    assert "hat noch Teams" in refused.text
    empty = create(TeamFactory, name="Leeres Team")
    deleted = client.post(f"/verwaltung/teams/{empty.id}/loeschen", follow_redirects=True)
    assert "Das Team „Leeres Team“ ist gelöscht." in deleted.text


def test_changes_are_in_the_audit_log(app: Flask, org) -> None:
    client = as_admin(app, org)
    client.post("/verwaltung/fachbereiche", data={"name": "Interner Service"})
    client.post(f"/verwaltung/teams/{org.team_b.id}/fuehrungskraefte", data={"lead-email": org.lead.email})
    log = client.get("/protokoll/").text
    assert "Fachbereich angelegt" in log and "Interner Service" in log
    assert "Führungskraft hinzugefügt" in log and "adam.admin@jobcenter-test.de" in log


def test_people_list_takes_a_fixed_number_of_queries(app: Flask, org, create, count_queries) -> None:
    client = as_admin(app, org)
    client.get("/verwaltung/personen")
    with count_queries() as few:
        client.get("/verwaltung/personen")
    for _ in range(20):
        create(PersonFactory, team=org.team_b)
    with count_queries() as many:
        page = client.get("/verwaltung/personen")
    assert page.status_code == 200
    assert many.count == few.count


def test_demo_data_builds_a_jobcenter_with_working_logins(make_app, tmp_path) -> None:
    app = make_app(QK_DEMO_LOGINS_FILE=str(tmp_path / "demo-logins.txt"))
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        names = set(db.session.scalars(select(Department.name)))
        assert names == {
            "Eingangszone",
            "Leistungsgewährung",
            "Markt und Integration",
            "Arbeitgeber-Service",
            "U25 / Jugendhaus",
            "Interner Service",
        }
        assert 55 <= db.session.scalar(select(func.count(Person.id))) <= 70
        assert db.session.scalar(select(func.count(Team.id))) == 8
        published = select(func.count(Material.id)).where(Material.status == "published")
        assert db.session.scalar(published) >= 10
    logins = (tmp_path / "demo-logins.txt").read_text()
    for role in ("Administration", "Redaktion", "Datenschutz / Personalrat", "Führungskraft", "Beschäftigte"):
        assert role in logins
    admin_line = next(line for line in logins.splitlines() if line.startswith("Administration"))
    email, password = admin_line.split()[-2:]
    client = app.test_client()
    login(client, email, password)
    assert client.get("/verwaltung").status_code == 200
    again = app.test_cli_runner().invoke(args=["demo-data", "--if-empty"])
    assert again.exit_code == 0 and again.output == ""
