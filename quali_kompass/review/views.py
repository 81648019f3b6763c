"""Team review pages: one person's mandatory items, agreed plan and completion history."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from quali_kompass.curricula.models import PlanItem
from quali_kompass.curricula.queries import completion_history, person_items
from quali_kompass.curricula.status import berlin_today
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Membership, Person, Team
from quali_kompass.review import blueprint
from quali_kompass.review.matrix import cell_date
from quali_kompass.review.models import AccessLogEntry


def may_review_person(viewer, person) -> bool:
    """Admins, and the leads and heads of the person's current team."""
    if viewer.is_admin:
        return True
    team = person.current_team
    return team is not None and viewer.can_review_team(team)


def agreed_plan(person_id: int) -> list[PlanItem]:
    """The person's approved plan items, by target date (one statement)."""
    statement = (
        select(PlanItem)
        .where(PlanItem.person_id == person_id, PlanItem.state == "approved")
        .options(joinedload(PlanItem.material), joinedload(PlanItem.decided_by))
        .order_by(PlanItem.target_date.is_(None), PlanItem.target_date, PlanItem.id)
    )
    return list(db.session.scalars(statement))


@blueprint.route("/team/person/<int:person_id>")
@login_required
def person(person_id: int) -> str:
    subject = db.session.scalar(
        select(Person)
        .where(Person.id == person_id)
        .options(selectinload(Person.memberships).joinedload(Membership.team).joinedload(Team.department))
    )
    if subject is None:
        abort(404)
    if not may_review_person(current_user, subject):
        abort(403)
    mandatory = person_items(subject.id, berlin_today())
    plan = agreed_plan(subject.id)
    history = completion_history(subject.id)
    page = render_template(
        "review/person.html", person=subject, mandatory=mandatory, plan=plan, history=history, cell_date=cell_date
    )
    # Rendered first, so that the commit does not expire what the page shows; shown only once it is logged.
    db.session.add(AccessLogEntry(action="person_viewed", viewer_id=current_user.id, subject_id=subject.id))
    db.session.commit()
    return page
