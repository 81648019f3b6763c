"""Needs surveys: creating, sending, answering, and results that never single anybody out."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from flask import Flask, render_template
from sqlalchemy import func, select

from quali_kompass.audit.models import AuditEvent
from quali_kompass.catalogue.models import Topic
from quali_kompass.curricula.status import berlin_today
from quali_kompass.extensions import db
from quali_kompass.notifications.messages import compose
from quali_kompass.notifications.models import Notification
from quali_kompass.organisation.models import Department, Membership, Person, Team
from quali_kompass.surveys import queries, services
from quali_kompass.surveys.models import Survey, SurveyAnswer, SurveyItem
from tests.conftest import POSTGRES_URL, login
from tests.factories import DepartmentFactory, PersonFactory, TeamFactory, ToolFactory, TopicFactory
from tests.test_notifications import mail_settings

TODAY = berlin_today()


# Helpers ----------------------------------------------------------------------------------------------------------
def make_survey(
    app: Flask, department_id: int, labels: tuple[str, ...] = ("E-Akte", "VerBIS"), state: str = "open", **fields
) -> int:
    """A survey with one item per label (each a new topic), committed; its id."""
    with app.app_context():
        items = [
            SurveyItem(position=n, label=label, topic=Topic(name=f"{label} {department_id} {n} {state}"))
            for n, label in enumerate(labels, start=1)
        ]
        fields.setdefault("closes_on", TODAY + timedelta(days=14))
        fields.setdefault("opens_on", None if state == "draft" else TODAY - timedelta(days=1))
        survey = Survey(title="Bedarf 2027", department_id=department_id, state=state, items=items, **fields)
        db.session.add(survey)
        db.session.commit()
        return survey.id


def add_respondents(app: Flask, survey_id: int, rows: list[tuple[int, ...]]) -> list[int]:
    """One new member of the survey's department per row, answering the items with these levels; their ids."""
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        team = db.session.scalar(select(Team).where(Team.department_id == survey.department_id)) or TeamFactory(
            department=survey.department
        )
        ids = []
        for levels in rows:
            person = PersonFactory(team=team)
            for item, level in zip(survey.items, levels, strict=True):
                db.session.add(SurveyAnswer(survey_item_id=item.id, person_id=person.id, level=level))
            ids.append(person.id)
        db.session.commit()
        return ids


def close_survey(app: Flask, survey_id: int) -> None:
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        survey.state = "closed"
        survey.closes_on = TODAY - timedelta(days=1)
        db.session.commit()


def count(app: Flask, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def main_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1].split("</main>", 1)[0]).split())


@pytest.fixture
def taxonomy(app: Flask) -> SimpleNamespace:
    with app.app_context():
        topics = [TopicFactory(name=name) for name in ("E-Akte", "Datenschutz", "Videoberatung")]
        tools = [ToolFactory(name=name) for name in ("VerBIS", "ALLEGRO")]
        db.session.commit()
        return SimpleNamespace(topic_ids=[t.id for t in topics], tool_ids=[t.id for t in tools])


def new_survey_data(org, taxonomy, **overrides) -> dict:
    data = {
        "title": "Bedarf an Schulungen 2027",
        "intro": "Bitte sagen Sie uns, was Sie brauchen.",
        "department_id": str(org.dept_a.id),
        "closes_on": (TODAY + timedelta(days=14)).isoformat(),
        "topic_ids": [str(taxonomy.topic_ids[0]), str(taxonomy.topic_ids[1])],
        "tool_ids": [str(taxonomy.tool_ids[0])],
    }
    data.update(overrides)
    return data


# Creating ---------------------------------------------------------------------------------------------------------
def test_editor_creates_a_draft_with_topics_first_then_tools(app: Flask, org, taxonomy) -> None:
    client = app.test_client()
    login(client, org.editor.email)
    response = client.post("/redaktion/bedarfsabfragen/neu", data=new_survey_data(org, taxonomy))
    assert response.status_code == 302
    with app.app_context():
        survey = db.session.scalar(select(Survey))
        assert (survey.state, survey.department_id, survey.created_by_id) == ("draft", org.dept_a.id, org.editor.id)
        assert [item.label for item in survey.items] == ["Datenschutz", "E-Akte", "VerBIS"]
        assert survey.items[2].tool_id == taxonomy.tool_ids[0] and survey.items[0].topic_id == taxonomy.topic_ids[1]
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "survey")) == (
            "survey_created"
        )
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 0  # not sent yet
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ist als Entwurf gespeichert" in page and "Versenden" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"topic_ids": [], "tool_ids": []}, "Bitte wählen Sie mindestens ein Thema oder Werkzeug."),
        ({"title": ""}, "Bitte füllen Sie dieses Feld aus."),
        ({"closes_on": (TODAY - timedelta(days=1)).isoformat()}, "Bitte wählen Sie einen Tag ab heute."),
        ({"closes_on": "morgen"}, "Bitte geben Sie ein gültiges Datum an."),
    ],
)
def test_invalid_surveys_are_refused_in_german_and_nothing_is_written(
    app: Flask, org, taxonomy, overrides: dict, message: str
) -> None:
    client = app.test_client()
    login(client, org.editor.email)
    response = client.post("/redaktion/bedarfsabfragen/neu", data=new_survey_data(org, taxonomy, **overrides))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, Survey) == 0 and count(app, SurveyItem) == 0


def test_more_than_twenty_items_are_refused(app: Flask, org) -> None:
    with app.app_context():
        topic_ids = [TopicFactory(name=f"Thema {n:02d}").id for n in range(15)]
        tool_ids = [ToolFactory(name=f"Werkzeug {n:02d}").id for n in range(6)]
        db.session.commit()
    client = app.test_client()
    login(client, org.admin.email)  # admins send surveys too
    data = {
        "title": "Zu viel",
        "department_id": str(org.dept_a.id),
        "closes_on": (TODAY + timedelta(days=7)).isoformat(),
        "topic_ids": [str(i) for i in topic_ids],
        "tool_ids": [str(i) for i in tool_ids],
    }
    response = client.post("/redaktion/bedarfsabfragen/neu", data=data)
    assert response.status_code == 400
    assert "Bitte wählen Sie höchstens 20 Themen und Werkzeuge zusammen." in response.get_data(as_text=True)
    assert count(app, Survey) == 0
    data["tool_ids"] = [str(i) for i in tool_ids[:5]]  # exactly 20
    assert client.post("/redaktion/bedarfsabfragen/neu", data=data).status_code == 302


def test_an_editor_limited_to_departments_cannot_ask_another_department(app: Flask, org, taxonomy) -> None:
    with app.app_context():
        editor = db.session.get(Person, org.editor.id)
        editor.editor_departments = [db.session.get(Department, org.dept_b.id)]
        db.session.commit()
    client = app.test_client()
    login(client, org.editor.email)
    form = client.get("/redaktion/bedarfsabfragen/neu").get_data(as_text=True)
    assert "Markt und Integration" in form and "Leistungsgewährung" not in form
    response = client.post("/redaktion/bedarfsabfragen/neu", data=new_survey_data(org, taxonomy))
    assert response.status_code == 400
    assert "Bitte wählen Sie einen Eintrag aus der Liste." in response.get_data(as_text=True)
    assert count(app, Survey) == 0
    # nor read or send the surveys of other departments
    other = make_survey(app, org.dept_a.id, state="draft")
    assert client.get(f"/redaktion/bedarfsabfragen/{other}").status_code == 403
    assert client.post(f"/redaktion/bedarfsabfragen/{other}/versenden").status_code == 403
    assert "Bedarf 2027" not in client.get("/redaktion/bedarfsabfragen").get_data(as_text=True)


def test_the_service_refuses_a_department_outside_the_editors_scope(app: Flask, org, taxonomy) -> None:
    from quali_kompass.errors import ServiceError
    from quali_kompass.surveys import services

    with app.test_request_context():
        editor = db.session.get(Person, org.editor.id)
        editor.editor_departments = [db.session.get(Department, org.dept_b.id)]
        db.session.flush()
        with pytest.raises(ServiceError) as refused:
            services.create(
                editor,
                title="T",
                intro="",
                department=db.session.get(Department, org.dept_a.id),
                closes_on=TODAY,
                topic_ids=taxonomy.topic_ids,
                tool_ids=[],
                today=TODAY,
            )
        assert refused.value.field == "department_id"
        assert refused.value.message == "Für diesen Fachbereich dürfen Sie keine Bedarfsabfrage anlegen."


# Sending ----------------------------------------------------------------------------------------------------------
def test_sending_notifies_the_current_active_members_of_the_department_only(make_app, org, smtp_server) -> None:
    app = make_app(**mail_settings(smtp_server.port))
    with app.app_context():
        team_a2 = TeamFactory(name="Leistung Team 2", department=db.session.get(Department, org.dept_a.id))
        member = PersonFactory(name="Mia Mitglied", team=team_a2)
        inactive = PersonFactory(name="Ina Inaktiv", team=team_a2, active=False)
        former = PersonFactory(name="Fritz Früher", team=team_a2, team__since=TODAY - timedelta(days=90))
        db.session.scalar(select(Membership).where(Membership.person_id == former.id)).end_date = TODAY - timedelta(
            days=5
        )
        db.session.add(Membership(person_id=former.id, team_id=org.team_b.id, start_date=TODAY - timedelta(days=4)))
        db.session.commit()
        expected = {org.employee.id, org.lead.id, org.head.id, member.id}
        others = {inactive.id, former.id, org.other_employee.id, org.editor.id}
    survey_id = make_survey(app, org.dept_a.id, state="draft")
    client = app.test_client()
    login(client, org.editor.email)
    response = client.post(f"/redaktion/bedarfsabfragen/{survey_id}/versenden", follow_redirects=True)
    assert "Die Bedarfsabfrage ist an 4 Personen versendet." in response.get_data(as_text=True)
    with app.app_context():
        notified = dict(db.session.execute(select(Notification.person_id, Notification.kind)).all())
        survey = db.session.get(Survey, survey_id)
        assert (survey.state, survey.opens_on) == ("open", TODAY)
        mail_states = set(db.session.scalars(select(Notification.mail_state)))
    assert set(notified) == expected and not set(notified) & others
    assert set(notified.values()) == {"survey_open"}
    assert mail_states == {"sent"}
    assert len(smtp_server.messages()) == 4
    # sending twice is refused, and notifies nobody again
    again = client.post(f"/redaktion/bedarfsabfragen/{survey_id}/versenden", follow_redirects=True)
    assert "Diese Bedarfsabfrage ist bereits versendet." in again.get_data(as_text=True)
    assert count(app, Notification) == 4


def test_the_notification_links_to_the_answer_page(app: Flask, org) -> None:
    survey_id = make_survey(app, org.dept_a.id)
    with app.test_request_context():
        notification = Notification(
            person_id=org.employee.id,
            kind="survey_open",
            key=f"survey_open:{survey_id}",
            params={"title": "Bedarf 2027", "survey_id": survey_id, "closes_on": "2027-01-31"},
        )
        message = compose(notification)
    assert message.title == "Bedarfsabfrage: Bedarf 2027"
    assert "31.01.2027" in message.paragraphs[0]
    assert message.link == f"/bedarfsabfragen/{survey_id}"


# Answering --------------------------------------------------------------------------------------------------------
def test_a_member_answers_and_changes_the_answer(app: Flask, org) -> None:
    survey_id = make_survey(app, org.dept_a.id)
    with app.app_context():
        item_ids = [item.id for item in db.session.get(Survey, survey_id).items]
    client = app.test_client()
    login(client, org.employee.email)
    home = client.get("/").get_data(as_text=True)
    assert "Ihre Meinung ist gefragt" in home and f"/bedarfsabfragen/{survey_id}" in home
    page = client.get(f"/bedarfsabfragen/{survey_id}").get_data(as_text=True)
    assert page.count('type="radio"') == 6 and "hoher Bedarf" in page

    incomplete = client.post(f"/bedarfsabfragen/{survey_id}", data={f"item-{item_ids[0]}": "2"})
    assert incomplete.status_code == 400
    assert "Bitte geben Sie bei jedem Thema und Werkzeug Ihren Bedarf an." in incomplete.get_data(as_text=True)
    assert f'href="#item-{item_ids[1]}-0"' in incomplete.get_data(as_text=True)
    assert count(app, SurveyAnswer) == 0

    data = {f"item-{item_ids[0]}": "2", f"item-{item_ids[1]}": "0"}
    response = client.post(f"/bedarfsabfragen/{survey_id}", data=data, follow_redirects=True)
    assert "Vielen Dank! Ihre Angaben sind gespeichert." in response.get_data(as_text=True)
    assert "Sie haben bereits geantwortet" in response.get_data(as_text=True)
    assert "Ihre Meinung ist gefragt" not in client.get("/").get_data(as_text=True)

    client.post(f"/bedarfsabfragen/{survey_id}", data={f"item-{item_ids[0]}": "1", f"item-{item_ids[1]}": "1"})
    with app.app_context():
        answers = db.session.execute(select(SurveyAnswer.survey_item_id, SurveyAnswer.level)).all()
    assert sorted(answers) == [(item_ids[0], 1), (item_ids[1], 1)]
    again = client.get(f"/bedarfsabfragen/{survey_id}").get_data(as_text=True)
    assert f'id="item-{item_ids[0]}-1" name="item-{item_ids[0]}" value="1" checked' in again


def test_non_members_cannot_answer_and_drafts_do_not_exist_for_members(app: Flask, org) -> None:
    survey_id = make_survey(app, org.dept_a.id)
    draft_id = make_survey(app, org.dept_a.id, state="draft")
    client = app.test_client()
    login(client, org.other_employee.email)  # department B
    assert client.get(f"/bedarfsabfragen/{survey_id}").status_code == 403
    assert client.post(f"/bedarfsabfragen/{survey_id}", data={}).status_code == 403
    assert "Ihre Meinung ist gefragt" not in client.get("/").get_data(as_text=True)
    member = app.test_client()
    login(member, org.employee.email)
    assert member.get(f"/bedarfsabfragen/{draft_id}").status_code == 404
    assert member.get("/bedarfsabfragen/999999").status_code == 404


def test_a_closed_survey_cannot_be_answered(app: Flask, org) -> None:
    survey_id = make_survey(app, org.dept_a.id)
    close_survey(app, survey_id)
    with app.app_context():
        item_ids = [item.id for item in db.session.get(Survey, survey_id).items]
    client = app.test_client()
    login(client, org.employee.email)
    page = client.get(f"/bedarfsabfragen/{survey_id}")
    assert page.status_code == 200 and 'type="radio"' not in page.get_data(as_text=True)
    response = client.post(f"/bedarfsabfragen/{survey_id}", data={f"item-{i}": "2" for i in item_ids})
    assert response.status_code == 400
    assert "Diese Bedarfsabfrage ist beendet." in response.get_data(as_text=True)
    assert count(app, SurveyAnswer) == 0
    # past its last day it counts as closed, even without "Beenden"
    late_id = make_survey(app, org.dept_a.id, closes_on=TODAY - timedelta(days=1))
    with app.app_context():
        late_items = [item.id for item in db.session.get(Survey, late_id).items]
    assert client.post(f"/bedarfsabfragen/{late_id}", data={f"item-{i}": "2" for i in late_items}).status_code == 400


def test_closing_ends_the_survey_today(app: Flask, org) -> None:
    survey_id = make_survey(app, org.dept_a.id)
    client = app.test_client()
    login(client, org.editor.email)
    response = client.post(f"/redaktion/bedarfsabfragen/{survey_id}/beenden", follow_redirects=True)
    assert "Die Bedarfsabfrage ist beendet." in response.get_data(as_text=True)
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        assert (survey.state, survey.closes_on) == ("closed", TODAY)
    again = client.post(f"/redaktion/bedarfsabfragen/{survey_id}/beenden", follow_redirects=True)
    assert "Nur eine laufende Bedarfsabfrage kann beendet werden." in again.get_data(as_text=True)


# Results ----------------------------------------------------------------------------------------------------------
def results_page(app: Flask, org, survey_id: int) -> str:
    client = app.test_client()
    login(client, org.editor.email)
    response = client.get(f"/redaktion/bedarfsabfragen/{survey_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_results_need_five_respondents(app: Flask, org) -> None:
    survey_id = make_survey(app, org.dept_a.id)
    add_respondents(app, survey_id, [(2, 0)] * 4)
    close_survey(app, survey_id)
    page = main_text(results_page(app, org, survey_id))
    assert "Antworten: weniger als 5 Personen" in page
    assert "Es haben weniger als 5 Personen geantwortet." in page
    assert "survey-results" not in results_page(app, org, survey_id)

    add_respondents(app, survey_id, [(2, 0)])
    html = results_page(app, org, survey_id)
    page = main_text(html)
    assert "Antworten: 5 Personen" in page and "survey-results" in html
    assert "E-Akte 0 0 5" in page and "VerBIS 5 0 0" in page


def test_results_stay_hidden_while_the_survey_is_open(app: Flask, org) -> None:
    survey_id = make_survey(app, org.dept_a.id)
    add_respondents(app, survey_id, [(2, 0)] * 6)
    page = main_text(results_page(app, org, survey_id))
    assert "Antworten: 6 Personen" in page
    assert "Die Ergebnisse erscheinen, wenn die Abfrage beendet ist" in page
    assert "E-Akte 0 0 6" not in page


def test_a_row_with_a_small_count_is_hidden_whole_so_that_it_cannot_be_worked_out(app: Flask, org) -> None:
    """Six respondents: if "VerBIS" showed "kein Bedarf 5", the one "hoher Bedarf" would be 6 - 5."""
    survey_id = make_survey(app, org.dept_a.id, labels=("E-Akte", "VerBIS", "Datenschutz"))
    add_respondents(app, survey_id, [(2, 0, 1)] * 5 + [(2, 2, 1)])
    close_survey(app, survey_id)
    page = main_text(results_page(app, org, survey_id))
    assert "Antworten: 6 Personen" in page
    assert "E-Akte 0 0 6" in page
    assert "VerBIS zu wenige Personen" in page
    assert "Datenschutz 0 6 0" in page
    assert "VerBIS 5" not in page and "VerBIS 0" not in page


def test_suppression_rule() -> None:
    assert queries.suppress_row((0, 5, 7)) == (0, 5, 7)
    assert queries.suppress_row((0, 0, 5)) == (0, 0, 5)
    assert queries.suppress_row((1, 5, 7)) is None
    assert queries.suppress_row((5, 4, 0)) is None
    assert queries.shown_count(4) is None and queries.shown_count(0) == 0 and queries.shown_count(5) == 5


def test_no_person_level_data_on_the_result_pages(app: Flask, org) -> None:
    survey_id = make_survey(app, org.dept_a.id)
    ids = add_respondents(app, survey_id, [(2, 0), (1, 0), (0, 0), (2, 1), (2, 2)])
    close_survey(app, survey_id)
    with app.app_context():
        people = db.session.scalars(select(Person).where(Person.id.in_(ids))).all()
        names = [p.name for p in people] + [p.email for p in people]
    client = app.test_client()
    login(client, org.editor.email)
    pages = [
        client.get(f"/redaktion/bedarfsabfragen/{survey_id}").get_data(as_text=True),
        client.get("/redaktion/bedarfsabfragen").get_data(as_text=True),
    ]
    for html in pages:
        for name in names:
            assert name not in html
        for person_id in ids:
            assert f"/personen/{person_id}" not in html and f"person-{person_id}" not in html
    assert "E-Akte zu wenige Personen" in main_text(pages[0])  # 3 high, 1 some, 1 none


def test_the_overview_lists_the_surveys_with_their_response_counts(app: Flask, org) -> None:
    small = make_survey(app, org.dept_a.id)
    add_respondents(app, small, [(0, 0)] * 3)
    large = make_survey(app, org.dept_b.id, labels=("ALLEGRO",))
    add_respondents(app, large, [(1,)] * 7)
    make_survey(app, org.dept_a.id, state="draft")
    client = app.test_client()
    login(client, org.admin.email)
    page = main_text(client.get("/redaktion/bedarfsabfragen").get_data(as_text=True))
    assert "weniger als 5" in page and " 7 " in f"{page} " and page.count("Bedarf 2027") == 3


# Demand for the unmet-needs list ----------------------------------------------------------------------------------
def test_survey_demand_adds_up_published_rows_of_closed_surveys(app: Flask, org) -> None:
    with app.app_context():
        e_akte = TopicFactory(name="E-Akte")
        verbis = ToolFactory(name="VerBIS")
        datenschutz = TopicFactory(name="Datenschutz")
        db.session.commit()

        def survey(department_id: int, state: str = "closed", closes_on: date = TODAY - timedelta(days=3)) -> int:
            items = [
                SurveyItem(position=1, label="E-Akte", topic_id=e_akte.id),
                SurveyItem(position=2, label="VerBIS", tool_id=verbis.id),
                SurveyItem(position=3, label="Datenschutz", topic_id=datenschutz.id),
            ]
            each = Survey(title="S", department_id=department_id, state=state, closes_on=closes_on, items=items)
            db.session.add(each)
            db.session.commit()
            return each.id

        in_a, in_b = survey(org.dept_a.id), survey(org.dept_b.id)
        running = survey(org.dept_a.id, state="open", closes_on=TODAY + timedelta(days=3))
        old = survey(org.dept_a.id, closes_on=TODAY - timedelta(days=400))
        small_dept = DepartmentFactory(name="Klein")
        small = survey(small_dept.id)
        db.session.commit()
    # E-Akte: 5 high; VerBIS: 5 some, 1 high (row hidden); Datenschutz: 6 none
    add_respondents(app, in_a, [(2, 1, 0)] * 5 + [(2, 2, 0)])
    add_respondents(app, in_b, [(2, 1, 0)] * 5)  # E-Akte 5 high, VerBIS 5 some
    for other in (running, old):
        add_respondents(app, other, [(2, 2, 2)] * 6)
    add_respondents(app, small, [(2, 2, 2)] * 4)  # fewer than five people: nothing counts

    with app.app_context():
        everyone = queries.survey_demand(None, TODAY)
        only_a = queries.survey_demand(frozenset({org.dept_a.id}), TODAY)
    rows = {row.label: (row.kind, row.high, row.some, row.surveys) for row in everyone}
    assert rows == {"E-Akte": ("topic", 11, 0, 2), "VerBIS": ("tool", 0, 5, 1)}
    assert [row.label for row in everyone] == ["E-Akte", "VerBIS"]  # most "hoher Bedarf" first
    assert {row.label: (row.high, row.some) for row in only_a} == {"E-Akte": (6, 0)}


def test_the_demand_partial_renders_on_its_own(app: Flask, org) -> None:
    survey_id = make_survey(app, org.dept_a.id, labels=("E-Akte",))
    add_respondents(app, survey_id, [(2,)] * 5)
    close_survey(app, survey_id)
    client = app.test_client()
    login(client, org.editor.email)
    with app.test_request_context():
        from flask_login import login_user

        login_user(db.session.get(Person, org.editor.id))
        html = render_template("needs/_survey_demand.html")
    text = main_text(f"<main>{html}</main>")
    assert "Bedarf aus Bedarfsabfragen" in text
    assert re.search(r"E-Akte [^(]*\(Thema\) 5 0 1", text), text


def test_the_unmet_needs_page_shows_the_survey_demand(app: Flask, org) -> None:
    if "needs.unmet" not in app.view_functions:
        pytest.skip("the unmet-needs page is not there yet")
    survey_id = make_survey(app, org.dept_a.id, labels=("Videoberatung",))
    add_respondents(app, survey_id, [(1,)] * 5)
    close_survey(app, survey_id)
    client = app.test_client()
    login(client, org.editor.email)
    text = main_text(client.get("/redaktion/bedarfe/offen").get_data(as_text=True))
    assert "Bedarf aus Bedarfsabfragen" in text
    assert re.search(r"Videoberatung [^(]*\(Thema\) 0 5 1", text), text


def test_a_deleted_topic_keeps_its_label_in_the_survey_and_leaves_the_demand(app: Flask, org) -> None:
    survey_id = make_survey(app, org.dept_a.id, labels=("Altes Thema",))
    add_respondents(app, survey_id, [(2,)] * 5)
    close_survey(app, survey_id)
    with app.app_context():
        assert [row.high for row in queries.survey_demand(None, TODAY)] == [5]
        item = db.session.scalar(select(SurveyItem).where(SurveyItem.survey_id == survey_id))
        db.session.delete(db.session.get(Topic, item.topic_id))
        db.session.commit()
        db.session.expire_all()
        item = db.session.get(SurveyItem, item.id)
        assert item.label == "Altes Thema"
        if POSTGRES_URL:  # SQLite does not enforce the foreign key's ON DELETE SET NULL
            assert item.topic_id is None
        assert queries.survey_demand(None, TODAY) == []
    assert "Altes Thema 0 0 5" in main_text(results_page(app, org, survey_id))


# Demo -------------------------------------------------------------------------------------------------------------
def test_demo_surveys_show_results_and_an_open_survey(make_app, tmp_path) -> None:
    app = make_app(QK_DEMO_LOGINS_FILE=str(tmp_path / "demo-logins.txt"))
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        surveys = {survey.state: survey for survey in db.session.scalars(select(Survey))}
        assert set(surveys) == {"open", "closed"}
        shown = queries.results(surveys["closed"], TODAY)
        assert shown.published and shown.respondents >= queries.MIN_GROUP
        assert [item.suppressed for item in shown.items] == [False, False, False, True]
        notified = db.session.scalar(
            select(func.count()).select_from(Notification).where(Notification.kind == "survey_open")
        )
        assert notified == len(services.recipients(surveys["open"])) > 0
        assert not queries.results(surveys["open"], TODAY).published
        assert [row.label for row in queries.survey_demand(None, TODAY)][:1] == ["Digitale Akte › E-Akte Posteingang"]
