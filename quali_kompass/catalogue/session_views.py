"""Session dates: editors add, change and cancel them; everyone logged in registers and unregisters."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from quali_kompass.catalogue import blueprint, rendering, session_queries, sessions
from quali_kompass.catalogue.editor_views import _editable_or_403, _material_form, _render_material, editor_required
from quali_kompass.catalogue.forms import PublishForm
from quali_kompass.catalogue.models import SessionDate
from quali_kompass.catalogue.session_forms import SessionDateForm
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.web import get_or_404, show_refusal

# Dates read the same on the editor's and the employee's pages.
blueprint.add_app_template_global(rendering.session_day, "session_day")
blueprint.add_app_template_global(rendering.session_times, "session_times")


def _editable_date_or_403(date_id: int) -> SessionDate:
    session_date = get_or_404(SessionDate, date_id)
    if not current_user.can_edit_material(session_date.material):
        abort(403)
    return session_date


@blueprint.route("/redaktion/material/<int:material_id>/termine", methods=["POST"])
@editor_required
def editor_session_date_add(material_id: int) -> Response | tuple[str, int]:
    material = _editable_or_403(material_id)
    if material.kind != "session":
        flash(_("Termine gibt es nur bei Präsenzschulungen und Webinaren."), "error")
        return redirect(url_for("catalogue.editor_material", material_id=material.id))
    date_form = SessionDateForm()
    if date_form.validate_on_submit():
        try:
            sessions.add_date(material, current_user, sessions.DateInput.from_form(date_form.data))
            db.session.commit()
            flash(_("Der Termin ist angelegt."), "success")
            return redirect(url_for("catalogue.editor_material", material_id=material.id, _anchor="termine"))
        except ServiceError as error:
            show_refusal(date_form, error)
            material = _editable_or_403(material_id)
    return _render_material(
        material, _material_form(material, formdata=None), PublishForm(formdata=None), 400, date_form=date_form
    )


def _render_date(session_date: SessionDate, form: SessionDateForm, status: int = 200) -> tuple[str, int]:
    overview = session_queries.date_overviews(session_date.material, None)
    return render_template(
        "catalogue/editor_session_date.html",
        session_date=session_date,
        material=session_date.material,
        overview=next(item for item in overview if item.date.id == session_date.id),
        people=db.session.scalars(session_queries.registered_people(session_date)).all(),
        form=form,
    ), status


@blueprint.route("/redaktion/termine/<int:date_id>", methods=["GET", "POST"])
@editor_required
def editor_session_date(date_id: int) -> Response | tuple[str, int]:
    session_date = _editable_date_or_403(date_id)
    form = SessionDateForm()
    if not form.is_submitted():
        form.fill_from(session_date)
    if form.validate_on_submit():
        try:
            sessions.change_date(session_date, current_user, sessions.DateInput.from_form(form.data))
            db.session.commit()
            flash(_("Der Termin ist gespeichert."), "success")
            return redirect(url_for("catalogue.editor_session_date", date_id=date_id))
        except ServiceError as error:
            show_refusal(form, error)
            session_date = _editable_date_or_403(date_id)
    return _render_date(session_date, form, 400 if form.errors else 200)


@blueprint.route("/redaktion/termine/<int:date_id>/absagen", methods=["POST"])
@editor_required
def editor_session_date_cancel(date_id: int) -> Response:
    session_date = _editable_date_or_403(date_id)
    try:
        sessions.cancel_date(session_date, current_user)
        db.session.commit()
        flash(_("Der Termin ist abgesagt. Die Anmeldungen bleiben zur Nachverfolgung gespeichert."), "success")
    except ServiceError as error:
        show_refusal(None, error)
    return redirect(url_for("catalogue.editor_session_date", date_id=date_id))


def _visible_date_or_404(date_id: int) -> SessionDate:
    """The date if its material is visible to this person; 404 otherwise, as for the material itself."""
    session_date = get_or_404(SessionDate, date_id)
    if not session_date.material.is_visible_to(current_user):
        abort(404)
    return session_date


def _back_to(session_date: SessionDate) -> Response:
    return redirect(
        url_for("catalogue.material", material_id=session_date.material_id, _anchor=f"termin-{session_date.id}")
    )


@blueprint.route("/katalog/termine/<int:date_id>/anmelden", methods=["POST"])
@login_required
def session_register(date_id: int) -> Response:
    session_date = _visible_date_or_404(date_id)
    try:
        sessions.register(session_date, current_user)
        db.session.commit()
        flash(_("Sie sind angemeldet."), "success")
    except ServiceError as error:
        show_refusal(None, error)
    except IntegrityError:  # a second click that raced the first past the check
        db.session.rollback()
        flash(_("Sie sind für diesen Termin schon angemeldet."), "error")
    return _back_to(session_date)


@blueprint.route("/katalog/termine/<int:date_id>/abmelden", methods=["POST"])
@login_required
def session_unregister(date_id: int) -> Response:
    session_date = _visible_date_or_404(date_id)
    try:
        sessions.unregister(session_date, current_user)
        db.session.commit()
        flash(_("Sie sind abgemeldet."), "success")
    except ServiceError as error:
        show_refusal(None, error)
    return _back_to(session_date)
