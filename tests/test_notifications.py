"""Reminders and notifications: what the daily run creates on which day, that it never sends twice, the mails that
arrive at a real SMTP server (in the person's language), the notifications page, and a lead's reminders."""

from __future__ import annotations

from datetime import date, timedelta
from email.header import decode_header, make_header
from email.message import Message
from types import SimpleNamespace

import pytest
from flask import Flask
from sqlalchemy import func, select

from quali_kompass.curricula.models import PlanItem
from quali_kompass.curricula.queries import PersonItem
from quali_kompass.curricula.status import (
    DONE,
    DUE_SOON,
    EXPIRED,
    OPEN,
    OVERDUE,
    RENEWAL_DUE,
    Rule,
    Status,
    berlin_today,
)
from quali_kompass.extensions import db
from quali_kompass.notifications import reminders
from quali_kompass.notifications.models import Notification
from quali_kompass.notifications.services import daily_run
from quali_kompass.privacy.retention import apply_retention
from tests.conftest import free_port, login
from tests.factories import (
    TEST_PASSWORD,
    CompletionFactory,
    DepartmentFactory,
    MaterialFactory,
    PersonFactory,
    RequirementFactory,
    TeamFactory,
)
from tests.pages import page_token

DUE = date(2026, 3, 2)  # a Monday: the due date of the scenario's requirement
RULE = Rule(valid_from=date(2025, 1, 1), due_kind="days", due_days=30)


# The plan, without a database ------------------------------------------------------------------------------------
def item(state: str, *, due: date | None = None, until: date | None = None, assigned: date = date(2025, 6, 1)):
    status = Status(state, due, None, until, RULE)
    assignment = SimpleNamespace(assigned_on=assigned)
    return PersonItem(SimpleNamespace(id=7, title="Datenschutz"), [assignment], status, 7)


def kinds(today: date, state: str, **fields) -> list[tuple[str, str]]:
    # PersonItem.assigned_on reads the assignments; SimpleNamespace stands in for them.
    return [(p.kind, p.key) for p in reminders.plan_item(1, item(state, **fields), today, (14, 3))]


def test_reminders_come_14_and_3_days_before_and_on_the_due_date() -> None:
    due = date(2026, 3, 20)
    assert kinds(due - timedelta(days=15), OPEN, due=due) == []
    assert kinds(due - timedelta(days=14), DUE_SOON, due=due) == [("due_in", "due_in:14:7:2026-03-20")]
    assert kinds(due - timedelta(days=4), DUE_SOON, due=due) == [("due_in", "due_in:14:7:2026-03-20")]
    assert kinds(due - timedelta(days=3), DUE_SOON, due=due) == [("due_in", "due_in:3:7:2026-03-20")]
    assert kinds(due, DUE_SOON, due=due) == [("due_today", "due_today:7:2026-03-20")]


def test_overdue_items_are_reminded_once_a_week() -> None:
    due = date(2026, 3, 20)
    keys = {day: kinds(due + timedelta(days=day), OVERDUE, due=due) for day in (1, 7, 8, 15)}
    assert keys[1] == keys[7] == [("overdue", "overdue:7:2026-03-20:0")]
    assert keys[8] == [("overdue", "overdue:7:2026-03-20:1")]
    assert keys[15] == [("overdue", "overdue:7:2026-03-20:2")]
    assert kinds(due + timedelta(days=1), EXPIRED, due=due) == [("overdue", "overdue:7:2026-03-20:0")]


def test_renewal_window_and_new_assignment() -> None:
    until = date(2026, 12, 31)
    assert kinds(date(2026, 12, 1), RENEWAL_DUE, until=until) == [("renewal_open", "renewal_open:7:2026-12-31")]
    assert kinds(date(2026, 12, 1), DONE, until=until) == []
    # Assigned 2 days ago, due in 28 days: the assignment notice names the date; the 14-day reminder still comes.
    today = date(2026, 3, 3)
    assert kinds(today, OPEN, due=today + timedelta(days=28), assigned=today - timedelta(days=2)) == [
        ("assigned", "assigned:7:2026-03-01")
    ]
    # Assigned 2 days ago with 10 days left: no 14-day reminder, whose window opened before the assignment.
    assert kinds(today, DUE_SOON, due=today + timedelta(days=10), assigned=today - timedelta(days=2)) == [
        ("assigned", "assigned:7:2026-03-01")
    ]


def test_reminder_days_are_read_from_the_setting() -> None:
    assert reminders.parse_reminder_days("3, 14,7") == (14, 7, 3)
    for bad in ("", "0", "vierzehn", "-3"):
        with pytest.raises(ValueError):
            reminders.parse_reminder_days(bad)


# The daily run on a database -------------------------------------------------------------------------------------
def build_scenario(app: Flask) -> SimpleNamespace:
    """Team "Eingangszone" (lead Lara, who is not a member) with Emil (German) and Eve (English), and a requirement
    of the team due on DUE; team "Widerspruch" (lead Max) with Fritz, whose own requirement is late too."""
    with app.app_context():
        department = DepartmentFactory(name="Leistung")
        team = TeamFactory(name="Eingangszone", department=department)
        other_team = TeamFactory(name="Widerspruch", department=department)
        since = DUE - timedelta(days=200)
        emil = PersonFactory(name="Emil Eingang", email="emil@jobcenter-test.de", team=team, team__since=since)
        eve = PersonFactory(
            name="Eve English", email="eve@jobcenter-test.de", locale="en", team=team, team__since=since
        )
        fritz = PersonFactory(name="Fritz Fremd", email="fritz@jobcenter-test.de", team=other_team, team__since=since)
        lara = PersonFactory(name="Lara Leitung", email="lara@jobcenter-test.de")
        max_ = PersonFactory(name="Max Meister", email="max@jobcenter-test.de")
        team.leads.append(lara)
        other_team.leads.append(max_)
        material = MaterialFactory(title="Datenschutz im Jobcenter")
        RequirementFactory(
            material=material, team=team, effective_from=DUE - timedelta(days=100), rule={"due_days": 100}
        )
        other = MaterialFactory(title="Widerspruchsverfahren")
        RequirementFactory(
            material=other, team=other_team, effective_from=DUE - timedelta(days=100), rule={"due_days": 100}
        )
        db.session.commit()
        return SimpleNamespace(
            team_id=team.id,
            emil=emil.id,
            eve=eve.id,
            fritz=fritz.id,
            lara=lara.id,
            max=max_.id,
            material=material.id,
        )


@pytest.fixture
def scenario(app: Flask) -> SimpleNamespace:
    return build_scenario(app)


def complete(app: Flask, person_id: int, material_id: int, day: date) -> None:
    with app.app_context():
        from quali_kompass.catalogue.models import Material
        from quali_kompass.organisation.models import Person

        person, material = db.session.get(Person, person_id), db.session.get(Material, material_id)
        CompletionFactory(person=person, material=material, completed_on=day)
        db.session.commit()


def created_on(app: Flask, day: date) -> list[tuple[int, str, str]]:
    with app.app_context():
        before = set(db.session.scalars(select(Notification.id)))
        daily_run(day)
        db.session.commit()
        rows = db.session.execute(select(Notification.id, Notification.person_id, Notification.kind, Notification.key))
        return sorted((person, kind, key) for id_, person, kind, key in rows if id_ not in before)


def test_a_month_of_daily_runs_reminds_on_the_right_days_and_never_twice(app: Flask, scenario) -> None:
    log = {}
    for offset in range(-20, 17):
        day = DUE + timedelta(days=offset)
        log[offset] = created_on(app, day)
        assert created_on(app, day) == [], f"the second run on {day} created something"
    emil = {offset: [kind for person, kind, _ in entries if person == scenario.emil] for offset, entries in log.items()}
    assert {offset: kinds for offset, kinds in emil.items() if kinds} == {
        -14: ["due_in"],
        -3: ["due_in"],
        0: ["due_today"],
        1: ["overdue"],
        8: ["overdue"],
        15: ["overdue"],
    }
    lara = {offset: [key for person, _, key in entries if person == scenario.lara] for offset, entries in log.items()}
    # The first run of each calendar week with something overdue: Tuesday after the due date, then Mondays.
    assert {offset: keys for offset, keys in lara.items() if keys} == {
        1: ["digest:2026-W10"],
        7: ["digest:2026-W11"],
        14: ["digest:2026-W12"],
    }


def test_a_missed_day_is_caught_up_by_the_next_run(app: Flask, scenario) -> None:
    assert created_on(app, DUE - timedelta(days=15)) == []
    # No run 14 days before; the run 12 days before still sends the 14-day reminder, once.
    caught_up = created_on(app, DUE - timedelta(days=12))
    assert (scenario.emil, "due_in", f"due_in:14:{scenario.material}:{DUE}") in caught_up
    assert created_on(app, DUE - timedelta(days=11)) == []


def test_digest_lists_only_the_leads_own_teams(app: Flask, scenario) -> None:
    created_on(app, DUE + timedelta(days=1))
    with app.app_context():
        digests = {
            n.person_id: n.params for n in db.session.scalars(select(Notification).where(Notification.kind == "digest"))
        }
    assert set(digests) == {scenario.lara, scenario.max}
    assert {entry["person"] for entry in digests[scenario.lara]["entries"]} == {"Emil Eingang", "Eve English"}
    assert {entry["person"] for entry in digests[scenario.max]["entries"]} == {"Fritz Fremd"}


def test_a_completed_item_is_not_reminded(app: Flask, scenario) -> None:
    complete(app, scenario.emil, scenario.material, DUE - timedelta(days=30))
    created = created_on(app, DUE - timedelta(days=3))
    assert sorted(person for person, *_ in created) == [scenario.eve, scenario.fritz]


# Mail through a real SMTP server ---------------------------------------------------------------------------------
def subject(message: Message) -> str:
    # Unfolded, as a mail client shows it.
    return " ".join(str(make_header(decode_header(message["Subject"]))).split())


def body(message: Message) -> str:
    return message.get_payload(decode=True).decode(message.get_content_charset())


def mail_settings(port: int) -> dict:
    return {
        "QK_MAIL_SERVER": "127.0.0.1",
        "QK_MAIL_PORT": port,
        "QK_MAIL_SENDER": "quali-kompass@jobcenter-test.de",
        "QK_BASE_URL": "https://quali.jobcenter.de",
    }


def test_send_reminders_mails_each_person_once_in_their_language(make_app, smtp_server) -> None:
    app = make_app(**mail_settings(smtp_server.port))
    people = build_scenario(app)
    runner = app.test_cli_runner()

    first = runner.invoke(args=["send-reminders", "--today", str(DUE - timedelta(days=3))])
    assert first.exit_code == 0, first.output
    assert "E-mails sent: 3" in first.output
    again = runner.invoke(args=["send-reminders", "--today", str(DUE - timedelta(days=3))])
    assert again.exit_code == 0 and "Notifications created for 2026-02-27: 0" in again.output
    assert "E-mails sent: 0" in again.output

    messages = {message["To"]: message for message in smtp_server.messages()}
    assert sorted(messages) == ["emil@jobcenter-test.de", "eve@jobcenter-test.de", "fritz@jobcenter-test.de"]
    assert len(smtp_server.messages()) == 3
    german = messages["emil@jobcenter-test.de"]
    assert subject(german) == "Quali-Kompass: Pflichtschulung in 3 Tagen fällig: Datenschutz im Jobcenter"
    text = body(german)
    assert "Guten Tag Emil Eingang," in text
    assert "Bitte schließen Sie „Datenschutz im Jobcenter“ bis zum 02.03.2026 ab." in text
    assert f"https://quali.jobcenter.de/katalog/{people.material}" in text
    english = messages["eve@jobcenter-test.de"]
    assert subject(english) == "Quali-Kompass: Mandatory training due in 3 days: Datenschutz im Jobcenter"
    assert "Please complete “Datenschutz im Jobcenter” by 02.03.2026." in body(english)
    with app.app_context():
        states = db.session.scalars(select(Notification.mail_state)).all()
    assert set(states) == {"sent"}


def test_a_refusing_mail_server_leaves_the_mails_for_the_next_run(make_app, start_smtp_server) -> None:
    closed_port = free_port()
    app = make_app(**mail_settings(closed_port))
    build_scenario(app)

    failed = app.test_cli_runner().invoke(args=["send-reminders", "--today", str(DUE)])
    assert failed.exit_code == 1 and "to retry: 3" in failed.output
    with app.app_context():
        assert set(db.session.scalars(select(Notification.mail_state))) == {"pending"}
        assert db.session.scalar(select(func.count(Notification.id))) == 3  # shown in the app all the same

    server = start_smtp_server()
    app.config["QK_MAIL_PORT"] = server.port
    later = app.test_cli_runner().invoke(args=["send-reminders", "--today", str(DUE)])
    assert later.exit_code == 0 and "E-mails sent: 3" in later.output
    assert sorted(message["To"] for message in server.messages()) == [
        "emil@jobcenter-test.de",
        "eve@jobcenter-test.de",
        "fritz@jobcenter-test.de",
    ]


def test_without_a_mail_server_notifications_stay_in_the_app(app: Flask, scenario) -> None:
    result = app.test_cli_runner().invoke(args=["send-reminders", "--today", str(DUE)])
    assert result.exit_code == 0
    assert "QK_MAIL_SERVER is not set" in result.output


# The notifications page ------------------------------------------------------------------------------------------
def test_people_read_their_notifications_and_mark_them_read(app: Flask, scenario) -> None:
    created_on(app, DUE + timedelta(days=1))
    client = app.test_client()
    login(client, "emil@jobcenter-test.de")
    start = client.get("/").get_data(as_text=True)
    assert 'href="/benachrichtigungen"' in start and '1<span class="kern-sr-only"> ungelesen</span>' in start
    page = client.get("/benachrichtigungen").get_data(as_text=True)
    assert "Pflichtschulung überfällig: Datenschutz im Jobcenter" in page
    assert "„Datenschutz im Jobcenter“ war am 02.03.2026 fällig und ist noch nicht erledigt." in page
    assert ">Neu<" in page

    with app.app_context():
        emils = db.session.scalar(select(Notification.id).where(Notification.person_id == scenario.emil))
        eves = db.session.scalar(select(Notification.id).where(Notification.person_id == scenario.eve))
    token = page_token(client, "/benachrichtigungen")
    # Someone else's id changes nothing.
    assert client.post(f"/benachrichtigungen/{eves}/gelesen", data={"csrf_token": token}).status_code == 302
    response = client.post(f"/benachrichtigungen/{emils}/gelesen", data={"csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        read = dict(
            db.session.execute(
                select(Notification.person_id, Notification.read_at).where(Notification.kind == "overdue")
            ).all()
        )
    assert read[scenario.emil] is not None and read[scenario.eve] is None
    assert ">Neu<" not in client.get("/benachrichtigungen").get_data(as_text=True)
    assert "ungelesen" not in client.get("/").get_data(as_text=True)


def test_marking_all_read_needs_a_csrf_token(make_app, scenario) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    created_on(app, DUE + timedelta(days=1))
    client = app.test_client()
    token = page_token(client, "/anmelden")
    client.post("/anmelden", data={"email": "emil@jobcenter-test.de", "password": TEST_PASSWORD, "csrf_token": token})
    assert client.post("/benachrichtigungen/gelesen").status_code == 400
    token = page_token(client, "/benachrichtigungen")
    assert client.post("/benachrichtigungen/gelesen", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        # Three overdue notices and two digests, all unread but Emil's after the request with the token.
        assert db.session.scalar(select(func.count()).where(Notification.read_at.is_(None))) == 4


def test_an_empty_notifications_page(app: Flask, org) -> None:
    client = app.test_client()
    login(client, org.employee.email)
    assert "Sie haben keine Benachrichtigungen." in client.get("/benachrichtigungen").get_data(as_text=True)


# A lead's reminders ----------------------------------------------------------------------------------------------
def test_a_lead_reminds_one_person_by_mail_once_a_day(make_app, smtp_server) -> None:
    app = make_app(**mail_settings(smtp_server.port))
    people = build_scenario(app)
    lead = app.test_client()
    login(lead, "lara@jobcenter-test.de")
    page = lead.get(f"/team/person/{people.emil}").get_data(as_text=True)
    assert "An offene Pflichtschulungen erinnern" in page
    token = page_token(lead, f"/team/person/{people.emil}")

    response = lead.post(f"/team/person/{people.emil}/erinnern", data={"csrf_token": token}, follow_redirects=True)
    assert "Die Erinnerung wurde an 1 Person gesendet." in response.get_data(as_text=True)
    again = lead.post(f"/team/person/{people.emil}/erinnern", data={"csrf_token": token}, follow_redirects=True)
    assert "1 Person haben Sie heute bereits erinnert." in again.get_data(as_text=True)

    [message] = smtp_server.messages()
    assert message["To"] == "emil@jobcenter-test.de"
    assert subject(message) == "Quali-Kompass: Erinnerung an Ihre offenen Pflichtschulungen"
    assert "Lara Leitung erinnert Sie an diese Pflichtschulungen:" in body(message)
    assert "- Datenschutz im Jobcenter – " in body(message)
    employee = app.test_client()
    login(employee, "emil@jobcenter-test.de")
    assert "Erinnerung an Ihre offenen Pflichtschulungen" in employee.get("/benachrichtigungen").get_data(as_text=True)


def test_a_lead_reminds_everyone_overdue_in_the_team(app: Flask, scenario) -> None:
    complete(app, scenario.eve, scenario.material, berlin_today())
    lead = app.test_client()
    login(lead, "lara@jobcenter-test.de")
    token = page_token(lead, f"/team/{scenario.team_id}")
    response = lead.post(f"/team/{scenario.team_id}/erinnern", data={"csrf_token": token}, follow_redirects=True)
    assert "Die Erinnerung wurde an 1 Person gesendet." in response.get_data(as_text=True)
    with app.app_context():
        reminded = db.session.scalars(select(Notification.person_id).where(Notification.kind == "reminder")).all()
    assert reminded == [scenario.emil]  # Eve has done it; Fritz is in another team


def test_leads_cannot_remind_people_of_other_teams(app: Flask, scenario) -> None:
    other_lead = app.test_client()
    login(other_lead, "max@jobcenter-test.de")
    token = page_token(other_lead, "/benachrichtigungen")
    assert other_lead.post(f"/team/person/{scenario.emil}/erinnern", data={"csrf_token": token}).status_code == 403
    assert other_lead.post(f"/team/{scenario.team_id}/erinnern", data={"csrf_token": token}).status_code == 403
    employee = app.test_client()
    login(employee, "fritz@jobcenter-test.de")
    assert employee.post(f"/team/person/{scenario.emil}/erinnern", data={"csrf_token": token}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(Notification.id))) == 0


# Plan decisions and retention ------------------------------------------------------------------------------------
def test_a_plan_decision_notifies_the_person(make_app, smtp_server) -> None:
    app = make_app(**mail_settings(smtp_server.port))
    people = build_scenario(app)
    with app.app_context():
        material = MaterialFactory(title="E-Akte für Fortgeschrittene")
        item = PlanItem(person_id=people.emil, material=material, reason="Für die Arbeit")
        db.session.add(item)
        db.session.commit()
        item_id = item.id
    lead = app.test_client()
    login(lead, "lara@jobcenter-test.de")
    token = page_token(lead, "/team/vorschlaege")
    response = lead.post(
        f"/team/vorschlaege/{item_id}/ablehnen",
        data={"csrf_token": token, f"ablehnen-{item_id}-note": "Im nächsten Quartal"},
    )
    assert response.status_code == 302
    [message] = smtp_server.messages()
    assert subject(message) == "Quali-Kompass: Vorschlag abgelehnt: E-Akte für Fortgeschrittene"
    assert "Lara Leitung hat Ihren Vorschlag „E-Akte für Fortgeschrittene“ abgelehnt." in body(message)
    assert "Begründung: Im nächsten Quartal" in body(message)


def test_retention_deletes_old_notifications(app: Flask, scenario) -> None:
    created_on(app, DUE + timedelta(days=1))
    with app.app_context():
        from quali_kompass.database import utcnow

        result = apply_retention(berlin_today(), utcnow() + timedelta(days=366), 3, 365, 365)
        db.session.commit()
        assert result.notifications == 5
        assert db.session.scalar(select(func.count(Notification.id))) == 0


def test_a_leads_weekly_digest_lists_the_overdue_trainings_of_the_team(app: Flask, scenario) -> None:
    created_on(app, DUE + timedelta(days=1))
    lead = app.test_client()
    login(lead, "lara@jobcenter-test.de")
    page = lead.get("/benachrichtigungen").get_data(as_text=True)
    assert "Wochenübersicht: überfällige Pflichtschulungen in Ihren Teams" in page
    assert "In Ihren Teams sind 2 Pflichtschulungen überfällig:" in page
    assert "Emil Eingang (Eingangszone): Datenschutz im Jobcenter – überfällig seit 02.03.2026" in page
    assert "Fritz Fremd" not in page
    assert 'href="/team"' in page
