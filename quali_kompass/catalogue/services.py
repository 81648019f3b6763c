"""Creating, editing, publishing and archiving material. Services flush and audit; the view commits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import func, select

from quali_kompass.audit.services import record
from quali_kompass.catalogue import guides
from quali_kompass.catalogue.models import Material, MaterialVersion, Tool, Topic
from quali_kompass.database import utcnow
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Person
from quali_kompass.statistics import services as statistics

# Kinds an editor can create in the browser.
EDITABLE_KINDS = ("guide", "video", "document", "link", "session")
MATERIAL_FIELDS = (
    "kind",
    "title",
    "summary",
    "duration_minutes",
    "level",
    "source",
    "language",
    "contact_name",
    "contact_email",
    "last_reviewed",
    "body",
    "external_url",
    "all_departments",
)


def save_material(
    material: Material | None,
    editor: Person,
    fields: dict[str, Any],
    topic: Topic,
    departments: Iterable[Department],
    tools: Iterable[Tool],
) -> Material:
    """Create or update a material from whitelisted fields; the editor must own both old and new departments."""
    values = {key: fields[key] for key in MATERIAL_FIELDS if key in fields}
    for key in ("title", "summary", "contact_name", "contact_email", "body", "external_url"):
        if key in values:
            values[key] = (values[key] or "").strip()
    departments = [] if values.get("all_departments") else sorted(departments, key=lambda d: d.name)
    tools = sorted(tools, key=lambda t: t.name)
    if material is not None and not editor.can_edit_material(material):
        raise ServiceError(_("Dieses Material gehört zu Fachbereichen, die Sie nicht bearbeiten dürfen."))
    if not values.get("all_departments") and not departments:
        raise ServiceError(
            _("Bitte wählen Sie mindestens einen Fachbereich oder „alle Fachbereiche“."), "department_ids"
        )
    if not editor.can_edit_departments({d.id for d in departments}, bool(values.get("all_departments"))):
        raise ServiceError(
            _("Sie dürfen nur Material Ihrer eigenen Fachbereiche anlegen und bearbeiten."), "department_ids"
        )
    if values.get("kind") not in EDITABLE_KINDS and (material is None or values.get("kind") != material.kind):
        raise ServiceError(_("Diese Art von Material kann hier noch nicht angelegt werden."), "kind")
    if values.get("external_url") and not _is_web_address(values["external_url"]):
        raise ServiceError(_("Bitte geben Sie eine Adresse an, die mit https:// oder http:// beginnt."), "external_url")

    if material is None:
        material = Material(created_by_id=editor.id, status="draft", **values)
        material.topic = topic
        material.departments = departments
        material.tools = tools
        db.session.add(material)
        db.session.flush()
        record("material_created", material, label=material.title, kind=material.kind)
        return material

    changes = {key: (getattr(material, key), value) for key, value in values.items() if getattr(material, key) != value}
    if material.topic_id != topic.id:
        changes["topic"] = (material.topic.label, topic.label)
    if [d.id for d in material.departments] != [d.id for d in departments]:
        changes["departments"] = ([d.name for d in material.departments], [d.name for d in departments])
    if [t.id for t in material.tools] != [t.id for t in tools]:
        changes["tools"] = ([t.name for t in material.tools], [t.name for t in tools])
    if not changes:
        return material
    for key, value in values.items():
        setattr(material, key, value)
    material.topic = topic
    material.departments = departments
    material.tools = tools
    db.session.flush()
    # Long texts are not copied into the log, only the fact that they changed.
    logged = {key: ("…", "…") if key in ("body", "summary") else value for key, value in changes.items()}
    record("material_changed", material, label=material.title, **logged)
    return material


def _is_web_address(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def publishing_problems(material: Material) -> list[str]:
    """What is missing before the material can be published (German, ready to show)."""
    problems = []
    if not material.summary:
        problems.append(_("Die Kurzbeschreibung fehlt."))
    if material.kind == "document" and not material.body:
        problems.append(_("Die Anleitung hat noch keinen Text."))
    if material.kind == "link" and not material.external_url:
        problems.append(_("Die Adresse des Links fehlt."))
    if material.kind == "video" and material.video_file_id is None:
        problems.append(_("Die Videodatei (MP4 oder WebM) fehlt."))
    if material.kind == "video" and material.captions_file_id is None:
        problems.append(_("Untertitel (WebVTT) fehlen – ohne Untertitel kann das Video nicht veröffentlicht werden."))
    if material.kind == "guide":
        problems.extend(guides.publishing_problems(material))
    if material.kind == "session" and not any(
        d.cancelled_at is None and d.starts_at > utcnow() for d in material.session_dates
    ):
        problems.append(_("Es gibt noch keinen kommenden Termin. Bitte legen Sie mindestens einen Termin an."))
    return problems


def publish(
    material: Material, editor: Person, change_note: str, recompletion_required: bool, grace_days: int | None = None
) -> MaterialVersion:
    """Publish the material as a new version; the first version needs no change note.

    With re-completion required, completions of earlier versions stop counting; the new version is due
    ``grace_days`` (default 30) after publication.
    """
    if not editor.can_edit_material(material):
        raise ServiceError(_("Dieses Material gehört zu Fachbereichen, die Sie nicht bearbeiten dürfen."))
    if problems := publishing_problems(material):
        raise ServiceError(" ".join([_("Das Material kann noch nicht veröffentlicht werden."), *problems]))
    change_note = change_note.strip()
    latest = db.session.scalar(
        select(func.max(MaterialVersion.number)).where(MaterialVersion.material_id == material.id)
    )
    if latest and not change_note:
        raise ServiceError(_("Bitte beschreiben Sie kurz, was sich geändert hat."), "change_note")
    now = utcnow()
    version = MaterialVersion(
        number=(latest or 0) + 1,
        change_note=change_note or _("Erste Veröffentlichung"),
        recompletion_required=bool(recompletion_required) and bool(latest),
        recompletion_grace_days=grace_days or 30,
        published_at=now,
        published_by_id=editor.id,
    )
    material.versions.insert(0, version)
    material.status = "published"
    material.published_at = now
    db.session.flush()
    if version.recompletion_required:
        statistics.forget_requirement_states(material_id=material.id)
    record(
        "material_published",
        material,
        label=material.title,
        version=version.number,
        recompletion_required=version.recompletion_required,
        grace_days=version.recompletion_grace_days if version.recompletion_required else None,
    )
    return version


def archive(material: Material, editor: Person) -> None:
    """Take the material out of the catalogue; it stays readable from history and records."""
    if not editor.can_edit_material(material):
        raise ServiceError(_("Dieses Material gehört zu Fachbereichen, die Sie nicht bearbeiten dürfen."))
    if material.status == "archived":
        return
    if material.status == "draft" and not material.versions:
        raise ServiceError(_("Ein Entwurf, der nie veröffentlicht wurde, kann nicht archiviert werden."))
    material.status = "archived"
    db.session.flush()
    record("material_archived", material, label=material.title)
