"""Access hardening (ASVS 4.1.3, 4.2.1, 4.2.2, 5.1.2): CSRF on every state change, mass assignment, other teams."""

from __future__ import annotations

import io
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from quali_kompass.accounts.services import create_reset_token
from quali_kompass.catalogue import files
from quali_kompass.catalogue.models import (
    GuideStep,
    Material,
    MaterialVersion,
    SessionDate,
    SessionRegistration,
    Tool,
    Topic,
)
from quali_kompass.curricula.models import Completion, PlanItem, Requirement, RequirementRule
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import Base, utcnow
from quali_kompass.extensions import db
from quali_kompass.feedback.models import MaterialFeedback
from quali_kompass.needs.models import Need
from quali_kompass.news.models import NewsItem
from quali_kompass.notifications.models import Notification
from quali_kompass.organisation.models import OrgImport, Person
from quali_kompass.surveys.models import Survey, SurveyAnswer, SurveyItem
from tests.conftest import login
from tests.factories import TEST_PASSWORD, PersonFactory
from tests.sample import TINY_PNG, sample_url_values
from tests.test_security import CSRF_PAGE, login_with_token

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def row_counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


# 1. CSRF -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["admin", "editor", "lead", "employee"])
def test_every_state_changing_request_without_a_token_is_refused(make_app, role: str) -> None:
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    from tests.conftest import build_org

    org = build_org(csrf_app)
    values = sample_url_values(csrf_app, org)
    client = csrf_app.test_client()
    login_with_token(client, getattr(org, role).email)
    before = row_counts(csrf_app)
    checked, failures = 0, []
    for rule in sorted(csrf_app.url_map.iter_rules(), key=lambda r: r.endpoint):
        url = rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]
        for method in UNSAFE_METHODS:
            # Plausible fields, so that only the missing token can be the reason for a refusal.
            data = {"action": "show", "email": org.employee.email, "name": "X", "locale": "en", "reason": "X"}
            response = client.open(url, method=method, data=data)
            if method in rule.methods:
                checked += 1
                refused = response.status_code == 400 and CSRF_PAGE in response.get_data(as_text=True)
            else:
                refused = response.status_code == 405
            if not refused:
                failures.append(f"{method} {url} ({rule.endpoint}): {response.status_code}")
    assert not failures, "\n".join(failures)
    assert checked > 50
    assert row_counts(csrf_app) == before


# 3. Objects of another team or department ------------------------------------------------------------------------
def department_b_values(app: Flask, org: SimpleNamespace) -> dict[str, Any]:
    """One object of department B (team B, ``other_employee``) for each kind of URL argument; material as drafts."""
    with app.app_context():
        dept_b = db.session.merge(org.dept_b)
        token = create_reset_token(db.session.merge(org.other_employee), None)
        upload = OrgImport(created_at=utcnow(), filename="b.csv", content=b"Personalnummer;Name\n")
        topic = Topic(name="Integration")
        tool = Tool(name="VerBIS", description="Vermittlung")

        def draft(kind: str, title: str, **fields: Any) -> Material:
            material = Material(
                kind=kind, title=title, summary="Nur Fachbereich B.", status="draft", topic=topic, **fields
            )
            material.departments = [dept_b]
            db.session.add(MaterialVersion(material=material, number=1, change_note="Entwurf"))
            return material

        material = draft("document", "Entwurf B: Eingliederungsvereinbarung", body="Text")
        material.poster_file = files.store(
            FileStorage(io.BytesIO(TINY_PNG), filename="b.png"), ["image/png"], 1024 * 1024, None
        )
        start = utcnow() + timedelta(days=7)
        session_date = SessionDate(starts_at=start, ends_at=start + timedelta(hours=1), place="B 2.01", capacity=5)
        draft("session", "Entwurf B: Präsenz", session_dates=[session_date])
        step = GuideStep(
            position=1,
            instruction="Klicken Sie auf **Start**.",
            alt_text="Startseite",
            image_file=files.store(FileStorage(io.BytesIO(TINY_PNG), filename="s.png"), ["image/png"], 1024**2, None),
            highlight_left=1,
            highlight_top=1,
            highlight_width=10,
            highlight_height=10,
        )
        guide = draft("guide", "Entwurf B: Klickstrecke", steps=[step])
        completion = Completion(
            person_id=org.other_employee.id,
            material=material,
            completed_on=berlin_today() - timedelta(days=2),
            method="recorded",
            note="Extern",
            recorded_by_id=org.admin.id,
        )
        plan_item = PlanItem(person_id=org.other_employee.id, material=guide, reason="Für Team B")
        requirement = Requirement(
            material=material,
            scope="department",
            department_id=org.dept_b.id,
            effective_from=berlin_today() - timedelta(days=10),
            rules=[RequirementRule(valid_from=berlin_today() - timedelta(days=10), due_kind="days", due_days=30)],
        )
        notification = Notification(person_id=org.other_employee.id, kind="assigned", key="b", params={})
        feedback = MaterialFeedback(person_id=org.other_employee.id, material=material, rating=2, comment="Unklar.")
        news = NewsItem(title="Nur für B", body="Text", publish_at=utcnow() - timedelta(hours=1))
        news.departments = [dept_b]
        survey = Survey(
            title="Bedarf B",
            department_id=org.dept_b.id,
            state="open",
            opens_on=berlin_today() - timedelta(days=1),
            closes_on=berlin_today() + timedelta(days=7),
            items=[SurveyItem(position=1, label=tool.name, tool=tool)],
        )
        need = Need(
            person_id=org.other_employee.id, department_id=org.dept_b.id, tool=tool, text="VerBIS", urgency="low"
        )
        db.session.add_all([upload, completion, plan_item, requirement, notification, feedback, news, survey, need])
        db.session.commit()
        return {
            "department_id": org.dept_b.id,
            "team_id": org.team_b.id,
            "person_id": org.other_employee.id,
            "token": token,
            "import_id": upload.id,
            "filename": "css/app.css",
            "material_id": material.id,
            "topic_id": topic.id,
            "tool_id": tool.id,
            "date_id": session_date.id,
            "file_id": material.poster_file_id,
            "guide_id": guide.id,
            "step_id": step.id,
            "completion_id": completion.id,
            "plan_item_id": plan_item.id,
            "requirement_id": requirement.id,
            "notification_id": notification.id,
            "feedback_id": feedback.id,
            "news_id": news.id,
            "survey_id": survey.id,
            "need_id": need.id,
        }


# Arguments that name no object of a team or department: topics and tools are shared by all editors, a reset
# token is the credential itself, a static file is public.
NOT_SCOPED = frozenset({"topic_id", "tool_id", "token", "filename"})


# Routes that answer a foreign id with a redirect and a refusal (or by design match only one's own rows): they are
# checked for having no effect instead.
REFUSED_WITHOUT_EFFECT = frozenset({"notifications.mark_one_read", "curricula.completion_undo"})


@pytest.fixture
def editor_a(app: Flask, org: SimpleNamespace):
    """An editor limited to department A."""
    with app.app_context():
        editor = PersonFactory(name="Eva Fachredaktion", email="eva.fachredaktion@jobcenter-test.de", is_editor=True)
        editor.editor_departments = [db.session.merge(org.dept_a)]
        db.session.commit()
        return editor


@pytest.mark.parametrize("role", ["lead", "head", "employee", "editor_a"])
def test_objects_of_department_b_are_refused_to_people_of_department_a(
    app: Flask, org: SimpleNamespace, editor_a, role: str
) -> None:
    values = department_b_values(app, org)
    person = editor_a if role == "editor_a" else getattr(org, role)
    client = app.test_client()
    login(client, person.email)
    before = row_counts(app)
    checked, failures = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if not rule.arguments or rule.arguments & NOT_SCOPED or rule.endpoint in REFUSED_WITHOUT_EFFECT:
            continue
        url = rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={"reason": "X", "note": "X", "action": "show"})
            checked.append(rule.endpoint)
            if response.status_code not in (403, 404):
                failures.append(f"{method} {url} ({rule.endpoint}): {response.status_code}")
    assert not failures, f"as {role} of department A:\n" + "\n".join(failures)
    assert {"organisation.my_team", "curricula.completion_reset", "catalogue.material_file", "needs.need"} <= set(
        checked
    )
    for endpoint in sorted(REFUSED_WITHOUT_EFFECT):
        url = app.url_map.bind("localhost").build(endpoint, values, append_unknown=False)
        assert client.post(url).status_code in (302, 403, 404)
    after = row_counts(app)
    # Only the access log may grow (a refused look is no look, but a logged one does no harm).
    assert {k: v for k, v in after.items() if k != "access_log"} == {
        k: v for k, v in before.items() if k != "access_log"
    }
    with app.app_context():
        assert db.session.get(Notification, values["notification_id"]).read_at is None
        assert db.session.get(Completion, values["completion_id"]).reset_at is None


# 2. Forms ignore fields a role may not set ------------------------------------------------------------------------
def extra_fields(org: SimpleNamespace) -> dict[str, Any]:
    """Fields no form of an employee or a lead offers, naming someone else or a role."""
    return {
        "role": "admin",
        "is_admin": "1",
        "is_editor": "1",
        "is_auditor": "1",
        "active": "0",
        "team_id": str(org.team_b.id),
        "department_id": str(org.dept_b.id),
        "person_id": str(org.other_employee.id),
        "email": "neu@jobcenter-test.de",
        "name": "Neuer Name",
        "recorded_by_id": str(org.other_lead.id),
    }


def person_state(app: Flask, person_id: int) -> tuple:
    with app.app_context():
        person = db.session.get(Person, person_id)
        team = person.current_team
        return (
            person.name,
            person.email,
            person.is_admin,
            person.is_editor,
            person.is_auditor,
            person.active,
            team.id if team else None,
            person.password_hash,
            person.locale,
        )


def test_account_and_language_forms_ignore_role_and_identity_fields(app: Flask, org: SimpleNamespace) -> None:
    client = app.test_client()
    login(client, org.employee.email)
    own, other = person_state(app, org.employee.id), person_state(app, org.other_employee.id)

    assert client.post("/sprache", data={"locale": "en", **extra_fields(org)}).status_code == 302
    new = "Ganz neues Kompass-Passwort 2026"
    data = {"current_password": TEST_PASSWORD, "new_password": new, "new_password_repeat": new, **extra_fields(org)}
    assert client.post("/konto/passwort", data=data).status_code == 302

    after = person_state(app, org.employee.id)
    assert after[:7] == own[:7], "name, e-mail, roles, activity and team are unchanged"
    assert after[7] != own[7] and after[8] == "en", "only the password and the language changed"
    assert person_state(app, org.other_employee.id) == other


def test_a_need_is_stated_for_oneself_and_only_for_teams_one_leads(app: Flask, org: SimpleNamespace) -> None:
    employee = app.test_client()
    login(employee, org.employee.email)
    data = {"text": "Serienbriefe", "urgency": "low", **extra_fields(org)}
    assert employee.post("/bedarf/neu", data=data).status_code == 400  # team B: refused at the field
    assert employee.post("/bedarf/neu", data={**data, "team_id": "0"}).status_code == 302
    lead = app.test_client()
    login(lead, org.lead.email)
    refused = lead.post("/bedarf/neu", data={**data, "team_id": str(org.team_b.id)})
    assert refused.status_code == 400
    with app.app_context():
        needs = db.session.scalars(select(Need)).all()
        assert [(n.person_id, n.team_id, n.department_id) for n in needs] == [(org.employee.id, None, org.dept_a.id)]


def test_a_proposal_and_a_rating_belong_to_the_one_who_sends_them(app: Flask, org: SimpleNamespace) -> None:
    values = sample_url_values(app, org)
    client = app.test_client()
    login(client, org.employee.email)
    proposal = {"material_id": "0", "wish": "Aufbaukurs Excel", "reason": "Für Statistiken", **extra_fields(org)}
    assert client.post("/kompass/plan", data=proposal).status_code == 302
    rating = {"rating": "5", "comment": "Gut", **extra_fields(org)}
    assert client.post(f"/katalog/{values['material_id']}/rueckmeldung", data=rating).status_code == 302
    with app.app_context():
        wish = db.session.scalar(select(PlanItem).where(PlanItem.wish == "Aufbaukurs Excel"))
        assert wish.person_id == org.employee.id
        raters = db.session.scalars(select(MaterialFeedback.person_id)).all()
        assert org.other_employee.id not in raters


def test_a_lead_records_completions_only_for_their_own_people(app: Flask, org: SimpleNamespace) -> None:
    values = sample_url_values(app, org)
    client = app.test_client()
    login(client, org.lead.email)
    record = {
        "material_id": str(values["material_id"]),
        "completed_on": berlin_today().isoformat(),
        "note": "Schulung",
        **extra_fields(org),
    }
    assert client.post(f"/nachweise/person/{org.other_employee.id}", data=record).status_code == 403
    assert client.post(f"/nachweise/person/{org.employee.id}", data=record).status_code == 302
    with app.app_context():
        recorded = db.session.scalars(select(Completion).where(Completion.completed_on == berlin_today())).all()
        assert [(c.person_id, c.recorded_by_id) for c in recorded] == [(org.employee.id, org.lead.id)]


def test_a_lead_decides_only_on_proposals_of_their_own_people(app: Flask, org: SimpleNamespace) -> None:
    with app.app_context():
        foreign = PlanItem(person_id=org.other_employee.id, wish="Excel", reason="Team B")
        db.session.add(foreign)
        db.session.commit()
        foreign_id = foreign.id
    values = sample_url_values(app, org)
    client = app.test_client()
    login(client, org.lead.email)
    assert client.post(f"/team/vorschlaege/{foreign_id}/zustimmen", data={"note": "Ja"}).status_code == 403
    assert client.post(f"/team/vorschlaege/{foreign_id}/ablehnen", data={"note": "Nein"}).status_code == 403
    # Deciding on one's own person's proposal with another person's id in the form changes only that proposal.
    own = values["plan_item_id"]
    assert (
        client.post(f"/team/vorschlaege/{own}/zustimmen", data={"note": "Ja", **extra_fields(org)}).status_code == 302
    )
    with app.app_context():
        assert db.session.get(PlanItem, foreign_id).state == "proposed"
        approved = db.session.get(PlanItem, own)
        assert approved.person_id == org.employee.id and approved.state != "proposed"


def test_a_lead_confirms_attendance_only_of_their_own_people(app: Flask, org: SimpleNamespace) -> None:
    values = sample_url_values(app, org)
    with app.app_context():
        session_date = db.session.get(SessionDate, values["date_id"])
        session_date.starts_at = utcnow() - timedelta(hours=3)
        session_date.ends_at = utcnow() - timedelta(hours=1)
        for person in (org.employee, org.other_employee):
            db.session.add(SessionRegistration(session_date=session_date, person_id=person.id))
        db.session.commit()
    client = app.test_client()
    login(client, org.lead.email)
    page = client.get(f"/termine/{values['date_id']}/teilnahme").get_data(as_text=True)
    assert org.employee.name in page and org.other_employee.name not in page
    client.post(f"/termine/{values['date_id']}/teilnahme", data={"person_ids": [str(org.other_employee.id)]})
    client.post(f"/termine/{values['date_id']}/teilnahme", data={"alle": "1", **extra_fields(org)})
    with app.app_context():
        confirmed = db.session.scalars(select(Completion.person_id).where(Completion.method == "attendance")).all()
        assert org.other_employee.id not in confirmed
        assert org.employee.id in confirmed, "the lead's own person was confirmed"


def test_a_survey_answer_counts_for_the_one_who_answers(app: Flask, org: SimpleNamespace) -> None:
    values = sample_url_values(app, org)
    client = app.test_client()
    login(client, org.employee.email)
    with app.app_context():
        item_ids = db.session.scalars(select(SurveyItem.id).where(SurveyItem.survey_id == values["survey_id"])).all()
    data = {f"item-{item_id}": "1" for item_id in item_ids} | extra_fields(org)
    assert client.post(f"/bedarfsabfragen/{values['survey_id']}", data=data).status_code == 302
    with app.app_context():
        assert set(db.session.scalars(select(SurveyAnswer.person_id)).all()) == {org.employee.id}


def test_an_editor_of_one_department_cannot_address_another(app: Flask, org: SimpleNamespace, editor_a) -> None:
    with app.app_context():
        tool = Tool(name="VerBIS", description="Vermittlung")
        db.session.add(tool)
        db.session.commit()
        tool_id = tool.id
    client = app.test_client()
    login(client, editor_a.email)
    survey = {
        "title": "Bedarf B",
        "department_id": str(org.dept_b.id),
        "closes_on": (berlin_today() + timedelta(days=7)).isoformat(),
        "tool_ids": [str(tool_id)],
    }
    assert client.post("/redaktion/bedarfsabfragen/neu", data=survey).status_code == 400
    news = {
        "title": "Nur B",
        "body": "Text",
        "publish_day": berlin_today().isoformat(),
        "publish_time": "08:00",
        "department_ids": [str(org.dept_b.id)],
    }
    assert client.post("/redaktion/neuigkeiten/neu", data=news).status_code == 400
    assert client.post("/redaktion/neuigkeiten/neu", data={**news, "all_departments": "y"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(Survey.id))) == 0
        assert db.session.scalar(select(func.count(NewsItem.id))) == 0
    # The same forms for department A are accepted: the department alone made the difference.
    assert (
        client.post("/redaktion/bedarfsabfragen/neu", data={**survey, "department_id": str(org.dept_a.id)}).status_code
        == 302
    )
    assert (
        client.post("/redaktion/neuigkeiten/neu", data={**news, "department_ids": [str(org.dept_a.id)]}).status_code
        == 302
    )
