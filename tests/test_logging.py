"""Logs and the 500 page (OWASP ASVS 4.0.3 V7): JSON lines with a request id, no secrets, no forged lines."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask, request
from sqlalchemy import func, select, text
from werkzeug.wrappers import Response

from quali_kompass import logs
from quali_kompass.accounts.services import create_reset_token
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department
from tests.conftest import login

SECRET_PASSWORD = "Geheim123!"


class LogCapture:
    """What the app logged during a test, through the same filter and formatter as production."""

    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    @property
    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines()]

    def access(self) -> list[dict[str, Any]]:
        return [record for record in self.records if record["logger"] == "quali_kompass.access"]


def _capture(log_format: str) -> Iterator[LogCapture]:
    stream = io.StringIO()
    handler = logs.make_handler(stream, log_format)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield LogCapture(stream)
    finally:
        root.removeHandler(handler)


@pytest.fixture
def captured() -> Iterator[LogCapture]:
    yield from _capture("json")


@pytest.fixture
def captured_text() -> Iterator[LogCapture]:
    yield from _capture("text")


# Request id and the JSON line -----------------------------------------------------------------------------------
def test_a_request_writes_one_json_access_line_with_the_request_id(client, captured: LogCapture) -> None:
    response = client.get("/anmelden?next=/konto")

    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    [line] = captured.access()
    assert line["request_id"] == request_id
    assert line["level"] == "info" and line["method"] == "GET" and line["status"] == 200
    assert line["path"] == "/anmelden", "the query string is not logged"
    assert isinstance(line["duration_ms"], float)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["time"]), "UTC, ISO 8601"
    assert line["remote_addr"] == "127.0.0.1"


def test_every_request_gets_its_own_id(client) -> None:
    first, second = client.get("/anmelden"), client.get("/anmelden")
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_a_well_formed_incoming_request_id_is_kept(client, captured: LogCapture) -> None:
    response = client.get("/anmelden", headers={"X-Request-ID": "proxy-4711-abcd"})
    assert response.headers["X-Request-ID"] == "proxy-4711-abcd"
    assert captured.access()[0]["request_id"] == "proxy-4711-abcd"


@pytest.mark.parametrize(
    "incoming",
    ["kurz", "a" * 65, "abc def 12345", "abcdefgh\nforged", "abcdefgh\r\nX-Injected: 1", "<script>12345678"],
)
def test_a_malformed_incoming_request_id_is_replaced(client, captured: LogCapture, incoming: str) -> None:
    response = client.get("/anmelden", environ_base={"HTTP_X_REQUEST_ID": incoming})
    request_id = response.headers["X-Request-ID"]
    assert request_id != incoming and re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert captured.access()[0]["request_id"] == request_id
    assert incoming not in captured.text


def test_the_log_names_the_person_by_id_not_by_email(app: Flask, org: SimpleNamespace, captured) -> None:
    client = app.test_client()
    login(client, org.employee.email)
    client.get("/konto")

    assert captured.access()[-1]["person_id"] == org.employee.id
    assert org.employee.email not in captured.text


def test_the_client_address_is_the_one_behind_trusted_proxies(make_app: Callable[..., Flask], captured) -> None:
    client = make_app(QK_TRUSTED_PROXIES=1).test_client()
    client.get("/anmelden", headers={"X-Forwarded-For": "203.0.113.7"})
    assert captured.access()[0]["remote_addr"] == "203.0.113.7"


# No secrets -------------------------------------------------------------------------------------------------------
def test_a_failed_login_logs_neither_the_password_nor_the_csrf_token_nor_the_cookie(
    make_app: Callable[..., Flask], org: SimpleNamespace, captured: LogCapture
) -> None:
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    form = client.get("/anmelden").get_data(as_text=True)
    csrf_token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    response = client.post(
        "/anmelden", data={"csrf_token": csrf_token, "email": org.employee.email, "password": SECRET_PASSWORD}
    )
    assert response.status_code == 200, "the login failed, the form is shown again"
    cookie = client.get_cookie("qk_session")

    assert captured.access()[-1]["path"] == "/anmelden"
    for secret in (SECRET_PASSWORD, csrf_token, cookie.value):
        assert secret not in captured.text


def test_secrets_handed_to_a_logger_are_redacted(captured: LogCapture) -> None:
    logger = logging.getLogger("quali_kompass.test")
    logger.warning("Formular: %s", {"email": "a@b.de", "password": SECRET_PASSWORD, "csrf_token": "csrf-4711"})
    logger.warning("Anfrage mit passwort=%s und token: %s", SECRET_PASSWORD, "tok-4711")
    logger.warning("Kopfzeilen", extra={"authorization": "Bearer tok-0815", "cookie": "qk_session=abc-0815"})
    logger.warning("Aufruf", extra={"form": {"secret": "geheim-0815", "name": "Erika"}})

    for secret in (SECRET_PASSWORD, "csrf-4711", "tok-4711", "tok-0815", "abc-0815", "geheim-0815"):
        assert secret not in captured.text
    first, second, headers, call = captured.records
    assert "a@b.de" in first["message"] and logs.REDACTED in first["message"]
    assert second["message"] == f"Anfrage mit passwort={logs.REDACTED} und token: {logs.REDACTED}"
    assert headers["authorization"] == logs.REDACTED and headers["cookie"] == logs.REDACTED
    assert call["form"] == {"secret": logs.REDACTED, "name": "Erika"}


def test_a_reset_token_in_the_url_is_masked(app: Flask, org: SimpleNamespace, captured: LogCapture) -> None:
    with app.app_context():
        token = create_reset_token(db.session.get(type(org.employee), org.employee.id), None)
        db.session.commit()
    client = app.test_client()
    assert client.get(f"/passwort-zuruecksetzen/{token}?x=1").status_code == 200
    client.post(f"/passwort-zuruecksetzen/{token}", data={"new_password": "x", "new_password_repeat": "y"})
    client.get("/passwort-zuruecksetzen/falscher-token-4711")

    assert token not in captured.text and "falscher-token-4711" not in captured.text
    assert [line["path"] for line in captured.access()] == ["/passwort-zuruecksetzen/…"] * 3


def test_a_reset_token_in_a_message_is_masked_too(app: Flask, captured: LogCapture) -> None:
    logging.getLogger("werkzeug").warning('"GET /passwort-zuruecksetzen/tok-4711?next=/x HTTP/1.1" 200 -')
    assert "tok-4711" not in captured.text and "next=" not in captured.text
    assert "/passwort-zuruecksetzen/… HTTP/1.1" in captured.records[0]["message"]


# No forged lines --------------------------------------------------------------------------------------------------
FORGED = '\n{"level": "error", "message": "gefälscht"}\r\nzweite Zeile\u2028dritte'


def test_newlines_in_user_values_are_escaped_in_json(app: Flask, org: SimpleNamespace, captured) -> None:
    client = app.test_client()
    login(client, org.admin.email)
    client.get("/verwaltung/personen", query_string={"suche": "a\nb"})
    client.get("/gibt-es-nicht" + FORGED.replace("\n", "%0A").replace("\r", "%0D"))
    client.post("/anmelden", data={"email": f"x@example.de{FORGED}", "password": SECRET_PASSWORD})
    logging.getLogger("quali_kompass.test").warning("Eingabe: %s", FORGED)

    lines = captured.text.split("\n")
    assert lines.pop() == "", "every record ends with one newline"
    records = [json.loads(line) for line in lines]  # each physical line is one whole record
    assert len(records) == len(captured.text.splitlines()), "no other line breaks (\\r, U+2028) either"
    assert not any(record["message"] == "gefälscht" for record in records)
    assert "a\nb" not in captured.text and "suche" not in captured.text
    assert records[-1]["message"] == f"Eingabe: {FORGED}", "escaped, not dropped"
    assert any(record.get("status") == 404 and "gefälscht" in record["path"] for record in records)


def test_newlines_in_user_values_are_escaped_in_the_text_format(
    make_app: Callable[..., Flask], captured_text: LogCapture
) -> None:
    client = make_app(QK_LOG_FORMAT="text").test_client()
    client.get("/gibt-es-nicht" + FORGED.replace("\n", "%0A").replace("\r", "%0D"))
    logging.getLogger("quali_kompass.test").warning("Eingabe: %s", FORGED)

    lines = captured_text.text.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].endswith("status=404 duration_ms=" + lines[0].rsplit("=", 1)[1])
    assert "\\n{" in lines[0] and "\\r\\n" in lines[0] and "\\u2028" in lines[0]
    assert lines[1].endswith("Eingabe: " + logs.escape_controls(FORGED))


# The 500 page -----------------------------------------------------------------------------------------------------
@pytest.fixture
def broken_app(make_app: Callable[..., Flask]) -> Flask:
    """An app with a route that writes, then fails in the database, as an unexpected error would."""
    app = make_app()

    def broken() -> str:
        db.session.add(Department(name="Nie gespeichert"))
        db.session.flush()
        db.session.execute(text("SELECT geheime_spalte FROM tabelle_die_es_nicht_gibt"))
        raise AssertionError("not reached")

    def raises() -> str:
        raise RuntimeError(f"geheimes Detail {SECRET_PASSWORD} aus /srv/quali_kompass/config.py")

    def count_unsaved(response: Response) -> Response:
        if request.endpoint == "kaputt":
            unsaved.append(db.session.scalar(select(func.count()).where(Department.name == "Nie gespeichert")))
        return response

    unsaved: list[int] = []
    app.config["TEST_UNSAVED_AFTER_ERROR"] = unsaved
    app.add_url_rule("/kaputt", "kaputt", broken)
    app.add_url_rule("/fehler", "fehler", raises)
    app.after_request(count_unsaved)
    return app


def _errors(captured: LogCapture) -> list[dict[str, Any]]:
    return [record for record in captured.records if record["level"] == "error"]


def test_an_unexpected_error_shows_a_german_page_with_the_reference_from_the_log(
    broken_app: Flask, org: SimpleNamespace, captured: LogCapture
) -> None:
    client = broken_app.test_client()
    login(client, org.employee.email)
    response = client.get("/kaputt")

    page = response.get_data(as_text=True)
    reference = response.headers["X-Request-ID"]
    assert response.status_code == 500
    assert '<html lang="de">' in page and "Ein Fehler ist aufgetreten" in page
    assert re.search(rf"Fehlernummer:\s*<strong><code[^>]*>{reference}</code>", page)
    for leak in ("Traceback", "tabelle_die_es_nicht_gibt", "geheime_spalte", "OperationalError", "ProgrammingError"):
        assert leak not in page

    [error] = _errors(captured)
    assert error["reference"] == reference and error["request_id"] == reference
    assert error["path"] == "/kaputt" and error["person_id"] == org.employee.id
    assert "tabelle_die_es_nicht_gibt" in error["exc_info"] and error["exc_info"].startswith("Traceback")
    assert captured.access()[-1]["status"] == 500

    assert broken_app.config["TEST_UNSAVED_AFTER_ERROR"] == [0], "the error handler rolled the session back"
    with broken_app.app_context():
        assert db.session.scalar(select(func.count()).where(Department.name == "Nie gespeichert")) == 0
    assert client.get("/konto").status_code == 200, "the app still works after the error"


def test_the_500_page_shows_no_exception_text_and_keeps_an_incoming_request_id(
    broken_app: Flask, captured: LogCapture
) -> None:
    response = broken_app.test_client().get("/fehler", headers={"X-Request-ID": "helpdesk-0815-abcd"})

    page = response.get_data(as_text=True)
    assert response.status_code == 500 and response.headers["X-Request-ID"] == "helpdesk-0815-abcd"
    assert "helpdesk-0815-abcd" in page
    for leak in ("geheimes Detail", SECRET_PASSWORD, "RuntimeError", "config.py"):
        assert leak not in page
    [error] = _errors(captured)
    assert error["reference"] == "helpdesk-0815-abcd"
    assert "RuntimeError: geheimes Detail" in error["exc_info"]


def test_the_english_interface_shows_the_english_500_page(broken_app: Flask, captured: LogCapture) -> None:
    response = broken_app.test_client().get("/fehler", headers={"Accept-Language": "en"})

    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert '<html lang="en">' in page and "An error occurred" in page
    assert "Ein Fehler ist aufgetreten" not in page
    assert response.headers["X-Request-ID"] in page
    assert _errors(captured)[0]["reference"] == response.headers["X-Request-ID"]


def test_an_aborted_request_with_500_gets_a_reference_too(make_app: Callable[..., Flask], captured) -> None:
    from flask import abort

    app = make_app()
    app.add_url_rule("/abbruch", "abbruch", lambda: abort(500))
    response = app.test_client().get("/abbruch")

    assert response.status_code == 500
    assert response.headers["X-Request-ID"] in response.get_data(as_text=True)
    assert _errors(captured)[0]["reference"] == response.headers["X-Request-ID"]
