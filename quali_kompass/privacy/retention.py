"""Retention: anonymise people who left long ago and delete old access-log entries and notifications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, exists, func, select, update

from quali_kompass.accounts.models import LoginSession, PasswordResetToken
from quali_kompass.catalogue.models import SessionRegistration
from quali_kompass.curricula.models import Completion, PlanItem
from quali_kompass.extensions import db
from quali_kompass.news.models import NewsRead
from quali_kompass.notifications.models import Notification
from quali_kompass.organisation.models import Membership, Person
from quali_kompass.review.models import AccessLogEntry
from quali_kompass.statistics import services as statistics

ANONYMOUS_EMAIL_SUFFIX = "@invalid"


@dataclass
class RetentionResult:
    people: int = 0
    completions: int = 0
    plan_items: int = 0
    registrations: int = 0
    login_sessions: int = 0
    access_log_entries: int = 0
    notifications: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(vars(self))


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def anonymous_email(person_id: int) -> str:
    return f"geloescht-{person_id}{ANONYMOUS_EMAIL_SUFFIX}"


def people_due(left_before: date) -> list[int]:
    """Inactive, not yet anonymised people whose last team membership ended before ``left_before``."""
    open_membership = exists().where(Membership.person_id == Person.id, Membership.end_date.is_(None))
    last_end = select(func.max(Membership.end_date)).where(Membership.person_id == Person.id).scalar_subquery()
    query = (
        select(Person.id)
        .where(
            Person.active.is_(False),
            ~open_membership,
            last_end < left_before,
            ~Person.email.like(f"geloescht-%{ANONYMOUS_EMAIL_SUFFIX}"),
        )
        .order_by(Person.id)
    )
    return list(db.session.scalars(query))


def apply_retention(
    today: date, now: datetime, years: int, access_log_days: int, notification_days: int = 365
) -> RetentionResult:
    """Anonymise and delete in the caller's transaction; return the counts."""
    result = RetentionResult()
    ids = people_due(years_before(today, years))
    if ids:
        for person_id in ids:
            db.session.execute(
                update(Person)
                .where(Person.id == person_id)
                .values(
                    name=f"Ehemalige Person #{person_id}",
                    email=anonymous_email(person_id),
                    personnel_number=None,
                    password_hash=None,
                )
            )
        result.people = len(ids)
        statistics.forget_people(ids)  # the usage counts lose these records too
        result.completions = _delete(Completion, Completion.person_id.in_(ids))
        result.plan_items = _delete(PlanItem, PlanItem.person_id.in_(ids))
        result.registrations = _delete(SessionRegistration, SessionRegistration.person_id.in_(ids))
        result.login_sessions = _delete(LoginSession, LoginSession.person_id.in_(ids))
        _delete(PasswordResetToken, PasswordResetToken.person_id.in_(ids))
        result.notifications = _delete(Notification, Notification.person_id.in_(ids))
        _delete(NewsRead, NewsRead.person_id.in_(ids))
        # Ratings, stated needs and survey answers stay, tied to the anonymous record: they count in aggregates
        # that must not change after the fact, and nobody ever saw them with a name.
    result.access_log_entries = _delete(AccessLogEntry, AccessLogEntry.at < now - timedelta(days=access_log_days))
    result.notifications += _delete(Notification, Notification.created_at < now - timedelta(days=notification_days))
    return result


def _delete(model, condition) -> int:
    return db.session.execute(delete(model).where(condition).execution_options(synchronize_session=False)).rowcount
