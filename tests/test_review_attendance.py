"""The team page's list of session dates whose attendance the lead still has to confirm."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quali_kompass.catalogue.models import SessionDate, SessionRegistration
from quali_kompass.curricula.models import Completion
from quali_kompass.curricula.status import berlin_date
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.review.attendance import pending_attendance
from tests.conftest import login
from tests.factories import MaterialFactory, PersonFactory


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    login(client, email)
    return client


def add_date(material_id: int, starts_at: datetime, people: list[int], **fields) -> int:
    session_date = SessionDate(
        material_id=material_id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        place="Raum 2.04",
        capacity=40,
        **fields,
    )
    db.session.add(session_date)
    db.session.flush()
    for person_id in people:
        db.session.add(SessionRegistration(session_date_id=session_date.id, person_id=person_id))
    db.session.flush()
    return session_date.id


@pytest.fixture
def dates(app: Flask, org) -> SimpleNamespace:
    """Sessions with dates of every kind; team A's people and team B's employee registered for each.

    ``begun`` has three more people of team A, so that five of team A are registered there.
    """
    with app.app_context():
        sessions = {
            name: MaterialFactory(kind="session", title=title).id
            for name, title in (
                ("begun", "Präsenzschulung Widerspruch"),
                ("yesterday", "Präsenzschulung Datenschutz"),
                ("upcoming", "Präsenzschulung Zukunft"),
                ("old", "Präsenzschulung Altbestand"),
                ("cancelled", "Präsenzschulung Abgesagt"),
                ("team_b", "Präsenzschulung Nur Team B"),
                ("unregistered", "Präsenzschulung Abgemeldet"),
            )
        }
        extra = [PersonFactory(team=org.team_a, name=f"Zusatz Person{n}").id for n in range(3)]
        team_a = [org.employee.id, org.head.id]
        both = [*team_a, org.other_employee.id]
        now = utcnow()
        ids = SimpleNamespace(
            begun=add_date(sessions["begun"], now - timedelta(hours=1), [*both, *extra]),
            yesterday=add_date(sessions["yesterday"], now - timedelta(days=1), both),
            upcoming=add_date(sessions["upcoming"], now + timedelta(days=3), both),
            old=add_date(sessions["old"], now - timedelta(days=91), both),
            cancelled=add_date(sessions["cancelled"], now - timedelta(days=2), both, cancelled_at=now),
            team_b=add_date(sessions["team_b"], now - timedelta(days=4), [org.other_employee.id]),
            unregistered=add_date(sessions["unregistered"], now - timedelta(days=5), [org.employee.id]),
            extra=extra,
        )
        db.session.execute(
            SessionRegistration.__table__.update()
            .where(SessionRegistration.session_date_id == ids.unregistered)
            .values(cancelled_at=now)
        )
        db.session.commit()
        return ids


def pending(app: Flask, team_id: int) -> dict[str, int]:
    with app.app_context():
        return {row.session_date.material.title: row.unconfirmed for row in pending_attendance(team_id)}


def attendance_section(page: str) -> str:
    return page.split('id="attendance-heading"', 1)[1].split("</section>", 1)[0]


def test_lists_begun_dates_of_the_last_90_days_with_the_teams_unconfirmed_people(app: Flask, org, dates) -> None:
    assert pending(app, org.team_a.id) == {"Präsenzschulung Widerspruch": 5, "Präsenzschulung Datenschutz": 2}
    # team B's registrations are counted for team B only
    assert pending(app, org.team_b.id) == {
        "Präsenzschulung Widerspruch": 1,
        "Präsenzschulung Datenschutz": 1,
        "Präsenzschulung Nur Team B": 1,
    }


def test_the_team_page_shows_the_lead_only_their_teams_dates(app: Flask, org, dates) -> None:
    page = signed_in(app, org.lead.email).get(f"/team/{org.team_a.id}").get_data(as_text=True)
    assert "Teilnahme bestätigen" in page
    assert f"/termine/{dates.begun}/teilnahme" in page and f"/termine/{dates.yesterday}/teilnahme" in page
    assert "5 Personen" in page and "2 Personen" in page
    for title in ("Nur Team B", "Zukunft", "Altbestand", "Abgesagt", "Abgemeldet"):
        assert f"Präsenzschulung {title}" not in page
    other = signed_in(app, org.other_lead.email).get(f"/team/{org.team_b.id}").get_data(as_text=True)
    assert "Präsenzschulung Nur Team B" in other and "5 Personen" not in other


def test_confirmed_dates_disappear(app: Flask, org, dates) -> None:
    with app.app_context():
        session_date = db.session.get(SessionDate, dates.yesterday)
        for person_id in (org.employee.id, org.head.id):
            # a standing record of the material on that day counts, however it was recorded
            db.session.add(
                Completion(
                    person_id=person_id,
                    material_id=session_date.material_id,
                    completed_on=berlin_date(session_date.starts_at),
                    method="recorded",
                    note="Teilnahmeliste",
                    recorded_by_id=org.lead.id,
                )
            )
        db.session.commit()
    assert pending(app, org.team_a.id) == {"Präsenzschulung Widerspruch": 5}
    page = signed_in(app, org.lead.email).get(f"/team/{org.team_a.id}").get_data(as_text=True)
    assert f"/termine/{dates.yesterday}/teilnahme" not in page


def test_only_a_record_of_the_day_itself_confirms(app: Flask, org, dates) -> None:
    with app.app_context():
        session_date = db.session.get(SessionDate, dates.yesterday)
        day = berlin_date(session_date.starts_at)
        # the employee: records of the material two days before and the day after, but not of the day itself;
        # the head: one of the day before and one of the day itself
        for person_id, shift in ((org.employee.id, -2), (org.employee.id, 1), (org.head.id, -1), (org.head.id, 0)):
            db.session.add(
                Completion(
                    person_id=person_id,
                    material_id=session_date.material_id,
                    completed_on=day + timedelta(days=shift),
                    method="self",
                    recorded_by_id=person_id,
                )
            )
        db.session.commit()
    assert pending(app, org.team_a.id) == {"Präsenzschulung Widerspruch": 5, "Präsenzschulung Datenschutz": 1}


def test_a_reset_completion_does_not_count_as_confirmed(app: Flask, org, dates) -> None:
    with app.app_context():
        session_date = db.session.get(SessionDate, dates.yesterday)
        db.session.add(
            Completion(
                person_id=org.employee.id,
                material_id=session_date.material_id,
                completed_on=berlin_date(session_date.starts_at),
                method="attendance",
                session_date_id=session_date.id,
                recorded_by_id=org.lead.id,
                reset_at=utcnow(),
                reset_by_id=org.admin.id,
                reset_reason="Nicht erschienen",
            )
        )
        db.session.commit()
    assert pending(app, org.team_a.id)["Präsenzschulung Datenschutz"] == 2


def test_bulk_confirmation_of_three_people_updates_the_list(app: Flask, org, dates) -> None:
    lead = signed_in(app, org.lead.email)
    form = lead.get(f"/termine/{dates.begun}/teilnahme").get_data(as_text=True)
    assert form.count('name="person_ids"') == 5 and "Alle bestätigen" in form
    chosen = [org.employee.id, *dates.extra[:2]]
    response = lead.post(f"/termine/{dates.begun}/teilnahme", data={"person_ids": [str(i) for i in chosen]})
    assert response.status_code == 302
    with app.app_context():
        confirmed = db.session.scalars(
            select(Completion.person_id).where(
                Completion.session_date_id == dates.begun, Completion.method == "attendance"
            )
        ).all()
        assert sorted(confirmed) == sorted(chosen)
        assert db.session.scalar(select(func.count(Completion.id))) == 3
    assert pending(app, org.team_a.id)["Präsenzschulung Widerspruch"] == 2
    section = attendance_section(lead.get(f"/team/{org.team_a.id}").get_data(as_text=True))
    assert "5 Personen" not in section and section.count("2 Personen") == 2
    assert lead.post(f"/termine/{dates.begun}/teilnahme", data={"alle": "1"}).status_code == 302
    assert "Präsenzschulung Widerspruch" not in pending(app, org.team_a.id)
    assert pending(app, org.team_b.id)["Präsenzschulung Widerspruch"] == 1  # team B's employee is still open


def test_nothing_pending_says_so(app: Flask, org) -> None:
    page = signed_in(app, org.lead.email).get(f"/team/{org.team_a.id}").get_data(as_text=True)
    assert "ist die Teilnahme aller angemeldeten Personen aus diesem Team bestätigt" in page


def test_pending_attendance_takes_one_statement(app: Flask, org, dates, count_queries) -> None:
    with app.app_context(), count_queries() as counter:
        assert len(pending_attendance(org.team_a.id)) == 2
    assert counter.count == 1, "\n".join(counter.statements)
