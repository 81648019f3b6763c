"""Reads for session dates: seats taken, who is registered, what one person has booked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, case, func, select

from quali_kompass.catalogue.models import Material, SessionDate, SessionRegistration
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Person


@dataclass(frozen=True)
class DateOverview:
    """A session date with its seats taken and whether the viewer is registered."""

    date: SessionDate
    registered_count: int
    viewer_registered: bool
    now: datetime

    @property
    def free(self) -> int:
        return max(self.date.capacity - self.registered_count, 0)

    @property
    def full(self) -> bool:
        return self.free == 0

    @property
    def past(self) -> bool:
        return self.date.ends_at <= self.now

    @property
    def started(self) -> bool:
        return self.date.starts_at <= self.now

    @property
    def open_for_registration(self) -> bool:
        return not self.date.cancelled and not self.started and not self.full


def registration_counts(date_ids: list[int], viewer_id: int | None) -> Select:
    """Per date: active registrations, and 1 if the viewer holds one of them."""
    return (
        select(
            SessionRegistration.session_date_id,
            func.count(SessionRegistration.id),
            func.max(case((SessionRegistration.person_id == viewer_id, 1), else_=0)),
        )
        .where(SessionRegistration.session_date_id.in_(date_ids), SessionRegistration.cancelled_at.is_(None))
        .group_by(SessionRegistration.session_date_id)
    )


def date_overviews(material: Material, viewer: Person | None) -> list[DateOverview]:
    """All dates of a material, in order, with seats taken; two statements however many dates there are."""
    dates = list(material.session_dates)
    if not dates:
        return []
    counts = {
        date_id: (count, bool(mine))
        for date_id, count, mine in db.session.execute(
            registration_counts([d.id for d in dates], viewer.id if viewer else None)
        )
    }
    now = utcnow()
    return [DateOverview(d, *counts.get(d.id, (0, False)), now=now) for d in dates]


def registered_people(session_date: SessionDate) -> Select:
    """Who is registered for the date now, by name."""
    return (
        select(Person)
        .join(SessionRegistration, SessionRegistration.person_id == Person.id)
        .where(SessionRegistration.session_date_id == session_date.id, SessionRegistration.cancelled_at.is_(None))
        .order_by(Person.name, Person.id)
    )
