"""Session dates whose attendance a team's lead still has to confirm, for the team page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from quali_kompass.catalogue.models import SessionDate, SessionRegistration
from quali_kompass.curricula.models import Completion
from quali_kompass.curricula.status import berlin_date
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Membership, Person

PENDING_DAYS = 90


@dataclass(frozen=True)
class PendingDate:
    """A begun session date with team members whose attendance is not confirmed yet."""

    session_date: SessionDate
    unconfirmed: int


def pending_attendance(team_id: int, now: datetime | None = None) -> list[PendingDate]:
    """Dates begun in the last 90 days at which active members of the team are registered but not confirmed.

    Newest first. Confirmed means what ``completions.participants`` means: a standing completion of the material
    on the Berlin day of the start. That day is not portable SQL, so the second statement fetches the completions
    of the days in question and the counting happens here; two statements whatever the number of dates or people.
    """
    now = now or utcnow()
    rows = db.session.execute(
        select(SessionDate, SessionRegistration.person_id)
        .join(SessionRegistration, SessionRegistration.session_date_id == SessionDate.id)
        .join(Membership, (Membership.person_id == SessionRegistration.person_id) & Membership.end_date.is_(None))
        .join(Person, Person.id == SessionRegistration.person_id)
        .where(
            Membership.team_id == team_id,
            Person.active.is_(True),  # the members the team page lists
            SessionRegistration.cancelled_at.is_(None),
            SessionDate.cancelled_at.is_(None),
            SessionDate.starts_at <= now,
            SessionDate.starts_at >= now - timedelta(days=PENDING_DAYS),
        )
        .options(joinedload(SessionDate.material))
        .order_by(SessionDate.starts_at.desc(), SessionDate.id)
    ).all()
    if not rows:
        return []
    days = {berlin_date(row.SessionDate.starts_at) for row in rows}
    confirmed = {
        tuple(row)
        for row in db.session.execute(
            select(Completion.person_id, Completion.material_id, Completion.completed_on).where(
                Completion.person_id.in_({row.person_id for row in rows}),
                Completion.material_id.in_({row.SessionDate.material_id for row in rows}),
                Completion.completed_on.between(min(days), max(days)),
                Completion.reset_at.is_(None),
            )
        )
    }
    open_people: dict[SessionDate, int] = defaultdict(int)
    for session_date, person_id in rows:
        if (person_id, session_date.material_id, berlin_date(session_date.starts_at)) not in confirmed:
            open_people[session_date] += 1
    return [PendingDate(session_date, count) for session_date, count in open_people.items()]
