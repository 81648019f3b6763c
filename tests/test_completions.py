"""Completion records: marking done and undoing, recording and resetting by leads and admins, attendance."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quali_kompass.audit.models import AuditEvent
from quali_kompass.catalogue.models import Material, MaterialVersion, SessionDate, SessionRegistration
from quali_kompass.curricula import completions, queries
from quali_kompass.curricula.models import Completion
from quali_kompass.curricula.status import BERLIN, berlin_today
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Person
from tests.conftest import POSTGRES_URL, login
from tests.factories import MaterialFactory, PersonFactory


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    login(client, email)
    return client


def add_date(material_id: int, starts_at: datetime, **fields) -> SessionDate:
    session_date = SessionDate(
        material_id=material_id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        place="Raum 1.12",
        capacity=10,
        **fields,
    )
    db.session.add(session_date)
    db.session.flush()
    return session_date


@pytest.fixture
def data(app: Flask, org) -> SimpleNamespace:
    """A guide with two versions, a session with a begun, an upcoming and a cancelled date, and a trainer.

    The employee and the head (team A) and the other employee (team B) are registered for every date.
    """
    with app.app_context():
        guide = MaterialFactory(kind="document", title="Anleitung E-Akte", versions=[{}, {}])
        old, new = sorted(guide.versions, key=lambda version: version.number)
        old.published_at = utcnow() - timedelta(days=100)
        new.published_at = utcnow() - timedelta(days=10)
        session = MaterialFactory(kind="session", title="Präsenzschulung E-Akte")
        trainer = PersonFactory(name="Tina Training", email="tina.training@jobcenter-test.de")
        begun = add_date(session.id, utcnow() - timedelta(hours=1), trainer_id=trainer.id)
        upcoming = add_date(session.id, utcnow() + timedelta(days=3), trainer_id=trainer.id)
        cancelled = add_date(session.id, utcnow() - timedelta(days=2), trainer_id=trainer.id, cancelled_at=utcnow())
        for session_date in (begun, upcoming, cancelled):
            for person in (org.employee, org.head, org.other_employee):
                db.session.add(SessionRegistration(session_date_id=session_date.id, person_id=person.id))
        db.session.commit()
        return SimpleNamespace(
            guide=guide.id,
            old_version=old.id,
            new_version=new.id,
            session=session.id,
            trainer=trainer.email,
            trainer_id=trainer.id,
            begun=begun.id,
            upcoming=upcoming.id,
            cancelled=cancelled.id,
        )


def standing(app: Flask, person_id: int, material_id: int) -> list[Completion]:
    with app.app_context():
        return db.session.scalars(
            select(Completion).where(
                Completion.person_id == person_id,
                Completion.material_id == material_id,
                Completion.reset_at.is_(None),
            )
        ).all()


def audit_actions(app: Flask) -> list[str]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def completion_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Completion.id)))


# Marking done ---------------------------------------------------------------------------------------------------
def test_marking_done_records_today_with_the_current_version(app: Flask, org, data) -> None:
    employee = signed_in(app, org.employee.email)
    page = employee.get(f"/katalog/{data.guide}").get_data(as_text=True)
    assert "Ihr Nachweis" in page and "Als erledigt markieren" in page
    response = employee.post(f"/katalog/{data.guide}/erledigt")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/katalog/{data.guide}#nachweis")
    [completion] = standing(app, org.employee.id, data.guide)
    assert completion.method == "self" and completion.completed_on == berlin_today()
    assert completion.material_version_id == data.new_version and completion.recorded_by_id == org.employee.id
    page = employee.get(f"/katalog/{data.guide}").get_data(as_text=True)
    assert f"Erledigt am {berlin_today():%d.%m.%Y}" in page
    assert "Rückgängig machen" in page and "Als erledigt markieren" not in page
    assert audit_actions(app)[-1] == "completion_marked"


def test_a_double_click_gives_one_record(app: Flask, org, data) -> None:
    employee = signed_in(app, org.employee.email)
    assert employee.post(f"/katalog/{data.guide}/erledigt").status_code == 302
    assert employee.post(f"/katalog/{data.guide}/erledigt").status_code == 302
    assert len(standing(app, org.employee.id, data.guide)) == 1
    assert audit_actions(app).count("completion_marked") == 1


def test_an_insert_that_loses_the_race_returns_the_existing_record(app: Flask, org, data, monkeypatch) -> None:
    """The check found nothing, as for a parallel request; the unique index refuses the second row in a savepoint."""
    with app.test_request_context():
        person = db.session.get(Person, org.employee.id)
        material = db.session.get(Material, data.guide)
        first = completions.mark_done(person, material)
        db.session.commit()
        original = completions._standing_on
        calls = iter([None])
        monkeypatch.setattr(completions, "_standing_on", lambda *args: next(calls, "unused") and original(*args))
        second = completions.mark_done(person, material)
        assert second.id == first.id
        db.session.commit()  # the outer transaction survived the refused insert
    assert len(standing(app, org.employee.id, data.guide)) == 1
    assert audit_actions(app).count("completion_marked") == 1


@pytest.mark.skipif(not POSTGRES_URL, reason="parallel transactions need PostgreSQL (set QK_TEST_DATABASE_URL)")
def test_parallel_marks_give_one_record(app: Flask, org, data) -> None:
    """The first request has inserted but not committed; the second waits on the unique index, then returns it."""
    first_inserted, results, errors = threading.Event(), {}, []

    def mark(name: str, hold: bool) -> None:
        try:
            with app.test_request_context():
                if not hold:
                    first_inserted.wait(10)
                completion = completions.mark_done(
                    db.session.get(Person, org.employee.id), db.session.get(Material, data.guide)
                )
                if hold:
                    first_inserted.set()
                    threading.Event().wait(0.5)  # keep the transaction open while the other request inserts
                db.session.commit()
                results[name] = completion.id
                db.session.remove()
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            first_inserted.set()

    threads = [
        threading.Thread(target=mark, args=("first", True)),
        threading.Thread(target=mark, args=("second", False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert results["first"] == results["second"]
    assert len(standing(app, org.employee.id, data.guide)) == 1

    # Many at once, without a choreography: still one record.
    barrier = threading.Barrier(4)
    results.clear()

    def mark_together(name: int) -> None:
        try:
            with app.test_request_context():
                person, material = db.session.get(Person, org.lead.id), db.session.get(Material, data.guide)
                barrier.wait(10)
                results[name] = completions.mark_done(person, material).id
                db.session.commit()
                db.session.remove()
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=mark_together, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors and len(set(results.values())) == 1
    assert len(standing(app, org.lead.id, data.guide)) == 1


def test_only_published_self_study_material_can_be_marked(app: Flask, org, data) -> None:
    with app.app_context():
        draft = MaterialFactory(status="draft").id
        archived = MaterialFactory(status="archived").id
        db.session.commit()
    employee = signed_in(app, org.employee.email)
    session_page = employee.get(f"/katalog/{data.session}").get_data(as_text=True)
    assert "Als erledigt markieren" not in session_page and "Ihr Nachweis" not in session_page
    response = employee.post(f"/katalog/{data.session}/erledigt", follow_redirects=True)
    assert "bestätigt die Schulungsleitung" in response.get_data(as_text=True)
    employee.post(f"/katalog/{archived}/erledigt")
    assert employee.post(f"/katalog/{draft}/erledigt").status_code == 404  # drafts stay unknown
    assert employee.post("/katalog/999999/erledigt").status_code == 404
    assert completion_count(app) == 0


def test_undo_own_mark_of_today(app: Flask, org, data) -> None:
    employee = signed_in(app, org.employee.email)
    employee.post(f"/katalog/{data.guide}/erledigt")
    [completion] = standing(app, org.employee.id, data.guide)
    response = employee.post(f"/nachweise/{completion.id}/zuruecknehmen", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Ihre Markierung ist zurückgenommen." in page and "Als erledigt markieren" in page
    assert "Selbst zurückgenommen" in page
    with app.app_context():
        undone = db.session.get(Completion, completion.id)
        assert undone.reset_at is not None and undone.reset_by_id == org.employee.id
        assert undone.reset_reason == "Selbst zurückgenommen"
    assert employee.post(f"/katalog/{data.guide}/erledigt").status_code == 302  # marked again: a new record
    assert len(standing(app, org.employee.id, data.guide)) == 1
    assert audit_actions(app)[-3:] == ["completion_marked", "completion_undone", "completion_marked"]


def test_undo_is_refused_for_others_earlier_days_and_recorded_completions(app: Flask, org, data) -> None:
    with app.app_context():
        yesterday = Completion(
            person_id=org.employee.id,
            material_id=data.guide,
            completed_on=berlin_today() - timedelta(days=1),
            method="self",
        )
        recorded = Completion(
            person_id=org.employee.id,
            material_id=data.guide,
            completed_on=berlin_today(),
            method="recorded",
            note="Schulung beim Träger",
            recorded_by_id=org.admin.id,
        )
        db.session.add_all([yesterday, recorded])
        db.session.commit()
        ids = [yesterday.id, recorded.id]
    for email, completion_id in [(org.employee.email, ids[0]), (org.employee.email, ids[1]), (org.lead.email, ids[1])]:
        response = signed_in(app, email).post(f"/nachweise/{completion_id}/zuruecknehmen", follow_redirects=True)
        assert "Sie können nur Ihre eigene Markierung von heute zurücknehmen." in response.get_data(as_text=True)
    assert len(standing(app, org.employee.id, data.guide)) == 2
    assert signed_in(app, org.employee.email).post("/nachweise/999999/zuruecknehmen").status_code == 404
    assert "completion_undone" not in audit_actions(app)


# Recording and resetting by leads and admins ------------------------------------------------------------------
def record_form(material: int, **overrides) -> dict:
    return {
        "material_id": str(material),
        "completed_on": (berlin_today() - timedelta(days=30)).isoformat(),
        "note": "Präsenzschulung beim Bildungsträger, Teilnahmebescheinigung liegt vor.",
    } | overrides


def test_lead_records_an_earlier_completion_with_the_version_of_that_day(app: Flask, org, data) -> None:
    lead = signed_in(app, org.lead.email)
    page = lead.get(f"/nachweise/person/{org.employee.id}")
    assert page.status_code == 200 and "Anleitung E-Akte" in page.get_data(as_text=True)
    response = lead.post(f"/nachweise/person/{org.employee.id}", data=record_form(data.guide))
    assert response.status_code == 302
    [completion] = standing(app, org.employee.id, data.guide)
    assert completion.method == "recorded" and completion.recorded_by_id == org.lead.id
    assert completion.completed_on == berlin_today() - timedelta(days=30)
    assert completion.material_version_id == data.old_version  # the newer version came 10 days ago
    assert completion.note.startswith("Präsenzschulung beim Bildungsträger")
    lead.post(
        f"/nachweise/person/{org.employee.id}", data=record_form(data.guide, completed_on=berlin_today().isoformat())
    )
    assert {c.material_version_id for c in standing(app, org.employee.id, data.guide)} == {
        data.old_version,
        data.new_version,
    }
    # The person sees who recorded it, and the note.
    page = signed_in(app, org.employee.email).get(f"/katalog/{data.guide}").get_data(as_text=True)
    assert "erfasst von Lena Leitung" in page and "Teilnahmebescheinigung liegt vor" in page
    assert audit_actions(app).count("completion_recorded") == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"completed_on": (berlin_today() + timedelta(days=2)).isoformat()}, "Das Datum liegt in der Zukunft."),
        ({"completed_on": "1999-12-31"}, "Bitte geben Sie ein Datum ab dem 01.01.2000 an."),
        ({"completed_on": ""}, "Bitte geben Sie das Datum an."),
        ({"note": "   "}, "Bitte geben Sie eine Notiz an."),
        ({"material_id": ""}, "Bitte wählen Sie ein Material aus."),
        ({"material_id": "999999"}, "Keine gültige Auswahl."),
    ],
)
def test_invalid_records_are_refused_with_400(app: Flask, org, data, overrides: dict, message: str) -> None:
    response = signed_in(app, org.admin.email).post(
        f"/nachweise/person/{org.employee.id}", data=record_form(data.guide, **overrides)
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert completion_count(app) == 0
    assert "completion_recorded" not in audit_actions(app)


def test_a_second_record_for_the_same_day_is_refused(app: Flask, org, data) -> None:
    admin = signed_in(app, org.admin.email)
    assert admin.post(f"/nachweise/person/{org.employee.id}", data=record_form(data.guide)).status_code == 302
    response = admin.post(f"/nachweise/person/{org.employee.id}", data=record_form(data.guide))
    assert response.status_code == 400
    assert "Für diesen Tag gibt es schon einen Nachweis dieses Materials." in response.get_data(as_text=True)
    assert completion_count(app) == 1


def test_reset_needs_a_reason_and_the_person_sees_who_and_why(app: Flask, org, data) -> None:
    lead = signed_in(app, org.lead.email)
    lead.post(f"/nachweise/person/{org.employee.id}", data=record_form(data.guide))
    [completion] = standing(app, org.employee.id, data.guide)
    field = f"reset-{completion.id}-reason"
    refused = lead.post(f"/nachweise/{completion.id}/zuruecksetzen", data={field: "  "})
    assert refused.status_code == 400 and "Bitte geben Sie einen Grund an." in refused.get_data(as_text=True)
    assert len(standing(app, org.employee.id, data.guide)) == 1
    response = lead.post(
        f"/nachweise/{completion.id}/zuruecksetzen", data={field: "Falsches Material erfasst."}, follow_redirects=True
    )
    assert "Der Nachweis ist zurückgesetzt." in response.get_data(as_text=True)
    assert standing(app, org.employee.id, data.guide) == []
    with app.app_context():
        reset = db.session.get(Completion, completion.id)
        assert reset.reset_by_id == org.lead.id and reset.reset_reason == "Falsches Material erfasst."
    page = signed_in(app, org.employee.email).get(f"/katalog/{data.guide}").get_data(as_text=True)
    assert "von Lena Leitung" in page and "Falsches Material erfasst." in page
    again = lead.post(f"/nachweise/{completion.id}/zuruecksetzen", data={field: "Noch einmal"}, follow_redirects=True)
    assert "Dieser Nachweis ist schon zurückgesetzt." in again.get_data(as_text=True)
    assert audit_actions(app).count("completion_reset") == 1


def test_only_leads_of_the_persons_team_and_admins_manage_completions(app: Flask, org, data) -> None:
    with app.app_context():
        completion = Completion(
            person_id=org.employee.id, material_id=data.guide, completed_on=berlin_today(), method="self"
        )
        db.session.add(completion)
        db.session.commit()
        completion_id = completion.id
    person_page = f"/nachweise/person/{org.employee.id}"
    reset_url = f"/nachweise/{completion_id}/zuruecksetzen"
    reset_data = {f"reset-{completion_id}-reason": "Grund"}
    for email in (org.other_lead.email, org.employee.email, org.editor.email, org.auditor.email):
        client = signed_in(app, email)
        assert client.get(person_page).status_code == 403, email
        assert client.post(person_page, data=record_form(data.guide)).status_code == 403, email
        assert client.post(reset_url, data=reset_data).status_code == 403, email
    # No one but an admin vouches for themselves.
    assert signed_in(app, org.lead.email).get(f"/nachweise/person/{org.lead.id}").status_code == 403
    assert signed_in(app, org.head.email).get(f"/nachweise/person/{org.lead.id}").status_code == 200
    assert signed_in(app, org.head.email).get(person_page).status_code == 200
    assert signed_in(app, org.admin.email).get(f"/nachweise/person/{org.other_employee.id}").status_code == 200
    assert signed_in(app, org.admin.email).get("/nachweise/person/999999").status_code == 404
    assert app.test_client().get(person_page).status_code == 302
    assert len(standing(app, org.employee.id, data.guide)) == 1 and completion_count(app) == 1


def test_the_team_page_links_to_each_persons_completions(app: Flask, org) -> None:
    page = signed_in(app, org.lead.email).get(f"/team/{org.team_a.id}").get_data(as_text=True)
    assert f"/nachweise/person/{org.employee.id}" in page
    assert f"/nachweise/person/{org.lead.id}" not in page


# Attendance ---------------------------------------------------------------------------------------------------
def attendance(client: FlaskClient, date_id: int, *person_ids: int, everyone: bool = False):
    data: dict = {"person_ids": [str(person_id) for person_id in person_ids]}
    if everyone:
        data["alle"] = "1"
    return client.post(f"/termine/{date_id}/teilnahme", data=data)


def attended(app: Flask, date_id: int) -> set[int]:
    with app.app_context():
        return set(
            db.session.scalars(
                select(Completion.person_id).where(Completion.session_date_id == date_id, Completion.reset_at.is_(None))
            )
        )


def test_trainer_confirms_everyone_at_once(app: Flask, org, data) -> None:
    trainer = signed_in(app, data.trainer)
    page = trainer.get(f"/termine/{data.begun}/teilnahme").get_data(as_text=True)
    assert all(name in page for name in ("Erika Beispiel", "Hans Bereich", "Olga Weit"))
    response = attendance(trainer, data.begun, everyone=True)
    assert response.status_code == 302
    assert attended(app, data.begun) == {org.employee.id, org.head.id, org.other_employee.id}
    with app.app_context():
        completion = db.session.scalars(select(Completion).where(Completion.session_date_id == data.begun)).first()
        session_date = db.session.get(SessionDate, data.begun)
        assert completion.method == "attendance" and completion.recorded_by_id == data.trainer_id
        assert completion.completed_on == session_date.starts_at.astimezone(BERLIN).date()
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attendance_confirmed"))
        assert sorted(event.details["people"]) == sorted([org.employee.email, org.head.email, org.other_employee.email])
    again = attendance(trainer, data.begun, org.employee.id)  # idempotent per person
    assert again.status_code == 302 and completion_count(app) == 3
    page = trainer.get(f"/termine/{data.begun}/teilnahme").get_data(as_text=True)
    assert page.count("Teilnahme bestätigt") >= 3 and "Alle bestätigen" not in page


def test_lead_confirms_only_their_own_people(app: Flask, org, data) -> None:
    lead = signed_in(app, org.lead.email)
    page = lead.get(f"/termine/{data.begun}/teilnahme").get_data(as_text=True)
    assert "Erika Beispiel" in page and "Hans Bereich" in page and "Olga Weit" not in page
    refused = attendance(lead, data.begun, org.other_employee.id)
    assert refused.status_code == 400
    assert "nur für angemeldete Personen bestätigen, die Sie betreuen" in refused.get_data(as_text=True)
    assert completion_count(app) == 0
    assert attendance(lead, data.begun, org.employee.id).status_code == 302
    assert attended(app, data.begun) == {org.employee.id}
    assert attendance(lead, data.begun, everyone=True).status_code == 302
    assert attended(app, data.begun) == {org.employee.id, org.head.id}
    other = signed_in(app, org.other_lead.email)
    assert attendance(other, data.begun, everyone=True).status_code == 302
    assert attended(app, data.begun) == {org.employee.id, org.head.id, org.other_employee.id}


def test_admin_confirms_some(app: Flask, org, data) -> None:
    admin = signed_in(app, org.admin.email)
    assert attendance(admin, data.begun, org.employee.id, org.other_employee.id).status_code == 302
    assert attended(app, data.begun) == {org.employee.id, org.other_employee.id}
    nobody = attendance(admin, data.begun)
    assert nobody.status_code == 400 and "Bitte wählen Sie mindestens eine Person aus." in nobody.get_data(as_text=True)
    with app.app_context():
        stranger = PersonFactory().id
        db.session.commit()
    assert attendance(admin, data.begun, stranger).status_code == 400  # not registered
    assert attended(app, data.begun) == {org.employee.id, org.other_employee.id}


def test_attendance_is_refused_before_the_start_and_for_cancelled_dates(app: Flask, org, data) -> None:
    trainer = signed_in(app, data.trainer)
    page = trainer.get(f"/termine/{data.upcoming}/teilnahme").get_data(as_text=True)
    assert "Die Teilnahme kann erst ab Beginn des Termins bestätigt werden." in page and "Alle bestätigen" not in page
    response = attendance(trainer, data.upcoming, org.employee.id)
    assert response.status_code == 302
    followed = trainer.get(response.headers["Location"]).get_data(as_text=True)
    assert followed.count("Die Teilnahme kann erst ab Beginn des Termins bestätigt werden.") == 2  # message and note
    cancelled = attendance(trainer, data.cancelled, org.employee.id)
    assert cancelled.status_code == 302
    assert "abgesagten Termin" in trainer.get(cancelled.headers["Location"]).get_data(as_text=True)
    assert completion_count(app) == 0 and "attendance_confirmed" not in audit_actions(app)


def test_completed_on_is_the_berlin_day_of_the_start(app: Flask, org, data) -> None:
    with app.test_request_context():
        late = add_date(data.session, datetime(2025, 3, 10, 23, 30, tzinfo=UTC))  # 00:30 on 11 March in Berlin
        db.session.add(SessionRegistration(session_date_id=late.id, person_id=org.employee.id))
        [completion] = completions.confirm_attendance(db.session.get(Person, org.admin.id), late, [org.employee.id])
        assert completion.completed_on == date(2025, 3, 11)
        assert completion.material_version_id is None  # its first version was published only later


def test_who_may_open_the_attendance_page(app: Flask, org, data) -> None:
    url = f"/termine/{data.begun}/teilnahme"
    for email in (org.employee.email, org.editor.email, org.auditor.email):
        assert signed_in(app, email).get(url).status_code == 403
        assert attendance(signed_in(app, email), data.begun, org.employee.id).status_code == 403
    for email in (data.trainer, org.lead.email, org.head.email, org.other_lead.email, org.admin.email):
        assert signed_in(app, email).get(url).status_code == 200
    assert app.test_client().get(url).status_code == 302
    assert signed_in(app, org.admin.email).get("/termine/999999/teilnahme").status_code == 404
    assert completion_count(app) == 0


def test_material_page_links_begun_dates_to_attendance_for_those_who_may_confirm(app: Flask, org, data) -> None:
    link = f"/termine/{data.begun}/teilnahme"
    assert link in signed_in(app, org.lead.email).get(f"/katalog/{data.session}").get_data(as_text=True)
    assert link in signed_in(app, data.trainer).get(f"/katalog/{data.session}").get_data(as_text=True)
    employee_page = signed_in(app, org.employee.email).get(f"/katalog/{data.session}").get_data(as_text=True)
    assert "/teilnahme" not in employee_page


def test_attendance_shows_on_the_persons_material_page(app: Flask, org, data) -> None:
    attendance(signed_in(app, data.trainer), data.begun, org.employee.id)
    page = signed_in(app, org.employee.email).get(f"/katalog/{data.session}").get_data(as_text=True)
    assert "Ihr Nachweis" in page and "Teilnahme bestätigt" in page


def test_editor_names_the_trainer_of_a_date(app: Flask, org, data) -> None:
    editor = signed_in(app, org.editor.email)
    url = f"/redaktion/termine/{data.upcoming}"
    with app.app_context():
        day = db.session.get(SessionDate, data.upcoming).starts_at.astimezone(BERLIN).date()
    # Fixed hours of its day: the date's own hours run past midnight when the tests run late in the evening.
    form = {
        "day": day.isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "place": "Raum 1.12",
        "capacity": "10",
        "trainer_email": "niemand@jobcenter-test.de",
    }
    refused = editor.post(url, data=form)
    assert refused.status_code == 400
    assert "Unter dieser E-Mail-Adresse ist keine aktive Person bekannt." in refused.get_data(as_text=True)
    assert editor.post(url, data=form | {"trainer_email": " Erika.Beispiel@jobcenter-test.de "}).status_code == 302
    with app.app_context():
        assert db.session.get(SessionDate, data.upcoming).trainer_id == org.employee.id
    assert "erika.beispiel@jobcenter-test.de" in editor.get(url).get_data(as_text=True)
    # Now the employee, as trainer, may open the attendance page; the editor's date page links to it for them.
    assert signed_in(app, org.employee.email).get(f"/termine/{data.upcoming}/teilnahme").status_code == 200
    assert editor.post(url, data=form | {"trainer_email": ""}).status_code == 302
    with app.app_context():
        assert db.session.get(SessionDate, data.upcoming).trainer_id is None


def test_audit_log_names_the_completion_actions(app: Flask, org, data) -> None:
    employee = signed_in(app, org.employee.email)
    employee.post(f"/katalog/{data.guide}/erledigt")
    [completion] = standing(app, org.employee.id, data.guide)
    employee.post(f"/nachweise/{completion.id}/zuruecknehmen")
    admin = signed_in(app, org.admin.email)
    admin.post(f"/nachweise/person/{org.employee.id}", data=record_form(data.guide))
    [recorded] = standing(app, org.employee.id, data.guide)
    admin.post(f"/nachweise/{recorded.id}/zuruecksetzen", data={f"reset-{recorded.id}-reason": "Doppelt"})
    attendance(admin, data.begun, everyone=True)
    log = admin.get("/protokoll/").get_data(as_text=True)
    for label in (
        "Material als erledigt markiert",
        "Markierung als erledigt zurückgenommen",
        "Nachweis erfasst",
        "Nachweis zurückgesetzt",
        "Teilnahme bestätigt",
    ):
        assert label in log
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "completion")).all()
        assert {event.action for event in events} == {
            "completion_marked",
            "completion_undone",
            "completion_recorded",
            "completion_reset",
        }
        assert all(event.details["person"] == org.employee.email for event in events)


def test_versions_are_looked_up_by_berlin_day(app: Flask, data) -> None:
    with app.app_context():
        assert queries.version_for_day(data.guide, berlin_today()).id == data.new_version
        assert queries.version_for_day(data.guide, berlin_today() - timedelta(days=50)).id == data.old_version
        assert queries.version_for_day(data.guide, date(2001, 1, 1)) is None
        assert isinstance(db.session.get(MaterialVersion, data.new_version), MaterialVersion)
