"""Organisation pages: the lead's own teams, and the admin's departments, teams and people."""

from __future__ import annotations

import smtplib

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from quali_kompass.accounts.login import permission_required
from quali_kompass.accounts.services import create_reset_token
from quali_kompass.curricula.queries import items_for_people
from quali_kompass.curricula.status import berlin_today
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.mail import MailNotConfigured, external_url, send_mail
from quali_kompass.organisation import blueprint, queries, services
from quali_kompass.organisation.forms import (
    MoveForm,
    NameForm,
    NewPersonForm,
    PersonByEmailForm,
    PersonForm,
    RolesForm,
    TeamForm,
)
from quali_kompass.organisation.models import Department, Person, Team
from quali_kompass.review import attendance, charts, matrix
from quali_kompass.statistics.queries import past_months
from quali_kompass.web import get_or_404, show_refusal

admin_required = permission_required(lambda person: person.can_manage_organisation)
lead_required = permission_required(lambda person: person.is_lead)


def _team_choices(include_none: bool = False) -> list[tuple[int, str]]:
    choices = [(team.id, team.label) for team in db.session.scalars(queries.all_teams())]
    return [(0, _("– kein Team –")), *choices] if include_none else choices


# The lead's view ----------------------------------------------------------------------------------
@blueprint.route("/team")
@lead_required
def my_teams() -> str:
    teams = db.session.scalars(queries.reviewable_teams(current_user.reviewable_team_ids)).all()
    return render_template("organisation/my_teams.html", teams=teams)


@blueprint.route("/team/<int:team_id>")
@lead_required
def my_team(team_id: int) -> str:
    team = db.session.scalars(select(Team).where(Team.id == team_id).options(joinedload(Team.leads))).unique().first()
    if team is None:
        abort(404)
    if not current_user.can_review_team(team):
        abort(403)
    members = [member for member in db.session.scalars(queries.team_members(team.id)) if member.active]
    today = berlin_today()
    items = items_for_people([m.id for m in members], today)
    # The trend's past months are the team's daily snapshots (one small read); this month is the matrix's today.
    trend = charts.team_trend(today, past_months(today, charts.MONTHS - 1, team_id=team.id), items)
    compliance = matrix.build(members, items, matrix.Filters.from_args(request.args))
    return render_template(
        "organisation/my_team.html",
        team=team,
        members=members,
        matrix=compliance,
        charts=charts.build(items, trend),
        pending_attendance=attendance.pending_attendance(team.id),
    )


# Administration: overview and departments ---------------------------------------------------------
@blueprint.route("/verwaltung")
@admin_required
def admin_overview() -> str:
    counts = {
        "departments": db.session.scalar(select(func.count(Department.id))),
        "teams": db.session.scalar(select(func.count(Team.id))),
        "people": db.session.scalar(select(func.count(Person.id)).where(Person.active.is_(True))),
    }
    return render_template("organisation/admin_overview.html", counts=counts)


@blueprint.route("/verwaltung/fachbereiche", methods=["GET", "POST"])
@admin_required
def admin_departments() -> Response | tuple[str, int]:
    form = NameForm()
    if form.validate_on_submit():
        try:
            department = services.save_department(None, form.name.data)
            db.session.commit()
            flash(_("Der Fachbereich „%(name)s“ ist angelegt.", name=department.name), "success")
            return redirect(url_for("organisation.admin_departments"))
        except ServiceError as error:
            show_refusal(form, error)
    rows = db.session.execute(queries.departments_with_counts()).all()
    return render_template("organisation/departments.html", form=form, rows=rows), 400 if form.errors else 200


@blueprint.route("/verwaltung/fachbereiche/<int:department_id>", methods=["GET", "POST"])
@admin_required
def admin_department(department_id: int) -> Response | tuple[str, int]:
    department = get_or_404(Department, department_id)
    form = NameForm(obj=department)
    head_form = PersonByEmailForm(prefix="head")
    if form.validate_on_submit():
        try:
            services.save_department(department, form.name.data)
            db.session.commit()
            flash(_("Der Fachbereich ist gespeichert."), "success")
            return redirect(url_for("organisation.admin_department", department_id=department.id))
        except ServiceError as error:
            show_refusal(form, error)
    teams = db.session.execute(queries.teams_with_counts(department.id)).all()
    return render_template(
        "organisation/department.html", department=department, form=form, head_form=head_form, teams=teams
    ), 400 if form.errors else 200


@blueprint.route("/verwaltung/fachbereiche/<int:department_id>/loeschen", methods=["POST"])
@admin_required
def admin_department_delete(department_id: int) -> Response:
    department = get_or_404(Department, department_id)
    name = department.name
    try:
        services.delete_department(department)
        db.session.commit()
        flash(_("Der Fachbereich „%(name)s“ ist gelöscht.", name=name), "success")
        return redirect(url_for("organisation.admin_departments"))
    except ServiceError as error:
        show_refusal(None, error)
        return redirect(url_for("organisation.admin_department", department_id=department_id))


@blueprint.route("/verwaltung/fachbereiche/<int:department_id>/leitung", methods=["POST"])
@admin_required
def admin_department_head_add(department_id: int) -> Response | tuple[str, int]:
    department = get_or_404(Department, department_id)
    head_form = PersonByEmailForm(prefix="head")
    if head_form.validate_on_submit():
        person = services.person_by_email(head_form.email.data)
        try:
            if person is None:
                raise ServiceError(_("Es gibt keine Person mit dieser E-Mail-Adresse."), "email")
            services.add_department_head(department, person)
            db.session.commit()
            flash(_("%(name)s leitet jetzt den Fachbereich.", name=person.name), "success")
            return redirect(url_for("organisation.admin_department", department_id=department.id))
        except ServiceError as error:
            show_refusal(head_form, error)
    teams = db.session.execute(queries.teams_with_counts(department.id)).all()
    return render_template(
        "organisation/department.html",
        department=department,
        form=NameForm(obj=department, formdata=None),
        head_form=head_form,
        teams=teams,
    ), 400


@blueprint.route("/verwaltung/fachbereiche/<int:department_id>/leitung/<int:person_id>/entfernen", methods=["POST"])
@admin_required
def admin_department_head_remove(department_id: int, person_id: int) -> Response:
    department = get_or_404(Department, department_id)
    person = get_or_404(Person, person_id)
    services.remove_department_head(department, person)
    db.session.commit()
    flash(_("%(name)s leitet den Fachbereich nicht mehr.", name=person.name), "success")
    return redirect(url_for("organisation.admin_department", department_id=department.id))


# Administration: teams ----------------------------------------------------------------------------
def _department_choices() -> list[tuple[int, str]]:
    return [(d.id, d.name) for d in db.session.scalars(select(Department).order_by(Department.name))]


@blueprint.route("/verwaltung/teams", methods=["GET", "POST"])
@admin_required
def admin_teams() -> Response | tuple[str, int]:
    form = TeamForm()
    form.department_id.choices = _department_choices()
    department_id = request.args.get("fachbereich", type=int)
    if request.method == "GET" and department_id:
        form.department_id.data = department_id
    if form.validate_on_submit():
        try:
            department = get_or_404(Department, form.department_id.data)
            team = services.save_team(None, form.name.data, department)
            db.session.commit()
            flash(_("Das Team „%(name)s“ ist angelegt.", name=team.name), "success")
            return redirect(url_for("organisation.admin_team", team_id=team.id))
        except ServiceError as error:
            show_refusal(form, error)
    rows = db.session.execute(queries.teams_with_counts(department_id)).all()
    return render_template(
        "organisation/teams.html", form=form, rows=rows, department_id=department_id
    ), 400 if form.errors else 200


def _render_team(team: Team, form: TeamForm, lead_form: PersonByEmailForm, status: int = 200) -> tuple[str, int]:
    members = db.session.scalars(queries.team_members(team.id)).all()
    return render_template("organisation/team.html", team=team, form=form, lead_form=lead_form, members=members), status


@blueprint.route("/verwaltung/teams/<int:team_id>", methods=["GET", "POST"])
@admin_required
def admin_team(team_id: int) -> Response | tuple[str, int]:
    team = get_or_404(Team, team_id)
    form = TeamForm(obj=team)
    form.department_id.choices = _department_choices()
    if form.validate_on_submit():
        try:
            services.save_team(team, form.name.data, get_or_404(Department, form.department_id.data))
            db.session.commit()
            flash(_("Das Team ist gespeichert."), "success")
            return redirect(url_for("organisation.admin_team", team_id=team.id))
        except ServiceError as error:
            show_refusal(form, error)
    return _render_team(team, form, PersonByEmailForm(prefix="lead", formdata=None), 400 if form.errors else 200)


@blueprint.route("/verwaltung/teams/<int:team_id>/loeschen", methods=["POST"])
@admin_required
def admin_team_delete(team_id: int) -> Response:
    team = get_or_404(Team, team_id)
    name = team.name
    try:
        services.delete_team(team)
        db.session.commit()
        flash(_("Das Team „%(name)s“ ist gelöscht.", name=name), "success")
        return redirect(url_for("organisation.admin_teams"))
    except ServiceError as error:
        show_refusal(None, error)
        return redirect(url_for("organisation.admin_team", team_id=team_id))


@blueprint.route("/verwaltung/teams/<int:team_id>/fuehrungskraefte", methods=["POST"])
@admin_required
def admin_team_lead_add(team_id: int) -> Response | tuple[str, int]:
    team = get_or_404(Team, team_id)
    lead_form = PersonByEmailForm(prefix="lead")
    if lead_form.validate_on_submit():
        person = services.person_by_email(lead_form.email.data)
        try:
            if person is None:
                raise ServiceError(_("Es gibt keine Person mit dieser E-Mail-Adresse."), "email")
            services.add_team_lead(team, person)
            db.session.commit()
            flash(_("%(name)s ist jetzt Führungskraft des Teams.", name=person.name), "success")
            return redirect(url_for("organisation.admin_team", team_id=team.id))
        except ServiceError as error:
            show_refusal(lead_form, error)
    form = TeamForm(obj=team, formdata=None)
    form.department_id.choices = _department_choices()
    return _render_team(team, form, lead_form, 400)


@blueprint.route("/verwaltung/teams/<int:team_id>/fuehrungskraefte/<int:person_id>/entfernen", methods=["POST"])
@admin_required
def admin_team_lead_remove(team_id: int, person_id: int) -> Response:
    team = get_or_404(Team, team_id)
    person = get_or_404(Person, person_id)
    services.remove_team_lead(team, person)
    db.session.commit()
    flash(_("%(name)s ist nicht mehr Führungskraft des Teams.", name=person.name), "success")
    return redirect(url_for("organisation.admin_team", team_id=team.id))


# Administration: people ---------------------------------------------------------------------------
@blueprint.route("/verwaltung/personen")
@admin_required
def admin_people() -> str:
    search = request.args.get("suche", "").strip()[:100]
    department_id = request.args.get("fachbereich", type=int)
    team_id = request.args.get("team", type=int)
    status = request.args.get("status", "active")
    if status not in {"active", "inactive", "all"}:
        status = "active"
    page = db.paginate(
        queries.people(search, department_id, team_id, status),
        page=request.args.get("seite", 1, type=int),
        per_page=50,
        error_out=False,
    )
    return render_template(
        "organisation/people.html",
        page=page,
        search=search,
        department_id=department_id,
        team_id=team_id,
        status=status,
        departments=_department_choices(),
        teams=_team_choices(),
    )


@blueprint.route("/verwaltung/personen/neu", methods=["GET", "POST"])
@admin_required
def admin_person_new() -> Response | tuple[str, int]:
    form = NewPersonForm()
    form.team_id.choices = _team_choices(include_none=True)
    if form.validate_on_submit():
        try:
            person = services.save_person(None, form.data)
            if form.team_id.data:
                services.move_person(person, get_or_404(Team, form.team_id.data), berlin_today())
            db.session.commit()
            flash(_("%(name)s ist angelegt.", name=person.name), "success")
            return redirect(url_for("organisation.admin_person", person_id=person.id))
        except ServiceError as error:
            show_refusal(form, error)
    return render_template("organisation/person_new.html", form=form), 400 if form.errors else 200


def _person_forms(person: Person) -> dict:
    roles = RolesForm(obj=person, formdata=None, prefix="roles")
    roles.editor_department_ids.choices = _department_choices()
    roles.editor_department_ids.data = [d.id for d in person.editor_departments]
    current = person.current_membership
    move = MoveForm(formdata=None, prefix="move", team_id=current.team_id if current else 0)
    move.team_id.choices = _team_choices(include_none=True)
    return {"form": PersonForm(obj=person, formdata=None), "roles_form": roles, "move_form": move}


def _render_person(person: Person, status: int = 200, **forms) -> tuple[str, int]:
    person = db.session.scalar(queries.person_detail(person.id))
    context = {**_person_forms(person), **forms}
    return render_template("organisation/person.html", person=person, **context), status


@blueprint.route("/verwaltung/personen/<int:person_id>", methods=["GET", "POST"])
@admin_required
def admin_person(person_id: int) -> Response | tuple[str, int]:
    person = get_or_404(Person, person_id)
    form = PersonForm(obj=person)
    if form.validate_on_submit():
        try:
            services.save_person(person, form.data)
            db.session.commit()
            flash(_("Die Angaben sind gespeichert."), "success")
            return redirect(url_for("organisation.admin_person", person_id=person.id))
        except ServiceError as error:
            show_refusal(form, error)
    return _render_person(person, 400 if form.errors else 200, form=form)


@blueprint.route("/verwaltung/personen/<int:person_id>/rollen", methods=["POST"])
@admin_required
def admin_person_roles(person_id: int) -> Response | tuple[str, int]:
    person = get_or_404(Person, person_id)
    form = RolesForm(prefix="roles")
    form.editor_department_ids.choices = _department_choices()
    if form.validate_on_submit():
        departments = [get_or_404(Department, i) for i in form.editor_department_ids.data or []]
        try:
            services.set_roles(person, form.data, departments)
            db.session.commit()
            flash(_("Die Rollen sind gespeichert."), "success")
            return redirect(url_for("organisation.admin_person", person_id=person.id))
        except ServiceError as error:
            show_refusal(form, error)
    return _render_person(person, 400, roles_form=form)


@blueprint.route("/verwaltung/personen/<int:person_id>/team", methods=["POST"])
@admin_required
def admin_person_move(person_id: int) -> Response | tuple[str, int]:
    person = get_or_404(Person, person_id)
    form = MoveForm(prefix="move")
    form.team_id.choices = _team_choices(include_none=True)
    if form.validate_on_submit():
        team = get_or_404(Team, form.team_id.data) if form.team_id.data else None
        try:
            services.move_person(person, team, form.start_date.data)
            db.session.commit()
            flash(_("Die Teamzugehörigkeit ist gespeichert."), "success")
            return redirect(url_for("organisation.admin_person", person_id=person.id))
        except ServiceError as error:
            show_refusal(form, error)
    return _render_person(person, 400, move_form=form)


@blueprint.route("/verwaltung/personen/<int:person_id>/passwort-link", methods=["POST"])
@admin_required
def admin_person_reset_link(person_id: int) -> Response | tuple[str, int]:
    """Create a one-time reset link and show it to the admin, or send it to the person by e-mail."""
    person = get_or_404(Person, person_id)
    if not person.active:
        flash(_("Für deaktivierte Personen kann kein Link erzeugt werden."), "error")
        return redirect(url_for("organisation.admin_person", person_id=person.id))
    send = request.form.get("action") == "send"
    token = create_reset_token(person, current_user)
    link = external_url(url_for("accounts.reset_password", token=token))
    if not send:
        db.session.commit()
        return _render_person(person, reset_link=link)
    with force_locale(person.locale):
        subject = _("Quali-Kompass: Passwort festlegen")
        body = render_template("accounts/mail_reset.txt", person=person, link=link)
    try:
        send_mail(person.email, subject, body)
    except (MailNotConfigured, OSError, smtplib.SMTPException):
        db.session.rollback()
        flash(
            _("Die E-Mail konnte nicht gesendet werden. Sie können den Link stattdessen anzeigen und weitergeben."),
            "error",
        )
        return redirect(url_for("organisation.admin_person", person_id=person.id))
    db.session.commit()
    flash(_("Der Link wurde an %(email)s gesendet. Er gilt 24 Stunden.", email=person.email), "success")
    return redirect(url_for("organisation.admin_person", person_id=person.id))
