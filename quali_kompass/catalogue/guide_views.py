"""Click-through guides: the editors' step pages and the PDF of a guide for everyone who may see it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quali_kompass.catalogue import blueprint, guide_pdf, guides
from quali_kompass.catalogue.editor_views import _editable_or_403, _material_form, _render_material, editor_required
from quali_kompass.catalogue.forms import GuideStepForm, PublishForm
from quali_kompass.catalogue.models import GuideStep
from quali_kompass.catalogue.views import _visible_material_or_404
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.web import get_or_404, show_refusal


def _editable_step_or_404(guide_id: int, step_id: int) -> GuideStep:
    material = _editable_or_403(guide_id)
    step = get_or_404(GuideStep, step_id)
    if step.material_id != material.id:
        abort(404)
    return step


def _highlight(form: GuideStepForm) -> guides.Highlight | None:
    return guides.Highlight.from_percent(*form.highlight_percentages())


def _steps_anchor(material_id: int) -> str:
    return url_for("catalogue.editor_material", material_id=material_id, _anchor="steps-heading")


@blueprint.route("/redaktion/material/<int:guide_id>/schritte", methods=["POST"])
@editor_required
def editor_guide_step_add(guide_id: int) -> Response | tuple[str, int]:
    material = _editable_or_403(guide_id)
    step_form = GuideStepForm()
    if step_form.validate_on_submit():
        try:
            step = guides.add_step(
                material,
                current_user,
                step_form.instruction.data,
                step_form.alt_text.data,
                step_form.image.data,
                _highlight(step_form),
            )
            db.session.commit()
            flash(_("Schritt %(number)d ist angelegt.", number=step.position), "success")
            return redirect(_steps_anchor(material.id))
        except ServiceError as error:
            show_refusal(step_form, error)
            material = _editable_or_403(guide_id)
    return _render_material(
        material, _material_form(material, formdata=None), PublishForm(formdata=None), 400, step_form=step_form
    )


@blueprint.route("/redaktion/material/<int:guide_id>/schritte/<int:step_id>", methods=["GET", "POST"])
@editor_required
def editor_guide_step(guide_id: int, step_id: int) -> Response | tuple[str, int]:
    step = _editable_step_or_404(guide_id, step_id)
    # The stored highlight is in per mille, the form's in percent: only a form without input is filled from it.
    form = GuideStepForm() if request.method == "POST" else GuideStepForm(obj=step, formdata=None)
    if request.method != "POST":
        form.show_highlight(step.highlight)
    if form.validate_on_submit():
        try:
            changed = guides.update_step(
                step, current_user, form.instruction.data, form.alt_text.data, form.image.data, _highlight(form)
            )
            db.session.commit()
            if changed:
                flash(_("Schritt %(number)d ist gespeichert.", number=step.position), "success")
            return redirect(_steps_anchor(guide_id))
        except ServiceError as error:
            show_refusal(form, error)
            step = _editable_step_or_404(guide_id, step_id)
    return render_template("catalogue/editor_guide_step.html", step=step, material=step.material, form=form), (
        400 if form.errors or request.method == "POST" else 200
    )


@blueprint.route("/redaktion/material/<int:guide_id>/schritte/<int:step_id>/verschieben", methods=["POST"])
@editor_required
def editor_guide_step_move(guide_id: int, step_id: int) -> Response:
    step = _editable_step_or_404(guide_id, step_id)
    offset = {"hoch": -1, "runter": 1}.get(request.form.get("richtung", ""))
    if offset is None:
        flash(_("Bitte wählen Sie, ob der Schritt nach oben oder nach unten soll."), "error")
        return redirect(_steps_anchor(guide_id))
    old_position = step.position
    try:
        if guides.move_step(step, current_user, offset):
            db.session.commit()
            flash(_("Schritt %(old)d ist jetzt Schritt %(new)d.", old=old_position, new=step.position), "success")
    except ServiceError as error:
        show_refusal(None, error)
    return redirect(_steps_anchor(guide_id))


@blueprint.route("/redaktion/material/<int:guide_id>/schritte/<int:step_id>/entfernen", methods=["POST"])
@editor_required
def editor_guide_step_remove(guide_id: int, step_id: int) -> Response:
    step = _editable_step_or_404(guide_id, step_id)
    position = step.position
    try:
        guides.remove_step(step, current_user)
        db.session.commit()
        flash(_("Schritt %(number)d ist entfernt.", number=position), "success")
    except ServiceError as error:
        show_refusal(None, error)
    return redirect(_steps_anchor(guide_id))


@blueprint.route("/katalog/<int:guide_id>/pdf")
@login_required
def material_pdf(guide_id: int) -> Response:
    """The guide with all its steps as a PDF file to download."""
    material = _visible_material_or_404(guide_id)
    if material.kind != "guide":
        abort(404)
    return guide_pdf.download(material)
