"""Writing, changing and deleting news, and marking news read. Services flush and audit; the view commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete

from quali_kompass.audit.services import record
from quali_kompass.catalogue.models import Material
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.news.models import NewsItem, NewsRead
from quali_kompass.organisation.models import Department, Person

NEWS_FIELDS = ("title", "body", "publish_at", "pinned", "all_departments")
MAX_MATERIALS = 20


def save_news(
    item: NewsItem | None,
    editor: Person,
    fields: dict[str, Any],
    departments: Iterable[Department],
    materials: Iterable[Material],
) -> NewsItem:
    """Create or update a news item from whitelisted fields; the editor must own both old and new departments."""
    values = {key: fields[key] for key in NEWS_FIELDS if key in fields}
    for key in ("title", "body"):
        values[key] = (values.get(key) or "").strip()
    values["pinned"] = bool(values.get("pinned"))
    values["all_departments"] = bool(values.get("all_departments"))
    departments = [] if values["all_departments"] else sorted(set(departments), key=lambda d: d.name)
    materials = sorted(set(materials), key=lambda m: (m.title, m.id))
    if item is not None and not item.can_edit(editor):
        raise ServiceError(_("Diese Neuigkeit gehört zu Fachbereichen, die Sie nicht bearbeiten dürfen."))
    if not values["title"]:
        raise ServiceError(_("Bitte füllen Sie dieses Feld aus."), "title")
    if not values["all_departments"] and not departments:
        raise ServiceError(
            _("Bitte wählen Sie mindestens einen Fachbereich oder „alle Fachbereiche“."), "department_ids"
        )
    if not editor.can_edit_departments({d.id for d in departments}, values["all_departments"]):
        raise ServiceError(_("Sie dürfen Neuigkeiten nur für Ihre eigenen Fachbereiche schreiben."), "department_ids")
    if not isinstance(values.get("publish_at"), datetime):
        raise ServiceError(_("Bitte geben Sie Datum und Uhrzeit der Veröffentlichung an."), "publish_day")
    if any(material.status != "published" for material in materials):
        raise ServiceError(_("Verknüpfen Sie bitte nur veröffentlichtes Material."), "material_ids")
    if len(materials) > MAX_MATERIALS:
        raise ServiceError(_("Bitte verknüpfen Sie höchstens %(max)d Materialien.", max=MAX_MATERIALS), "material_ids")

    if item is None:
        item = NewsItem(author_id=editor.id, **values)
        item.departments = departments
        item.materials = materials
        db.session.add(item)
        db.session.flush()
        record("news_created", item, label=item.title, publish_at=item.publish_at, pinned=item.pinned)
        return item

    changes = {key: (getattr(item, key), value) for key, value in values.items() if getattr(item, key) != value}
    if [d.id for d in item.departments] != [d.id for d in departments]:
        changes["departments"] = ([d.name for d in item.departments], [d.name for d in departments])
    if [m.id for m in item.materials] != [m.id for m in materials]:
        changes["materials"] = ([m.title for m in item.materials], [m.title for m in materials])
    if not changes:
        return item
    for key, value in values.items():
        setattr(item, key, value)
    item.departments = departments
    item.materials = materials
    db.session.flush()
    # The text is not copied into the log, only the fact that it changed.
    record("news_changed", item, label=item.title, **{k: ("…", "…") if k == "body" else v for k, v in changes.items()})
    return item


def delete_news(item: NewsItem, editor: Person) -> None:
    """Delete the item with its read marks."""
    if not item.can_edit(editor):
        raise ServiceError(_("Diese Neuigkeit gehört zu Fachbereichen, die Sie nicht bearbeiten dürfen."))
    record("news_deleted", item, label=item.title)
    # Explicitly, as SQLite does not enforce the foreign key's ON DELETE CASCADE.
    db.session.execute(delete(NewsRead).where(NewsRead.news_id == item.id))
    db.session.delete(item)
    db.session.flush()


def mark_read(item: NewsItem, person: Person) -> bool:
    """Note that the person opened the item (not audited: nobody else sees it); False if already noted."""
    if item.read_at is not None:
        return False
    # Opened twice at the same moment, the second insert fails on the unique pair; the view lets it go.
    db.session.add(NewsRead(person_id=person.id, news_id=item.id))
    return True
