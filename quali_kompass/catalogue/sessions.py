"""Dates of in-person sessions and webinars, and registering for them. Services flush and audit; views commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select

from quali_kompass.audit.services import record
from quali_kompass.catalogue.models import Material, SessionDate, SessionRegistration
from quali_kompass.database import utcnow
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Person
from quali_kompass.organisation.services import person_by_email

# Editors and employees think in local time; the database stores UTC.
BERLIN = ZoneInfo("Europe/Berlin")
MAX_CAPACITY = 1000


@dataclass(frozen=True)
class DateInput:
    """A session date as typed into the editor's form, in Europe/Berlin local time."""

    day: date | None
    start: time | None
    end: time | None
    place: str = ""
    online_url: str = ""
    capacity: int | None = None
    note: str = ""
    trainer_email: str = ""  # optional: the person who runs the date and confirms attendance

    @classmethod
    def from_form(cls, data: dict[str, Any]) -> DateInput:
        return cls(
            day=data.get("day"),
            start=data.get("start_time"),
            end=data.get("end_time"),
            place=(data.get("place") or "").strip(),
            online_url=(data.get("online_url") or "").strip(),
            capacity=data.get("capacity"),
            note=(data.get("note") or "").strip(),
            trainer_email=(data.get("trainer_email") or "").strip(),
        )


def berlin_to_utc(day: date, at: time) -> datetime:
    """A wall-clock time in Berlin as an aware UTC datetime (summer and winter time alike)."""
    return datetime.combine(day, at.replace(tzinfo=None), tzinfo=BERLIN).astimezone(UTC)


def in_berlin(moment: datetime) -> datetime:
    return moment.astimezone(BERLIN)


def _is_web_address(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _checked_values(data: DateInput) -> dict[str, Any]:
    """The columns of a date from the input; raises ServiceError at the field at fault."""
    if data.day is None:
        raise ServiceError(_("Bitte geben Sie das Datum an."), "day")
    if data.start is None:
        raise ServiceError(_("Bitte geben Sie die Anfangszeit an."), "start_time")
    if data.end is None:
        raise ServiceError(_("Bitte geben Sie die Endzeit an."), "end_time")
    starts_at, ends_at = berlin_to_utc(data.day, data.start), berlin_to_utc(data.day, data.end)
    if ends_at <= starts_at:
        raise ServiceError(_("Das Ende muss nach dem Beginn liegen."), "end_time")
    if not data.place and not data.online_url:
        raise ServiceError(_("Bitte geben Sie einen Ort, einen Link zur Online-Teilnahme oder beides an."), "place")
    if data.online_url and not _is_web_address(data.online_url):
        raise ServiceError(_("Bitte geben Sie eine Adresse an, die mit https:// oder http:// beginnt."), "online_url")
    if data.capacity is None or not 1 <= data.capacity <= MAX_CAPACITY:
        raise ServiceError(
            _("Bitte geben Sie zwischen 1 und %(max)d Plätze an.", max=MAX_CAPACITY),
            "capacity",
        )
    trainer = None
    if data.trainer_email:
        trainer = person_by_email(data.trainer_email)
        if trainer is None or not trainer.active:
            raise ServiceError(_("Unter dieser E-Mail-Adresse ist keine aktive Person bekannt."), "trainer_email")
    return {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": data.place,
        "online_url": data.online_url,
        "capacity": data.capacity,
        "note": data.note,
        "trainer_id": trainer.id if trainer else None,
    }


def _check_editor(material: Material, editor: Person) -> None:
    if not editor.can_edit_material(material):
        raise ServiceError(_("Dieses Material gehört zu Fachbereichen, die Sie nicht bearbeiten dürfen."))
    if material.kind != "session":
        raise ServiceError(_("Termine gibt es nur bei Präsenzschulungen und Webinaren."))


def active_registrations(session_date: SessionDate) -> int:
    return db.session.scalar(
        select(func.count(SessionRegistration.id)).where(
            SessionRegistration.session_date_id == session_date.id, SessionRegistration.cancelled_at.is_(None)
        )
    )


def add_date(material: Material, editor: Person, data: DateInput) -> SessionDate:
    """Add an upcoming date to a session material."""
    _check_editor(material, editor)
    values = _checked_values(data)
    if values["starts_at"] <= utcnow():
        raise ServiceError(_("Der Termin liegt in der Vergangenheit. Bitte wählen Sie ein späteres Datum."), "day")
    session_date = SessionDate(**values)
    material.session_dates.append(session_date)
    db.session.flush()
    record("session_date_added", session_date, label=material.title, **_logged(values))
    return session_date


def change_date(session_date: SessionDate, editor: Person, data: DateInput) -> SessionDate:
    """Change a date that is not cancelled; it cannot move into the past or below its registrations."""
    material = session_date.material
    _check_editor(material, editor)
    if session_date.cancelled:
        raise ServiceError(_("Ein abgesagter Termin kann nicht mehr geändert werden."))
    values = _checked_values(data)
    if values["starts_at"] != session_date.starts_at and values["starts_at"] <= utcnow():
        raise ServiceError(_("Der Termin liegt in der Vergangenheit. Bitte wählen Sie ein späteres Datum."), "day")
    registered = active_registrations(session_date)
    if values["capacity"] < registered:
        raise ServiceError(
            _(
                "Es sind schon %(num)s Personen angemeldet. Bitte geben Sie mindestens so viele Plätze an.",
                num=registered,
            ),
            "capacity",
        )
    changes = {key: (getattr(session_date, key), value) for key, value in values.items()}
    changes = {key: change for key, change in changes.items() if change[0] != change[1]}
    if not changes:
        return session_date
    for key, value in values.items():
        setattr(session_date, key, value)
    db.session.flush()
    record("session_date_changed", session_date, label=material.title, **_logged(changes))
    return session_date


def cancel_date(session_date: SessionDate, editor: Person) -> None:
    """Call off a date; its registrations stay for the record."""
    _check_editor(session_date.material, editor)
    if session_date.cancelled:
        return
    if session_date.ends_at <= utcnow():
        raise ServiceError(_("Ein vergangener Termin kann nicht mehr abgesagt werden."))
    session_date.cancelled_at = utcnow()
    db.session.flush()
    record(
        "session_date_cancelled",
        session_date,
        label=session_date.material.title,
        starts_at=session_date.starts_at.isoformat(),
        registrations=active_registrations(session_date),
    )


def _logged(values: dict[str, Any]) -> dict[str, Any]:
    """Times as ISO text, the note only as the fact that it changed."""

    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, datetime) else value

    logged = {}
    for key, value in values.items():
        if key == "note":
            logged[key] = "…"
        elif isinstance(value, tuple):
            logged[key] = tuple(plain(item) for item in value)
        else:
            logged[key] = plain(value)
    return logged


def register(session_date: SessionDate, person: Person) -> SessionRegistration:
    """Register the person for an upcoming date with a free seat; concurrent last-seat requests cannot overbook."""
    # Lock the date row (PostgreSQL) and read it afresh, so that a cancellation or the last seat is seen.
    db.session.refresh(session_date, with_for_update=True)
    material = session_date.material
    if material.status != "published":
        raise ServiceError(_("Für dieses Angebot ist keine Anmeldung möglich."))
    if session_date.cancelled:
        raise ServiceError(_("Dieser Termin ist abgesagt. Eine Anmeldung ist nicht möglich."))
    if session_date.starts_at <= utcnow():
        raise ServiceError(_("Dieser Termin hat schon begonnen. Eine Anmeldung ist nicht mehr möglich."))
    if _active_registration(session_date, person) is not None:
        raise ServiceError(_("Sie sind für diesen Termin schon angemeldet."))
    if active_registrations(session_date) >= session_date.capacity:
        raise ServiceError(_("Dieser Termin ist leider ausgebucht."))
    registration = SessionRegistration(session_date_id=session_date.id, person_id=person.id, registered_at=utcnow())
    db.session.add(registration)
    db.session.flush()
    # Counted again after the insert: a registration that slipped in meanwhile makes this one fail, not overbook.
    if active_registrations(session_date) > session_date.capacity:
        raise ServiceError(_("Dieser Termin ist leider ausgebucht."))
    record(
        "session_registered",
        session_date,
        label=material.title,
        starts_at=session_date.starts_at.isoformat(),
    )
    return registration


def unregister(session_date: SessionDate, person: Person) -> None:
    """Withdraw the person's registration from a date that has not begun."""
    registration = _active_registration(session_date, person)
    if registration is None:
        raise ServiceError(_("Sie sind für diesen Termin nicht angemeldet."))
    if session_date.starts_at <= utcnow():
        raise ServiceError(_("Dieser Termin hat schon begonnen. Eine Abmeldung ist nicht mehr möglich."))
    registration.cancelled_at = utcnow()
    db.session.flush()
    record(
        "session_unregistered",
        session_date,
        label=session_date.material.title,
        starts_at=session_date.starts_at.isoformat(),
    )


def _active_registration(session_date: SessionDate, person: Person) -> SessionRegistration | None:
    return db.session.scalar(
        select(SessionRegistration).where(
            SessionRegistration.session_date_id == session_date.id,
            SessionRegistration.person_id == person.id,
            SessionRegistration.cancelled_at.is_(None),
        )
    )
