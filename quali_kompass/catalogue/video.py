"""Training videos: the video file, its poster image and captions, and the transcript. Services flush and audit."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from quali_kompass.audit.services import record
from quali_kompass.catalogue import files
from quali_kompass.catalogue.models import Material, StoredFile
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Person

# The parts of a video and what each accepts: content types and the setting with its size limit in MB.
PARTS = {
    "video": (("video/mp4", "video/webm"), "QK_MAX_VIDEO_MB"),
    "poster": (("image/png", "image/jpeg", "image/webp"), "QK_MAX_REQUEST_MB"),
    "captions": (("text/vtt",), "QK_MAX_REQUEST_MB"),
}
TRANSCRIPT_MAX = 200_000


def _check_editor(material: Material, editor: Person) -> None:
    if not editor.can_edit_material(material):
        raise ServiceError(_("Dieses Material gehört zu Fachbereichen, die Sie nicht bearbeiten dürfen."))
    if material.kind != "video":
        raise ServiceError(_("Video, Vorschaubild, Untertitel und Transkript gibt es nur bei Schulungsvideos."))


def attach_file(material: Material, editor: Person, part: str, upload: FileStorage | None) -> StoredFile:
    """Store the uploaded video, poster or captions for the material; a file it replaces is removed."""
    _check_editor(material, editor)
    if part not in PARTS:
        raise ServiceError(_("Unbekannter Teil des Videos."))
    if upload is None or not upload.filename:
        raise ServiceError(_("Bitte wählen Sie eine Datei aus."))
    content_types, limit_setting = PARTS[part]
    max_bytes = int(current_app.config[limit_setting]) * 1024 * 1024
    stored = files.store(upload, content_types, max_bytes, editor)
    old = getattr(material, f"{part}_file")
    setattr(material, f"{part}_file", stored)
    db.session.flush()
    if old is not None:
        files.discard(old)
        db.session.flush()
    record(
        "material_file_attached",
        material,
        label=material.title,
        part=part,
        file=stored.display_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        replaced=old.display_name if old is not None else None,
    )
    return stored


def save_transcript(material: Material, editor: Person, transcript: str) -> bool:
    """Set the transcript (plain text); True if it changed."""
    _check_editor(material, editor)
    transcript = (transcript or "").replace("\r\n", "\n").strip()
    if len(transcript) > TRANSCRIPT_MAX:
        raise ServiceError(_("Das Transkript ist zu lang (höchstens %(count)d Zeichen).", count=TRANSCRIPT_MAX))
    if transcript == material.transcript:
        return False
    material.transcript = transcript
    db.session.flush()
    record("material_changed", material, label=material.title, transcript=("…", "…"))
    return True
