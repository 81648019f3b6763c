"""Reminders a lead sends from the team page or a person's page: to one person, or to all with overdue items."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quali_kompass.audit.services import record
from quali_kompass.curricula.queries import PersonItem, items_for_people
from quali_kompass.curricula.status import berlin_today
from quali_kompass.extensions import db
from quali_kompass.notifications.services import remind, send_now
from quali_kompass.organisation import queries
from quali_kompass.organisation.models import Person, Team
from quali_kompass.review import blueprint
from quali_kompass.review.matrix import LATE
from quali_kompass.review.views import may_review_person
from quali_kompass.web import get_or_404


def _send(items: dict[int, list[PersonItem]], team: Team | None) -> tuple[list[int], int]:
    """Remind these people of their open items; commit, then mail at once (what fails waits for the daily run)."""
    today = berlin_today()
    reminded, already = remind(current_user, items, today)
    if reminded:
        record("reminders_sent", team, actor=current_user, people=len(reminded))
    db.session.commit()
    send_now(reminded, f"reminder:{today}:{current_user.id}")
    return reminded, already


def _flash_outcome(reminded: list[int], already: int) -> None:
    if reminded:
        flash(
            ngettext(
                "Die Erinnerung wurde an %(num)s Person gesendet.",
                "Die Erinnerung wurde an %(num)s Personen gesendet.",
                len(reminded),
            ),
            "success",
        )
    if already:
        flash(
            ngettext(
                "%(num)s Person haben Sie heute bereits erinnert.",
                "%(num)s Personen haben Sie heute bereits erinnert.",
                already,
            ),
            "info",
        )
    if not reminded and not already:
        flash(_("Es gibt keine offenen Pflichtschulungen, an die erinnert werden könnte."), "info")


@blueprint.route("/team/person/<int:person_id>/erinnern", methods=["POST"])
@login_required
def remind_person(person_id: int) -> Response:
    person = get_or_404(Person, person_id)
    if not may_review_person(current_user, person) or person.id == current_user.id:
        abort(403)
    _flash_outcome(*_send(items_for_people([person.id], berlin_today()), person.current_team))
    return redirect(url_for("review.person", person_id=person.id))


@blueprint.route("/team/<int:team_id>/erinnern", methods=["POST"])
@login_required
def remind_team(team_id: int) -> Response:
    """Remind everyone in the team with an overdue or expired item (not the sender)."""
    team = get_or_404(Team, team_id)
    if not current_user.can_review_team(team):
        abort(403)
    members = [m.id for m in db.session.scalars(queries.team_members(team.id)) if m.active and m.id != current_user.id]
    late = {
        person_id: items
        for person_id, items in items_for_people(members, berlin_today()).items()
        if any(item.status.state in LATE for item in items)
    }
    _flash_outcome(*_send(late, team))
    return redirect(url_for("organisation.my_team", team_id=team.id))
