"""Completion records in the browser: marking on the material page, the lead's page per person, attendance."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from quali_kompass.catalogue import picker
from quali_kompass.catalogue.models import Material, SessionDate
from quali_kompass.catalogue.picker import MaterialPicker
from quali_kompass.curricula import blueprint, completions, queries
from quali_kompass.curricula.completion_forms import AttendanceForm, RecordForm, ResetForm
from quali_kompass.curricula.models import Completion
from quali_kompass.curricula.status import berlin_date, berlin_today
from quali_kompass.database import utcnow
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Person
from quali_kompass.web import get_or_404, show_refusal

# Templates of other features decide with the same rule whether to link to the attendance page.
blueprint.add_app_template_global(completions.may_see_attendance, "may_confirm_attendance")


# The section on the material page ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MaterialCompletion:
    """What the viewer sees of their own records of one material."""

    can_mark: bool
    today: Completion | None  # the standing record of today, if any
    history: list[Completion]  # all others, standing and reset, newest first

    @property
    def can_undo(self) -> bool:
        return self.today is not None and self.today.method == "self"


def material_completion_context(material: Material, viewer: Person) -> dict:
    """Context of templates/curricula/_material_completion.html; one statement."""
    records = db.session.scalars(
        select(Completion)
        .where(Completion.person_id == viewer.id, Completion.material_id == material.id)
        .options(joinedload(Completion.recorded_by), joinedload(Completion.reset_by))
        .order_by(Completion.completed_on.desc(), Completion.id.desc())
    ).all()
    can_mark = material.status == "published" and material.kind in completions.SELF_STUDY_KINDS
    if not can_mark and not records:
        return {"completion": None}
    day = berlin_today()
    today = next((record for record in records if record.standing and record.completed_on == day), None)
    history = [record for record in records if record is not today]
    return {"completion": MaterialCompletion(can_mark, today, history)}


def _visible_material_or_404(material_id: int) -> Material:
    material = get_or_404(Material, material_id)
    if not material.is_visible_to(current_user):
        abort(404)
    return material


def _fulfils_a_requirement(material_id: int) -> bool:
    """Whether the material is one of the person's mandatory trainings and now fulfilled."""
    items = queries.person_items(current_user.id, berlin_today(), material_ids=[material_id])
    return any(item.status.fulfilled for item in items)


def _to_section(material_id: int) -> Response:
    return redirect(url_for("catalogue.material", material_id=material_id, _anchor="nachweis"))


@blueprint.route("/katalog/<int:material_id>/erledigt", methods=["POST"])
@login_required
def completion_mark(material_id: int) -> Response:
    material = _visible_material_or_404(material_id)
    try:
        completion = completions.mark_done(current_user, material)
        db.session.commit()
        flash(_("Erledigt am %(day)s.", day=format_date(completion.completed_on, "dd.MM.yyyy")), "success")
        if _fulfils_a_requirement(material.id):
            flash(_("Damit ist Ihre Pflichtschulung „%(title)s“ erfüllt.", title=material.title), "success")
    except ServiceError as error:
        show_refusal(None, error)
    return _to_section(material.id)


@blueprint.route("/nachweise/<int:completion_id>/zuruecknehmen", methods=["POST"])
@login_required
def completion_undo(completion_id: int) -> Response:
    completion = get_or_404(Completion, completion_id)
    material_id = completion.material_id
    try:
        completions.undo_own(current_user, completion)
        db.session.commit()
        flash(_("Ihre Markierung ist zurückgenommen."), "success")
    except ServiceError as error:
        show_refusal(None, error)
    return _to_section(material_id)


# The lead's and admin's page per person ---------------------------------------------------------------------
def _manageable_person_or_403(person_id: int) -> Person:
    person = get_or_404(Person, person_id)
    if not completions.may_manage(current_user, person):
        abort(403)
    return person


def _offer_materials(form: RecordForm) -> MaterialPicker:
    return picker.offer(form.material_id, ("", _("Bitte wählen Sie ein Material aus.")))


def _reset_form(completion_id: int, submitted: bool = False) -> ResetForm:
    """The reset form of one completion; only the submitted one reads the request."""
    if submitted:
        return ResetForm(prefix=f"reset-{completion_id}")
    return ResetForm(prefix=f"reset-{completion_id}", formdata=None)


def _render_person(
    person: Person,
    form: RecordForm,
    materials: MaterialPicker,
    failed_reset: tuple[int, ResetForm] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    records = db.session.scalars(completions.person_completions(person.id)).all()
    reset_forms = {record.id: _reset_form(record.id) for record in records if record.standing}
    if failed_reset is not None and failed_reset[0] in reset_forms:
        reset_forms[failed_reset[0]] = failed_reset[1]
    return render_template(
        "curricula/completion_person.html",
        person=person,
        records=records,
        form=form,
        materials=materials,
        reset_forms=reset_forms,
        failed_reset=failed_reset[0] if failed_reset else None,
    ), status


@blueprint.route("/nachweise/person/<int:person_id>", methods=["GET", "POST"])
@login_required
def completion_person(person_id: int) -> Response | tuple[str, int]:
    person = _manageable_person_or_403(person_id)
    form = RecordForm()
    materials = _offer_materials(form)
    if not form.is_submitted():
        form.completed_on.data = berlin_today()
    if not picker.searching() and form.validate_on_submit():
        material = db.session.get(Material, form.material_id.data)
        try:
            if material is None:
                raise ServiceError(_("Bitte wählen Sie ein Material aus."), "material_id")
            completions.record(current_user, person, material, form.completed_on.data, form.note.data)
            db.session.commit()
            flash(_("Der Nachweis für „%(title)s“ ist erfasst.", title=material.title), "success")
            return redirect(url_for("curricula.completion_person", person_id=person.id))
        except ServiceError as error:
            show_refusal(form, error)
            person = _manageable_person_or_403(person_id)
    return _render_person(person, form, materials, status=400 if form.errors else 200)


@blueprint.route("/nachweise/<int:completion_id>/zuruecksetzen", methods=["POST"])
@login_required
def completion_reset(completion_id: int) -> Response | tuple[str, int]:
    completion = get_or_404(Completion, completion_id)
    person_id = completion.person_id
    person = _manageable_person_or_403(person_id)
    form = _reset_form(completion.id, submitted=True)
    if form.validate_on_submit():
        try:
            completions.reset(current_user, completion, form.reason.data)
            db.session.commit()
            flash(_("Der Nachweis ist zurückgesetzt."), "success")
            return redirect(url_for("curricula.completion_person", person_id=person_id))
        except ServiceError as error:
            show_refusal(form, error)
            person = _manageable_person_or_403(person_id)
    record_form = RecordForm(formdata=None)
    materials = _offer_materials(record_form)
    record_form.completed_on.data = berlin_today()
    return _render_person(person, record_form, materials, (completion_id, form), 400)


# Attendance of a session date -------------------------------------------------------------------------------
def _attendance_date_or_403(date_id: int) -> SessionDate:
    session_date = get_or_404(SessionDate, date_id)
    if not completions.may_see_attendance(current_user, session_date):
        abort(403)
    return session_date


@blueprint.route("/termine/<int:date_id>/teilnahme", methods=["GET", "POST"])
@login_required
def attendance(date_id: int) -> Response | tuple[str, int]:
    session_date = _attendance_date_or_403(date_id)
    form = AttendanceForm()
    if form.validate_on_submit():
        everyone = "alle" in request.form
        if everyone:
            person_ids = [p.person.id for p in completions.participants(session_date, current_user) if not p.confirmed]
        else:
            person_ids = form.person_ids.data or []
        try:
            if everyone and not person_ids:
                raise ServiceError(_("Die Teilnahme aller Angemeldeten ist schon bestätigt."))
            confirmed = completions.confirm_attendance(current_user, session_date, person_ids)
            db.session.commit()
            if confirmed:
                flash(_("Die Teilnahme ist bestätigt (%(num)s Personen).", num=len(confirmed)), "success")
            else:
                flash(_("Die Teilnahme war schon bestätigt."), "info")
            return redirect(url_for("curricula.attendance", date_id=date_id))
        except ServiceError as error:
            show_refusal(form, error)
            if not error.field:
                return redirect(url_for("curricula.attendance", date_id=date_id))
            session_date = _attendance_date_or_403(date_id)
    return render_template(
        "curricula/attendance.html",
        session_date=session_date,
        material=session_date.material,
        day=berlin_date(session_date.starts_at),
        participants=completions.participants(session_date, current_user),
        everyone=completions.confirms_everyone(current_user, session_date),
        started=session_date.starts_at <= utcnow(),
        form=form,
    ), 400 if form.errors else 200
