"""Logins, login sessions, password changes and reset links. Services flush; the view commits."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import undefer

from quali_kompass.accounts.models import LoginSession, PasswordResetToken, new_token, token_digest
from quali_kompass.accounts.passwords import hash_password, needs_rehash, verify_password
from quali_kompass.audit.services import record
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Person, access_columns

# last_seen_at is written at most this often, so that reading pages does not mean writing rows.
LAST_SEEN_GRANULARITY = timedelta(minutes=1)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(email: str, password: str) -> Person | None:
    """Return the active person with these credentials; log the failure otherwise."""
    email = normalise_email(email)
    person = db.session.scalar(select(Person).where(Person.email == email))
    valid = verify_password(person.password_hash if person else None, password)
    if not valid or person is None or not person.active:
        record("login_failed", person, actor_label=email[:254], reason=_failure_reason(person, valid))
        return None
    if needs_rehash(person.password_hash):
        person.password_hash = hash_password(password)
    return person


def _failure_reason(person: Person | None, valid: bool) -> str:
    if person is None:
        return "unknown_account"
    if not valid:
        return "wrong_password"
    return "inactive"


def start_session(person: Person) -> str:
    """Open a login session and return its token for the browser."""
    token, digest = new_token()
    now = utcnow()
    db.session.add(LoginSession(token_digest=digest, person_id=person.id, created_at=now, last_seen_at=now))
    person.last_login_at = now
    person.session_token = token
    record("login", person, actor=person)
    return token


def load_session(token: str) -> Person | None:
    """Return the person of a live login session; end it if it is idle or too old."""
    # One statement: the session, its person, and what the person may review (the navigation asks on every page).
    row = db.session.execute(
        select(LoginSession, Person, *access_columns(Person.id))
        .join(Person, Person.id == LoginSession.person_id)
        .where(LoginSession.token_digest == token_digest(token))
        .options(undefer(Person.unread_notifications))
    ).one_or_none()
    if row is None:
        return None
    login, person, *access = row
    if login.ended_at is not None:
        return None
    now = utcnow()
    config = current_app.config
    if now - login.last_seen_at > config["QK_SESSION_IDLE"] or now - login.created_at > config["QK_SESSION_MAX"]:
        login.ended_at = now
        db.session.commit()
        return None
    if not person.active:
        return None
    person.remember_access(*access)
    if now - login.last_seen_at > LAST_SEEN_GRANULARITY:
        login.last_seen_at = now
        db.session.commit()
    person.session_token = token
    return person


def end_session(token: str | None) -> None:
    if token:
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.token_digest == token_digest(token), LoginSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )


def end_sessions_of(person: Person, *, except_token: str | None = None) -> None:
    """End all login sessions of a person, but the one given."""
    statement = update(LoginSession).where(LoginSession.person_id == person.id, LoginSession.ended_at.is_(None))
    if except_token:
        statement = statement.where(LoginSession.token_digest != token_digest(except_token))
    db.session.execute(statement.values(ended_at=utcnow()))


def set_password(person: Person, password: str, *, keep_session: str | None = None) -> None:
    """Set a new password and end the person's other sessions."""
    person.password_hash = hash_password(password)
    person.password_changed_at = utcnow()
    end_sessions_of(person, except_token=keep_session)


def create_reset_token(person: Person, created_by: Person | None) -> str:
    """Return a new one-time reset token; earlier unused tokens of the person stop working."""
    now = utcnow()
    db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.person_id == person.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )
    token, digest = new_token()
    hours = current_app.config["QK_PASSWORD_RESET_HOURS"]
    db.session.add(
        PasswordResetToken(
            token_digest=digest,
            person_id=person.id,
            created_by_id=created_by.id if created_by else None,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    record("password_reset_link_created", person)
    return token


def find_reset_token(token: str, now: datetime | None = None) -> PasswordResetToken | None:
    reset = db.session.scalar(select(PasswordResetToken).where(PasswordResetToken.token_digest == token_digest(token)))
    if reset is None or not reset.is_usable(now or utcnow()) or not reset.person.active:
        return None
    return reset


def use_reset_token(reset: PasswordResetToken, password: str) -> None:
    reset.used_at = utcnow()
    set_password(reset.person, password)
    record("password_reset", reset.person, actor=reset.person)
