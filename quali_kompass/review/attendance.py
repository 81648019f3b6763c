"""Session dates whose attendance a team's lead still has to confirm, for the team page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, select
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
    on the Berlin day of the start. That day is not portable SQL, so one statement brings each registration with
    its person's completions of the material in the whole window, and the days are compared here.
    """
    now = now or utcnow()
    begun_since = now - timedelta(days=PENDING_DAYS)
    # A day either side: the Berlin day of a start may differ from its UTC day.
    window = (begun_since.date() - timedelta(days=1), now.date() + timedelta(days=1))
    rows = db.session.execute(
        select(SessionDate, SessionRegistration.person_id, Completion.completed_on)
        .join(SessionRegistration, SessionRegistration.session_date_id == SessionDate.id)
        .join(Membership, (Membership.person_id == SessionRegistration.person_id) & Membership.end_date.is_(None))
        .join(Person, Person.id == SessionRegistration.person_id)
        .outerjoin(
            Completion,
            and_(
                Completion.person_id == SessionRegistration.person_id,
                Completion.material_id == SessionDate.material_id,
                Completion.reset_at.is_(None),
                Completion.completed_on.between(*window),
            ),
        )
        .where(
            Membership.team_id == team_id,
            Person.active.is_(True),  # the members the team page lists
            SessionRegistration.cancelled_at.is_(None),
            SessionDate.cancelled_at.is_(None),
            SessionDate.starts_at <= now,
            SessionDate.starts_at >= begun_since,
        )
        .options(joinedload(SessionDate.material))
        .order_by(SessionDate.starts_at.desc(), SessionDate.id)
    ).all()
    confirmed: dict[tuple[SessionDate, int], bool] = {}
    for session_date, person_id, completed_on in rows:
        key = (session_date, person_id)
        confirmed[key] = confirmed.get(key, False) or completed_on == berlin_date(session_date.starts_at)
    open_people: dict[SessionDate, int] = defaultdict(int)
    for (session_date, _person_id), done in confirmed.items():
        if not done:
            open_people[session_date] += 1
    return [PendingDate(session_date, count) for session_date, count in open_people.items()]
