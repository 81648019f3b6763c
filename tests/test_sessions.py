"""In-person sessions and webinars: editors plan dates in Berlin time, employees register and unregister."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quali_kompass.audit.models import AuditEvent
from quali_kompass.catalogue.models import Material, SessionDate, SessionRegistration
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Person
from tests.conftest import login
from tests.factories import MaterialFactory, PersonFactory, TopicFactory

NEXT_YEAR = berlin_today().year + 1


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    login(client, email)
    return client


def add_date(material_id: int, *, days: int = 14, start: str = "14:30", end: str = "16:00", **fields):
    """A session date directly in the database, ``days`` from now."""
    begin = utcnow().replace(second=0, microsecond=0) + timedelta(days=days)
    values = {"place": "Raum 1.12", "capacity": 10} | fields
    session_date = SessionDate(material_id=material_id, starts_at=begin, ends_at=begin + timedelta(hours=2), **values)
    db.session.add(session_date)
    db.session.flush()
    return session_date


@pytest.fixture
def session(app: Flask, org) -> SimpleNamespace:
    """A published session for department A with an upcoming date of two seats and a past date."""
    with app.app_context():
        material = MaterialFactory(
            kind="session", title="Präsenzschulung E-Akte", departments=[db.session.merge(org.dept_a)]
        )
        upcoming = add_date(material.id, capacity=2, online_url="https://video.example.org/raum-7")
        past = add_date(material.id, days=-7)
        limited = PersonFactory(name="Lea Begrenzt", is_editor=True)
        limited.editor_departments = [db.session.get(Department, org.dept_b.id)]
        db.session.commit()
        return SimpleNamespace(material=material.id, upcoming=upcoming.id, past=past.id, limited=limited.email)


def date_form(**overrides) -> dict:
    data = {
        "day": f"{NEXT_YEAR}-07-15",
        "start_time": "14:30",
        "end_time": "16:00",
        "place": "Schulungsraum 2.04",
        "online_url": "",
        "capacity": "12",
        "note": "Bitte Zugangsdaten mitbringen.",
    }
    return data | overrides


def count(app: Flask, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_editor_adds_dates_in_berlin_time_summer_and_winter(app: Flask, org, session) -> None:
    editor = signed_in(app, org.editor.email)
    summer = editor.post(f"/redaktion/material/{session.material}/termine", data=date_form())
    assert summer.status_code == 302
    winter = editor.post(
        f"/redaktion/material/{session.material}/termine", data=date_form(day=f"{NEXT_YEAR}-01-20", start_time="09:00")
    )
    assert winter.status_code == 302
    with app.app_context():
        stored = db.session.execute(
            select(SessionDate.starts_at, SessionDate.ends_at).where(SessionDate.place == "Schulungsraum 2.04")
        ).all()
        starts = sorted(row.starts_at for row in stored)
        # Winter: UTC+1, summer: UTC+2.
        assert starts == [datetime(NEXT_YEAR, 1, 20, 8, 0, tzinfo=UTC), datetime(NEXT_YEAR, 7, 15, 12, 30, tzinfo=UTC)]
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "session_date")).all()
        assert actions == ["session_date_added", "session_date_added"]
    page = editor.get(f"/redaktion/material/{session.material}").text
    assert "14:30–16:00 Uhr" in page and "09:00–16:00 Uhr" in page
    with app.app_context():
        summer_id = db.session.scalar(select(SessionDate.id).where(SessionDate.starts_at == starts[1]))
    edit_page = editor.get(f"/redaktion/termine/{summer_id}").text
    assert 'value="14:30"' in edit_page and f'value="{NEXT_YEAR}-07-15"' in edit_page
    changed = editor.post(f"/redaktion/termine/{summer_id}", data=date_form(start_time="15:00", capacity="20"))
    assert changed.status_code == 302
    with app.app_context():
        moved = db.session.get(SessionDate, summer_id)
        assert moved.starts_at == datetime(NEXT_YEAR, 7, 15, 13, 0, tzinfo=UTC) and moved.capacity == 20


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"day": "2020-03-02"}, "in der Vergangenheit"),
        ({"end_time": "14:00"}, "Das Ende muss nach dem Beginn liegen."),
        ({"place": "", "online_url": ""}, "einen Ort, einen Link zur Online-Teilnahme oder beides"),
        ({"online_url": "javascript:alert(1)"}, "https://"),
        ({"capacity": "0"}, "zwischen 1 und 1000 Plätze"),
        ({"capacity": "1001"}, "zwischen 1 und 1000 Plätze"),
    ],
)
def test_bad_dates_are_refused_and_write_nothing(app: Flask, org, session, overrides, message) -> None:
    editor = signed_in(app, org.editor.email)
    before = count(app, SessionDate)
    response = editor.post(f"/redaktion/material/{session.material}/termine", data=date_form(**overrides))
    assert response.status_code == 400
    assert message in response.text
    assert count(app, SessionDate) == before
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action.like("session%"))) == 0


def test_publishing_a_session_needs_an_upcoming_date(app: Flask, org) -> None:
    with app.app_context():
        material = MaterialFactory(kind="session", status="draft", title="Webinar Videoberatung")
        add_date(material.id, days=-3)
        db.session.commit()
        material_id = material.id
    editor = signed_in(app, org.editor.email)
    refused = editor.post(f"/redaktion/material/{material_id}/veroeffentlichen", data={})
    assert refused.status_code == 400 and "keinen kommenden Termin" in refused.text
    editor.post(f"/redaktion/material/{material_id}/termine", data=date_form())
    done = editor.post(f"/redaktion/material/{material_id}/veroeffentlichen", data={}, follow_redirects=True)
    assert "Version 1 ist veröffentlicht." in done.text


def test_editors_can_create_session_material(app: Flask, org) -> None:
    with app.app_context():
        topic = TopicFactory(name="E-Akte")
        db.session.commit()
        topic_id = topic.id
    editor = signed_in(app, org.editor.email)
    response = editor.post(
        "/redaktion/material/neu",
        data={
            "kind": "session",
            "title": "Präsenzschulung E-Akte",
            "summary": "Kennenlernen in der Gruppe.",
            "topic_id": topic_id,
            "all_departments": "y",
            "level": "basic",
            "source": "inhouse",
            "language": "de",
        },
        follow_redirects=True,
    )
    assert "ist als Entwurf gespeichert" in response.text
    assert "Termin hinzufügen" in response.text


def test_employee_registers_and_unregisters_and_may_register_again(app: Flask, org, session) -> None:
    employee = signed_in(app, org.employee.email)
    page = employee.get(f"/katalog/{session.material}").text
    assert "noch 2 Plätze frei" in page and "Anmelden" in page
    assert "Vergangene Termine" in page
    # The online link stays hidden until one is registered.
    assert "video.example.org" not in page
    registered = employee.post(f"/katalog/termine/{session.upcoming}/anmelden", follow_redirects=True)
    assert "Sie sind angemeldet." in registered.text
    assert "video.example.org/raum-7" in registered.text and "noch 1 Platz frei" in registered.text
    again = employee.post(f"/katalog/termine/{session.upcoming}/anmelden", follow_redirects=True)
    assert "schon angemeldet" in again.text
    left = employee.post(f"/katalog/termine/{session.upcoming}/abmelden", follow_redirects=True)
    assert "Sie sind abgemeldet." in left.text and "video.example.org" not in left.text
    back = employee.post(f"/katalog/termine/{session.upcoming}/anmelden", follow_redirects=True)
    assert "Sie sind angemeldet." in back.text
    with app.app_context():
        rows = db.session.execute(
            select(SessionRegistration.cancelled_at.is_(None)).order_by(SessionRegistration.id)
        ).scalars()
        assert list(rows) == [False, True]
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("session_%")).order_by(AuditEvent.id)
        ).all()
        assert actions == ["session_registered", "session_unregistered", "session_registered"]


def test_full_date_is_refused_and_says_so(app: Flask, org, session) -> None:
    for person in (org.lead, org.other_employee):
        signed_in(app, person.email).post(f"/katalog/termine/{session.upcoming}/anmelden")
    employee = signed_in(app, org.employee.email)
    page = employee.get(f"/katalog/{session.material}").text
    assert "ausgebucht" in page
    refused = employee.post(f"/katalog/termine/{session.upcoming}/anmelden", follow_redirects=True)
    assert "ausgebucht" in refused.text
    with app.app_context():
        active = select(func.count(SessionRegistration.id)).where(SessionRegistration.cancelled_at.is_(None))
        assert db.session.scalar(active) == 2
    editor = signed_in(app, org.editor.email)
    overview = editor.get(f"/redaktion/termine/{session.upcoming}").text
    assert "Lena Leitung" in overview and "Olga Weit" in overview and "Erika Beispiel" not in overview
    lowered = editor.post(f"/redaktion/termine/{session.upcoming}", data=date_form(capacity="1"))
    assert lowered.status_code == 400 and "schon 2 Personen angemeldet" in lowered.text


def test_cancelled_and_past_dates_refuse_registration(app: Flask, org, session) -> None:
    employee = signed_in(app, org.employee.email)
    employee.post(f"/katalog/termine/{session.upcoming}/anmelden")
    editor = signed_in(app, org.editor.email)
    cancelled = editor.post(f"/redaktion/termine/{session.upcoming}/absagen", follow_redirects=True)
    assert "Der Termin ist abgesagt." in cancelled.text and "Erika Beispiel" in cancelled.text
    page = employee.get(f"/katalog/{session.material}").text
    assert "Dieser Termin ist abgesagt." in page and "video.example.org" not in page
    other = signed_in(app, org.lead.email)
    refused = other.post(f"/katalog/termine/{session.upcoming}/anmelden", follow_redirects=True)
    assert "abgesagt" in refused.text
    past = other.post(f"/katalog/termine/{session.past}/anmelden", follow_redirects=True)
    assert "schon begonnen" in past.text
    with app.app_context():
        # The cancelled date keeps the registration for the record.
        assert db.session.scalar(select(func.count(SessionRegistration.id))) == 1
        assert db.session.get(SessionDate, session.upcoming).cancelled_at is not None


def test_drafts_take_no_registrations(app: Flask, org) -> None:
    with app.app_context():
        material = MaterialFactory(kind="session", status="draft")
        draft_date = add_date(material.id).id
        db.session.commit()
    assert signed_in(app, org.employee.email).post(f"/katalog/termine/{draft_date}/anmelden").status_code == 404
    assert signed_in(app, org.employee.email).post("/katalog/termine/999999/anmelden").status_code == 404


def test_limited_editors_and_employees_cannot_plan_dates(app: Flask, org, session) -> None:
    limited = signed_in(app, session.limited)
    assert limited.get(f"/redaktion/termine/{session.upcoming}").status_code == 403
    assert limited.post(f"/redaktion/termine/{session.upcoming}/absagen").status_code == 403
    assert limited.post(f"/redaktion/material/{session.material}/termine", data=date_form()).status_code == 403
    employee = signed_in(app, org.employee.email)
    assert employee.get(f"/redaktion/termine/{session.upcoming}").status_code == 403
    assert employee.post(f"/redaktion/material/{session.material}/termine", data=date_form()).status_code == 403
    with app.app_context():
        assert db.session.get(SessionDate, session.upcoming).cancelled_at is None
        assert db.session.scalar(select(func.count(SessionDate.id))) == 2


def test_last_seat_is_not_overbooked_by_a_late_insert(app: Flask, org, session) -> None:
    """Even when the first check is passed, the count after the insert refuses an extra seat."""
    from quali_kompass.catalogue import sessions

    with app.test_request_context():
        session_date = db.session.get(SessionDate, session.upcoming)
        people = [db.session.get(Person, person.id) for person in (org.employee, org.lead)]
        for person in people:
            sessions.register(session_date, person)
        db.session.commit()
        # A registration that slipped past the check (as a concurrent request would) is caught after its insert.
        late = db.session.get(Person, org.other_employee.id)
        original = sessions.active_registrations
        calls = iter([1])
        sessions.active_registrations = lambda d: next(calls, None) or original(d)
        try:
            with pytest.raises(sessions.ServiceError):
                sessions.register(session_date, late)
        finally:
            sessions.active_registrations = original
        db.session.rollback()
        assert sessions.active_registrations(session_date) == 2
        assert isinstance(db.session.get(Material, session.material), Material)


def test_two_requests_for_the_last_seat_book_it_once(app: Flask, org, session) -> None:
    """The first request holds the date row until it commits; the second then finds the date full."""
    import threading

    from quali_kompass.catalogue import sessions
    from quali_kompass.errors import ServiceError

    with app.app_context():
        seat_holder = db.session.get(Person, org.lead.id)
        sessions.register(db.session.get(SessionDate, session.upcoming), seat_holder)
        db.session.commit()  # one of two seats left
    first_registered, outcomes = threading.Event(), {}

    def attempt(person_id: int, hold: bool) -> None:
        with app.test_request_context():
            try:
                if not hold:
                    first_registered.wait(10)
                sessions.register(db.session.get(SessionDate, session.upcoming), db.session.get(Person, person_id))
                if hold:
                    first_registered.set()
                    threading.Event().wait(0.5)  # keep the transaction open while the other request arrives
                db.session.commit()
                outcomes[person_id] = "registered"
            except ServiceError as error:
                db.session.rollback()
                outcomes[person_id] = error.message
            finally:
                first_registered.set()
                db.session.remove()

    threads = [
        threading.Thread(target=attempt, args=(org.employee.id, True)),
        threading.Thread(target=attempt, args=(org.other_employee.id, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes == {org.employee.id: "registered", org.other_employee.id: "Dieser Termin ist leider ausgebucht."}
    with app.app_context():
        active = select(func.count(SessionRegistration.id)).where(SessionRegistration.cancelled_at.is_(None))
        assert db.session.scalar(active) == 2
