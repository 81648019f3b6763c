"""``check-deploy``: each unsafe setting is found, and the exit code tells errors from warnings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from quali_kompass.operations.deploy_check import file_system_type, problems, process_count

pytestmark = pytest.mark.once  # settings and file modes only: run once

SAFE_KEY = "k7Qm2x9VfP4rT8wZ1cB6nH3jL5sD0gYa"  # 32 characters, not a known default
SAFE_CONFIG: dict[str, Any] = {
    "DEBUG": False,
    "SECRET_KEY": SAFE_KEY,
    "SESSION_COOKIE_SECURE": False,
    "QK_TRUSTED_PROXIES": 1,
    "QK_BASE_URL": "https://quali-kompass.jobcenter.example",
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://qk@db/qk",
    "QK_MAIL_SERVER": "mail.jobcenter.example",
    "QK_MAIL_STARTTLS": True,
    "QK_MAIL_PASSWORD": "",
    "QK_ACCEL_REDIRECT": "/_geschuetzt/",
}
SAFE_ENVIRON = {"QK_SECRET_KEY": SAFE_KEY, "WEB_CONCURRENCY": "4"}
LOCAL_MOUNTS = [("/", "ext4"), ("/srv/qk", "xfs")]


def found(config: dict[str, Any] | None = None, environ: dict[str, str] | None = None, **options) -> set[tuple]:
    """(severity, check) of each finding for the safe settings changed by ``config`` and ``environ``."""
    options.setdefault("mounts", LOCAL_MOUNTS)
    findings = problems({**SAFE_CONFIG, **(config or {})}, {**SAFE_ENVIRON, **(environ or {})}, **options)
    return {(finding.severity, finding.check) for finding in findings}


def test_the_safe_settings_have_no_findings() -> None:
    assert found() == set()


@pytest.mark.parametrize(
    ("config", "environ", "expected"),
    [
        ({"DEBUG": True}, {}, ("error", "debug")),
        ({}, {"FLASK_DEBUG": "1"}, ("error", "debug")),
        ({"SECRET_KEY": "k7Qm2x9VfP4rT8wZ"}, {}, ("error", "secret-key")),
        ({"SECRET_KEY": ""}, {}, ("error", "secret-key")),
        ({"SECRET_KEY": "change-me"}, {}, ("error", "secret-key")),
        ({"SECRET_KEY": "test-secret-key-not-for-production"}, {}, ("error", "secret-key")),
        ({"QK_TRUSTED_PROXIES": 0}, {}, ("error", "secure-cookies")),
        ({"QK_BASE_URL": "http://quali-kompass.jobcenter.example"}, {}, ("warning", "https")),
        ({"QK_BASE_URL": ""}, {}, ("warning", "base-url")),
        ({"RATELIMIT_ENABLED": False}, {}, ("error", "rate-limit")),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, {}, ("error", "rate-limit")),
        ({"SQLALCHEMY_DATABASE_URI": "sqlite:////srv/qk/qk.sqlite"}, {}, ("error", "database")),
        ({"QK_MAIL_STARTTLS": False}, {}, ("warning", "mail")),
        ({"QK_ACCEL_REDIRECT": ""}, {}, ("warning", "files")),
        ({"QK_ACCEL_REDIRECT": "_geschuetzt"}, {}, ("error", "files")),
    ],
)
def test_each_unsafe_setting_is_found(config: dict, environ: dict, expected: tuple) -> None:
    assert found(config, environ) == {expected}


def test_the_secret_key_must_be_set_for_several_processes() -> None:
    no_key = {k: v for k, v in SAFE_ENVIRON.items() if k != "QK_SECRET_KEY"}
    assert problems(SAFE_CONFIG, no_key, mounts=LOCAL_MOUNTS)[0].check == "secret-key"
    assert {(f.severity, f.check) for f in problems(SAFE_CONFIG, no_key, mounts=LOCAL_MOUNTS)} == {
        ("error", "secret-key")
    }
    single = {(f.severity, f.check) for f in problems(SAFE_CONFIG, {}, mounts=LOCAL_MOUNTS)}
    assert single == {("warning", "secret-key")}


def test_secure_cookies_or_a_trusted_proxy_make_https_safe() -> None:
    assert found({"QK_TRUSTED_PROXIES": 0, "SESSION_COOKIE_SECURE": True}) == set()
    assert found({"QK_TRUSTED_PROXIES": 0, "QK_BASE_URL": "http://localhost:5000"}) == set()


def test_limits_in_memory_are_a_warning_for_a_single_process() -> None:
    assert found({"RATELIMIT_STORAGE_URI": "memory://"}, {"WEB_CONCURRENCY": "1"}) == {("warning", "rate-limit")}


def test_sqlite_is_a_warning_for_one_process_on_a_local_disk_only() -> None:
    sqlite = {"SQLALCHEMY_DATABASE_URI": "sqlite:////srv/qk/qk.sqlite"}
    assert found(sqlite, {"WEB_CONCURRENCY": "1"}) == {("warning", "database")}
    assert found(sqlite, {"WEB_CONCURRENCY": ""}, workers=2) == {("error", "database")}
    on_nfs = [*LOCAL_MOUNTS, ("/srv/qk", "nfs4")]
    messages = [f.message for f in problems({**SAFE_CONFIG, **sqlite}, {"WEB_CONCURRENCY": "1"}, mounts=on_nfs)]
    assert any("network file system (nfs4)" in message for message in messages)


@pytest.mark.parametrize("fs_type", ["nfs", "cifs", "smb3", "fuse.sshfs"])
def test_sqlite_on_a_network_file_system_is_an_error(fs_type: str) -> None:
    mounts = [("/", "ext4"), ("/mnt/share", fs_type)]
    sqlite = {"SQLALCHEMY_DATABASE_URI": "sqlite:////mnt/share/data/qk.sqlite"}
    assert ("error", "database") in found(sqlite, {"WEB_CONCURRENCY": "1"}, mounts=mounts)


def test_the_file_system_is_that_of_the_nearest_mount_point() -> None:
    mounts = [("/", "ext4"), ("/mnt", "tmpfs"), ("/mnt/share", "nfs"), ("/mnt/sharepoint", "ext4")]
    assert file_system_type("/mnt/share/qk.sqlite", mounts) == "nfs"
    assert file_system_type("/mnt/sharepoint/qk.sqlite", mounts) == "ext4"
    assert file_system_type("/mnt/other", mounts) == "tmpfs"
    assert file_system_type("/var/qk.sqlite", mounts) == "ext4"


def test_the_number_of_processes_comes_from_the_option_or_the_environment() -> None:
    assert process_count({}) == 1
    assert process_count({}, 3) == 3
    assert process_count({"WEB_CONCURRENCY": "5"}) == 5
    assert process_count({"GUNICORN_CMD_ARGS": "-b 127.0.0.1:8000 -w 4"}) == 4
    assert process_count({"GUNICORN_CMD_ARGS": "--workers=2"}) == 2


def test_a_mail_server_on_this_host_needs_no_starttls() -> None:
    assert found({"QK_MAIL_STARTTLS": False, "QK_MAIL_SERVER": "localhost"}) == set()
    assert found({"QK_MAIL_SERVER": ""}) == set()


# The command -------------------------------------------------------------------------------------------------
def run(make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch, *args: str, FLASK_DEBUG: str = "", **config):
    """``check-deploy`` with the safe settings changed by ``config``; the CLI takes debug from FLASK_DEBUG."""
    for name in ("WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FLASK_DEBUG", FLASK_DEBUG)
    monkeypatch.setenv("QK_SECRET_KEY", SAFE_KEY)
    settings = {k: v for k, v in SAFE_CONFIG.items() if k not in ("DEBUG", "SQLALCHEMY_DATABASE_URI")}
    app = make_app(**{**settings, **config})
    return app.test_cli_runner().invoke(args=["check-deploy", *args])


def test_the_command_exits_0_on_safe_settings(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(make_app, monkeypatch)
    # The test database may be SQLite, which is a warning for one process; nothing else is found.
    assert result.exit_code == 0, result.output
    assert "error" not in result.output.replace("0 error(s)", "")


def test_the_command_exits_1_in_debug_mode(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(make_app, monkeypatch, FLASK_DEBUG="1")
    assert result.exit_code == 1
    assert "debug" in result.output and "1 error(s)" in result.output


def test_the_command_counts_the_workers(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(make_app, monkeypatch, "--workers", "4", RATELIMIT_STORAGE_URI="memory://")
    assert result.exit_code == 1
    assert "4 processes" in result.output
