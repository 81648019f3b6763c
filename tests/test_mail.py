"""Reset links by e-mail, through a real SMTP server (aiosmtpd in its own process)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from email.message import Message
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from quali_kompass.accounts.models import PasswordResetToken
from quali_kompass.extensions import db
from tests.conftest import free_port, login
from tests.factories import PersonFactory

SENT = "Der Link wurde an erika.beispiel@jobcenter-test.de gesendet."
NOT_SENT = "Die E-Mail konnte nicht gesendet werden."


@pytest.fixture
def self_signed_certificate(tmp_path: Path) -> SimpleNamespace:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"),
            *("-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return SimpleNamespace(cert=cert, key=key)


def mail_app(make_app: Callable[..., Flask], **mail: object) -> Flask:
    app = make_app(QK_MAIL_SENDER="quali-kompass@jobcenter-test.de", **mail)
    with app.app_context():
        PersonFactory(name="Adam Admin", email="adam.admin@jobcenter-test.de", is_admin=True)
        PersonFactory(name="Erika Beispiel", email="erika.beispiel@jobcenter-test.de")
        db.session.commit()
    return app


def send_link(app: Flask) -> tuple[FlaskClient, str]:
    """Ask for a reset link by mail as the admin; return the admin's client and the page shown next."""
    admin = app.test_client()
    login(admin, "adam.admin@jobcenter-test.de")
    erika_id = erika(app)
    response = admin.post(f"/verwaltung/personen/{erika_id}/passwort-link", data={"action": "send"})
    assert response.status_code == 302 and response.headers["Location"] == f"/verwaltung/personen/{erika_id}"
    return admin, admin.get(response.headers["Location"]).get_data(as_text=True)


def erika(app: Flask) -> int:
    from quali_kompass.organisation.models import Person

    with app.app_context():
        return db.session.scalar(select(Person.id).where(Person.email == "erika.beispiel@jobcenter-test.de"))


def stored_tokens(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(PasswordResetToken.id)))


def body(message: Message) -> str:
    return message.get_payload(decode=True).decode(message.get_content_charset())


def test_the_reset_link_arrives_by_mail_and_works(make_app, smtp_server) -> None:
    app = mail_app(
        make_app, QK_MAIL_SERVER="127.0.0.1", QK_MAIL_PORT=smtp_server.port, QK_BASE_URL="https://quali.jobcenter.de"
    )

    _, page = send_link(app)

    assert SENT in page and 'id="reset-link"' not in page
    [message] = smtp_server.messages()
    assert message["To"] == "erika.beispiel@jobcenter-test.de"
    assert message["From"] == "quali-kompass@jobcenter-test.de"
    assert message["Subject"] == "Quali-Kompass: Passwort festlegen"
    text = body(message)
    assert "Guten Tag Erika Beispiel," in text
    link = next(word for word in text.split() if word.startswith("https://quali.jobcenter.de/"))
    path = link.removeprefix("https://quali.jobcenter.de")
    assert path.startswith("/passwort-zuruecksetzen/")

    browser = app.test_client()
    assert browser.get(path).status_code == 200
    new = "Mein neues Kompass-Passwort"
    assert browser.post(path, data={"new_password": new, "new_password_repeat": new}).status_code == 302
    login(app.test_client(), "erika.beispiel@jobcenter-test.de", new)


def test_without_a_mail_server_no_link_is_made(make_app) -> None:
    app = mail_app(make_app, QK_MAIL_SERVER="")

    _, page = send_link(app)

    assert NOT_SENT in page
    assert stored_tokens(app) == 0


def test_when_the_mail_server_is_down_no_link_is_left_usable(make_app) -> None:
    app = mail_app(make_app, QK_MAIL_SERVER="127.0.0.1", QK_MAIL_PORT=free_port())
    admin = app.test_client()
    login(admin, "adam.admin@jobcenter-test.de")
    shown = admin.post(f"/verwaltung/personen/{erika(app)}/passwort-link", data={"action": "show"})
    assert shown.status_code == 200

    _, page = send_link(app)

    assert NOT_SENT in page
    assert stored_tokens(app) == 1, "the failed attempt left no token behind"
    with app.app_context():
        assert db.session.scalar(select(PasswordResetToken)).used_at is None, "and changed nothing"


def test_starttls_checks_the_certificate_of_the_mail_server(
    make_app, start_smtp_server, self_signed_certificate, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = start_smtp_server(
        "--tlscert", str(self_signed_certificate.cert), "--tlskey", str(self_signed_certificate.key)
    )
    app = mail_app(make_app, QK_MAIL_SERVER="localhost", QK_MAIL_PORT=server.port, QK_MAIL_STARTTLS=True)

    _, page = send_link(app)
    assert NOT_SENT in page, "a certificate nobody vouches for is refused"
    assert server.messages() == []
    assert stored_tokens(app) == 0

    monkeypatch.setenv("SSL_CERT_FILE", str(self_signed_certificate.cert))
    _, page = send_link(app)
    assert SENT in page
    assert len(server.messages()) == 1
