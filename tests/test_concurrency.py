"""Concurrency on PostgreSQL over real HTTP: parallel clicks and imports, and writes cut off half way."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from quali_kompass.audit.models import AuditEvent
from quali_kompass.curricula import completions
from quali_kompass.curricula.models import Completion
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.organisation import importer
from quali_kompass.organisation.models import Department, Membership, OrgImport, Person, Team
from quali_kompass.statistics.models import MaterialUsage
from tests.conftest import IN_CI, POSTGRES_URL, ROOT
from tests.factories import TEST_PASSWORD, MaterialFactory

LOST_RACE = "Die Organisation wurde gerade an anderer Stelle geändert"
APPLIED = "Der Import ist übernommen"


@pytest.fixture(autouse=True)
def _needs_postgres() -> None:
    if not POSTGRES_URL:
        # CI's SQLite pass unsets QK_TEST_DATABASE_URL on purpose; `make test-postgresql` fails in CI when it is
        # missing, and these tests run in that pass.
        where = " (CI's SQLite pass: the tests run in the PostgreSQL pass)" if IN_CI else ""
        pytest.skip(f"parallel transactions over HTTP need PostgreSQL: QK_TEST_DATABASE_URL is not set{where}")


# A real threaded HTTP server ------------------------------------------------------------------------------------
@dataclass
class Reply:
    status: int
    location: str
    cookie: str
    body: str


@dataclass
class LiveServer:
    port: int

    def request(self, method: str, path: str, cookie: str = "", form: dict[str, str] | None = None) -> Reply:
        """One request on a connection of its own; ``cookie`` is sent, and the new one returned if set."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": cookie} if cookie else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            set_cookie = response.getheader("Set-Cookie", "")
            return Reply(
                response.status,
                response.getheader("Location", ""),
                set_cookie.split(";", 1)[0] if set_cookie else cookie,
                response.read().decode(),
            )
        finally:
            connection.close()

    def login(self, email: str) -> str:
        """Log in through the real login form; the session cookie."""
        reply = self.request("POST", "/anmelden", form={"email": email, "password": TEST_PASSWORD})
        assert reply.status == 302 and reply.cookie, f"login as {email} failed with {reply.status}"
        return reply.cookie


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    """The test app behind werkzeug's threaded server on a free loopback port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(server.server_port)
    server.shutdown()
    server.server_close()
    thread.join(10)


def count(app: Flask, statement) -> int:
    with app.app_context():
        return db.session.scalar(statement)


# 1. Fifty clicks at once -----------------------------------------------------------------------------------------
def test_fifty_clicks_on_done_at_once_give_one_record(app: Flask, org, live_server: LiveServer) -> None:
    with app.app_context():
        material_id = MaterialFactory(kind="document", title="Anleitung E-Akte").id
        db.session.commit()
    cookie = live_server.login(org.employee.email)
    barrier = threading.Barrier(50)

    def click(_: int) -> Reply:
        barrier.wait(20)
        return live_server.request("POST", f"/katalog/{material_id}/erledigt", cookie=cookie)

    with ThreadPoolExecutor(50) as pool:
        replies = list(pool.map(click, range(50)))
    assert Counter(reply.status for reply in replies) == {302: 50}
    assert {reply.location for reply in replies} == {f"/katalog/{material_id}#nachweis"}

    assert count(app, select(func.count(Completion.id)).where(Completion.material_id == material_id)) == 1
    with app.app_context():
        usage = db.session.get(MaterialUsage, material_id)
        assert (usage.completions, usage.people) == (1, 1)
    assert count(app, select(func.count()).where(AuditEvent.action == "completion_marked")) == 1


# 2. Two organisation imports at once ------------------------------------------------------------------------------
HEADER = "Personalnummer;Name;E-Mail;Fachbereich;Team"


def csv_file(rows: list[tuple[str, str, str, str, str]]) -> bytes:
    return "\r\n".join([HEADER, *(";".join(row) for row in rows)]).encode()


def people_rows(prefix: str, numbers: range, department: str, team: str) -> list[tuple[str, str, str, str, str]]:
    return [
        (f"{n}", f"{prefix} Person{n}", f"{prefix.lower()}{n}@jobcenter-test.de", department, team) for n in numbers
    ]


Row = tuple[str, str, str, str, str]
State = dict[str, tuple[str, str | None, str | None, str | None]]


def org_state(app: Flask) -> State:
    """Every person by e-mail: name, personnel number, department and team of the current membership."""
    with app.app_context():
        rows = db.session.execute(
            select(Person.email, Person.name, Person.personnel_number, Department.name, Team.name)
            .outerjoin(Membership, (Membership.person_id == Person.id) & Membership.end_date.is_(None))
            .outerjoin(Team, Team.id == Membership.team_id)
            .outerjoin(Department, Department.id == Team.department_id)
        ).all()
    return {email: (name, number, department, team) for email, name, number, department, team in rows}


def applied_in_order(before: State, *files: list[Row]) -> State:
    """The state the files give when applied one after the other (no personnel number leaves one as it is)."""
    state = dict(before)
    for rows in files:
        for number, name, email, department, team in rows:
            old_number = state[email][1] if email in state else None
            state[email] = (name, number or old_number, department, team)
    return state


def assert_no_duplicates(app: Flask) -> None:
    with app.app_context():
        twice = [
            select(func.lower(Department.name)).group_by(func.lower(Department.name)).having(func.count() > 1),
            select(Team.department_id, func.lower(Team.name))
            .group_by(Team.department_id, func.lower(Team.name))
            .having(func.count() > 1),
            select(func.lower(Person.email)).group_by(func.lower(Person.email)).having(func.count() > 1),
            select(Person.personnel_number)
            .where(Person.personnel_number.is_not(None))
            .group_by(Person.personnel_number)
            .having(func.count() > 1),
            select(Membership.person_id)
            .where(Membership.end_date.is_(None))
            .group_by(Membership.person_id)
            .having(func.count() > 1),
        ]
        for statement in twice:
            assert db.session.execute(statement).all() == []


def add_upload(app: Flask, admin_id: int, name: str, content: bytes) -> int:
    with app.app_context():
        upload = OrgImport(
            created_by_id=admin_id,
            created_at=utcnow(),
            filename=name,
            content=content,
            deactivate_missing=False,
            status="preview",
            summary={},
        )
        db.session.add(upload)
        db.session.commit()
        return upload.id


def overlapping_files(org) -> tuple[list[Row], list[Row]]:
    """Both create Eingangszone with its teams and five people; Erika and Olga go to different teams in each."""
    employee, other = org.employee, org.other_employee
    first = [
        *people_rows("A", range(5000, 5020), "Eingangszone", "Empfang"),
        *people_rows("Gemeinsam", range(6000, 6005), "Eingangszone", "Empfang"),
        ("", employee.name, employee.email, "Eingangszone", "Empfang"),
        ("", other.name, other.email, "Eingangszone", "Telefonservice"),
    ]
    second = [
        *people_rows("B", range(7000, 7020), "Eingangszone", "Telefonservice"),
        *people_rows("Gemeinsam", range(6000, 6005), "Eingangszone", "Telefonservice"),
        ("", employee.name, employee.email, "Eingangszone", "Telefonservice"),
        ("", other.name, other.email, "Eingangszone", "Empfang"),
    ]
    return first, second


def test_two_imports_confirmed_at_once_end_as_if_one_ran_after_the_other(
    app: Flask, org, live_server: LiveServer
) -> None:
    first, second = overlapping_files(org)
    before = org_state(app)
    uploads = [add_upload(app, org.admin.id, f"{n}.csv", csv_file(rows)) for n, rows in enumerate((first, second))]
    cookies = [live_server.login(org.admin.email) for _ in uploads]
    barrier = threading.Barrier(2)

    def confirm(upload_id: int, cookie: str) -> str:
        """Confirm, the first time together with the other; again while it lost a race; the page shown last."""
        barrier.wait(20)
        for _ in range(3):
            reply = live_server.request("POST", f"/verwaltung/import/{upload_id}/uebernehmen", cookie=cookie)
            assert reply.status == 302, reply.body
            page = live_server.request("GET", reply.location, cookie=reply.cookie)
            assert page.status == 200
            cookie = page.cookie
            if LOST_RACE not in page.body:
                return page.body
        raise AssertionError("the import lost the race three times")

    with ThreadPoolExecutor(2) as pool:
        pages = list(pool.map(confirm, uploads, cookies))
    assert all(APPLIED in page for page in pages)

    after = org_state(app)
    assert after in (applied_in_order(before, first, second), applied_in_order(before, second, first))
    assert_no_duplicates(app)
    assert count(app, select(func.count(Department.id)).where(Department.name == "Eingangszone")) == 1
    assert count(app, select(func.count(Team.id))) == 4
    assert count(app, select(func.count()).where(AuditEvent.action == "org_import_applied")) == 2


def test_an_import_that_waits_for_another_sees_its_changes(app: Flask, org) -> None:
    """Each file keeps one person where the other moves them: checked against stale data, both moves would stay."""
    employee, other = org.employee, org.other_employee
    first = [
        ("", employee.name, employee.email, "Leistungsgewährung", "Leistung Team 1"),
        ("", other.name, other.email, "Eingangszone", "Empfang"),
    ]
    second = [
        ("", employee.name, employee.email, "Widerspruchsstelle", "Widerspruch 1"),
        ("", other.name, other.email, "Markt und Integration", "Integration Nord"),
    ]
    before = org_state(app)
    uploads = [add_upload(app, org.admin.id, f"{n}.csv", csv_file(rows)) for n, rows in enumerate((first, second))]
    first_applied, errors = threading.Event(), []

    def apply(upload_id: int, hold: bool) -> None:
        try:
            with app.test_request_context():
                if not hold:
                    first_applied.wait(10)
                result = importer.apply_upload(
                    db.session.get(OrgImport, upload_id), db.session.get(Person, org.admin.id)
                )
                assert result.valid, result.errors
                if hold:
                    first_applied.set()
                    time.sleep(0.5)  # the transaction stays open while the second import starts
                db.session.commit()
                db.session.remove()
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            first_applied.set()

    threads = [
        threading.Thread(target=apply, args=(uploads[0], True)),
        threading.Thread(target=apply, args=(uploads[1], False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert org_state(app) == applied_in_order(before, first, second)
    assert_no_duplicates(app)


# 3. Writes cut off half way -------------------------------------------------------------------------------------
def row_counts(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            tables = connection.scalars(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            ).all()
            return {table: connection.scalar(text(f'SELECT count(*) FROM "{table}"')) for table in tables}
    finally:
        engine.dispose()


def wait_for(
    probe: Callable[[], bool], what: str, timeout: float = 15, process: subprocess.Popen | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while not probe():
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the import ended before {what}: {process.stderr.read().decode(errors='replace')}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(0.005)


def test_a_killed_import_leaves_nothing_behind_and_can_run_again(
    app: Flask, org, database_url: str, tmp_path: Path
) -> None:
    application = f"qk-killed-import-{os.getpid()}"
    url = make_url(database_url).update_query_dict({"application_name": application})
    rows = [
        (f"{n}", f"Neu Person{n}", f"neu{n}@jobcenter-test.de", "Eingangszone", f"Team {n % 20}")
        for n in range(10000, 12000)
    ]
    path = tmp_path / "personal.csv"
    path.write_bytes(csv_file(rows))
    env = {
        **os.environ,
        "QK_DATABASE_URL": url.render_as_string(hide_password=False),
        "QK_SECRET_KEY": "test-secret-key-not-for-production",
        "QK_INSTANCE_PATH": str(tmp_path / "instance"),
        "QK_LOG_FORMAT": "text",
    }
    command = [sys.executable, "-m", "flask", "--app", "quali_kompass", "import-org", str(path)]
    before = row_counts(database_url)
    monitor = create_engine(database_url, isolation_level="AUTOCOMMIT")
    writing = text(
        "SELECT count(*) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid "
        "WHERE a.application_name = :name AND l.relation = 'person'::regclass AND l.mode = 'RowExclusiveLock' "
        "AND a.state IN ('active', 'idle in transaction')"
    )
    connected = text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :name")
    try:
        with monitor.connect() as connection:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                wait_for(
                    lambda: connection.scalar(writing, {"name": application}) > 0,
                    "the import has written people",
                    process=process,
                )
                process.send_signal(signal.SIGKILL)
                assert process.wait(10) == -signal.SIGKILL
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait(10)
            # The server rolls back when it notices the client is gone.
            wait_for(lambda: connection.scalar(connected, {"name": application}) == 0, "the server ended the backend")
    finally:
        monitor.dispose()
    assert row_counts(database_url) == before

    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Import of 2000 line(s) applied." in done.stdout
    after = row_counts(database_url)
    assert after["person"] == before["person"] + 2000
    assert after["org_import"] == before["org_import"] + 1


def test_an_error_in_the_middle_of_marking_done_shows_the_error_page_and_keeps_nothing(
    app: Flask, org, live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.app_context():
        material_id = MaterialFactory(kind="document", title="Anleitung E-Akte").id
        db.session.commit()
    cookie = live_server.login(org.employee.email)
    flushed: list[int] = []

    def fail_after_the_record(*args, **kwargs) -> None:
        db.session.flush()
        flushed.append(db.session.scalar(select(func.count(Completion.id))))
        raise RuntimeError("simulated failure after the first rows")

    monkeypatch.setattr(completions, "audit", fail_after_the_record)
    reply = live_server.request("POST", f"/katalog/{material_id}/erledigt", cookie=cookie)
    assert flushed == [1]  # the record and the statistics row were written in the transaction
    assert reply.status == 500
    assert "Ein Fehler ist aufgetreten" in reply.body and "Ihre Eingaben wurden nicht gespeichert" in reply.body
    assert count(app, select(func.count(Completion.id))) == 0
    assert count(app, select(func.count()).select_from(MaterialUsage)) == 0
    assert count(app, select(func.count()).where(AuditEvent.action == "completion_marked")) == 0

    monkeypatch.undo()
    assert live_server.request("POST", f"/katalog/{material_id}/erledigt", cookie=cookie).status == 302
    assert count(app, select(func.count(Completion.id))) == 1


def test_an_error_in_the_middle_of_an_import_shows_the_error_page_and_it_can_be_confirmed_again(
    app: Flask, org, live_server: LiveServer, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    first, _ = overlapping_files(org)
    upload_id = add_upload(app, org.admin.id, "personal.csv", csv_file(first))
    cookie = live_server.login(org.admin.email)
    before = row_counts(database_url)
    flushed: list[int] = []

    def fail_after_the_people(self, *args) -> None:
        flushed.append(db.session.scalar(select(func.count(Person.id))))
        raise RuntimeError("simulated failure after the first rows")

    monkeypatch.setattr(importer._Import, "_apply_leads", fail_after_the_people)
    reply = live_server.request("POST", f"/verwaltung/import/{upload_id}/uebernehmen", cookie=cookie)
    assert flushed and flushed[0] > before["person"]
    assert reply.status == 500 and "Ein Fehler ist aufgetreten" in reply.body
    after = row_counts(database_url)
    assert {table: n for table, n in after.items() if table != "login_session"} == {
        table: n for table, n in before.items() if table != "login_session"
    }
    with app.app_context():
        assert db.session.get(OrgImport, upload_id).status == "preview"

    monkeypatch.undo()
    reply = live_server.request("POST", f"/verwaltung/import/{upload_id}/uebernehmen", cookie=cookie)
    assert APPLIED in live_server.request("GET", reply.location, cookie=reply.cookie).body
    assert count(app, select(func.count(Person.id))) == before["person"] + 25
