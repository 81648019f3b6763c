"""The production setup in deploy/: each file parses, names commands and settings that exist, and nginx serves
uploaded files only after the app has allowed them."""

from __future__ import annotations

import getpass
import grp
import http.cookiejar
import os
import re
import runpy
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from configparser import ConfigParser
from pathlib import Path

import click
import pytest
import yaml
from flask import Flask
from gunicorn.config import KNOWN_SETTINGS

from tests.browser_support import serve
from tests.conftest import IN_CI, ROOT, free_port, wait_for_port
from tests.factories import TEST_PASSWORD
from tests.test_files_video import MP4, VTT, draft, published_video  # noqa: F401 (draft is a fixture)

pytestmark = pytest.mark.once  # configuration files only: run once

DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service")) + sorted((DEPLOY / "systemd").glob("*.timer"))
RELEASE = "/opt/quali-kompass"
STATE = "/var/lib/quali-kompass"
ACCEL_PREFIX = "/_geschuetzt/"
# Variables that are not the app's own settings but are read by gunicorn, Flask or the PostgreSQL image.
OTHER_VARIABLES = {
    "WEB_CONCURRENCY",
    "FLASK_APP",
    "GUNICORN_CMD_ARGS",
    "POSTGRES_DB",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONUNBUFFERED",
    "PIP_NO_CACHE_DIR",
}


def program(name: str) -> str:
    """The path of a system program the test needs; CI installs it (.ci/run), elsewhere the test is skipped."""
    found = shutil.which(name) or next((p for p in (f"/usr/sbin/{name}", f"/sbin/{name}") if Path(p).exists()), None)
    if not found:
        reason = f"{name} is not installed (apt-get install {name})"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def app_settings() -> set[str]:
    """Every QK_ variable the app reads."""
    source = (ROOT / "quali_kompass" / "config.py").read_text()
    return set(re.findall(r'"(QK_[A-Z0-9_]+)"', source))


def test_every_setting_of_the_app_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in app_settings() if f"`{name}`" not in readme)
    assert not missing, f"README.md, Configuration, lacks {missing}"


def test_gunicorn_settings_exist_and_the_app_loads_with_them(tmp_path: Path) -> None:
    names = {
        name
        for name, value in runpy.run_path(str(DEPLOY / "gunicorn.conf.py")).items()
        if not name.startswith("_") and not callable(value) and type(value).__name__ != "module"
    }
    known = {setting.name for setting in KNOWN_SETTINGS}
    assert names and not names - known, f"not gunicorn settings: {sorted(names - known)}"

    env = {**os.environ, "QK_INSTANCE_PATH": str(tmp_path), "QK_DATABASE_URL": f"sqlite:///{tmp_path}/c.sqlite"}
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    result = subprocess.run(
        [
            str(gunicorn if gunicorn.exists() else "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "--check-config",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _flask_commands(line: str) -> list[list[str]]:
    """The arguments after ``flask --app quali_kompass`` in a unit's command line."""
    words = line.split()
    if "--app" not in words:
        return []
    return [words[words.index("--app") + 2 :]]


@pytest.fixture(scope="module")
def cli_app() -> Flask:
    from quali_kompass import create_app
    from tests.conftest import test_config

    return create_app(test_config("sqlite://"))


def _unit(path: Path) -> ConfigParser:
    parser = ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(path)
    return parser


def test_systemd_units_verify_and_run_commands_that_exist(tmp_path: Path, cli_app: Flask) -> None:
    analyze = program("systemd-analyze")
    assert UNITS, "no units in deploy/systemd"
    copies = []
    for unit in UNITS:
        # The release is this checkout, so that systemd finds the programs the units start.
        copy = tmp_path / unit.name
        copy.write_text(unit.read_text().replace(RELEASE, str(ROOT)))
        copies.append(str(copy))
    result = subprocess.run([analyze, "verify", *copies], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr

    ctx = click.Context(cli_app.cli)
    for unit in UNITS:
        parsed = _unit(unit)
        if unit.suffix == ".timer":
            assert (unit.parent / f"{unit.stem}.service").exists(), f"{unit.name} starts no service"
            assert parsed.get("Timer", "OnCalendar", fallback=""), f"{unit.name} has no OnCalendar"
            continue
        lines = [parsed.get("Service", key, fallback="") for key in ("ExecStart", "ExecStartPre")]
        for args in (args for line in lines for args in _flask_commands(line)):
            command = cli_app.cli.get_command(ctx, args[0])
            assert command is not None, f"{unit.name}: no command flask {args[0]}"
            while isinstance(command, click.Group):  # db upgrade
                args = args[1:]
                command = command.get_command(ctx, args[0])
                assert command is not None, f"{unit.name}: no command {args[0]}"
            options = {option for param in command.params for option in param.opts}
            unknown = [arg for arg in args[1:] if arg.startswith("-") and arg not in options]
            assert not unknown, f"{unit.name}: flask {args[0]} has no option {unknown}"
        if unit.name != "quali-kompass.service":
            assert (unit.parent / f"{unit.stem}.timer").exists(), f"{unit.name} has no timer"


def _variables(text: str) -> set[str]:
    return set(re.findall(r"^\s*([A-Z][A-Z0-9_]+)\s*[=:]", text, re.MULTILINE))


def test_environment_files_name_only_settings_that_exist() -> None:
    known = app_settings() | OTHER_VARIABLES
    env_file = _variables((DEPLOY / "quali-kompass.env").read_text())
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    in_compose = {name for service in compose["services"].values() for name in service.get("environment", {})}
    dockerfile = set(re.findall(r"\b([A-Z][A-Z0-9_]+)=", (DEPLOY / "Dockerfile").read_text()))
    for where, names in (("quali-kompass.env", env_file), ("compose.yaml", in_compose), ("Dockerfile", dockerfile)):
        assert names, f"{where} sets nothing"
        assert not names - known, f"{where} sets unknown variables {sorted(names - known)}"

    assert set(compose["services"]) == {"app", "postgres", "redis", "nginx"}
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (DEPLOY / source).exists(), f"compose.yaml mounts {source}, which does not exist"
    # Every file the image copies exists, and it starts gunicorn with the settings in deploy/.
    for line in re.findall(r"^COPY (.+) \S+$", (DEPLOY / "Dockerfile").read_text(), re.MULTILINE):
        for source in line.split():
            assert (ROOT / source).exists(), f"the Dockerfile copies {source}, which does not exist"
    assert "gunicorn -c deploy/gunicorn.conf.py" in (DEPLOY / "Dockerfile").read_text()


# nginx in front of the app, with the configuration of deploy/nginx ----------------------------------------------
NGINX_MAIN = """
daemon off;
user {user};
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    {servers}
}}
"""


def _nginx_folder(tmp: Path, uploads: Path) -> Path:
    """A prefix folder for nginx with the locations file of deploy/, its release and upload folder under ``tmp``.

    As in production, nginx's workers run as another user in the app's group (here: nobody, in the group of the
    tests), so they read only what the app made readable for its group. The folders above are opened to the group.
    """
    release = tmp / "release"
    shutil.copytree(ROOT / "static" / "css", release / "static" / "css")
    (tmp / "snippets").mkdir(parents=True)
    locations = (DEPLOY / "nginx" / "quali-kompass-locations.conf").read_text()
    locations = locations.replace(f"{STATE}/uploads/", f"{uploads}/").replace(f"{RELEASE}/", f"{release}/")
    (tmp / "snippets" / "quali-kompass-locations.conf").write_text(locations)
    for folder in [uploads, *release.rglob("*"), *tmp.parents]:
        inside_tmp = folder.is_relative_to(tempfile.gettempdir()) and folder != Path(tempfile.gettempdir())
        if folder.is_dir() and inside_tmp and folder.owner() == getpass.getuser():
            folder.chmod(folder.stat().st_mode | 0o050)
    for file in release.rglob("*"):
        if file.is_file():
            file.chmod(0o640)
    return tmp


def _nginx_user() -> str:
    """Workers as nobody in the tests' group; nginx ignores the setting when it does not run as root."""
    return f"nobody {grp.getgrgid(os.getgid()).gr_name}"


def test_the_site_configuration_passes_nginx_t(tmp_path: Path) -> None:
    nginx = program("nginx")
    folder = _nginx_folder(tmp_path, tmp_path / "uploads")
    certificate, key = folder / "site.pem", folder / "site.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        capture_output=True,
        check=True,
        timeout=60,
    )
    site = (DEPLOY / "nginx" / "quali-kompass.conf").read_text()
    site = site.replace("/etc/ssl/certs/quali-kompass.pem", str(certificate))
    site = site.replace("/etc/ssl/private/quali-kompass.key", str(key))
    # Unprivileged ports on IPv4 only: the test checks the configuration, it does not serve on 80 and 443.
    site = re.sub(r"\n\s*listen \[::\]:.*;", "", site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{free_port()};")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{free_port()} ssl http2;")
    (folder / "site.conf").write_text(site)
    (folder / "nginx.conf").write_text(NGINX_MAIN.format(tmp=folder, user=_nginx_user(), servers="include site.conf;"))
    result = subprocess.run(
        [nginx, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def behind_nginx(make_app, tmp_path: Path) -> Iterator[tuple[Flask, str]]:
    """The app with QK_ACCEL_REDIRECT, served behind nginx; yields the app and nginx's address."""
    nginx = program("nginx")
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    app = make_app(QK_UPLOAD_DIR=str(uploads), QK_ACCEL_REDIRECT=ACCEL_PREFIX, QK_TRUSTED_PROXIES=1)
    folder = _nginx_folder(tmp_path / "nginx", uploads)
    port = free_port()
    with serve(app) as app_url:
        servers = (
            f"upstream quali_kompass {{ server {urllib.parse.urlsplit(app_url).netloc}; }}\n"
            f"server {{ listen 127.0.0.1:{port}; include snippets/quali-kompass-locations.conf; }}"
        )
        (folder / "nginx.conf").write_text(NGINX_MAIN.format(tmp=folder, user=_nginx_user(), servers=servers))
        process = subprocess.Popen(
            [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for_port(port, process)
            yield app, f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


class Browser:
    """A client with cookies that does not follow redirects."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self._NoRedirect
        )

    def request(self, path: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()


def test_nginx_sends_uploaded_files_only_after_the_app_allows_them(behind_nginx, org, draft: int) -> None:  # noqa: F811
    app, base = behind_nginx
    state = published_video(app, org, draft)
    url = f"/katalog/{draft}/dateien/{state.video.id}"

    employee = Browser(base)
    assert employee.request("/anmelden", {"email": org.employee.email, "password": TEST_PASSWORD})[0] == 302

    status, headers, body = employee.request(url)
    assert status == 200 and body == MP4, (status, body[:200])
    assert headers["Content-Type"] == "video/mp4"
    assert "X-Accel-Redirect" not in headers  # nginx consumed it
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "private" in headers["Cache-Control"]
    assert headers["Content-Disposition"].startswith("inline;")
    assert "Schulung%20%C3%9Cbersicht.mp4" in headers["Content-Disposition"]

    status, headers, body = employee.request(url, headers={"Range": "bytes=100-199"})
    assert status == 206 and body == MP4[100:200]
    assert headers["Content-Range"] == f"bytes 100-199/{len(MP4)}"

    captions = employee.request(f"/katalog/{draft}/dateien/{state.captions.id}")
    assert captions[0] == 200 and captions[2] == VTT

    # Without a login, for a file of another material, or by the file's own address: nothing.
    stranger = Browser(base)
    status, headers, body = stranger.request(url)
    assert status == 302 and MP4 not in body
    assert employee.request(f"/katalog/{draft}/dateien/{state.video.id + 100}")[0] == 404
    assert stranger.request(f"{ACCEL_PREFIX}{state.video.storage_name}")[0] == 404
    assert employee.request(f"{ACCEL_PREFIX}{state.video.storage_name}")[0] == 404

    # Interface files come from disk through nginx.
    status, headers, body = stranger.request("/static/css/app.css")
    assert status == 200 and body == (ROOT / "static" / "css" / "app.css").read_bytes()
    assert headers["X-Content-Type-Options"] == "nosniff"
