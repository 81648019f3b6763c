"""The editors' pages: their materials, creating and editing, publishing versions, archiving."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from quali_kompass.accounts.login import permission_required
from quali_kompass.catalogue import blueprint, editor_queries, queries, services, session_queries
from quali_kompass.catalogue.forms import GuideStepForm, MaterialForm, PublishForm
from quali_kompass.catalogue.models import Material, Tool, Topic
from quali_kompass.catalogue.rendering import KIND_LABELS, STATUS_LABELS
from quali_kompass.catalogue.session_forms import SessionDateForm
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department
from quali_kompass.web import get_or_404, show_refusal

editor_required = permission_required(lambda person: person.can_edit_catalogue)


def _editable_or_403(material_id: int) -> Material:
    material = get_or_404(Material, material_id)
    if not current_user.can_edit_material(material):
        abort(403)
    return material


def _material_form(material: Material | None = None, formdata=None) -> MaterialForm:
    kwargs = {} if formdata is None else {"formdata": formdata}
    form = MaterialForm(obj=material, **kwargs)
    kinds = list(services.EDITABLE_KINDS)
    if material is not None and material.kind not in kinds:
        kinds.append(material.kind)
    form.kind.choices = [(kind, KIND_LABELS[kind]) for kind in kinds]
    form.topic_id.choices = [(topic.id, topic.label) for topic in db.session.scalars(queries.topic_choices())]
    form.department_ids.choices = editor_queries.department_choices(current_user)
    form.tool_ids.choices = [(row.id, row.name) for row in db.session.execute(queries.tool_choices())]
    if material is not None and not form.is_submitted():
        form.department_ids.data = [d.id for d in material.departments]
        form.tool_ids.data = [t.id for t in material.tools]
    return form


def _save(material: Material | None, form: MaterialForm) -> Material:
    """Apply a validated form through the service (raises ServiceError)."""
    topic = db.session.get(Topic, form.topic_id.data)
    if topic is None:
        raise ServiceError(_("Bitte wählen Sie ein Thema."), "topic_id")
    departments = [d for i in form.department_ids.data or [] if (d := db.session.get(Department, i))]
    tools = [t for i in form.tool_ids.data or [] if (t := db.session.get(Tool, i))]
    return services.save_material(material, current_user, form.data, topic, departments, tools)


@blueprint.route("/redaktion")
@editor_required
def editor_materials() -> str:
    status = request.args.get("status", "")
    if status not in STATUS_LABELS:
        status = ""
    page = db.paginate(
        editor_queries.editable_materials(current_user, status),
        page=request.args.get("seite", 1, type=int),
        per_page=50,
        error_out=False,
    )
    return render_template(
        "catalogue/editor_materials.html", page=page, status=status, kinds=KIND_LABELS, statuses=STATUS_LABELS
    )


@blueprint.route("/redaktion/material/neu", methods=["GET", "POST"])
@editor_required
def editor_material_new() -> Response | tuple[str, int]:
    form = _material_form()
    if not form.topic_id.choices:
        flash(_("Bitte legen Sie zuerst ein Thema an."), "info")
    if form.validate_on_submit():
        try:
            material = _save(None, form)
            db.session.commit()
            flash(_("„%(title)s“ ist als Entwurf gespeichert.", title=material.title), "success")
            return redirect(url_for("catalogue.editor_material", material_id=material.id))
        except ServiceError as error:
            show_refusal(form, error)
    return render_template("catalogue/editor_material_new.html", form=form), 400 if form.errors else 200


def _render_material(
    material: Material,
    form: MaterialForm,
    publish_form: PublishForm,
    status: int = 200,
    date_form=None,
    step_form=None,
):
    is_session = material.kind == "session"
    is_guide = material.kind == "guide"
    return render_template(
        "catalogue/editor_material.html",
        material=material,
        form=form,
        publish_form=publish_form,
        problems=services.publishing_problems(material),
        kinds=KIND_LABELS,
        statuses=STATUS_LABELS,
        session_dates=session_queries.date_overviews(material, None) if is_session else None,
        date_form=(date_form or SessionDateForm(formdata=None)) if is_session else None,
        step_form=(step_form or GuideStepForm(formdata=None)) if is_guide else None,
    ), status


@blueprint.route("/redaktion/material/<int:material_id>", methods=["GET", "POST"])
@editor_required
def editor_material(material_id: int) -> Response | tuple[str, int]:
    material = _editable_or_403(material_id)
    form = _material_form(material)
    if form.validate_on_submit():
        try:
            _save(material, form)
            db.session.commit()
            flash(_("Die Änderungen sind gespeichert."), "success")
            return redirect(url_for("catalogue.editor_material", material_id=material.id))
        except ServiceError as error:
            show_refusal(form, error)
    return _render_material(material, form, PublishForm(formdata=None), 400 if form.errors else 200)


@blueprint.route("/redaktion/material/<int:material_id>/veroeffentlichen", methods=["POST"])
@editor_required
def editor_material_publish(material_id: int) -> Response | tuple[str, int]:
    material = _editable_or_403(material_id)
    publish_form = PublishForm()
    if publish_form.validate_on_submit():
        try:
            version = services.publish(
                material,
                current_user,
                publish_form.change_note.data or "",
                publish_form.recompletion_required.data,
                publish_form.recompletion_grace_days.data,
            )
            db.session.commit()
            flash(_("Version %(number)d ist veröffentlicht.", number=version.number), "success")
            return redirect(url_for("catalogue.editor_material", material_id=material.id))
        except ServiceError as error:
            show_refusal(publish_form, error)
            material = _editable_or_403(material_id)
    return _render_material(material, _material_form(material, formdata=None), publish_form, 400)


@blueprint.route("/redaktion/material/<int:material_id>/archivieren", methods=["POST"])
@editor_required
def editor_material_archive(material_id: int) -> Response:
    material = _editable_or_403(material_id)
    try:
        services.archive(material, current_user)
        db.session.commit()
        flash(_("„%(title)s“ ist archiviert und erscheint nicht mehr im Katalog.", title=material.title), "success")
    except ServiceError as error:
        show_refusal(None, error)
    return redirect(url_for("catalogue.editor_material", material_id=material_id))
