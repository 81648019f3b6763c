"""Creating notifications (daily run, plan decisions, a lead's reminder) and sending them by e-mail."""

from __future__ import annotations

import smtplib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import insert, select, tuple_, update

from quali_kompass.curricula.queries import PersonItem, items_for_people
from quali_kompass.curricula.status import EXPIRED, OVERDUE
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.mail import MailNotConfigured, external_url, send_mail
from quali_kompass.notifications import reminders
from quali_kompass.notifications.messages import compose
from quali_kompass.notifications.models import MAX_MAIL_ATTEMPTS, Notification
from quali_kompass.notifications.reminders import LateEntry, Planned
from quali_kompass.organisation.models import Membership, Person, Team, team_leads

KEY_CHUNK = 500
MAIL_MAX_AGE = timedelta(days=14)  # older unsent mails are dropped: the app shows them, the occasion has passed


def reminder_days() -> tuple[int, ...]:
    return reminders.parse_reminder_days(current_app.config["QK_REMINDER_DAYS"])


# Creating ------------------------------------------------------------------------------------------------------
def create(planned: Sequence[Planned]) -> list[Planned]:
    """Insert the planned notifications a person does not have yet (by key); return those inserted."""
    wanted = list({(entry.person_id, entry.key): entry for entry in planned}.values())
    existing: set[tuple[int, str]] = set()
    for start in range(0, len(wanted), KEY_CHUNK):
        pairs = [(entry.person_id, entry.key) for entry in wanted[start : start + KEY_CHUNK]]
        existing.update(
            db.session.execute(
                select(Notification.person_id, Notification.key).where(
                    tuple_(Notification.person_id, Notification.key).in_(pairs)
                )
            )
        )
    new = [entry for entry in wanted if (entry.person_id, entry.key) not in existing]
    if new:
        now = utcnow()
        db.session.execute(
            insert(Notification),
            [
                {"person_id": e.person_id, "kind": e.kind, "key": e.key, "params": e.params, "created_at": now}
                for e in new
            ],
        )
    return new


def notify(person_id: int, kind: str, key: str, params: dict) -> bool:
    """Create one notification in the caller's transaction; False if the person already has this key."""
    return bool(create([Planned(person_id, kind, key, params)]))


@dataclass
class RunResult:
    created: Counter = field(default_factory=Counter)  # by kind

    @property
    def total(self) -> int:
        return sum(self.created.values())


def _late_entries_by_lead(items: dict[int, list[PersonItem]]) -> dict[int, list[LateEntry]]:
    """Every lead's overdue items of the current members of the teams they lead (two statements)."""
    members = db.session.execute(
        select(Membership.person_id, Person.name, Team.id, Team.name)
        .join(Person, Person.id == Membership.person_id)
        .join(Team, Team.id == Membership.team_id)
        .where(Membership.end_date.is_(None), Person.active.is_(True))
    )
    late_by_team: dict[int, list[LateEntry]] = defaultdict(list)
    for person_id, person_name, team_id, team_name in members:
        for item in items.get(person_id, ()):
            if item.status.state in (OVERDUE, EXPIRED):
                late_by_team[team_id].append(LateEntry(person_name, team_name, item.material.title, item.status.due_on))
    entries: dict[int, list[LateEntry]] = defaultdict(list)
    leads = db.session.execute(
        select(team_leads.c.person_id, team_leads.c.team_id)
        .join(Person, Person.id == team_leads.c.person_id)
        .where(Person.active.is_(True))
    )
    for lead_id, team_id in leads:
        entries[lead_id].extend(late_by_team.get(team_id, ()))
    return entries


def daily_run(today: date) -> RunResult:
    """Create today's reminders and the leads' weekly digests, in the caller's transaction."""
    people = list(db.session.scalars(select(Person.id).where(Person.active.is_(True)).order_by(Person.id)))
    items = items_for_people(people, today)
    planned = reminders.plan_people(items, today, reminder_days())
    for lead_id, entries in _late_entries_by_lead(items).items():
        digest = reminders.plan_digest(lead_id, entries, today)
        if digest is not None:
            planned.append(digest)
    return RunResult(Counter(entry.kind for entry in create(planned)))


def remind(sender: Person, items: dict[int, list[PersonItem]], today: date) -> tuple[list[int], int]:
    """A lead's reminder to these people about their open items, at most one per sender, person and day.

    Returns the ids of the people reminded now and the number already reminded by the sender today.
    """
    planned = []
    for person_id, person_items in items.items():
        entries = reminders.reminder_entries(person_items)
        if entries:
            key = f"reminder:{today}:{sender.id}"
            planned.append(Planned(person_id, "reminder", key, {"sender": sender.name, "items": entries}))
    new = create(planned)
    return [entry.person_id for entry in new], len(planned) - len(new)


def send_now(person_ids: int | Sequence[int], key: str) -> DeliveryResult:
    """Mail the just committed notifications with ``key`` of these people; what fails waits for the daily run."""
    ids = [person_ids] if isinstance(person_ids, int) else list(person_ids)
    if not current_app.config["QK_MAIL_SERVER"] or not ids:
        return DeliveryResult(configured=bool(current_app.config["QK_MAIL_SERVER"]))
    notification_ids = db.session.scalars(
        select(Notification.id).where(Notification.person_id.in_(ids), Notification.key == key)
    ).all()
    return deliver_pending(ids=notification_ids)


# Reading -------------------------------------------------------------------------------------------------------
def mark_read(person_id: int, notification_id: int | None = None) -> int:
    """Mark one or all unread notifications of a person as read; the number marked."""
    statement = update(Notification).where(Notification.person_id == person_id, Notification.read_at.is_(None))
    if notification_id is not None:
        statement = statement.where(Notification.id == notification_id)
    return db.session.execute(statement.values(read_at=utcnow()).execution_options(synchronize_session=False)).rowcount


# Sending -------------------------------------------------------------------------------------------------------
@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0  # gave up after MAX_MAIL_ATTEMPTS, or too old
    retry: int = 0  # failed now, tried again on the next run
    configured: bool = True


def _mail_for(notification: Notification, person: Person) -> tuple[str, str]:
    """Subject and body in the person's language."""
    with force_locale(person.locale or "de"):
        message = compose(notification)
        subject = _("Quali-Kompass: %(title)s", title=message.title)
        link = external_url(message.link) if message.link else ""
        body = render_template("notifications/mail.txt", person=person, message=message, link=link)
    return subject, body


def deliver_pending(now: datetime | None = None, ids: Sequence[int] | None = None) -> DeliveryResult:
    """Send the pending mails (all, or those of ``ids``), one commit per mail so that none is sent twice."""
    result = DeliveryResult(configured=bool(current_app.config["QK_MAIL_SERVER"]))
    if not result.configured:
        return result
    now = now or utcnow()
    statement = (
        select(Notification, Person)
        .join(Person, Person.id == Notification.person_id)
        .where(Notification.mail_state == "pending")
        .order_by(Notification.id)
    )
    if ids is not None:
        statement = statement.where(Notification.id.in_(ids))
    for notification, person in db.session.execute(statement).all():
        if not person.active or now - notification.created_at > MAIL_MAX_AGE:
            notification.mail_state = "failed"
            result.failed += 1
            db.session.commit()
            continue
        subject, body = _mail_for(notification, person)
        try:
            send_mail(person.email, subject, body)
        except (MailNotConfigured, OSError, smtplib.SMTPException) as error:
            notification.mail_attempts += 1
            current_app.logger.warning("Notification %s not mailed: %s", notification.id, error)
            if notification.mail_attempts >= MAX_MAIL_ATTEMPTS:
                notification.mail_state = "failed"
                result.failed += 1
            else:
                result.retry += 1
        else:
            notification.mail_state, notification.mailed_at = "sent", utcnow()
            result.sent += 1
        db.session.commit()
    return result
