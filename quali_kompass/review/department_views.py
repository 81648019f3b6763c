"""The department overview of mandatory trainings: every team of a department, for its heads and admins."""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from flask import abort, render_template, request
from flask_login import current_user, login_required

from quali_kompass.curricula.queries import items_for_people
from quali_kompass.curricula.status import berlin_today
from quali_kompass.extensions import db
from quali_kompass.organisation import queries
from quali_kompass.organisation.models import Department
from quali_kompass.review import blueprint, matrix
from quali_kompass.web import get_or_404


class Member(NamedTuple):
    """A person as the matrix needs them: no ORM object, so that thousands stay cheap."""

    id: int
    name: str


@blueprint.route("/fachbereich/<int:department_id>/pflichtschulungen")
@login_required
def department(department_id: int) -> str:
    """People by mandatory materials across the department's teams, with a summary per team.

    The same statements for any number of people: the department, its teams, its members as plain rows, and
    ``items_for_people`` for all of them (the counts and filters need everyone); only one page is rendered.
    """
    department = get_or_404(Department, department_id)
    if not current_user.can_review_department(department):
        abort(403)
    teams = department.teams
    teams_by_id = {team.id: team for team in teams}
    filters = matrix.Filters.from_args(request.args)
    if filters.team_id not in teams_by_id:
        filters = replace(filters, team_id=None)
    people: list[Member] = []
    team_of = {}
    for person_id, name, team_id in db.session.execute(queries.department_members(department.id)):
        people.append(Member(person_id, name))
        team_of[person_id] = teams_by_id[team_id]
    items = items_for_people([person.id for person in people], berlin_today())
    summaries = matrix.team_summaries(teams, people, items, team_of)
    return render_template(
        "review/department.html",
        department=department,
        teams=teams,
        summaries=summaries,
        total=matrix.summary_total(summaries),
        matrix=matrix.build(people, items, filters, team_of),
    )
