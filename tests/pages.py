"""Reading pages and cookies in tests: CSRF tokens, the session cookie, login sessions in the database."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from quali_kompass.accounts.models import LoginSession
from quali_kompass.database import utcnow
from quali_kompass.extensions import db

SESSION_COOKIE = "qk_session"
_CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
_VALUE = re.compile(r'value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = _CSRF_INPUT.search(html)
    assert match, "the page has no form with a CSRF token"
    value = _VALUE.search(match.group(0))
    assert value, "the CSRF input has no value"
    return value.group(1)


def without_csrf_tokens(html: str) -> str:
    """The page with its CSRF tokens blanked out: they carry a timestamp, so two renderings differ."""
    return _CSRF_INPUT.sub(lambda match: _VALUE.sub('value="TOKEN"', match.group(0)), html)


def page_token(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}"
    return csrf_token(response.get_data(as_text=True))


def session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie(SESSION_COOKIE)
    assert cookie is not None, "the client holds no session cookie"
    return cookie.value


def client_with_cookie(app: Flask, value: str) -> FlaskClient:
    """A second browser that holds a copy of a session cookie."""
    other = app.test_client()
    other.set_cookie(SESSION_COOKIE, value)
    return other


def is_logged_in(client: FlaskClient) -> bool:
    """Whether the client sees the start page rather than being sent to the login."""
    response = client.get("/")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and response.headers["Location"].startswith("/anmelden")
    return False


def age_login_sessions(app: Flask, person_id: int, *, idle: timedelta | None = None, age: timedelta | None = None):
    """Move the person's login sessions into the past instead of waiting."""
    values = {}
    if idle is not None:
        values["last_seen_at"] = utcnow() - idle
    if age is not None:
        values["created_at"] = utcnow() - age
    with app.app_context():
        db.session.execute(update(LoginSession).where(LoginSession.person_id == person_id).values(**values))
        db.session.commit()


def open_login_sessions(app: Flask, person_id: int) -> int:
    with app.app_context():
        return len(
            db.session.scalars(
                select(LoginSession).where(LoginSession.person_id == person_id, LoginSession.ended_at.is_(None))
            ).all()
        )
