"""The Qualifizierungsplan: a person proposes training, their lead approves or declines it.

Reads build Select statements; writes check, flush and audit, and leave the commit to the view.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from quali_kompass.audit.services import record
from quali_kompass.catalogue.models import Material
from quali_kompass.curricula.models import PlanItem
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import utcnow
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Membership, Person

MAX_TEXT = 2000
MAX_WISH = 500
OPEN_STATES = ("proposed", "approved")  # a material in one of these states cannot be proposed again


# Reads ------------------------------------------------------------------------------------------------
def person_plan(person_id: int) -> Select:
    """A person's plan items, newest first, with material and decider."""
    return (
        select(PlanItem)
        .where(PlanItem.person_id == person_id)
        .options(joinedload(PlanItem.material), joinedload(PlanItem.decided_by))
        .order_by(PlanItem.proposed_at.desc(), PlanItem.id.desc())
    )


def pending_for_teams(team_ids: frozenset[int], viewer_id: int) -> Select:
    """Pending proposals of the current members of these teams but the viewer's own, oldest first."""
    return (
        select(PlanItem)
        .join(Membership, (Membership.person_id == PlanItem.person_id) & Membership.end_date.is_(None))
        .where(Membership.team_id.in_(team_ids), PlanItem.state == "proposed", PlanItem.person_id != viewer_id)
        .options(
            joinedload(PlanItem.material),
            joinedload(PlanItem.person).selectinload(Person.memberships).joinedload(Membership.team),
        )
        .order_by(PlanItem.proposed_at, PlanItem.id)
    )


def pending_count(team_ids: frozenset[int], viewer_id: int) -> Select:
    return (
        select(func.count(PlanItem.id))
        .join(Membership, (Membership.person_id == PlanItem.person_id) & Membership.end_date.is_(None))
        .where(Membership.team_id.in_(team_ids), PlanItem.state == "proposed", PlanItem.person_id != viewer_id)
    )


def leads_of(person: Person) -> list[Person]:
    """Who decides on the person's proposals: the leads of their current team, else its department's heads.

    A lead does not decide on their own proposals, so for a lead it is the other leads or the department head.
    """
    team = person.current_team
    if team is None:
        return []
    leads = [lead for lead in team.leads if lead.id != person.id]
    return leads or [head for head in team.department.heads if head.id != person.id]


def can_decide(lead: Person, item: PlanItem) -> bool:
    """Leads decide for the people of the teams they review (department heads included), not for themselves."""
    team = item.person.current_team
    return team is not None and lead.can_review_team(team) and lead.id != item.person_id


def item_title(item: PlanItem) -> str:
    return item.material.title if item.material is not None else item.wish


# Writes -----------------------------------------------------------------------------------------------
def propose(person: Person, material_id: int | None, wish: str, reason: str) -> PlanItem:
    """Add a proposal: a published material or a wish in free text, with a reason."""
    if not leads_of(person):
        raise ServiceError(_("Ihr Team hat keine Führungskraft hinterlegt. Sie können daher nichts vorschlagen."))
    wish, reason = (wish or "").strip(), (reason or "").strip()
    if not reason:
        raise ServiceError(_("Bitte begründen Sie Ihren Vorschlag."), "reason")
    if len(reason) > MAX_TEXT:
        raise ServiceError(_("Bitte geben Sie höchstens %(max)d Zeichen ein.", max=MAX_TEXT), "reason")
    if len(wish) > MAX_WISH:
        raise ServiceError(_("Bitte geben Sie höchstens %(max)d Zeichen ein.", max=MAX_WISH), "wish")
    material = None
    if material_id:
        material = db.session.get(Material, material_id)
        if material is None or material.status != "published":
            raise ServiceError(_("Bitte wählen Sie ein veröffentlichtes Angebot aus dem Katalog."), "material_id")
        taken = db.session.scalar(
            select(func.count(PlanItem.id)).where(
                PlanItem.person_id == person.id,
                PlanItem.material_id == material.id,
                PlanItem.state.in_(OPEN_STATES),
            )
        )
        if taken:
            raise ServiceError(_("Dieses Angebot steht bereits in Ihrem Plan."), "material_id")
        wish = ""  # the material says what is meant
    elif not wish:
        raise ServiceError(
            _("Bitte wählen Sie ein Angebot aus dem Katalog oder beschreiben Sie Ihren Wunsch."), "material_id"
        )
    item = PlanItem(person=person, material=material, wish=wish, reason=reason, state="proposed", proposed_at=utcnow())
    db.session.add(item)
    db.session.flush()
    record("plan_item_proposed", item, actor=person, label=item_title(item)[:254])
    return item


def withdraw(item: PlanItem, person: Person) -> None:
    if item.person_id != person.id:
        raise ServiceError(_("Sie können nur Ihre eigenen Vorschläge zurückziehen."))
    if item.state != "proposed":
        raise ServiceError(_("Über diesen Vorschlag ist schon entschieden; er kann nicht mehr zurückgezogen werden."))
    item.state = "withdrawn"
    db.session.flush()
    record("plan_item_withdrawn", item, actor=person, label=item_title(item)[:254])


def _decidable(item: PlanItem, lead: Person) -> None:
    if not can_decide(lead, item):
        raise ServiceError(_("Sie entscheiden nur über Vorschläge aus Ihren Teams."))
    if item.state != "proposed":
        raise ServiceError(_("Über diesen Vorschlag ist schon entschieden oder er wurde zurückgezogen."))


def approve(item: PlanItem, lead: Person, target_date: date | None, note: str = "", today: date | None = None) -> None:
    """Approve a proposal, optionally with a target date (today or later)."""
    _decidable(item, lead)
    note = (note or "").strip()
    if target_date is not None and target_date < (today or berlin_today()):
        raise ServiceError(_("Das Zieldatum darf nicht in der Vergangenheit liegen."), "target_date")
    if len(note) > MAX_TEXT:
        raise ServiceError(_("Bitte geben Sie höchstens %(max)d Zeichen ein.", max=MAX_TEXT), "note")
    item.state, item.target_date, item.decision_note = "approved", target_date, note
    item.decided_at, item.decided_by = utcnow(), lead
    db.session.flush()
    record(
        "plan_item_approved",
        item,
        actor=lead,
        label=item_title(item)[:254],
        person=item.person.email,
        target_date=target_date.isoformat() if target_date else None,
    )
    _notify_decision(item, "plan_approved")


def decline(item: PlanItem, lead: Person, note: str) -> None:
    """Decline a proposal; the reason is required, since the person reads it."""
    _decidable(item, lead)
    note = (note or "").strip()
    if not note:
        raise ServiceError(_("Bitte begründen Sie die Ablehnung."), "note")
    if len(note) > MAX_TEXT:
        raise ServiceError(_("Bitte geben Sie höchstens %(max)d Zeichen ein.", max=MAX_TEXT), "note")
    item.state, item.decision_note, item.target_date = "declined", note, None
    item.decided_at, item.decided_by = utcnow(), lead
    db.session.flush()
    record("plan_item_declined", item, actor=lead, label=item_title(item)[:254], person=item.person.email)
    _notify_decision(item, "plan_declined")


def decision_key(item: PlanItem) -> str:
    return f"plan:{item.id}"


def _notify_decision(item: PlanItem, kind: str) -> None:
    from quali_kompass.notifications.services import notify

    params = {
        "title": item_title(item),
        "lead": item.decided_by.name,
        "note": item.decision_note,
        "target_date": item.target_date.isoformat() if item.target_date else None,
    }
    notify(item.person_id, kind, decision_key(item), params)
