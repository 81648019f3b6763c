"""Survey pages: the editors' list, a new survey, one survey with its results; a member's answer page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from quali_kompass.accounts.login import permission_required
from quali_kompass.catalogue.models import Tool, Topic
from quali_kompass.curricula.status import berlin_today
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.notifications.services import send_now
from quali_kompass.organisation.models import Department
from quali_kompass.surveys import blueprint, queries, services
from quali_kompass.surveys.forms import ActionForm, SurveyForm
from quali_kompass.surveys.models import LEVELS, Survey
from quali_kompass.web import show_refusal

manager_required = permission_required(services.may_manage_surveys)


def level_labels() -> dict[int, str]:
    return {0: _("kein Bedarf"), 1: _("etwas Bedarf"), 2: _("hoher Bedarf")}


blueprint.add_app_template_global(queries.my_open_surveys, "open_surveys_for_me")


@blueprint.app_context_processor
def survey_demand_context() -> dict:
    # A function, not its result: only the unmet-needs page's partial calls it.
    return {"survey_demand": queries.survey_demand, "survey_min_group": queries.MIN_GROUP}


def _survey_or_404(survey_id: int) -> Survey:
    survey = db.session.scalar(
        select(Survey)
        .where(Survey.id == survey_id)
        .options(joinedload(Survey.department), joinedload(Survey.created_by), selectinload(Survey.items))
    )
    if survey is None:
        abort(404)
    return survey


def _manageable_or_403(survey_id: int) -> Survey:
    survey = _survey_or_404(survey_id)
    if not survey.can_manage(current_user):
        abort(403)
    return survey


# Editors ----------------------------------------------------------------------------------------------------------
@blueprint.route("/redaktion/bedarfsabfragen")
@manager_required
def overview() -> str:
    surveys = db.session.scalars(queries.manageable_surveys(current_user)).all()
    respondents = queries.respondent_counts(survey.id for survey in surveys)
    rows = [(survey, queries.shown_count(respondents.get(survey.id, 0))) for survey in surveys]
    return render_template("surveys/overview.html", rows=rows, today=berlin_today())


def _survey_form() -> SurveyForm:
    form = SurveyForm()
    form.department_id.choices = [(d.id, d.name) for d in services.departments_for(current_user)]
    topics = db.session.scalars(select(Topic).options(joinedload(Topic.parent))).all()
    form.topic_ids.choices = sorted(((t.id, t.label) for t in topics), key=lambda choice: choice[1].casefold())
    form.tool_ids.choices = [(t.id, t.name) for t in db.session.scalars(select(Tool).order_by(Tool.name))]
    return form


@blueprint.route("/redaktion/bedarfsabfragen/neu", methods=["GET", "POST"])
@manager_required
def new() -> Response | tuple[str, int]:
    form = _survey_form()
    if form.validate_on_submit():
        try:
            survey = services.create(
                current_user,
                title=form.title.data,
                intro=form.intro.data or "",
                department=db.session.get(Department, form.department_id.data),
                closes_on=form.closes_on.data,
                topic_ids=form.topic_ids.data or [],
                tool_ids=form.tool_ids.data or [],
                today=berlin_today(),
            )
            db.session.commit()
            flash(_("Die Bedarfsabfrage „%(title)s“ ist als Entwurf gespeichert.", title=survey.title), "success")
            return redirect(url_for("surveys.survey", survey_id=survey.id))
        except ServiceError as error:
            show_refusal(form, error)
    return render_template(
        "surveys/new.html", form=form, max_items=queries.MAX_ITEMS
    ), 400 if form.is_submitted() else 200


@blueprint.route("/redaktion/bedarfsabfragen/<int:survey_id>")
@manager_required
def survey(survey_id: int) -> str:
    survey = _manageable_or_403(survey_id)
    today = berlin_today()
    return render_template(
        "surveys/survey.html",
        survey=survey,
        results=queries.results(survey, today),
        levels=level_labels(),
        min_group=queries.MIN_GROUP,
        form=ActionForm(formdata=None),
        today=today,
    )


@blueprint.route("/redaktion/bedarfsabfragen/<int:survey_id>/versenden", methods=["POST"])
@manager_required
def send(survey_id: int) -> Response:
    survey = _manageable_or_403(survey_id)
    if ActionForm().validate_on_submit():
        try:
            people = services.send(survey, berlin_today())
            db.session.commit()
            send_now(people, services.notification_key(survey))
            flash(
                ngettext(
                    "Die Bedarfsabfrage ist an %(num)s Person versendet.",
                    "Die Bedarfsabfrage ist an %(num)s Personen versendet.",
                    len(people),
                ),
                "success",
            )
        except ServiceError as error:
            show_refusal(None, error)
    return redirect(url_for("surveys.survey", survey_id=survey_id))


@blueprint.route("/redaktion/bedarfsabfragen/<int:survey_id>/beenden", methods=["POST"])
@manager_required
def close(survey_id: int) -> Response:
    survey = _manageable_or_403(survey_id)
    if ActionForm().validate_on_submit():
        try:
            services.close(survey, berlin_today())
            db.session.commit()
            flash(_("Die Bedarfsabfrage ist beendet."), "success")
        except ServiceError as error:
            show_refusal(None, error)
    return redirect(url_for("surveys.survey", survey_id=survey_id))


# Members ----------------------------------------------------------------------------------------------------------
def _answerable_or_403(survey_id: int) -> Survey:
    """A sent survey of the person's current department; drafts do not exist for anyone but their editors."""
    survey = _survey_or_404(survey_id)
    if survey.state == "draft":
        abort(404)
    team = current_user.current_team
    if team is None or team.department_id != survey.department_id:
        abort(403)
    return survey


def _read_levels(item_ids: list[int]) -> dict[int, int | None]:
    levels: dict[int, int | None] = {}
    for item_id in item_ids:
        value = request.form.get(f"item-{item_id}", "")
        levels[item_id] = int(value) if value.isdigit() and int(value) in LEVELS else None
    return levels


@blueprint.route("/bedarfsabfragen/<int:survey_id>", methods=["GET", "POST"])
@login_required
def answer(survey_id: int) -> Response | tuple[str, int]:
    survey = _answerable_or_403(survey_id)
    today = berlin_today()
    form = ActionForm()
    saved = queries.my_answers(survey, current_user.id)
    chosen: dict[int, int | None] = dict(saved)
    missing: list[int] = []
    status = 200
    if form.is_submitted():
        status = 400
        chosen = _read_levels([item.id for item in survey.items])
        if form.validate():
            try:
                services.answer(survey, current_user, chosen, today)
                db.session.commit()
                flash(_("Vielen Dank! Ihre Angaben sind gespeichert."), "success")
                return redirect(url_for("surveys.answer", survey_id=survey_id))
            except ServiceError as error:
                show_refusal(None, error)
                missing = [item_id for item_id, level in chosen.items() if level is None]
    return render_template(
        "surveys/answer.html",
        survey=survey,
        form=form,
        chosen=chosen,
        answered=bool(saved),
        missing=missing,
        open=survey.is_open(today),
        levels=level_labels(),
    ), status
