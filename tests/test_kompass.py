"""Mein Kompass: the start page, the Qualifizierungsplan, the record (print view and PDF) and the calendar file."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import func, select

from quali_kompass.audit.models import AuditEvent
from quali_kompass.catalogue.models import Material, SessionDate, SessionRegistration
from quali_kompass.curricula import calendar
from quali_kompass.curricula.models import Completion, PlanItem, Requirement, RequirementRule
from quali_kompass.curricula.status import add_months, berlin_today
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from tests.conftest import login
from tests.factories import MaterialFactory, PersonFactory, TeamFactory

TODAY = berlin_today()


# Helpers -------------------------------------------------------------------------------------------------------
def add_requirement(material: Material, scope: str = "organisation", **rule) -> Requirement:
    """A requirement in force for long enough that members of 30 days are assigned from their joining."""
    owner = {"department": rule.pop("department", None), "team": rule.pop("team", None)}
    rule.setdefault("due_kind", "days")
    if rule["due_kind"] == "days":
        rule.setdefault("due_days", 30)
    requirement = Requirement(
        material=material,
        scope=scope,
        effective_from=TODAY - timedelta(days=800),
        rules=[RequirementRule(valid_from=TODAY - timedelta(days=800), **rule)],
        **owner,
    )
    db.session.add(requirement)
    return requirement


def complete(person_id: int, material: Material, days_ago: int, method: str = "self", by=None) -> Completion:
    completion = Completion(
        person_id=person_id,
        material=material,
        completed_on=TODAY - timedelta(days=days_ago),
        method=method,
        recorded_by_id=by.id if by is not None else None,
    )
    db.session.add(completion)
    return completion


@pytest.fixture
def duties(app: Flask, org):
    """The employee (team A, Leistungsgewährung) with an item in every state."""
    with app.app_context():
        titles = {}
        overdue = MaterialFactory(title="Datenschutz Grundschulung")
        add_requirement(overdue, due_days=10)  # joined 30 days ago: due 20 days ago
        due_soon = MaterialFactory(title="E-Akte Grundlagen")
        add_requirement(due_soon, "department", department=org.dept_a, due_days=40)
        expired = MaterialFactory(title="IT-Sicherheit im Alltag")
        add_requirement(expired, due_days=5, recertification="months", recert_months=12)
        complete(org.employee.id, expired, 375)  # valid until about 10 days ago, after the first due day
        open_item = MaterialFactory(title="ALLEGRO Weiterbewilligung")
        add_requirement(open_item, "team", team=org.team_a, due_days=100)
        renewal = MaterialFactory(title="Telefonleitfaden, Teil 1; Regeln")
        add_requirement(renewal, recertification="months", recert_months=12)
        complete(org.employee.id, renewal, 350, method="recorded", by=org.lead)
        done = MaterialFactory(title="Barrierefreie Dokumente")
        add_requirement(done)
        complete(org.employee.id, done, 5, method="attendance", by=org.lead)
        extra = MaterialFactory(title="Freiwillig: Videoberatung")
        complete(org.employee.id, extra, 12)
        db.session.commit()
        for name, material in [
            ("overdue", overdue),
            ("due_soon", due_soon),
            ("expired", expired),
            ("open", open_item),
            ("renewal", renewal),
            ("done", done),
            ("extra", extra),
        ]:
            titles[name] = (material.id, material.title)
        return titles


def logged_in(app: Flask, person):
    client = app.test_client()
    login(client, person.email)
    return client


def count(app: Flask, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


# Mein Kompass ---------------------------------------------------------------------------------------------------
def test_start_page_groups_the_duties_by_status_with_reasons(app: Flask, org, duties) -> None:
    page = logged_in(app, org.employee).get("/").get_data(as_text=True)
    assert 'role="search"' in page  # the catalogue search stays at the top
    headings = ["Überfällig (1)", "Abgelaufen (1)", "Bald fällig (1)", "Auffrischung fällig (1)", "Offen (1)"]
    positions = [page.index(heading) for heading in [*headings, "Erledigt (1)"]]
    assert positions == sorted(positions)  # most urgent first
    assert "Pflicht für Fachbereich Leistungsgewährung" in page
    assert "Pflicht für Team Leistung Team 1" in page
    assert "Pflicht für alle Beschäftigten" in page
    overdue_due = (TODAY - timedelta(days=20)).strftime("%d.%m.%Y")
    assert f"Fällig seit {overdue_due}" in page
    assert f'href="/katalog/{duties["overdue"][0]}"' in page
    assert "Alle Pflichtschulungen sind erledigt." not in page
    # the latest records, and the links to the record and the calendar
    assert "Freiwillig: Videoberatung" in page
    for link in ("/kompass/nachweis", "/kompass/nachweis.pdf", "/kompass/termine.ics", "/kompass/plan"):
        assert f'href="{link}"' in page


def test_start_page_says_when_everything_is_done(app: Flask, org) -> None:
    with app.app_context():
        material = MaterialFactory(title="Datenschutz Grundschulung")
        add_requirement(material)
        complete(org.employee.id, material, 3)
        db.session.commit()
    page = logged_in(app, org.employee).get("/").get_data(as_text=True)
    assert "Alle Pflichtschulungen sind erledigt." in page
    assert "Erledigt (1)" in page


def test_start_page_without_team_explains_it(app: Flask, org, duties) -> None:
    page = logged_in(app, org.admin).get("/").get_data(as_text=True)
    assert "Sie sind keinem Team zugeordnet. Deshalb sind Ihnen keine Pflichtschulungen zugewiesen." in page
    assert "Überfällig" not in page


def test_start_page_shows_the_plan_summary(app: Flask, org) -> None:
    with app.app_context():
        material = MaterialFactory(title="VerBIS Aufbaukurs")
        db.session.add(
            PlanItem(
                person_id=org.employee.id,
                material=material,
                reason="Für die Vermittlung",
                state="approved",
                target_date=TODAY + timedelta(days=40),
            )
        )
        db.session.add(PlanItem(person_id=org.employee.id, wish="Excel für Fortgeschrittene", reason="Statistik"))
        db.session.commit()
    page = logged_in(app, org.employee).get("/").get_data(as_text=True)
    assert "VerBIS Aufbaukurs" in page and "Vereinbart" in page
    assert "Ziel: " + (TODAY + timedelta(days=40)).strftime("%d.%m.%Y") in page
    assert "1 Vorschlag wartet auf die Entscheidung Ihrer Führungskraft." in page


# Plan: proposals ---------------------------------------------------------------------------------------------
def test_employee_proposes_a_material_and_withdraws_it(app: Flask, org) -> None:
    material_id = _material(app, "E-Akte für Fortgeschrittene")
    client = logged_in(app, org.employee)
    page = client.get("/kompass/plan").get_data(as_text=True)
    assert "E-Akte für Fortgeschrittene" in page and "Lena Leitung" in page
    response = client.post("/kompass/plan", data={"material_id": material_id, "reason": "Ich übernehme die Post."})
    assert response.status_code == 302
    with app.app_context():
        item = db.session.scalars(select(PlanItem)).one()
        assert (item.state, item.material_id, item.person_id) == ("proposed", material_id, org.employee.id)
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "plan_item")) == (
            "plan_item_proposed"
        )
        item_id = item.id
    page = client.get("/kompass/plan").get_data(as_text=True)
    assert "Wartet auf Entscheidung" in page and "Ich übernehme die Post." in page
    # the same material cannot be pending twice
    again = client.post("/kompass/plan", data={"material_id": material_id, "reason": "Noch einmal"})
    assert again.status_code == 400 and "bereits in Ihrem Plan" in again.get_data(as_text=True)
    # someone else cannot withdraw it
    assert logged_in(app, org.lead).post(f"/kompass/plan/{item_id}/zurueckziehen").status_code == 403
    assert client.post(f"/kompass/plan/{item_id}/zurueckziehen").status_code == 302
    with app.app_context():
        assert db.session.get(PlanItem, item_id).state == "withdrawn"
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == item_id)).all()
        assert "plan_item_withdrawn" in actions
    assert "Zurückgezogen" in client.get("/kompass/plan").get_data(as_text=True)


def _material(app: Flask, title: str, **fields) -> int:
    with app.app_context():
        material = MaterialFactory(title=title, **fields)
        db.session.commit()
        return material.id


def test_a_wish_in_free_text_can_be_proposed(app: Flask, org) -> None:
    client = logged_in(app, org.employee)
    response = client.post("/kompass/plan", data={"material_id": "0", "wish": "Excel-Kurs", "reason": "Statistik"})
    assert response.status_code == 302
    with app.app_context():
        item = db.session.scalars(select(PlanItem)).one()
        assert (item.material_id, item.wish) == (None, "Excel-Kurs")


@pytest.mark.parametrize(
    "data",
    [
        {"material_id": "0", "wish": "Excel-Kurs", "reason": ""},  # no reason
        {"material_id": "0", "wish": "", "reason": "Gute Gründe"},  # neither material nor wish
        {"material_id": "0", "wish": "Excel-Kurs", "reason": "x" * 2001},  # reason too long
        {"material_id": "DRAFT", "wish": "", "reason": "Gute Gründe"},  # not published
        {"material_id": "999999", "wish": "", "reason": "Gute Gründe"},  # does not exist
        {"material_id": "abc", "wish": "", "reason": "Gute Gründe"},  # not a number
    ],
)
def test_invalid_proposals_write_nothing(app: Flask, org, data: dict) -> None:
    draft_id = _material(app, "Entwurf", status="draft")
    data = {**data, "material_id": str(draft_id) if data["material_id"] == "DRAFT" else data["material_id"]}
    response = logged_in(app, org.employee).post("/kompass/plan", data=data)
    assert response.status_code == 400
    assert "Bitte prüfen Sie Ihre Eingaben." in response.get_data(as_text=True)
    assert count(app, PlanItem) == 0
    assert count(app, AuditEvent, AuditEvent.object_type == "plan_item") == 0


def test_person_without_lead_cannot_propose(app: Flask, org) -> None:
    with app.app_context():
        team = TeamFactory(name="Team ohne Leitung", department=org.dept_b)
        alone = PersonFactory(name="Alma Allein", team=team)
        db.session.commit()
    client = logged_in(app, alone)
    page = client.get("/kompass/plan").get_data(as_text=True)
    assert "Ihr Team hat keine Führungskraft hinterlegt" in page
    assert 'name="reason"' not in page
    response = client.post("/kompass/plan", data={"material_id": "0", "wish": "Excel", "reason": "Statistik"})
    assert response.status_code == 302
    assert count(app, PlanItem) == 0
    # without any team, too
    page = logged_in(app, org.admin).get("/kompass/plan").get_data(as_text=True)
    assert "Sie sind keinem Team zugeordnet" in page and 'name="reason"' not in page


# Plan: decisions ---------------------------------------------------------------------------------------------
def _proposal(app: Flask, person, title: str = "VerBIS Aufbaukurs") -> int:
    with app.app_context():
        item = PlanItem(person_id=person.id, material=MaterialFactory(title=title), reason="Für die Vermittlung")
        db.session.add(item)
        db.session.commit()
        return item.id


def test_lead_approves_with_a_target_date_and_the_person_sees_it(app: Flask, org) -> None:
    item_id = _proposal(app, org.employee)
    lead = logged_in(app, org.lead)
    page = lead.get("/team/vorschlaege").get_data(as_text=True)
    assert "Erika Beispiel" in page and "VerBIS Aufbaukurs" in page and "Für die Vermittlung" in page
    target = TODAY + timedelta(days=60)
    response = lead.post(
        f"/team/vorschlaege/{item_id}/zustimmen",
        data={f"zustimmen-{item_id}-target_date": target.isoformat(), f"zustimmen-{item_id}-note": "Gern!"},
    )
    assert response.status_code == 302
    with app.app_context():
        item = db.session.get(PlanItem, item_id)
        assert (item.state, item.target_date, item.decided_by_id, item.decision_note) == (
            "approved",
            target,
            org.lead.id,
            "Gern!",
        )
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "plan_item_approved"))
    assert "Es liegen keine offenen Vorschläge vor." in lead.get("/team/vorschlaege").get_data(as_text=True)
    page = logged_in(app, org.employee).get("/kompass/plan").get_data(as_text=True)
    assert "Vereinbart" in page and "Zugestimmt von Lena Leitung" in page and "Gern!" in page
    assert target.strftime("%d.%m.%Y") in page


def test_a_target_date_in_the_past_is_refused(app: Flask, org) -> None:
    item_id = _proposal(app, org.employee)
    past = (TODAY - timedelta(days=1)).isoformat()
    response = logged_in(app, org.lead).post(
        f"/team/vorschlaege/{item_id}/zustimmen", data={f"zustimmen-{item_id}-target_date": past}
    )
    assert response.status_code == 400
    assert "Das Zieldatum darf nicht in der Vergangenheit liegen." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(PlanItem, item_id).state == "proposed"
    assert count(app, AuditEvent, AuditEvent.object_type == "plan_item") == 0


def test_decline_needs_a_reason_and_a_declined_item_can_be_proposed_again(app: Flask, org) -> None:
    item_id = _proposal(app, org.employee)
    lead = logged_in(app, org.lead)
    response = lead.post(f"/team/vorschlaege/{item_id}/ablehnen", data={f"ablehnen-{item_id}-note": " "})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(PlanItem, item_id).state == "proposed"
    response = lead.post(f"/team/vorschlaege/{item_id}/ablehnen", data={f"ablehnen-{item_id}-note": "Nicht in 2026."})
    assert response.status_code == 302
    with app.app_context():
        item = db.session.get(PlanItem, item_id)
        assert (item.state, item.decision_note) == ("declined", "Nicht in 2026.")
        material_id = item.material_id
    employee = logged_in(app, org.employee)
    page = employee.get("/kompass/plan").get_data(as_text=True)
    assert "Abgelehnt von Lena Leitung" in page and "Nicht in 2026." in page
    response = employee.post("/kompass/plan", data={"material_id": material_id, "reason": "Dann 2027."})
    assert response.status_code == 302
    assert count(app, PlanItem, PlanItem.state == "proposed") == 1
    # a decided proposal cannot be decided again
    again = lead.post(f"/team/vorschlaege/{item_id}/zustimmen", data={})
    assert again.status_code == 302
    with app.app_context():
        assert db.session.get(PlanItem, item_id).state == "declined"


def test_only_leads_of_the_persons_team_decide(app: Flask, org) -> None:
    item_id = _proposal(app, org.employee)
    other = logged_in(app, org.other_lead)
    assert "VerBIS Aufbaukurs" not in other.get("/team/vorschlaege").get_data(as_text=True)
    assert other.post(f"/team/vorschlaege/{item_id}/zustimmen", data={}).status_code == 403
    assert (
        other.post(f"/team/vorschlaege/{item_id}/ablehnen", data={f"ablehnen-{item_id}-note": "Nein"}).status_code
        == 403
    )
    assert logged_in(app, org.employee).get("/team/vorschlaege").status_code == 403
    assert logged_in(app, org.employee).post(f"/team/vorschlaege/{item_id}/zustimmen").status_code == 403
    with app.app_context():
        assert db.session.get(PlanItem, item_id).state == "proposed"
    # the department head decides too, and for the lead's own proposals
    lead_item = _proposal(app, org.lead, "Führen auf Distanz")
    head = logged_in(app, org.head)
    page = head.get("/team/vorschlaege").get_data(as_text=True)
    assert "VerBIS Aufbaukurs" in page and "Führen auf Distanz" in page
    assert logged_in(app, org.lead).post(f"/team/vorschlaege/{lead_item}/zustimmen").status_code == 403
    assert head.post(f"/team/vorschlaege/{lead_item}/zustimmen", data={}).status_code == 302
    with app.app_context():
        assert db.session.get(PlanItem, lead_item).state == "approved"


def test_team_page_links_to_the_proposals_with_their_count(app: Flask, org) -> None:
    _proposal(app, org.employee)
    page = logged_in(app, org.lead).get(f"/team/{org.team_a.id}").get_data(as_text=True)
    assert 'href="/team/vorschlaege"' in page and "1 wartet auf Ihre Entscheidung" in page


# Record --------------------------------------------------------------------------------------------------------
def test_record_print_view_lists_the_standing_completions(app: Flask, org, duties) -> None:
    with app.app_context():
        org.employee.personnel_number = "04711"
        db.session.merge(org.employee)
        reset = complete(org.employee.id, db.session.get(Material, duties["overdue"][0]), 100)
        reset.reset_at = utcnow()
        db.session.commit()
    page = logged_in(app, org.employee).get("/kompass/nachweis").get_data(as_text=True)
    assert "Qualifizierungsnachweis" in page and "Erika Beispiel" in page and "04711" in page
    assert "Leistung Team 1 (Leistungsgewährung)" in page
    for name in ("expired", "done", "extra"):
        assert duties[name][1] in page
    assert "Telefonleitfaden, Teil 1; Regeln" in page
    assert "Datenschutz Grundschulung" not in page  # reset: no evidence
    assert "Teilnahme bestätigt von Lena Leitung" in page and "erfasst von Lena Leitung" in page
    assert "selbst markiert" in page
    assert add_months(TODAY - timedelta(days=350), 12).strftime("%d.%m.%Y") in page  # valid until, from the status
    assert "(abgelaufen)" in page  # IT-Sicherheit: completed 375 days ago, valid 12 months


def test_record_pdf_contains_the_completed_titles(app: Flask, org, duties) -> None:
    response = logged_in(app, org.employee).get("/kompass/nachweis.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    compact = " ".join(text.split())
    assert "Qualifizierungsnachweis" in compact and "Erika Beispiel" in compact
    for title in ("IT-Sicherheit im Alltag", "Barrierefreie Dokumente", "Freiwillig: Videoberatung"):
        assert title in compact, title
    assert "Datenschutz Grundschulung" not in compact  # never completed


# Calendar -----------------------------------------------------------------------------------------------------
def unfold(data: bytes) -> list[str]:
    """Content lines of an iCalendar file: CRLF only, continuation lines joined."""
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")  # no bare line feeds
    lines: list[str] = []
    for raw in text.split("\r\n")[:-1]:
        assert len(raw.encode("utf-8")) <= 75, raw
        if raw.startswith(" "):
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    return lines


def parse(data: bytes) -> list[dict[str, str]]:
    """The VEVENTs as dicts of property name (with parameters) to value; checks that BEGIN and END match."""
    stack: list[str] = []
    events: list[dict[str, str]] = []
    for line in unfold(data):
        name, _, value = line.partition(":")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
        elif name == "END":
            assert stack.pop() == value
        elif stack and stack[-1] == "VEVENT":
            events[-1][name] = value
    assert stack == []
    return events


def unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def test_escape_and_fold() -> None:
    assert calendar.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    line = "SUMMARY:" + "Fälligkeit " * 20
    folded = calendar.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join([pieces[0], *(piece[1:] for piece in pieces[1:])]) == line
    # a character of several octets is never split
    emoji = "X:" + "€" * 40
    for piece in calendar.fold(emoji).split("\r\n"):
        piece.encode("utf-8").decode("utf-8")
        assert len(piece.encode("utf-8")) <= 75
    assert calendar.fold("short") == "short"


def test_render_writes_a_valid_calendar() -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    events = [
        calendar.Event(uid="a@x", summary="Fällig: A, B; C", start=date(2026, 3, 31), description="Zeile 1\nZeile 2"),
        calendar.Event(uid="b@x", summary="Webinar", start=now, end=now + timedelta(hours=1), location="Raum 1"),
    ]
    data = calendar.render(events, now)
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = unfold(data)
    assert lines[:3] == ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{calendar.PRODID}"]
    first, second = parse(data)
    assert first["DTSTART;VALUE=DATE"] == "20260331" and first["DTEND;VALUE=DATE"] == "20260401"
    assert first["SUMMARY"] == "Fällig: A\\, B\\; C" and unescape(first["DESCRIPTION"]) == "Zeile 1\nZeile 2"
    assert first["DTSTAMP"] == "20260301T120000Z"
    assert second["DTSTART"] == "20260301T120000Z" and second["DTEND"] == "20260301T130000Z"


def test_calendar_file_has_the_due_items_and_registered_dates(app: Flask, org, duties) -> None:
    with app.app_context():
        session = MaterialFactory(kind="session", title="Präsenzschulung E-Akte, Haus A")
        start = datetime.combine(TODAY + timedelta(days=9), datetime.min.time(), UTC).replace(hour=8)
        coming = SessionDate(material=session, starts_at=start, ends_at=start + timedelta(hours=3), capacity=5)
        coming.place = "Raum 2.04"
        past = SessionDate(
            material=session,
            starts_at=start - timedelta(days=30),
            ends_at=start - timedelta(days=30, hours=-1),
            capacity=5,
        )
        db.session.add_all([coming, past])
        db.session.flush()
        for session_date in (coming, past):
            db.session.add(SessionRegistration(session_date_id=session_date.id, person_id=org.employee.id))
        db.session.commit()
        coming_id = coming.id
    client = logged_in(app, org.employee)
    response = client.get("/kompass/termine.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar" and response.mimetype_params["charset"] == "utf-8"
    events = parse(response.data)
    by_summary = {unescape(event["SUMMARY"]): event for event in events}
    expected_due = {
        f"Fällig: {duties[name][1]}": name for name in ("overdue", "due_soon", "expired", "open", "renewal")
    }
    assert set(by_summary) == {*expected_due, "Präsenzschulung E-Akte, Haus A"}
    overdue = by_summary["Fällig: Datenschutz Grundschulung"]
    assert overdue["DTSTART;VALUE=DATE"] == (TODAY - timedelta(days=20)).strftime("%Y%m%d")
    assert overdue["UID"] == f"pflicht-{org.employee.id}-{duties['overdue'][0]}@quali-kompass"
    session_event = by_summary["Präsenzschulung E-Akte, Haus A"]
    assert session_event["DTSTART"] == start.strftime("%Y%m%dT%H%M%SZ")
    assert session_event["UID"] == f"termin-{coming_id}-{org.employee.id}@quali-kompass"
    assert unescape(session_event["LOCATION"]) == "Raum 2.04"
    # the same file again: the same UIDs
    assert {event["UID"] for event in parse(client.get("/kompass/termine.ics").data)} == {
        event["UID"] for event in events
    }


def test_personal_pages_need_a_login(client) -> None:
    for url in ("/kompass/plan", "/kompass/nachweis", "/kompass/nachweis.pdf", "/kompass/termine.ics"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/anmelden")
