"""A notification for one person: shown in the app, and sent by e-mail once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, column_property, mapped_column

from quali_kompass.database import Base, UTCDateTime, utcnow
from quali_kompass.organisation.models import Person

KINDS = (
    "due_in",  # due within the next days (QK_REMINDER_DAYS)
    "due_today",
    "overdue",  # weekly while overdue or expired
    "renewal_open",  # the renewal window of a completion opened
    "assigned",  # a new mandatory item
    "plan_approved",
    "plan_declined",
    "reminder",  # sent by a lead or head
    "digest",  # a lead's weekly digest of their teams' overdue items
    "survey_open",  # a needs survey was sent to the person's department
    "need_answered",  # an editor answered a qualification need (needs.services.answer)
)
MAIL_STATES = ("pending", "sent", "failed")
MAX_MAIL_ATTEMPTS = 5


class Notification(Base):
    """What happened, with the facts to phrase it in the reader's language at the time of reading.

    ``key`` makes each notification unique per person (e.g. ``due_in:3:17:2026-12-07``), so that the daily
    reminder run can be repeated without sending anything twice.
    """

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("person_id", "key", name="uq_notification_person_key"),
        Index("ix_notification_mail_state", "mail_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(120))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mail_state: Mapped[str] = mapped_column(String(10), default="pending")
    mail_attempts: Mapped[int] = mapped_column(Integer, default=0)
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# Loaded with the logged-in person (see accounts.services.load_session), so the header's count costs no statement.
Person.unread_notifications = column_property(
    select(func.count(Notification.id))
    .where(Notification.person_id == Person.id, Notification.read_at.is_(None))
    .correlate_except(Notification)
    .scalar_subquery(),
    deferred=True,
)
