"""Creating, sending, closing and answering surveys.

The services flush and write an audit entry; the calling view commits. A refusal raises ServiceError with a German
message and the form field it belongs to. Answers are not written to the audit log: the log would show who took part.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select

from quali_kompass.audit.services import record
from quali_kompass.catalogue.models import Tool, Topic
from quali_kompass.database import utcnow
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.notifications.reminders import Planned
from quali_kompass.notifications.services import create as create_notifications
from quali_kompass.organisation.models import Department, Membership, Person, Team
from quali_kompass.surveys.models import LEVELS, Survey, SurveyAnswer, SurveyItem
from quali_kompass.surveys.queries import MAX_ITEMS

MAX_DAYS_OPEN = 365
NOTIFICATION_KIND = "survey_open"


def may_manage_surveys(person: Person) -> bool:
    """Editors and admins send surveys (editors limited to departments only to theirs)."""
    return person.is_editor or person.is_admin


def departments_for(person: Person) -> list[Department]:
    """The departments this person may send a survey to."""
    statement = select(Department).order_by(Department.name)
    allowed = None if person.is_admin else person.editable_department_ids
    if allowed is not None:
        statement = statement.where(Department.id.in_(allowed))
    return list(db.session.scalars(statement))


def notification_key(survey: Survey) -> str:
    return f"{NOTIFICATION_KIND}:{survey.id}"


def create(
    actor: Person,
    *,
    title: str,
    intro: str,
    department: Department | None,
    closes_on: date | None,
    topic_ids: Sequence[int],
    tool_ids: Sequence[int],
    today: date,
) -> Survey:
    """A draft survey with one item per chosen topic and tool (topics first, each in name order)."""
    if department is None:
        raise ServiceError(_("Bitte wählen Sie einen Fachbereich."), "department_id")
    probe = Survey(department_id=department.id)
    if not probe.can_manage(actor):
        raise ServiceError(_("Für diesen Fachbereich dürfen Sie keine Bedarfsabfrage anlegen."), "department_id")
    if closes_on is None or closes_on < today:
        raise ServiceError(_("Bitte wählen Sie einen Tag ab heute."), "closes_on")
    if closes_on > today + timedelta(days=MAX_DAYS_OPEN):
        raise ServiceError(_("Eine Bedarfsabfrage läuft höchstens ein Jahr."), "closes_on")
    topics = list(db.session.scalars(select(Topic).where(Topic.id.in_(set(topic_ids))))) if topic_ids else []
    tools = list(db.session.scalars(select(Tool).where(Tool.id.in_(set(tool_ids))))) if tool_ids else []
    labels = sorted(((topic.label, topic, None) for topic in topics), key=lambda row: row[0].casefold()) + sorted(
        ((tool.name, None, tool) for tool in tools), key=lambda row: row[0].casefold()
    )
    if not labels:
        raise ServiceError(_("Bitte wählen Sie mindestens ein Thema oder Werkzeug."), "topic_ids")
    if len(labels) > MAX_ITEMS:
        raise ServiceError(
            _("Bitte wählen Sie höchstens %(max)d Themen und Werkzeuge zusammen.", max=MAX_ITEMS), "topic_ids"
        )
    survey = Survey(
        title=title.strip(),
        intro=(intro or "").strip(),
        department_id=department.id,
        created_by_id=actor.id,
        closes_on=closes_on,
        state="draft",
        items=[
            SurveyItem(position=position, label=label, topic=topic, tool=tool)
            for position, (label, topic, tool) in enumerate(labels, start=1)
        ],
    )
    db.session.add(survey)
    db.session.flush()
    record(
        "survey_created",
        survey,
        label=survey.title,
        department=department.name,
        items=[label for label, _topic, _tool in labels],
    )
    return survey


def recipients(survey: Survey) -> list[int]:
    """The active people whose current team belongs to the survey's department (one statement)."""
    return list(
        db.session.scalars(
            select(Person.id)
            .join(Membership, (Membership.person_id == Person.id) & Membership.end_date.is_(None))
            .join(Team, Team.id == Membership.team_id)
            .where(Team.department_id == survey.department_id, Person.active.is_(True))
            .order_by(Person.id)
        )
    )


def send(survey: Survey, today: date) -> list[int]:
    """Open a draft and notify the department's current members; the ids of the people notified.

    The view commits and then mails them with ``notifications.services.send_now``.
    """
    if survey.state != "draft":
        raise ServiceError(_("Diese Bedarfsabfrage ist bereits versendet."))
    if survey.closes_on < today:
        raise ServiceError(_("Der letzte Tag der Bedarfsabfrage ist schon vorbei."))
    survey.state = "open"
    survey.opens_on = today
    people = recipients(survey)
    params = {"title": survey.title, "survey_id": survey.id, "closes_on": survey.closes_on.isoformat()}
    key = notification_key(survey)
    create_notifications([Planned(person_id, NOTIFICATION_KIND, key, params) for person_id in people])
    db.session.flush()
    record("survey_opened", survey, label=survey.title, recipients=len(people))
    return people


def close(survey: Survey, today: date) -> None:
    """End an open survey today; its results can be read from now on."""
    if survey.state != "open":
        raise ServiceError(_("Nur eine laufende Bedarfsabfrage kann beendet werden."))
    survey.state = "closed"
    survey.closes_on = min(survey.closes_on, today)
    if survey.opens_on and survey.opens_on > survey.closes_on:
        survey.opens_on = survey.closes_on
    db.session.flush()
    record("survey_closed", survey, label=survey.title)


def answer(survey: Survey, person: Person, levels: Mapping[int, int | None], today: date) -> None:
    """Save the person's need for every item of the survey, replacing their earlier answers."""
    if not survey.is_open(today):
        raise ServiceError(_("Diese Bedarfsabfrage ist beendet. Antworten sind nicht mehr möglich."))
    if not survey.can_answer(person, today):
        raise ServiceError(_("Diese Bedarfsabfrage richtet sich an einen anderen Fachbereich."))
    item_ids = [item.id for item in survey.items]
    if any(levels.get(item_id) not in LEVELS for item_id in item_ids):
        raise ServiceError(_("Bitte geben Sie bei jedem Thema und Werkzeug Ihren Bedarf an."))
    db.session.execute(
        delete(SurveyAnswer)
        .where(SurveyAnswer.person_id == person.id, SurveyAnswer.survey_item_id.in_(item_ids))
        .execution_options(synchronize_session=False)
    )
    now = utcnow()
    db.session.add_all(
        SurveyAnswer(survey_item_id=item_id, person_id=person.id, level=levels[item_id], answered_at=now)
        for item_id in item_ids
    )
    db.session.flush()
