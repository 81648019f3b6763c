"""Test harness: a migrated database per test (SQLite, or PostgreSQL via QK_TEST_DATABASE_URL)."""

from __future__ import annotations

import mailbox
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.routing import Rule

from quali_kompass import create_app
from quali_kompass.accounts import passwords
from quali_kompass.extensions import db
from tests.factories import TEST_PASSWORD, DepartmentFactory, PersonFactory, TeamFactory

# Every login verifies the password with argon2id at 64 MiB and 3 passes (about 150 ms: slow on purpose). The tests
# log in thousands of times, so their hashes use the smallest parameters; argon2 reads the parameters from the hash,
# so the code under test runs unchanged. The production parameters are pinned in tests/test_accounts.py.
PRODUCTION_HASHER = passwords._hasher
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

# Every test builds its own app, and werkzeug compiles two URL builders per route with ast and compile() for it
# (about 70 ms per app, most of building one). A compiled builder depends only on the rule's parts and defaults and
# receives the rule as its first argument, so the tests compile each once; production builds its app once anyway.
_compile_builder = Rule._compile_builder
_builders: dict[Any, Any] = {}


def _shared_builder(rule: Rule, append_unknown: bool = True) -> Any:
    key = (tuple(rule._trace), repr(sorted((rule.defaults or {}).items())), append_unknown)
    if key not in _builders:
        _builders[key] = _compile_builder(rule, append_unknown)
    return _builders[key]


Rule._compile_builder = _shared_builder

POSTGRES_URL = os.environ.get("QK_TEST_DATABASE_URL", "")
IN_CI = bool(os.environ.get("CI"))
ROOT = Path(__file__).resolve().parent.parent


def pytest_report_header(config: pytest.Config) -> str:
    target = f"PostgreSQL {POSTGRES_URL} (a database of the run's own)" if POSTGRES_URL else "SQLite"
    return f"Quali-Kompass database: {target}"


def test_config(database_url: str, **overrides: Any) -> dict[str, Any]:
    """Settings for a test app on the given database."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "QK_STATISTICS_CACHE_SECONDS": 0,  # figures computed on every view; tests/test_statistics.py turns it on
        "QK_MAIL_SERVER": "",
        "QK_BASE_URL": "",
    }
    config.update(overrides)
    return config


test_config.__test__ = False  # a helper, not a test


def upgrade_database(database_url: str) -> None:
    """Run the Alembic migrations to head, as production does."""
    from flask_migrate import upgrade

    app = create_app(test_config(database_url))
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        db.engine.dispose()


@contextmanager
def own_postgres_database(suffix: str) -> Iterator[str]:
    """Create an empty database beside the one of QK_TEST_DATABASE_URL, drop it afterwards, yield its URL."""
    server = make_url(POSTGRES_URL)
    name = f"{server.database}_{suffix}_{os.getpid()}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of this test run's own on the PostgreSQL server, so that runs side by side do not collide."""
    with own_postgres_database("run") as url:
        yield url


@pytest.fixture(scope="session")
def migrated_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database at the newest migration: on PostgreSQL, or a SQLite template file copied per test."""
    if POSTGRES_URL:
        url = request.getfixturevalue("postgres_url")
        upgrade_database(url)
        return url
    template = tmp_path_factory.mktemp("db") / "template.sqlite"
    upgrade_database(f"sqlite:///{template}")
    return str(template)


def _empty_tables(database_url: str) -> None:
    """Empty the tables a test filled and restart every id sequence.

    TRUNCATE creates new files for each table and for every table its foreign keys reach (about 180 ms whatever
    the test wrote); the few rows a test leaves are deleted far faster, children before their parents. Only tables
    that hold rows are touched (found in one statement); the sequences restart in one more.
    """
    order = [table.name for table in reversed(db.metadata.sorted_tables)]
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            probe = " UNION ALL ".join(f"SELECT '{table}' WHERE EXISTS (SELECT 1 FROM \"{table}\")" for table in order)
            filled = set(connection.scalars(text(probe)))
            for table in order:
                if table in filled:
                    connection.execute(text(f'DELETE FROM "{table}"'))
            connection.execute(
                text(
                    "SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE c.relkind = 'S' AND n.nspname = 'public'"
                )
            )
    finally:
        engine.dispose()


@pytest.fixture
def database_url(migrated_database: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated, empty database for one test."""
    if POSTGRES_URL:
        yield migrated_database
        _empty_tables(migrated_database)
    else:
        path = tmp_path / "test.sqlite"
        shutil.copy(migrated_database, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def make_app(database_url: str, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Build apps on the test database with extra settings; uploads go to a folder of the test's own."""
    apps: list[Flask] = []

    def factory(**overrides: Any) -> Flask:
        overrides.setdefault("QK_UPLOAD_DIR", str(tmp_path / "uploads"))
        app = create_app(test_config(database_url, **overrides))
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def create(app: Flask) -> Callable[..., Any]:
    """Create through a factory and commit: ``create(PersonFactory, name=...)``."""

    def factory(model_factory: Any, **fields: Any) -> Any:
        with app.app_context():
            obj = model_factory(**fields)
            db.session.commit()
            return obj

    return factory


def login(client: FlaskClient, email: str, password: str = TEST_PASSWORD) -> None:
    """Log in through the real login form."""
    response = client.post("/anmelden", data={"email": email, "password": password})
    assert response.status_code == 302, f"login as {email} failed with {response.status_code}"


def build_org(app: Flask) -> SimpleNamespace:
    """Create a small organisation with one person for every role, and commit.

    Department A (head ``head``) has team A1 (lead ``lead``, members ``employee``, ``lead``, ``head``);
    department B has team B1 (lead ``other_lead``, member ``other_employee``).
    """
    with app.app_context():
        dept_a = DepartmentFactory(name="Leistungsgewährung")
        dept_b = DepartmentFactory(name="Markt und Integration")
        team_a = TeamFactory(name="Leistung Team 1", department=dept_a)
        team_b = TeamFactory(name="Integration Nord", department=dept_b)
        people = SimpleNamespace(
            employee=PersonFactory(name="Erika Beispiel", email="erika.beispiel@jobcenter-test.de", team=team_a),
            lead=PersonFactory(name="Lena Leitung", email="lena.leitung@jobcenter-test.de", team=team_a),
            head=PersonFactory(name="Hans Bereich", email="hans.bereich@jobcenter-test.de", team=team_a),
            other_lead=PersonFactory(name="Otto Anders", email="otto.anders@jobcenter-test.de", team=team_b),
            other_employee=PersonFactory(name="Olga Weit", email="olga.weit@jobcenter-test.de", team=team_b),
            editor=PersonFactory(name="Ria Redaktion", email="ria.redaktion@jobcenter-test.de", is_editor=True),
            admin=PersonFactory(name="Adam Admin", email="adam.admin@jobcenter-test.de", is_admin=True),
            auditor=PersonFactory(name="Petra Prüfung", email="petra.pruefung@jobcenter-test.de", is_auditor=True),
        )
        team_a.leads.append(people.lead)
        team_b.leads.append(people.other_lead)
        dept_a.heads.append(people.head)
        db.session.commit()
        return SimpleNamespace(dept_a=dept_a, dept_b=dept_b, team_a=team_a, team_b=team_b, **vars(people))


@pytest.fixture
def org(app: Flask) -> SimpleNamespace:
    """A small organisation with one person for every role (see ``build_org``)."""
    return build_org(app)


@pytest.fixture
def redis_url() -> str:
    """The Redis server for shared rate limits; fails in CI when absent, skips elsewhere."""
    url = os.environ.get("QK_TEST_REDIS_URL", "")
    if not url:
        if IN_CI:
            pytest.fail("QK_TEST_REDIS_URL is not set in CI")
        pytest.skip("QK_TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/0)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if IN_CI:
            pytest.fail(f"Redis at {url} is unreachable: {error}")
        pytest.skip(f"Redis at {url} is unreachable: {error}")
    return url


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []
        self.parameters: list[int] = []  # how many parameters each statement sent

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append(statement)
        self.parameters.append(len(parameters or ()))

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Any]:
    """Count the SQL statements run inside the ``with`` block: ``with count_queries() as counter: ...``."""

    from sqlalchemy import event

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return counting


# A real SMTP server -----------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the SMTP server stopped: {process.stderr.read().decode(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the SMTP server did not open port {port}")


@pytest.fixture
def start_smtp_server(tmp_path: Path) -> Iterator[Callable[..., SimpleNamespace]]:
    """Start aiosmtpd, which files every message it receives in a maildir."""
    processes: list[subprocess.Popen] = []

    def start(*options: str) -> SimpleNamespace:
        port = free_port()
        maildir = tmp_path / f"maildir-{port}"
        command = [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", *options]
        process = subprocess.Popen(
            [*command, "-c", "aiosmtpd.handlers.Mailbox", str(maildir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        processes.append(process)
        wait_for_port(port, process)

        def messages() -> list[Message]:
            return list(mailbox.Maildir(maildir, create=False)) if maildir.exists() else []

        return SimpleNamespace(port=port, messages=messages)

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def smtp_server(start_smtp_server: Callable[..., SimpleNamespace]) -> SimpleNamespace:
    return start_smtp_server()
