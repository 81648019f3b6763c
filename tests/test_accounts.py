"""Accounts as people notice them: passwords, login sessions, the own password, reset links, the admin command."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from quali_kompass.accounts.models import PasswordResetToken
from quali_kompass.accounts.passwords import hash_password
from quali_kompass.audit.models import AuditEvent
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.organisation import services as organisation_services
from quali_kompass.organisation.models import Person
from tests.conftest import login
from tests.factories import TEST_PASSWORD, PersonFactory
from tests.pages import (
    age_login_sessions,
    client_with_cookie,
    is_logged_in,
    open_login_sessions,
    session_cookie,
    without_csrf_tokens,
)

WRONG_LOGIN = "E-Mail-Adresse oder Passwort sind nicht richtig."
TOO_COMMON = "Dieses Passwort ist zu bekannt"


@pytest.fixture
def people(create: Callable) -> SimpleNamespace:
    return SimpleNamespace(
        erika=create(PersonFactory, name="Erika Beispiel", email="erika.beispiel@jobcenter-test.de"),
        admin=create(PersonFactory, name="Adam Admin", email="adam.admin@jobcenter-test.de", is_admin=True),
    )


def try_login(client: FlaskClient, email: str, password: str):
    return client.post("/anmelden", data={"email": email, "password": password})


def logged_in_as(client: FlaskClient, email: str, password: str) -> bool:
    """Log in and say whether it worked; a fresh client is used so earlier logins do not interfere."""
    response = try_login(client, email, password)
    if response.status_code == 302:
        client.post("/abmelden")
        return True
    assert response.status_code == 200 and WRONG_LOGIN in response.get_data(as_text=True)
    return False


def change_password(client: FlaskClient, current: str, new: str, repeat: str | None = None):
    return client.post(
        "/konto/passwort",
        data={
            "current_password": current,
            "new_password": new,
            "new_password_repeat": new if repeat is None else repeat,
        },
    )


def stored_hash(app: Flask, person_id: int) -> str:
    with app.app_context():
        return db.session.get(Person, person_id).password_hash


def audit_actions(app: Flask, person_id: int) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent.action).where(AuditEvent.object_id == person_id).order_by(AuditEvent.id)
            )
        )


# Passwords ---------------------------------------------------------------------------------------------
def test_a_new_password_is_stored_as_argon2id_with_64_mib(
    app: Flask, client: FlaskClient, people, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quali_kompass.accounts import passwords
    from tests.conftest import PRODUCTION_HASHER

    monkeypatch.setattr(passwords, "_hasher", PRODUCTION_HASHER)  # the suite hashes cheaply (see conftest)
    login(client, people.erika.email)
    assert change_password(client, TEST_PASSWORD, "Neues Kompass-Passwort 2026").status_code == 302

    stored = stored_hash(app, people.erika.id)
    assert stored.startswith("$argon2id$")
    parameters = dict(part.split("=") for part in stored.split("$")[3].split(","))
    assert int(parameters["m"]) >= 65536
    assert int(parameters["t"]) >= 2
    assert "Kompass-Passwort" not in stored


def test_a_password_of_128_characters_counts_to_the_last_character(app: Flask, people) -> None:
    start = ("Ein langer Satz über den Kompass und die Schulung. " * 3)[:127]
    password = start + "X"
    assert len(password) == 128
    client = app.test_client()
    login(client, people.erika.email)
    assert change_password(client, TEST_PASSWORD, password).status_code == 302
    client.post("/abmelden")

    assert logged_in_as(app.test_client(), people.erika.email, password)
    assert not logged_in_as(app.test_client(), people.erika.email, start + "Y")
    assert not logged_in_as(app.test_client(), people.erika.email, start)


def test_passwords_of_11_and_129_characters_are_refused(client: FlaskClient, people) -> None:
    login(client, people.erika.email)
    short = change_password(client, TEST_PASSWORD, "Kurz-Pw-123")
    assert short.status_code == 400
    assert "mindestens 12 Zeichen" in short.get_data(as_text=True)

    long = change_password(client, TEST_PASSWORD, ("Ein langer Satz über den Kompass. " * 4)[:129])
    assert long.status_code == 400
    assert "höchstens 128 Zeichen" in long.get_data(as_text=True)


def test_any_unicode_works_and_nfc_and_nfd_are_the_same_password(app: Flask, people) -> None:
    password = "Grüße aus Köln 🌻 2026"
    nfc, nfd = unicodedata.normalize("NFC", password), unicodedata.normalize("NFD", password)
    assert nfc != nfd
    client = app.test_client()
    login(client, people.erika.email)
    assert change_password(client, TEST_PASSWORD, nfd).status_code == 302
    client.post("/abmelden")

    assert logged_in_as(app.test_client(), people.erika.email, nfc)
    assert logged_in_as(app.test_client(), people.erika.email, nfd)
    assert not logged_in_as(app.test_client(), people.erika.email, "Grüsse aus Köln 🌻 2026")


def test_a_long_password_typed_in_decomposed_form_still_logs_in(app: Flask, create: Callable) -> None:
    """128 characters in NFC are more in NFD (as macOS sends them); the limit applies to the password, not the bytes."""
    password = ("Grüße aus Köln, Würzburg und Düsseldorf. " * 4)[:128]
    person = create(PersonFactory, password_hash=hash_password(password))
    decomposed = unicodedata.normalize("NFD", password)
    assert len(decomposed) > 128

    assert logged_in_as(app.test_client(), person.email, decomposed)


@pytest.mark.parametrize("password", ["Passwort2026", "PASSWORT12345", "passwort12345!!", "Hallo1234567"])
def test_passwords_from_the_common_list_are_refused(app: Flask, client: FlaskClient, people, password) -> None:
    login(client, people.erika.email)
    before = stored_hash(app, people.erika.id)

    response = change_password(client, TEST_PASSWORD, password)

    assert response.status_code == 400
    assert TOO_COMMON in response.get_data(as_text=True)
    assert stored_hash(app, people.erika.id) == before


# Logging in ----------------------------------------------------------------------------------------------
def test_unknown_account_and_wrong_password_get_the_same_answer(client: FlaskClient, people) -> None:
    unknown = try_login(client, "niemand.hier@jobcenter-test.de", TEST_PASSWORD)
    wrong = try_login(client, people.erika.email, "Falsches Passwort 2026")

    assert unknown.status_code == wrong.status_code == 200
    unknown_text = without_csrf_tokens(unknown.get_data(as_text=True)).replace(
        "niemand.hier@jobcenter-test.de", "EMAIL"
    )
    wrong_text = without_csrf_tokens(wrong.get_data(as_text=True)).replace(people.erika.email, "EMAIL")
    assert WRONG_LOGIN in wrong_text
    assert unknown_text == wrong_text


def test_the_email_address_is_not_case_sensitive(client: FlaskClient, people) -> None:
    assert try_login(client, "  Erika.Beispiel@JOBCENTER-test.de ", TEST_PASSWORD).status_code == 302


# Login sessions ------------------------------------------------------------------------------------------
def test_the_session_cookie_is_renewed_at_login(app: Flask, client: FlaskClient, people) -> None:
    client.get("/anmelden")
    before_login = session_cookie(client)

    login(client, people.erika.email)

    assert session_cookie(client) != before_login
    assert not is_logged_in(client_with_cookie(app, before_login))
    assert is_logged_in(client)


def test_logout_ends_the_session_on_the_server(app: Flask, client: FlaskClient, people) -> None:
    login(client, people.erika.email)
    copy = client_with_cookie(app, session_cookie(client))
    assert is_logged_in(copy)

    response = client.post("/abmelden")

    assert response.status_code == 302 and response.headers["Location"] == "/anmelden"
    assert not is_logged_in(copy)
    assert not is_logged_in(client)
    assert open_login_sessions(app, people.erika.id) == 0


def test_a_session_ends_after_30_minutes_without_a_request(app: Flask, client: FlaskClient, people) -> None:
    login(client, people.erika.email)
    age_login_sessions(app, people.erika.id, idle=timedelta(minutes=29))
    assert is_logged_in(client)

    age_login_sessions(app, people.erika.id, idle=timedelta(minutes=31))
    assert not is_logged_in(client)
    # Once ended it stays ended, even if the clock were put back.
    age_login_sessions(app, people.erika.id, idle=timedelta(minutes=0))
    assert not is_logged_in(client)


def test_a_session_ends_after_12_hours_even_when_in_use(app: Flask, client: FlaskClient, people) -> None:
    login(client, people.erika.email)
    age_login_sessions(app, people.erika.id, age=timedelta(hours=11, minutes=50), idle=timedelta(minutes=5))
    assert is_logged_in(client)

    age_login_sessions(app, people.erika.id, age=timedelta(hours=12, minutes=1), idle=timedelta(minutes=5))
    assert not is_logged_in(client)


def test_the_session_limits_are_configurable(make_app: Callable[..., Flask]) -> None:
    app = make_app(QK_SESSION_IDLE=timedelta(minutes=5), QK_SESSION_MAX=timedelta(hours=1))
    with app.app_context():
        person = PersonFactory()
        db.session.commit()
    idle, old = app.test_client(), app.test_client()
    login(idle, person.email)
    age_login_sessions(app, person.id, idle=timedelta(minutes=6))
    login(old, person.email)
    assert not is_logged_in(idle)
    assert is_logged_in(old)

    age_login_sessions(app, person.id, age=timedelta(minutes=61))
    assert not is_logged_in(old)


def test_deactivating_a_person_ends_their_sessions_and_refuses_login(app: Flask, client: FlaskClient, people) -> None:
    login(client, people.erika.email)
    with app.app_context():
        organisation_services.set_active(db.session.get(Person, people.erika.id), False)
        db.session.commit()

    assert not is_logged_in(client)
    assert open_login_sessions(app, people.erika.id) == 0
    response = try_login(app.test_client(), people.erika.email, TEST_PASSWORD)
    assert response.status_code == 200 and WRONG_LOGIN in response.get_data(as_text=True)


# The own password ----------------------------------------------------------------------------------------
def test_a_wrong_current_password_changes_nothing(app: Flask, client: FlaskClient, people) -> None:
    login(client, people.erika.email)
    before = stored_hash(app, people.erika.id)

    response = change_password(client, "Nicht mein Passwort 1", "Neues Kompass-Passwort 2026")

    assert response.status_code == 400
    assert "Das bisherige Passwort ist nicht richtig." in response.get_data(as_text=True)
    assert stored_hash(app, people.erika.id) == before
    assert "password_changed" not in audit_actions(app, people.erika.id)


def test_repeating_the_new_password_differently_changes_nothing(app: Flask, client: FlaskClient, people) -> None:
    login(client, people.erika.email)
    before = stored_hash(app, people.erika.id)

    response = change_password(client, TEST_PASSWORD, "Neues Kompass-Passwort 2026", "Neues Kompass-Passwort 2027")

    assert response.status_code == 400
    assert "Die beiden Passwörter stimmen nicht überein." in response.get_data(as_text=True)
    assert stored_hash(app, people.erika.id) == before


def test_changing_the_password_ends_the_other_sessions_only(app: Flask, people) -> None:
    here, elsewhere = app.test_client(), app.test_client()
    login(here, people.erika.email)
    login(elsewhere, people.erika.email)

    response = change_password(here, TEST_PASSWORD, "Neues Kompass-Passwort 2026")

    assert response.status_code == 302 and response.headers["Location"] == "/konto"
    assert "Ihr neues Passwort ist gespeichert" in here.get("/konto").get_data(as_text=True)
    assert is_logged_in(here)
    assert not is_logged_in(elsewhere)
    assert open_login_sessions(app, people.erika.id) == 1
    assert "password_changed" in audit_actions(app, people.erika.id)
    assert not logged_in_as(app.test_client(), people.erika.email, TEST_PASSWORD)
    assert logged_in_as(app.test_client(), people.erika.email, "Neues Kompass-Passwort 2026")


# Reset links created by the admin --------------------------------------------------------------------
_LINK = re.compile(r'id="reset-link">\s*([^<\s]+)\s*<')


def show_reset_link(admin: FlaskClient, person_id: int) -> str:
    """Ask for a link as the admin and return its path."""
    response = admin.post(f"/verwaltung/personen/{person_id}/passwort-link", data={"action": "show"})
    assert response.status_code == 200
    match = _LINK.search(response.get_data(as_text=True))
    assert match, "the page shows no reset link"
    link = match.group(1)
    assert link.startswith("http://localhost/passwort-zuruecksetzen/")
    return link.removeprefix("http://localhost")


def set_new_password(client: FlaskClient, path: str, password: str):
    return client.post(path, data={"new_password": password, "new_password_repeat": password})


@pytest.fixture
def admin(app: Flask, people) -> FlaskClient:
    client = app.test_client()
    login(client, people.admin.email)
    return client


def test_the_admin_sees_the_link_once_and_only_its_digest_is_stored(app: Flask, admin: FlaskClient, people) -> None:
    path = show_reset_link(admin, people.erika.id)
    token = path.rsplit("/", 1)[1]

    page = admin.get(f"/verwaltung/personen/{people.erika.id}").get_data(as_text=True)
    assert token not in page and 'id="reset-link"' not in page
    with app.app_context():
        stored = db.session.scalars(select(PasswordResetToken.token_digest)).all()
    assert len(stored) == 1 and token not in stored[0]
    assert "password_reset_link_created" in audit_actions(app, people.erika.id)


def test_a_reset_link_sets_the_password_once_and_ends_the_sessions(app: Flask, admin: FlaskClient, people) -> None:
    erika = app.test_client()
    login(erika, people.erika.email)
    path = show_reset_link(admin, people.erika.id)
    browser = app.test_client()

    form = browser.get(path)
    assert form.status_code == 200 and "Neues Passwort festlegen" in form.get_data(as_text=True)
    response = set_new_password(browser, path, "Mein neues Kompass-Passwort")

    assert response.status_code == 302 and response.headers["Location"] == "/anmelden"
    assert not is_logged_in(erika)
    assert open_login_sessions(app, people.erika.id) == 0
    assert logged_in_as(app.test_client(), people.erika.email, "Mein neues Kompass-Passwort")
    assert not logged_in_as(app.test_client(), people.erika.email, TEST_PASSWORD)
    assert "password_reset" in audit_actions(app, people.erika.id)

    again = app.test_client().get(path)
    assert again.status_code == 404
    assert "nicht mehr gültig" in again.get_data(as_text=True)
    reuse = set_new_password(app.test_client(), path, "Noch ein anderes Passwort 2026")
    assert reuse.status_code == 404
    assert logged_in_as(app.test_client(), people.erika.email, "Mein neues Kompass-Passwort")


def test_a_reset_link_refuses_a_common_password(app: Flask, admin: FlaskClient, people) -> None:
    path = show_reset_link(admin, people.erika.id)
    response = set_new_password(app.test_client(), path, "Passwort2026")

    assert response.status_code == 200
    assert TOO_COMMON in response.get_data(as_text=True)
    assert app.test_client().get(path).status_code == 200, "a refused password does not use up the link"


def test_a_reset_link_expires_after_24_hours(app: Flask, admin: FlaskClient, people) -> None:
    path = show_reset_link(admin, people.erika.id)
    with app.app_context():
        reset = db.session.scalar(select(PasswordResetToken))
        assert timedelta(hours=23, minutes=59) < reset.expires_at - reset.created_at <= timedelta(hours=24)
        db.session.execute(update(PasswordResetToken).values(expires_at=utcnow() + timedelta(minutes=1)))
        db.session.commit()
    assert app.test_client().get(path).status_code == 200

    with app.app_context():
        db.session.execute(update(PasswordResetToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    response = set_new_password(app.test_client(), path, "Mein neues Kompass-Passwort")
    assert response.status_code == 404
    assert "nicht mehr gültig" in response.get_data(as_text=True)
    assert logged_in_as(app.test_client(), people.erika.email, TEST_PASSWORD)


def test_a_new_link_makes_older_links_useless(app: Flask, admin: FlaskClient, people) -> None:
    first = show_reset_link(admin, people.erika.id)
    second = show_reset_link(admin, people.erika.id)

    assert first != second
    assert set_new_password(app.test_client(), first, "Mein neues Kompass-Passwort").status_code == 404
    assert set_new_password(app.test_client(), second, "Mein neues Kompass-Passwort").status_code == 302


def test_an_unknown_token_shows_the_invalid_link_page(client: FlaskClient) -> None:
    response = client.get("/passwort-zuruecksetzen/ausgedacht")
    assert response.status_code == 404
    assert "Dieser Link ist nicht mehr gültig" in response.get_data(as_text=True)


def test_no_link_for_a_deactivated_person(app: Flask, admin: FlaskClient, people) -> None:
    path = show_reset_link(admin, people.erika.id)
    with app.app_context():
        organisation_services.set_active(db.session.get(Person, people.erika.id), False)
        db.session.commit()

    assert app.test_client().get(path).status_code == 404
    response = admin.post(
        f"/verwaltung/personen/{people.erika.id}/passwort-link", data={"action": "show"}, follow_redirects=True
    )
    assert "Für deaktivierte Personen kann kein Link erzeugt werden." in response.get_data(as_text=True)
    assert 'id="reset-link"' not in response.get_data(as_text=True)


# The create-admin command ------------------------------------------------------------------------------
_PASSWORD_LINE = re.compile(r"^Password: (\S+)$", re.MULTILINE)


def test_create_admin_prints_a_password_that_logs_in_as_admin(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["create-admin", "X@Y.de"])

    assert result.exit_code == 0, result.output
    assert "Admin: x@y.de" in result.output
    password = _PASSWORD_LINE.search(result.output).group(1)
    assert len(password) >= 12
    client = app.test_client()
    login(client, "x@y.de", password)
    assert client.get("/verwaltung/personen").status_code == 200
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.email == "x@y.de"))
        assert person.is_admin and person.active
        assert person.password_hash.startswith("$argon2id$")
        assert "admin_created" in audit_actions(app, person.id)


def test_create_admin_makes_an_existing_person_admin_with_a_new_password(app: Flask, people) -> None:
    result = app.test_cli_runner().invoke(args=["create-admin", people.erika.email])

    assert result.exit_code == 0, result.output
    password = _PASSWORD_LINE.search(result.output).group(1)
    assert logged_in_as(app.test_client(), people.erika.email, password)
    assert not logged_in_as(app.test_client(), people.erika.email, TEST_PASSWORD)
    with app.app_context():
        assert db.session.get(Person, people.erika.id).is_admin


def test_create_admin_ends_the_sessions_opened_with_the_old_password(app: Flask, people) -> None:
    erika = app.test_client()
    login(erika, people.erika.email)

    result = app.test_cli_runner().invoke(args=["create-admin", people.erika.email])

    assert result.exit_code == 0, result.output
    assert not is_logged_in(erika)


def test_create_admin_refuses_a_name_without_at_sign(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["create-admin", "keine-adresse"])
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(Person)) is None
