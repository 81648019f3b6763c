"""Training videos: the editors' uploads and transcript, and the files served to whoever may see the material."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quali_kompass.catalogue import blueprint, files, video
from quali_kompass.catalogue.editor_views import _editable_or_403, _material_form, _render_material, editor_required
from quali_kompass.catalogue.forms import PublishForm, TranscriptForm, VideoFileForm
from quali_kompass.catalogue.models import Material, StoredFile
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.frame.security import allows_large_uploads
from quali_kompass.web import get_or_404, show_refusal

PART_SAVED = {
    "video": _l("Das Video ist hochgeladen."),
    "poster": _l("Das Vorschaubild ist hochgeladen."),
    "captions": _l("Die Untertitel sind hochgeladen."),
}


def _refused(material_id: int, error: ServiceError | None, messages: list[str] | None = None) -> tuple[str, int]:
    """The editor page again, with the reason the upload or change was refused."""
    if error is not None:
        show_refusal(None, error)
    for message in messages or []:
        flash(message, "error")
    material = _editable_or_403(material_id)
    status = 413 if isinstance(error, files.FileTooLarge) else 400
    return _render_material(material, _material_form(material, formdata=None), PublishForm(formdata=None), status)


@blueprint.route("/redaktion/material/<int:material_id>/video", methods=["POST"])
@allows_large_uploads
@editor_required
def editor_video_upload(material_id: int) -> Response | tuple[str, int]:
    material = _editable_or_403(material_id)
    form = VideoFileForm()
    if not form.validate_on_submit():
        return _refused(material_id, None, [message for errors in form.errors.values() for message in errors])
    try:
        stored = video.attach_file(material, current_user, form.part.data, form.file.data)
        db.session.commit()
    except ServiceError as error:
        return _refused(material_id, error)
    flash(f"{PART_SAVED[form.part.data]} " + _("Dateiname: %(name)s", name=stored.display_name), "success")
    return redirect(url_for("catalogue.editor_material", material_id=material_id, _anchor="video-heading"))


@blueprint.route("/redaktion/material/<int:material_id>/transkript", methods=["POST"])
@editor_required
def editor_video_transcript(material_id: int) -> Response | tuple[str, int]:
    material = _editable_or_403(material_id)
    form = TranscriptForm()
    if not form.validate_on_submit():
        return _refused(material_id, None, [message for errors in form.errors.values() for message in errors])
    try:
        changed = video.save_transcript(material, current_user, form.transcript.data or "")
        db.session.commit()
    except ServiceError as error:
        return _refused(material_id, error)
    if changed:
        flash(_("Das Transkript ist gespeichert."), "success")
    return redirect(url_for("catalogue.editor_material", material_id=material_id, _anchor="transcript-heading"))


@blueprint.route("/katalog/<int:material_id>/dateien/<int:file_id>")
@login_required
def material_file(material_id: int, file_id: int) -> Response:
    """A file of the material, for whoever may see the material; 404 for everyone else, as for the page."""
    material = get_or_404(Material, material_id)
    if not material.is_visible_to(current_user) or file_id not in material.file_ids:
        abort(404)
    return files.serve(get_or_404(StoredFile, file_id))
