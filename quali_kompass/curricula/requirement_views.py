"""Requirement pages: the list, a new requirement, one requirement with its people, rule changes and lifting it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from quali_kompass.accounts.login import permission_required
from quali_kompass.catalogue import picker
from quali_kompass.catalogue.models import Material
from quali_kompass.catalogue.picker import MaterialPicker
from quali_kompass.curricula import blueprint, queries, rendering, requirements
from quali_kompass.curricula.models import Requirement
from quali_kompass.curricula.requirement_forms import EndForm, RequirementForm, RuleChangeForm
from quali_kompass.curricula.status import STATES, berlin_today
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Membership, Person, Team
from quali_kompass.statistics import queries as statistics_queries
from quali_kompass.web import ListPage, show_refusal

PER_PAGE = 50
SCOPE_FILTERS = ("organisation", "department", "team")

manager_required = permission_required(requirements.may_manage_any)

blueprint.add_app_template_global(rendering.state_display, "requirement_state")
blueprint.add_app_template_global(rendering.rule_text, "requirement_rule_text")
blueprint.add_app_template_global(rendering.scope_text, "requirement_scope_text")
blueprint.add_app_template_global(rendering.day, "requirement_day")


def _requirement_or_404(requirement_id: int) -> Requirement:
    requirement = db.session.scalar(
        select(Requirement)
        .where(Requirement.id == requirement_id)
        .options(
            joinedload(Requirement.material),
            joinedload(Requirement.department),
            joinedload(Requirement.team).joinedload(Team.department),
            selectinload(Requirement.rules),
        )
    )
    if requirement is None:
        abort(404)
    return requirement


def _visible_or_403(requirement_id: int) -> Requirement:
    requirement = _requirement_or_404(requirement_id)
    if not requirements.can_view(current_user, requirement):
        abort(403)
    return requirement


def _is_active(requirement: Requirement, today: date) -> bool:
    return requirement.ended_on is None or requirement.ended_on > today


@blueprint.route("/pflichtschulungen")
@manager_required
def requirement_list() -> str:
    """The requirements the person may see, a page at a time, optionally of one kind of scope; the people's states
    are counted for the shown page only (an organisation has thousands of team requirements)."""
    today = berlin_today()
    scope = request.args.get("geltung", "")
    if scope not in SCOPE_FILTERS:
        scope = ""
    statement = requirements.visible_requirements(current_user)
    if scope:
        statement = statement.where(Requirement.scope == scope)
    number = max(1, request.args.get("seite", 1, type=int) or 1)
    page = db.paginate(statement, page=number, per_page=PER_PAGE, error_out=False)
    if not page.items and page.total:  # past the last page: the last page
        page = db.paginate(statement, page=page.pages, per_page=PER_PAGE)
    shown = requirements.with_details(page.items)
    # Today's counts kept by the statistics (an organisation-wide requirement has up to 100,000 people); those
    # without (new today, or changed) are counted now.
    active = {requirement.id for requirement in shown if _is_active(requirement, today)}
    counts, counted_at = statistics_queries.requirement_states(active, today) if active else ({}, None)
    uncounted = [requirement for requirement in shown if requirement.id in active and requirement.id not in counts]
    counts |= queries.counts_by_requirement(uncounted, today)
    rows = [
        (
            requirement,
            rendering.grouped_counts(counts.get(requirement.id, {})),
            requirements.can_manage(current_user, requirement),
        )
        for requirement in shown
    ]
    return render_template(
        "curricula/requirements.html",
        rows=rows,
        page=page,
        scope=scope,
        scope_filters=_scope_filters(),
        today=today,
        count_labels=rendering.COUNT_LABELS,
        counted_at=counted_at,
    )


def _scope_filters() -> dict[str, str]:
    return {"organisation": _("Ganze Organisation"), "department": _("Fachbereiche"), "team": _("Teams")}


# A new requirement -------------------------------------------------------------------------------------------------
def _scope_choices() -> list[Any]:
    scopes = requirements.scopes_for(current_user)
    choices: dict[str, list[tuple[str, str]]] = {}
    if scopes.organisation:
        choices[_("Organisation")] = [("organisation", _("Ganze Organisation"))]
    if scopes.departments:
        choices[_("Fachbereiche")] = [
            (f"department:{d.id}", _("Fachbereich %(name)s", name=d.name)) for d in scopes.departments
        ]
    if scopes.teams:
        choices[_("Teams")] = [
            (f"team:{t.id}", _("Team %(name)s (%(department)s)", name=t.name, department=t.department.name))
            for t in scopes.teams
        ]
    return choices  # type: ignore[return-value]


def _requirement_form() -> tuple[RequirementForm, MaterialPicker]:
    form = RequirementForm()
    materials = picker.offer(form.material_id, ("", _("Bitte wählen Sie ein Material aus.")))
    form.scope.choices = _scope_choices()
    return form, materials


def _create(form: RequirementForm) -> Requirement:
    """Apply a validated form through the service (raises ServiceError)."""
    material = db.session.get(Material, form.material_id.data)
    if material is None:
        raise ServiceError(_("Bitte wählen Sie ein Material."), "material_id")
    scope, _sep, target = (form.scope.data or "").partition(":")
    department = db.session.get(Department, int(target)) if scope == "department" and target.isdigit() else None
    team = db.session.get(Team, int(target)) if scope == "team" and target.isdigit() else None
    return requirements.create(
        current_user,
        material,
        scope,
        department=department,
        team=team,
        effective_from=form.effective_from.data,
        rule=form.rule_input(),
        note=form.note.data or "",
    )


@blueprint.route("/pflichtschulungen/neu", methods=["GET", "POST"])
@manager_required
def requirement_new() -> Response | tuple[str, int]:
    form, materials = _requirement_form()
    if not picker.searching() and form.validate_on_submit():
        try:
            requirement = _create(form)
            db.session.commit()
            flash(_("Die Pflichtschulung „%(title)s“ ist festgelegt.", title=requirement.material.title), "success")
            return redirect(url_for("curricula.requirement", requirement_id=requirement.id))
        except ServiceError as error:
            show_refusal(form, error)
    return render_template(
        "curricula/requirement_new.html", form=form, materials=materials
    ), 400 if form.errors else 200


# One requirement ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AssignedRow:
    person_id: int
    name: str
    team: str
    assigned_on: date
    status: Any


def _assigned(requirement: Requirement, today: date) -> list[AssignedRow]:
    """Everyone assigned whom the viewer may see: admins all, the others the people of the teams they review."""
    statuses = queries.requirement_statuses(requirement, today) if _is_active(requirement, today) else []
    if not statuses:
        return []
    reach = requirements.reach(current_user)
    people = (
        select(Person.id, Person.name, Team.name.label("team_name"), Team.id.label("team_id"))
        .outerjoin(Membership, (Membership.person_id == Person.id) & Membership.end_date.is_(None))
        .outerjoin(Team, Team.id == Membership.team_id)
        .where(Person.id.in_(queries.people_in_scope([requirement], today)))
    )
    if not reach.admin:
        people = people.where(Team.id.in_(reach.managed_team_ids))
    found = {row.id: row for row in db.session.execute(people)}
    urgency = {state: index for index, state in enumerate(STATES)}
    rows = [
        AssignedRow(person_id, found[person_id].name, found[person_id].team_name or "", assignment.assigned_on, status)
        for person_id, assignment, status in statuses
        if person_id in found
    ]
    return sorted(
        rows, key=lambda row: (urgency.get(row.status.state, len(STATES)), row.name.casefold(), row.person_id)
    )


def _render_requirement(
    requirement: Requirement,
    rule_form: RuleChangeForm | None = None,
    end_form: EndForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    today = berlin_today()
    rows = _assigned(requirement, today)
    page_number = max(1, request.args.get("seite", 1, type=int) or 1)
    page = ListPage.of(rows, page_number, PER_PAGE)
    counts = rendering.grouped_counts(rendering.state_counts([row.status.state for row in rows]))
    manageable = requirements.can_manage(current_user, requirement)
    if manageable and requirement.ended_on is None and rule_form is None:
        rule_form = RuleChangeForm(formdata=None)
        rule_form.show_rule(requirement.current_rule)
    if manageable and requirement.ended_on is None and end_form is None:
        end_form = EndForm(formdata=None)
    return render_template(
        "curricula/requirement.html",
        requirement=requirement,
        reason=rendering.scope_reason(requirement),
        rules=list(reversed(requirement.rules)),
        page=page,
        counts=counts,
        count_labels=rendering.COUNT_LABELS,
        all_people=requirements.reach(current_user).admin,
        manageable=manageable,
        rule_form=rule_form if manageable and requirement.ended_on is None else None,
        end_form=end_form if manageable and requirement.ended_on is None else None,
        today=today,
    ), status


@blueprint.route("/pflichtschulungen/<int:requirement_id>")
@manager_required
def requirement(requirement_id: int) -> tuple[str, int]:
    return _render_requirement(_visible_or_403(requirement_id))


def _manageable_or_403(requirement_id: int) -> Requirement:
    requirement = _visible_or_403(requirement_id)
    if not requirements.can_manage(current_user, requirement):
        abort(403)
    return requirement


@blueprint.route("/pflichtschulungen/<int:requirement_id>/regel", methods=["POST"])
@manager_required
def requirement_change_rule(requirement_id: int) -> Response | tuple[str, int]:
    requirement = _manageable_or_403(requirement_id)
    form = RuleChangeForm()
    if form.validate_on_submit():
        try:
            rule = requirements.change_rule(current_user, requirement, form.rule_input(), form.valid_from.data)
            db.session.commit()
            if rule is None:
                flash(_("Die Regel ist unverändert; es wurde nichts gespeichert."), "info")
            else:
                flash(_("Die neue Regel gilt ab dem %(day)s.", day=rendering.day(rule.valid_from)), "success")
            return redirect(url_for("curricula.requirement", requirement_id=requirement_id))
        except ServiceError as error:
            show_refusal(form, error)
            requirement = _requirement_or_404(requirement_id)
    return _render_requirement(requirement, rule_form=form, status=400)


@blueprint.route("/pflichtschulungen/<int:requirement_id>/aufheben", methods=["POST"])
@manager_required
def requirement_end(requirement_id: int) -> Response | tuple[str, int]:
    requirement = _manageable_or_403(requirement_id)
    form = EndForm()
    if form.validate_on_submit():
        try:
            requirements.end(current_user, requirement, form.ended_on.data)
            db.session.commit()
            flash(
                _("Die Pflichtschulung ist ab dem %(day)s aufgehoben.", day=rendering.day(requirement.ended_on)),
                "success",
            )
            return redirect(url_for("curricula.requirement", requirement_id=requirement_id))
        except ServiceError as error:
            show_refusal(form, error)
            requirement = _requirement_or_404(requirement_id)
    return _render_requirement(requirement, end_form=form, status=400)
