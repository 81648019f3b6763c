"""Security as an attacker would probe it: throttling, CSRF, cookies and headers, redirects, access, audit, errors."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quali_kompass.accounts.models import PasswordResetToken
from quali_kompass.audit.models import AuditEvent
from quali_kompass.audit.services import record
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Person
from tests.conftest import login
from tests.factories import TEST_PASSWORD, PersonFactory
from tests.pages import csrf_token, is_logged_in, page_token
from tests.sample import sample_url_values

TOO_MANY = "Zu viele Versuche"
CSRF_PAGE = "Das Formular ist abgelaufen"


def add_person(app: Flask, **fields: Any) -> Person:
    with app.app_context():
        person = PersonFactory(**fields)
        db.session.commit()
        return person


def attempt(app: Flask, email: str, password: str = "Falsches Passwort 2026", address: str = "10.0.0.1"):
    """One login attempt from a new browser at the given address."""
    client = app.test_client()
    return client.post("/anmelden", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def limited_app(make_app: Callable[..., Flask], account: str = "3 per minute", client: str = "100 per minute", **more):
    return make_app(RATELIMIT_ENABLED=True, QK_LOGIN_LIMIT_ACCOUNT=account, QK_LOGIN_LIMIT_CLIENT=client, **more)


# Login throttling ------------------------------------------------------------------------------------
def test_the_fourth_wrong_attempt_for_an_account_is_refused_from_any_address(make_app) -> None:
    app = limited_app(make_app)
    erika = add_person(app, email="erika@jobcenter-test.de")
    olga = add_person(app, email="olga@jobcenter-test.de")

    for number in range(3):
        assert attempt(app, erika.email, address=f"10.0.0.{number + 1}").status_code == 200

    blocked = attempt(app, erika.email, address="10.0.0.99")
    assert blocked.status_code == 429
    assert TOO_MANY in blocked.get_data(as_text=True)
    assert attempt(app, erika.email, TEST_PASSWORD, address="10.0.0.98").status_code == 429, "even the right password"
    assert attempt(app, olga.email, TEST_PASSWORD, address="10.0.0.1").status_code == 302, "other accounts are open"
    with app.app_context():
        blocked_entries = db.session.scalars(
            select(AuditEvent.actor_label).where(AuditEvent.action == "login_throttled")
        ).all()
    assert blocked_entries == [erika.email, erika.email], "each refused attempt is in the audit log"


def test_the_account_limit_ignores_the_spelling_of_the_address(make_app) -> None:
    app = limited_app(make_app)
    add_person(app, email="erika@jobcenter-test.de")

    for email in ("erika@jobcenter-test.de", "ERIKA@jobcenter-test.de", " Erika@Jobcenter-Test.de "):
        assert attempt(app, email).status_code == 200
    assert attempt(app, "erika@JOBCENTER-TEST.DE").status_code == 429


def test_logging_in_successfully_does_not_use_up_the_attempts(make_app) -> None:
    app = limited_app(make_app)
    erika = add_person(app, email="erika@jobcenter-test.de")

    for _ in range(2):
        assert attempt(app, erika.email).status_code == 200
    for _ in range(4):
        assert attempt(app, erika.email, TEST_PASSWORD).status_code == 302
    assert attempt(app, erika.email).status_code == 200


def test_the_client_limit_blocks_many_accounts_from_one_address(make_app) -> None:
    app = limited_app(make_app, account="100 per minute", client="3 per minute")
    olga = add_person(app, email="olga@jobcenter-test.de")

    for number in range(3):
        assert attempt(app, f"person{number}@jobcenter-test.de", address="192.0.2.7").status_code == 200

    blocked = attempt(app, olga.email, TEST_PASSWORD, address="192.0.2.7")
    assert blocked.status_code == 429
    assert TOO_MANY in blocked.get_data(as_text=True)
    assert attempt(app, olga.email, TEST_PASSWORD, address="192.0.2.8").status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_client_limit(make_app) -> None:
    app = limited_app(make_app, account="100 per minute", client="2 per minute")

    def forged(number: int):
        return app.test_client().post(
            "/anmelden",
            data={"email": f"person{number}@jobcenter-test.de", "password": "Falsches Passwort 2026"},
            headers={"X-Forwarded-For": f"198.51.100.{number}"},
            environ_base={"REMOTE_ADDR": "192.0.2.7"},
        )

    assert [forged(number).status_code for number in range(3)] == [200, 200, 429]


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(make_app) -> None:
    app = limited_app(make_app, account="100 per minute", client="2 per minute", QK_TRUSTED_PROXIES=1)

    def via_proxy(client_address: str):
        return app.test_client().post(
            "/anmelden",
            data={"email": "jemand@jobcenter-test.de", "password": "Falsches Passwort 2026"},
            headers={"X-Forwarded-For": client_address},
            environ_base={"REMOTE_ADDR": "10.1.1.1"},
        )

    assert [via_proxy("198.51.100.1").status_code for _ in range(3)] == [200, 200, 429]
    assert via_proxy("198.51.100.2").status_code == 200


def test_parallel_guesses_cannot_exceed_the_account_limit(make_app) -> None:
    """Each guess takes a fifth of a second (argon2); guesses sent at once must still be counted one by one."""
    app = limited_app(make_app)
    erika = add_person(app, email="erika@jobcenter-test.de")
    guesses = 8
    start = threading.Barrier(guesses)
    statuses: list[int] = []

    def guess(number: int) -> None:
        client = app.test_client()
        start.wait()
        response = client.post(
            "/anmelden",
            data={"email": erika.email, "password": f"Falsches Passwort {number}"},
            environ_base={"REMOTE_ADDR": f"10.0.1.{number}"},
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=(number,)) for number in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200] * 3 + [429] * 5


def test_guessing_the_current_password_on_the_account_page_counts_as_login_attempts(make_app) -> None:
    app = limited_app(make_app)
    erika = add_person(app, email="erika@jobcenter-test.de")
    client = app.test_client()
    login(client, erika.email)
    new = "Neues Kompass-Passwort 2026"

    def change(current: str):
        data = {"current_password": current, "new_password": new, "new_password_repeat": new}
        return client.post("/konto/passwort", data=data)

    assert [change(f"Geraten {number} 2026").status_code for number in range(3)] == [400, 400, 400]
    assert change(TEST_PASSWORD).status_code == 429
    assert attempt(app, erika.email, TEST_PASSWORD).status_code == 429, "the login is throttled as well"


def test_app_instances_share_the_count_through_redis(make_app, redis_url: str) -> None:
    import redis

    first = limited_app(make_app, RATELIMIT_STORAGE_URI=redis_url)
    second = limited_app(make_app, RATELIMIT_STORAGE_URI=redis_url)
    email = f"redis-{uuid.uuid4().hex}@jobcenter-test.de"
    add_person(first, email=email)
    server = redis.Redis.from_url(redis_url)
    try:
        statuses = [attempt(app, email, address="10.0.0.1").status_code for app in (first, second, first)]
        assert statuses == [200, 200, 200]
        assert server.keys(f"*{email}*"), "the attempts are counted in Redis"

        assert attempt(second, email, TEST_PASSWORD, address="10.0.0.2").status_code == 429
        assert attempt(first, email, TEST_PASSWORD, address="10.0.0.3").status_code == 429
    finally:
        for key in server.keys(f"*{email}*"):
            server.delete(key)


# CSRF ------------------------------------------------------------------------------------------------
@pytest.fixture
def csrf_app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(WTF_CSRF_ENABLED=True)


def login_with_token(client: FlaskClient, email: str, password: str = TEST_PASSWORD) -> None:
    token = page_token(client, "/anmelden")
    response = client.post("/anmelden", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, f"login as {email} failed with {response.status_code}"


def assert_csrf_refused(response) -> None:
    assert response.status_code == 400
    assert CSRF_PAGE in response.get_data(as_text=True)


def test_forms_without_a_token_are_refused(csrf_app: Flask) -> None:
    erika = add_person(csrf_app, email="erika@jobcenter-test.de")
    admin = add_person(csrf_app, email="admin@jobcenter-test.de", is_admin=True)
    anonymous = csrf_app.test_client()
    assert_csrf_refused(anonymous.post("/anmelden", data={"email": erika.email, "password": TEST_PASSWORD}))
    assert_csrf_refused(anonymous.post("/sprache", data={"locale": "en"}))

    client = csrf_app.test_client()
    login_with_token(client, erika.email)
    new = "Neues Kompass-Passwort 2026"
    data = {"current_password": TEST_PASSWORD, "new_password": new, "new_password_repeat": new}
    assert_csrf_refused(client.post("/konto/passwort", data=data))
    assert_csrf_refused(client.post("/sprache", data={"locale": "en"}))
    assert_csrf_refused(client.post("/abmelden"))
    assert is_logged_in(client), "the refused logout did not log out"

    admin_client = csrf_app.test_client()
    login_with_token(admin_client, admin.email)
    assert_csrf_refused(admin_client.post(f"/verwaltung/personen/{erika.id}/passwort-link", data={"action": "show"}))
    with csrf_app.app_context():
        assert db.session.scalar(select(PasswordResetToken)) is None
        assert db.session.get(Person, erika.id).locale == "de"


def test_forms_with_the_token_from_the_page_work(csrf_app: Flask) -> None:
    erika = add_person(csrf_app, email="erika@jobcenter-test.de")
    admin = add_person(csrf_app, email="admin@jobcenter-test.de", is_admin=True)
    client = csrf_app.test_client()
    login_with_token(client, erika.email)

    token = page_token(client, "/konto")
    new = "Neues Kompass-Passwort 2026"
    data = {"current_password": TEST_PASSWORD, "new_password": new, "new_password_repeat": new, "csrf_token": token}
    assert client.post("/konto/passwort", data=data).status_code == 302
    assert client.post("/sprache", data={"locale": "en", "csrf_token": token}).status_code == 302
    assert client.post("/abmelden", data={"csrf_token": token}).status_code == 302
    assert not is_logged_in(client)

    admin_client = csrf_app.test_client()
    login_with_token(admin_client, admin.email)
    token = page_token(admin_client, f"/verwaltung/personen/{erika.id}")
    response = admin_client.post(
        f"/verwaltung/personen/{erika.id}/passwort-link", data={"action": "show", "csrf_token": token}
    )
    assert response.status_code == 200 and 'id="reset-link"' in response.get_data(as_text=True)
    with csrf_app.app_context():
        assert db.session.get(Person, erika.id).locale == "en"


def test_a_token_from_before_the_login_is_not_accepted_after_it(csrf_app: Flask) -> None:
    erika = add_person(csrf_app, email="erika@jobcenter-test.de")
    client = csrf_app.test_client()
    before = page_token(client, "/anmelden")
    login_response = client.post(
        "/anmelden", data={"email": erika.email, "password": TEST_PASSWORD, "csrf_token": before}
    )
    assert login_response.status_code == 302

    assert_csrf_refused(client.post("/sprache", data={"locale": "en", "csrf_token": before}))
    assert client.post("/sprache", data={"locale": "en", "csrf_token": page_token(client, "/")}).status_code == 302


def test_over_https_a_form_sent_from_another_site_is_refused_even_with_a_token(csrf_app: Flask) -> None:
    erika = add_person(csrf_app, email="erika@jobcenter-test.de")
    client = csrf_app.test_client()
    page = client.get("/anmelden", base_url="https://localhost")
    data = {"email": erika.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.get_data(as_text=True))}

    def post(referrer: str):
        return client.post("/anmelden", data=data, base_url="https://localhost", headers={"Referer": referrer})

    assert_csrf_refused(post("https://evil.example/anmelden"))
    assert_csrf_refused(post("http://localhost/anmelden"))
    assert post("https://localhost/anmelden").status_code == 302


def test_every_post_route_requires_a_token(app: Flask, org, csrf_app: Flask) -> None:
    values = sample_url_values(csrf_app, org)
    client = csrf_app.test_client()
    login_with_token(client, org.admin.email)
    checked, failures = [], []
    for rule in sorted(csrf_app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "POST" not in rule.methods:
            continue
        url = rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]
        response = client.post(url, data={"action": "show", "email": org.employee.email, "name": "X"})
        checked.append(rule.endpoint)
        if response.status_code != 400 or CSRF_PAGE not in response.get_data(as_text=True):
            failures.append(f"POST {url} ({rule.endpoint}): {response.status_code}")
    assert not failures, "\n".join(failures)
    assert {"accounts.login", "accounts.logout", "frame.set_language", "organisation.admin_person"} <= set(checked)


# Cookies and headers ---------------------------------------------------------------------------------
def session_set_cookie(response) -> str:
    cookies = [value for value in response.headers.getlist("Set-Cookie") if value.startswith("qk_session=")]
    assert cookies, "the response sets no session cookie"
    return cookies[-1]


def test_the_session_cookie_is_httponly_lax_and_secure_over_https(app: Flask, org) -> None:
    data = {"email": org.employee.email, "password": TEST_PASSWORD}
    over_https = session_set_cookie(app.test_client().post("/anmelden", data=data, base_url="https://localhost"))
    over_http = session_set_cookie(app.test_client().post("/anmelden", data=data))

    for cookie in (over_https, over_http):
        assert "; HttpOnly" in cookie
        assert "; SameSite=Lax" in cookie
    assert "; Secure" in over_https
    assert "Secure" not in over_http


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = [part.split() for part in policy.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


@pytest.mark.parametrize("url", ["/anmelden", "/passwort-zuruecksetzen/unbekannt", "/gibt-es-nicht"])
def test_security_headers_on_every_page(client: FlaskClient, url: str) -> None:
    response = client.get(url)

    csp = csp_directives(response)
    assert csp["default-src"] == ["'self'"]
    script_sources = csp.get("script-src", csp["default-src"])
    assert "'unsafe-inline'" not in script_sources and "'unsafe-eval'" not in script_sources
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin-when-cross-origin"}
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_only_over_https(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/anmelden").headers
    hsts = client.get("/anmelden", base_url="https://localhost").headers["Strict-Transport-Security"]
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000


def test_pages_behind_login_are_not_cached(client: FlaskClient, org) -> None:
    login(client, org.employee.email)
    for url in ("/", "/konto"):
        assert "no-store" in client.get(url).headers["Cache-Control"]


def test_forwarded_https_counts_only_behind_a_trusted_proxy(make_app, org) -> None:
    data = {"email": org.employee.email, "password": TEST_PASSWORD}
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.1"}
    trusted = make_app(QK_TRUSTED_PROXIES=1).test_client()
    direct = make_app().test_client()

    assert "Strict-Transport-Security" in trusted.get("/anmelden", headers=headers).headers
    assert "; Secure" in session_set_cookie(trusted.post("/anmelden", data=data, headers=headers))
    assert "Strict-Transport-Security" not in direct.get("/anmelden", headers=headers).headers
    assert "Secure" not in session_set_cookie(direct.post("/anmelden", data=data, headers=headers))


# Redirects after login -------------------------------------------------------------------------------
EVIL_NEXT = ["//evil", "/\\evil", "%2F%2Fevil", "https://evil", "/%5Cevil", "http:/evil", "/%09/evil", "\\\\evil"]


@pytest.mark.parametrize("raw_next", EVIL_NEXT)
def test_next_leads_only_to_pages_of_this_site(client: FlaskClient, org, raw_next: str) -> None:
    response = client.post(f"/anmelden?next={raw_next}", data={"email": org.employee.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"

    again = client.get(f"/anmelden?next={raw_next}")
    assert again.status_code == 302 and again.headers["Location"] == "/"


@pytest.mark.parametrize("raw_next", EVIL_NEXT)
def test_the_language_switch_leads_only_to_pages_of_this_site(client: FlaskClient, raw_next: str) -> None:
    from urllib.parse import unquote

    response = client.post("/sprache", data={"locale": "de", "next": unquote(raw_next)})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_next_leads_back_to_the_page_asked_for(client: FlaskClient, org) -> None:
    to_login = client.get("/konto")
    assert to_login.status_code == 302 and to_login.headers["Location"] == "/anmelden?next=/konto"

    response = client.post(to_login.headers["Location"], data={"email": org.employee.email, "password": TEST_PASSWORD})

    assert response.status_code == 302 and response.headers["Location"] == "/konto"
    assert client.post("/sprache", data={"locale": "de", "next": "/konto"}).headers["Location"] == "/konto"


# Access ----------------------------------------------------------------------------------------------
def test_a_logged_in_person_without_the_right_gets_403_not_the_login(app: Flask, org) -> None:
    employee = app.test_client()
    login(employee, org.employee.email)
    people_page = employee.get("/verwaltung/personen")
    assert people_page.status_code == 403
    assert "Kein Zugriff" in people_page.get_data(as_text=True)
    assert employee.get("/protokoll/").status_code == 403

    auditor = app.test_client()
    login(auditor, org.auditor.email)
    response = auditor.post(f"/verwaltung/personen/{org.employee.id}/passwort-link", data={"action": "show"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(PasswordResetToken)) is None

    anonymous = app.test_client().get("/verwaltung/personen")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/anmelden")


# Audit log -------------------------------------------------------------------------------------------
def audit_rows(app: Flask, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_logins_and_failed_logins_are_in_the_audit_log(app: Flask, client: FlaskClient, org) -> None:
    client.post(
        "/anmelden",
        data={"email": "niemand@jobcenter-test.de", "password": "x" * 12},
        environ_base={"REMOTE_ADDR": "192.0.2.5"},
    )
    client.post("/anmelden", data={"email": org.employee.email, "password": "Falsches Passwort 2026"})
    login(client, org.employee.email)

    failed = audit_rows(app, "login_failed")
    assert [(row.actor_label, row.details) for row in failed] == [
        ("niemand@jobcenter-test.de", {"reason": "unknown_account"}),
        (org.employee.email, {"reason": "wrong_password"}),
    ]
    assert failed[0].client_address == "192.0.2.5"
    assert all("x" * 12 not in str(row.details) for row in failed), "no password in the log"
    logins = audit_rows(app, "login")
    assert [(row.actor_id, row.object_id) for row in logins] == [(org.employee.id, org.employee.id)]


def berlin_events(app: Flask, org) -> None:
    """Two entries either side of midnight in Berlin (CET, UTC+1) on 1/2 March 2026."""
    with app.app_context():
        late = record(
            "person_changed",
            db.session.get(Person, org.employee.id),
            actor=db.session.get(Person, org.lead.id),
            marker="spaet-am-ersten",
        )
        late.occurred_at = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)
        early = record(
            "roles_changed",
            db.session.get(Person, org.other_employee.id),
            actor=db.session.get(Person, org.admin.id),
            marker="frueh-am-zweiten",
        )
        early.occurred_at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
        db.session.commit()


def test_the_audit_page_filters_by_action_person_and_berlin_day(app: Flask, org) -> None:
    berlin_events(app, org)
    auditor = app.test_client()
    login(auditor, org.auditor.email)

    def shown(query: str) -> set[str]:
        response = auditor.get(f"/protokoll/?{query}")
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        return {marker for marker in ("spaet-am-ersten", "frueh-am-zweiten") if marker in text}

    assert shown("") == {"spaet-am-ersten", "frueh-am-zweiten"}
    assert shown("aktion=person_changed") == {"spaet-am-ersten"}
    assert shown("aktion=roles_changed") == {"frueh-am-zweiten"}
    assert shown("person=lena.leitung") == {"spaet-am-ersten"}
    assert shown("person=ADAM.admin") == {"frueh-am-zweiten"}
    assert shown("von=2026-03-01&bis=2026-03-01") == {"spaet-am-ersten"}
    assert shown("von=2026-03-02&bis=2026-03-02") == {"frueh-am-zweiten"}
    assert shown("von=2026-03-02") == {"frueh-am-zweiten"}
    assert shown("bis=2026-02-28") == set()
    assert "1 Eintrag" in auditor.get("/protokoll/?von=2026-03-02&bis=2026-03-02").get_data(as_text=True)


def test_the_audit_log_is_for_admins_and_auditors_only(app: Flask, org) -> None:
    for person, status in ((org.auditor, 200), (org.admin, 200), (org.employee, 403), (org.lead, 403)):
        client = app.test_client()
        login(client, person.email)
        assert client.get("/protokoll/?aktion=login").status_code == status, person.email


# Health check and error pages ------------------------------------------------------------------------
def test_the_health_check_answers_json(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_the_health_check_reports_an_unreachable_database(make_app, tmp_path) -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/fehlt/kein-verzeichnis.sqlite")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"


def test_error_pages_are_german_and_show_no_details(make_app, org) -> None:
    app = make_app()

    def broken() -> str:
        raise RuntimeError("geheimes Detail aus /srv/quali_kompass/config.py")

    app.add_url_rule("/kaputt", "kaputt", broken)
    client = app.test_client()
    login(client, org.employee.email)

    for url, status, heading in (
        ("/kaputt", 500, "Ein Fehler ist aufgetreten"),
        ("/gibt-es-nicht", 404, "Seite nicht gefunden"),
        ("/verwaltung/personen", 403, "Kein Zugriff"),
    ):
        response = client.get(url)
        text = response.get_data(as_text=True)
        assert response.status_code == status
        assert heading in text and '<html lang="de">' in text
        for leak in ("Traceback", "RuntimeError", "geheimes Detail", "config.py", "Werkzeug"):
            assert leak not in text, f"{url} shows {leak!r}"
    assert is_logged_in(client), "the app still works after the error"
