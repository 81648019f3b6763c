"""``check-deploy``: refuse unsafe production settings before the app goes live (ASVS 14.1, 14.3, 3.4, 2.2)."""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

ERROR: Literal["error"] = "error"
WARNING: Literal["warning"] = "warning"

MIN_SECRET_LENGTH = 32
# Keys seen in tutorials, templates and this project's tests: known to anyone who reads them.
KNOWN_SECRETS = frozenset(
    {
        "dev",
        "development",
        "secret",
        "secret-key",
        "secret_key",
        "secretkey",
        "changeme",
        "change-me",
        "change_me",
        "please-change-me",
        "your-secret-key",
        "test",
        "testing",
        "test-secret-key-not-for-production",
    }
)
NETWORK_FILE_SYSTEMS = ("nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "ceph", "glusterfs", "fuse.glusterfs")
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
TRUE = frozenset({"1", "true", "yes", "ja", "on"})


@dataclass(frozen=True)
class Finding:
    severity: Literal["error", "warning"]
    check: str
    message: str


def _int(value: Any) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0


def process_count(environ: Mapping[str, str], workers: int | None = None) -> int:
    """App processes: ``--workers``, else WEB_CONCURRENCY, else ``-w``/``--workers`` in GUNICORN_CMD_ARGS."""
    if workers:
        return workers
    if count := _int(environ.get("WEB_CONCURRENCY", "")):
        return count
    args = shlex.split(environ.get("GUNICORN_CMD_ARGS", ""))
    for index, arg in enumerate(args):
        if arg.startswith("--workers="):
            return _int(arg.partition("=")[2]) or 1
        if arg in ("-w", "--workers") and index + 1 < len(args):
            return _int(args[index + 1]) or 1
    return 1


def read_mounts(path: str = "/proc/mounts") -> list[tuple[str, str]]:
    """(mount point, file system type) of every mount; empty where /proc is not available."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return []
    mounts = []
    for line in lines:
        fields = line.split()
        if len(fields) >= 3:
            # /proc/mounts escapes blanks in paths as \040.
            mounts.append((fields[1].replace("\\040", " "), fields[2]))
    return mounts


def file_system_type(path: str, mounts: Iterable[tuple[str, str]]) -> str:
    """The type of the file system holding ``path``: that of the longest mount point above it."""
    target = os.path.realpath(path)
    best, kind = "", ""
    for point, fs_type in mounts:
        above = target == point or target.startswith(point.rstrip("/") + "/")
        if above and len(point) >= len(best):
            best, kind = point, fs_type
    return kind


def _is_network_fs(fs_type: str) -> bool:
    return fs_type in NETWORK_FILE_SYSTEMS or fs_type.startswith(("nfs", "smb"))


def problems(
    config: Mapping[str, Any],
    environ: Mapping[str, str],
    *,
    workers: int | None = None,
    mounts: Iterable[tuple[str, str]] | None = None,
) -> list[Finding]:
    """Everything unsafe or fragile about running the app with ``config`` in ``environ``, errors first."""
    findings: list[Finding] = []
    processes = process_count(environ, workers)

    def add(severity: Literal["error", "warning"], check: str, message: str) -> None:
        findings.append(Finding(severity, check, message))

    # Debug mode shows tracebacks and, with the Werkzeug debugger, runs code sent by anyone.
    if config.get("DEBUG") or environ.get("FLASK_DEBUG", "").strip().lower() in TRUE:
        add(ERROR, "debug", "debug mode is on (DEBUG / FLASK_DEBUG): never in production")

    # The secret key signs the session cookie and the CSRF tokens.
    secret = str(config.get("SECRET_KEY") or "")
    if not secret:
        add(ERROR, "secret-key", "SECRET_KEY is empty")
    elif secret.strip().lower() in KNOWN_SECRETS or "not-for-production" in secret.lower():
        add(ERROR, "secret-key", "SECRET_KEY is a well-known default or test value: set QK_SECRET_KEY to a random one")
    elif len(secret) < MIN_SECRET_LENGTH:
        add(ERROR, "secret-key", f"SECRET_KEY has {len(secret)} characters, fewer than {MIN_SECRET_LENGTH}")
    if not environ.get("QK_SECRET_KEY"):
        if processes > 1:
            add(
                ERROR,
                "secret-key",
                f"QK_SECRET_KEY is not set while {processes} processes run: processes starting together may each "
                "generate a different key into the instance folder; set the same QK_SECRET_KEY for all",
            )
        else:
            add(
                WARNING,
                "secret-key",
                "QK_SECRET_KEY is not set: the key generated into the instance folder is not shared with app "
                "processes on other hosts or containers",
            )

    # Behind a proxy that terminates HTTPS the app sees plain HTTP unless it trusts the proxy's X-Forwarded-Proto.
    base_url = str(config.get("QK_BASE_URL") or "")
    scheme = urlsplit(base_url).scheme.lower()
    host = (urlsplit(base_url).hostname or "").lower()
    if not base_url:
        add(WARNING, "base-url", "QK_BASE_URL is not set: links in mails use the address of whichever request or job")
    elif scheme == "https":
        if not config.get("SESSION_COOKIE_SECURE") and _int(config.get("QK_TRUSTED_PROXIES", 0)) == 0:
            add(
                ERROR,
                "secure-cookies",
                "QK_BASE_URL is https but neither QK_SECURE_COOKIES nor QK_TRUSTED_PROXIES is set: behind a proxy "
                "that terminates HTTPS the session cookie is sent without the Secure flag",
            )
    elif host not in LOCAL_HOSTS:
        add(WARNING, "https", f"QK_BASE_URL is {scheme or 'not an'} address, not https: logins travel unencrypted")

    # Login throttling (ASVS 2.2.1): off, or counted per process.
    if not config.get("RATELIMIT_ENABLED", True):
        add(ERROR, "rate-limit", "login throttling is off (QK_RATELIMIT_ENABLED=false)")
    elif str(config.get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory://"):
        if processes > 1:
            add(
                ERROR,
                "rate-limit",
                f"login limits are counted in memory while {processes} processes run: each process counts apart, "
                "which multiplies the allowed guesses; set QK_REDIS_URL",
            )
        else:
            add(WARNING, "rate-limit", "login limits are counted in memory: a restart resets them (QK_REDIS_URL)")

    # SQLite: one writer, file locks that network file systems do not keep.
    database = str(config.get("SQLALCHEMY_DATABASE_URI") or "")
    if database.startswith("sqlite"):
        path = make_url(database).database or ""
        fs_type = file_system_type(path, read_mounts() if mounts is None else mounts) if path else ""
        if path and path != ":memory:" and _is_network_fs(fs_type):
            add(
                ERROR,
                "database",
                f"the SQLite file {path} lies on a network file system ({fs_type}), whose locks SQLite cannot rely "
                "on: use PostgreSQL or a local disk",
            )
        if processes > 1:
            add(ERROR, "database", f"SQLite with {processes} processes: use PostgreSQL (QK_DATABASE_URL)")
        else:
            add(WARNING, "database", "SQLite is for a single app process only; production runs on PostgreSQL")

    # A video download to a slow client holds a synchronous worker for its whole length.
    prefix = str(config.get("QK_ACCEL_REDIRECT") or "")
    if not prefix:
        add(
            WARNING,
            "files",
            "QK_ACCEL_REDIRECT is not set: app processes send uploaded files (videos) themselves, each download "
            "holding a worker; let the proxy send them (deploy/nginx, location /_geschuetzt/)",
        )
    elif not (prefix.startswith("/") and prefix.endswith("/")):
        add(ERROR, "files", f"QK_ACCEL_REDIRECT must be a path that starts and ends with /, not {prefix!r}")

    # Mail to a server elsewhere without STARTTLS: reset links (and the SMTP password) travel in clear.
    mail_server = str(config.get("QK_MAIL_SERVER") or "").strip().lower()
    if mail_server and mail_server not in LOCAL_HOSTS and not config.get("QK_MAIL_STARTTLS"):
        extra = " together with the SMTP password" if config.get("QK_MAIL_PASSWORD") else ""
        add(
            WARNING,
            "mail",
            f"mail goes to {mail_server} without STARTTLS: password-reset links travel unencrypted{extra}",
        )

    return sorted(findings, key=lambda finding: finding.severity != ERROR)


def format_table(findings: list[Finding]) -> str:
    """The findings as an aligned plain-text table."""
    rows = [("SEVERITY", "CHECK", "PROBLEM")] + [(f.severity, f.check, f.message) for f in findings]
    widths = [max(len(row[column]) for row in rows) for column in range(2)]
    return "\n".join(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}" for row in rows)


@click.command("check-deploy")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Number of app processes that will run (default: WEB_CONCURRENCY or the gunicorn -w in GUNICORN_CMD_ARGS).",
)
@with_appcontext
def check_deploy(workers: int | None) -> None:
    """Check the settings for production; exit 1 on any error, 0 with warnings only."""
    config = {**current_app.config, "DEBUG": current_app.debug}
    findings = problems(config, os.environ, workers=workers)
    if not findings:
        click.echo("No problems found.")
        return
    click.echo(format_table(findings))
    errors = sum(finding.severity == ERROR for finding in findings)
    click.echo(f"\n{errors} error(s), {len(findings) - errors} warning(s).")
    if errors:
        raise SystemExit(1)
