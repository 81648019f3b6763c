"""Mein Kompass: what a person's start page, record of qualifications and calendar file show.

The statuses come from ``queries.person_items`` and the completions from ``queries.completion_history``; this
module only arranges them, so that page, print view, PDF and calendar say the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from quali_kompass.catalogue.models import SessionDate, SessionRegistration
from quali_kompass.curricula import calendar, queries
from quali_kompass.curricula.models import Completion
from quali_kompass.curricula.queries import PersonItem
from quali_kompass.curricula.rendering import STATE_LABELS
from quali_kompass.curricula.status import EXPIRED, STATES
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Person

LATEST_COMPLETIONS = 5


@dataclass(frozen=True)
class Group:
    state: str
    label: str
    items: list[PersonItem]


def group_items(items: list[PersonItem]) -> list[Group]:
    """The items by state, most urgent state first; states without items are left out."""
    groups = []
    for state in STATES:
        in_state = [item for item in items if item.status.state == state]
        if in_state:
            groups.append(Group(state, str(STATE_LABELS[state]), in_state))
    return groups


def standing_completions(person_id: int) -> list[Completion]:
    """The person's standing completion records, newest first (reset ones are no evidence)."""
    completions = [completion for completion in queries.completion_history(person_id) if completion.standing]
    return sorted(completions, key=lambda completion: (completion.completed_on, completion.id), reverse=True)


def latest_completions(person_id: int, limit: int = LATEST_COMPLETIONS) -> list[Completion]:
    """The person's newest standing records with their materials, for the start page: one short read, however many
    records five years have gathered."""
    newest = (Completion.completed_on.desc(), Completion.id.desc())
    # The records are limited first: joined to the whole catalogue and then limited, PostgreSQL hashed every
    # material (6 ms at 5,000 materials).
    latest = (
        select(Completion.id)
        .where(Completion.person_id == person_id, Completion.reset_at.is_(None))
        .order_by(*newest)
        .limit(limit)
        .subquery()
    )
    statement = (
        select(Completion)
        .join(latest, latest.c.id == Completion.id)
        .options(joinedload(Completion.material))
        .order_by(*newest)
    )
    return list(db.session.scalars(statement))


def method_text(completion: Completion) -> str:
    """How the completion was recorded, e.g. "erfasst von Lena Leitung"."""
    if completion.method == "self":
        return _("selbst markiert")
    name = completion.recorded_by.name if completion.recorded_by is not None else ""
    if completion.method == "attendance":
        return _("Teilnahme bestätigt von %(name)s", name=name) if name else _("Teilnahme bestätigt")
    return _("erfasst von %(name)s", name=name) if name else _("erfasst")


@dataclass(frozen=True)
class RecordRow:
    """One line of the record: a completion and, if it is the one that counts and expires, until when."""

    completion: Completion
    method: str
    valid_until: date | None
    expired: bool


def record_rows(completions: list[Completion], items: list[PersonItem]) -> list[RecordRow]:
    """The record's lines; expiry dates come from the statuses, which know the rules in force."""
    counting = {
        (item.material.id, item.status.completed_on): item.status
        for item in items
        if item.status.completed_on is not None
    }
    rows = []
    for completion in completions:
        status = counting.get((completion.material_id, completion.completed_on))
        until = status.valid_until if status is not None else None
        expired = status is not None and status.state == EXPIRED
        rows.append(RecordRow(completion, method_text(completion), until, expired))
    return rows


def upcoming_registrations(person_id: int, now: datetime) -> Select:
    """The person's active registrations for dates still to come (cancelled dates are left out)."""
    return (
        select(SessionRegistration)
        .join(SessionRegistration.session_date)
        .where(
            SessionRegistration.person_id == person_id,
            SessionRegistration.cancelled_at.is_(None),
            SessionDate.cancelled_at.is_(None),
            SessionDate.ends_at >= now,
        )
        .options(joinedload(SessionRegistration.session_date).joinedload(SessionDate.material))
        .order_by(SessionDate.starts_at)
    )


def calendar_events(
    person: Person,
    items: list[PersonItem],
    registrations: list[SessionRegistration],
    material_url: Callable[[int], str],
) -> list[calendar.Event]:
    """All-day events on the due dates of what is still to be done; timed events for registered dates."""
    events = []
    for item in items:
        if item.status.state not in calendar.DUE_STATES or item.status.due_on is None:
            continue
        reasons = "; ".join(item.reasons)
        events.append(
            calendar.Event(
                uid=calendar.due_uid(person.id, item.material.id),
                summary=_("Fällig: %(title)s", title=item.material.title),
                start=item.status.due_on,
                description=f"{STATE_LABELS[item.status.state]}. {reasons}".strip(),
                url=material_url(item.material.id),
            )
        )
    for registration in registrations:
        session_date = registration.session_date
        events.append(
            calendar.Event(
                uid=calendar.session_uid(person.id, session_date.id),
                summary=session_date.material.title,
                start=session_date.starts_at,
                end=session_date.ends_at,
                description=session_date.note,
                location=session_date.place or session_date.online_url,
                url=material_url(session_date.material_id),
            )
        )
    return events
