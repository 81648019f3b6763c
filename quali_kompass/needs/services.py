"""Writes for needs: stating one, and an editor's answer. They check, flush and audit; the view commits."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import select

from quali_kompass.audit.services import record
from quali_kompass.catalogue.models import Material, Tool, Topic
from quali_kompass.database import utcnow
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.needs.models import MAX_REPLY, MAX_TEXT, URGENCIES, Need
from quali_kompass.organisation.models import Person, Team

ANSWER_STATES = ("in_progress", "met", "declined")


def state_need(
    person: Person,
    *,
    tool_id: int | None,
    topic_id: int | None,
    text: str,
    urgency: str,
    team_id: int | None = None,
) -> Need:
    """Record a need of the person, or of one of the teams they lead; at least a tool, a topic or a text."""
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ServiceError(_("Bitte geben Sie höchstens %(max)d Zeichen ein.", max=MAX_TEXT), "text")
    if urgency not in URGENCIES:
        raise ServiceError(_("Bitte wählen Sie, wie dringend der Bedarf ist."), "urgency")
    tool = db.session.get(Tool, tool_id) if tool_id else None
    if tool_id and tool is None:
        raise ServiceError(_("Dieses Werkzeug gibt es nicht mehr. Bitte wählen Sie ein anderes."), "tool_id")
    topic = db.session.get(Topic, topic_id) if topic_id else None
    if topic_id and topic is None:
        raise ServiceError(_("Dieses Thema gibt es nicht mehr. Bitte wählen Sie ein anderes."), "topic_id")
    if tool is None and topic is None and not text:
        raise ServiceError(
            _("Bitte wählen Sie ein Werkzeug oder ein Thema oder beschreiben Sie Ihren Bedarf in eigenen Worten."),
            "text",
        )
    team = None
    if team_id:
        if team_id not in person.reviewable_team_ids:
            raise ServiceError(_("Sie können Bedarf nur für Teams melden, die Sie leiten."), "team_id")
        team = db.session.get(Team, team_id)
    department_id = team.department_id if team else (person.current_team.department_id if person.current_team else None)
    need = Need(
        person=person,
        team=team,
        department_id=department_id,
        tool=tool,
        topic=topic,
        text=text,
        urgency=urgency,
        state="open",
        created_at=utcnow(),
        materials=[],
    )
    db.session.add(need)
    db.session.flush()
    record(
        "need_stated",
        need,
        actor=person,
        label=need.subject[:254],
        team=team.name if team else None,
        urgency=urgency,
    )
    return need


def answer(need: Need, editor: Person, state: str, material_ids: Sequence[int], reply: str) -> str:
    """Set the materials that meet the need, its state and a reply; notify who stated it.

    Returns the key of the notification, for sending it by mail after the commit.
    """
    if not need.can_answer(editor):
        raise ServiceError(_("Sie beantworten nur Bedarfe der Fachbereiche, die Sie redaktionell betreuen."))
    reply = (reply or "").strip()
    if state not in ANSWER_STATES:
        raise ServiceError(_("Bitte wählen Sie, wie es mit dem Bedarf weitergeht."), "state")
    if len(reply) > MAX_REPLY:
        raise ServiceError(_("Bitte geben Sie höchstens %(max)d Zeichen ein.", max=MAX_REPLY), "reply")
    ids = sorted(set(material_ids))
    materials = list(db.session.scalars(select(Material).where(Material.id.in_(ids)))) if ids else []
    if len(materials) != len(ids) or any(material.status != "published" for material in materials):
        raise ServiceError(_("Bitte wählen Sie nur veröffentlichte Angebote aus dem Katalog."), "material_ids")
    if state == "met" and not materials:
        raise ServiceError(
            _("Bitte wählen Sie mindestens ein Angebot, das den Bedarf erfüllt – oder „In Arbeit“."), "material_ids"
        )
    if state == "declined" and not reply:
        raise ServiceError(_("Bitte begründen Sie die Ablehnung. Die Antwort lesen die Beschäftigten."), "reply")
    previous = [material.id for material in need.materials]
    need.materials = sorted(materials, key=lambda material: material.title)
    need.state, need.reply = state, reply
    need.answered_by, need.answered_at = editor, utcnow()
    db.session.flush()
    record(
        "need_answered",
        need,
        actor=editor,
        label=need.subject[:254],
        state=state,
        materials=[material.title for material in need.materials],
        previous_materials=previous,
    )
    key = f"need:{need.id}:{need.answered_at.isoformat()}"
    from quali_kompass.notifications.services import notify

    notify(
        need.person_id,
        "need_answered",
        key,
        {
            "need_id": need.id,
            "title": need.subject,
            "state": state,
            "reply": reply,
            "materials": [material.title for material in need.materials],
            "team": need.team.name if need.team else None,
        },
    )
    return key
