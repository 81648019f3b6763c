"""Soak test: the app under gunicorn on PostgreSQL, driven at a fixed arrival rate for a bounded time.

Creates a fresh database (``QK_SOAK_DATABASE_URL``, default ``qk_soak``), migrates it, loads the demo Jobcenter,
starts gunicorn on a free loopback port and sends an open-model mix of page views and writes by the demo users for
``SOAK_SECONDS`` at ``SOAK_RATE`` actions per second. Writes a Markdown and a JSON report to ``bench/results/`` and
exits with 1 when a request failed, a worker was replaced or a worker's memory kept growing (rule in the report).
gunicorn is stopped and the database dropped at the end, also after Ctrl-C.

    .venv/bin/python bench/soak.py [--seconds N] [--rate R] [--workers W]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http.cookiejar import CookieJar
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1/qk_soak"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
RSS_GROWTH_LIMIT = 0.30  # a worker may grow by this share over its size after warm-up, no more
REQUEST_TIMEOUT = 30  # seconds; gunicorn's own worker timeout is the same
SEARCHES = [
    "E-Akte Serienbrief erstellen",
    "Datenschutz Kundendaten Grundlagen",
    "Termin vergeben Kalender",
    "Bescheid Leistung berechnen",
    "Videoberatung starten Kamera",
    "Passwort Konto sperren",
    "Arbeitgeber Stellenangebot erfassen",
]
NEED_TEXTS = ["Serienbriefe in der E-Akte", "Tastenkürzel im Fachverfahren", "Videoberatung mit Dolmetschung"]
# Action name -> weight in the mix; every action is one user's click (a write reads its page first).
MIX = {
    "home": 18,
    "catalogue": 10,
    "search": 12,
    "material": 14,
    "team_matrix": 8,
    "statistics": 6,
    "notifications": 6,
    "news": 6,
    "toggle_done": 10,
    "rate": 6,
    "state_need": 4,
}


@dataclass
class Settings:
    seconds: float
    rate: float
    workers: int
    database_url: str
    redis_url: str
    threads: int
    seed: int
    results: Path


@dataclass
class Kind:
    """What happened to the requests of one kind."""

    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)


class SoakFailure(Exception):
    """The set-up failed: no figures to report."""


# Database and server ----------------------------------------------------------------------------------------
def _admin_engine(url: str):
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def _database_name(url: str) -> str:
    name = make_url(url).database or ""
    # The name goes into DDL, which takes no parameters: allow only a plain identifier.
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise SoakFailure(f"unusable database name {name!r}")
    return name


def create_database(url: str) -> str:
    """Create the database afresh (a leftover of an aborted run is dropped) and return the server version."""
    name = _database_name(url)
    engine = _admin_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
            return connection.execute(text("SHOW server_version")).scalar_one()
    finally:
        engine.dispose()


def drop_database(url: str) -> None:
    engine = _admin_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{_database_name(url)}" WITH (FORCE)'))
    finally:
        engine.dispose()


def app_environment(settings: Settings, instance: Path) -> dict[str, str]:
    """The production-like settings of quali_kompass/config.py; the instance folder is a temporary one."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("QK_", "FLASK_"))}
    env.update(
        FLASK_APP="quali_kompass",
        QK_DATABASE_URL=settings.database_url,
        QK_SECRET_KEY=secrets.token_urlsafe(48),
        QK_INSTANCE_PATH=str(instance),
        QK_REDIS_URL=settings.redis_url,
        QK_RATELIMIT_ENABLED="true",
        QK_LOG_FORMAT="json",
    )
    return env


# `flask db upgrade` and `flask demo-data` in one process: a second interpreter and app start would cost seconds.
PREPARE = """
import sys
from quali_kompass import create_app
runner = create_app().test_cli_runner()
for args in (["db", "upgrade"], ["demo-data"]):
    result = runner.invoke(args=args)
    if result.exit_code:
        sys.exit(f"flask {' '.join(args)} failed: {result.output} {result.exception!r}")
"""


def prepare_database(env: dict[str, str]) -> None:
    """Migrate the empty database and load the demo Jobcenter through the app's own commands."""
    result = subprocess.run(
        [sys.executable, "-c", PREPARE], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise SoakFailure(f"migration or demo data failed:\n{result.stderr[-3000:]}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict[str, str], workers: int, port: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    command += ["--timeout", str(REQUEST_TIMEOUT), "--error-logfile", "-", "wsgi:app"]
    with log.open("wb") as output:
        # A session of its own: Ctrl-C reaches only this script, which then stops gunicorn in order.
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_until_up(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SoakFailure(f"gunicorn exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SoakFailure("gunicorn did not answer /healthz within 60 s")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()  # SIGTERM: gunicorn's graceful shutdown
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def worker_pids(master: int) -> list[int]:
    """The children of the gunicorn master, from /proc."""
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        return sorted(int(pid) for pid in children.read_text().split())
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return sorted(pids)


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


# HTTP clients ------------------------------------------------------------------------------------------------
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is the answer to check (post/redirect/get), not something to follow."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
VALUE = re.compile(r'value="([^"]+)"')


def csrf_token(page: str) -> str:
    match = CSRF_INPUT.search(page)
    token = VALUE.search(match.group(0)) if match else None
    if token is None:
        raise SoakFailure("no CSRF token on the page")
    return token.group(1)


class Client:
    """One logged-in browser: its own cookie jar, reused for the whole run."""

    def __init__(self, base: str, role: str, email: str) -> None:
        self.base, self.role, self.email = base, role, email
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect)
        self.token = ""
        self.last_location = ""  # of the last redirect answered

    def request(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.base + path, data=data)
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as response:  # every status but 2xx, redirects included
            self.last_location = response.headers.get("Location", "")
            return response.code, response.read().decode("utf-8", "replace")

    def upload(self, path: str, fields: dict[str, str], file_field: str, filename: str, content: bytes) -> int:
        """A form with one file (multipart/form-data), as a browser sends it; the status."""
        boundary = f"----qk{random.getrandbits(64):016x}"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
            f"Content-Type: text/csv\r\n\r\n".encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        request = urllib.request.Request(self.base + path, data=b"".join(parts), headers=headers)
        try:
            with self.opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return response.status
        except urllib.error.HTTPError as response:
            self.last_location = response.headers.get("Location", "")
            return response.code

    def login(self, password: str) -> None:
        """Through the real login form, once: the session cookie serves the whole run."""
        status, page = self.request("/anmelden")
        form = {"email": self.email, "password": password, "csrf_token": csrf_token(page)}
        status, _ = self.request("/anmelden", form)
        if status != 302:
            raise SoakFailure(f"login of {self.email} answered {status}")
        # The login starts a fresh session; the first page after it fixes the CSRF token for the run.
        status, page = self.request("/")
        if status != 200:
            raise SoakFailure(f"start page after login of {self.email} answered {status}")
        self.token = csrf_token(page)


def read_logins(path: Path) -> list[tuple[str, str, str]]:
    """(role, e-mail, password) from the demo-logins file: the e-mail is the token with an @."""
    logins = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if len(words) >= 3 and "@" in words[-2]:
            logins.append((" ".join(words[:-2]), words[-2], words[-1]))
    return logins


# The load ----------------------------------------------------------------------------------------------------
class Load:
    """Runs actions, records each request under its kind; thread-safe."""

    def __init__(self, clients: list[Client], lead: Client, rng: random.Random) -> None:
        self.clients, self.lead, self.rng = clients, lead, rng
        self.kinds: dict[str, Kind] = {}
        self.lock = threading.Lock()
        self.materials: list[int] = []
        self.self_study: list[int] = []
        self.teams: list[int] = []
        self.max_lag = 0.0

    def discover(self) -> None:
        """Find materials and the lead's teams as a user would: from the catalogue and the team page."""
        client = self.clients[-1]
        ids: list[int] = []
        for page_number in range(1, 20):
            _, page = client.request(f"/katalog?seite={page_number}")
            new = [int(i) for i in re.findall(r'href="/katalog/(\d+)"', page) if int(i) not in ids]
            if not new:
                break
            ids += dict.fromkeys(new)
        self.materials = ids
        with ThreadPoolExecutor(max_workers=4) as pool:  # a few at once: set-up time counts in the short test
            pages = pool.map(lambda material_id: client.request(f"/katalog/{material_id}")[1], ids)
            for material_id, page in zip(ids, pages, strict=True):
                if re.search(r'action="/(katalog/\d+/erledigt|nachweise/\d+/zuruecknehmen)"', page):
                    self.self_study.append(material_id)
        _, page = self.lead.request("/team")
        self.teams = sorted({int(i) for i in re.findall(r'href="/team/(\d+)"', page)})
        if not (self.materials and self.self_study and self.teams):
            raise SoakFailure(f"found {len(ids)} materials, {len(self.self_study)} self-study, teams {self.teams}")

    def record(self, kind: str, started: float, status: int | None, expected: int, error: str = "") -> None:
        elapsed = time.monotonic() - started
        with self.lock:
            entry = self.kinds.setdefault(kind, Kind())
            entry.latencies.append(elapsed)
            if error or status != expected:
                reason = error or f"HTTP {status}"
                entry.errors[reason] += 1
                if len(entry.examples) < 5:
                    entry.examples.append(f"{reason} after {elapsed:.2f} s")

    def call(self, kind: str, client: Client, path: str, started: float, form: dict | None = None) -> str:
        """One request; latency counts from ``started`` (for the first request: the scheduled time)."""
        expected = 200 if form is None else 302
        try:
            status, page = client.request(path, form)
        except (OSError, TimeoutError) as error:
            self.record(kind, started, None, expected, type(error).__name__)
            return ""
        self.record(kind, started, status, expected)
        return page

    def run(self, action: str, scheduled: float) -> None:
        """Run one action; a bug of the load generator counts as an error, not as a lost action."""
        self.max_lag = max(self.max_lag, time.monotonic() - scheduled)
        try:
            self._run(action, scheduled)
        except Exception as error:  # the pool would swallow it
            self.record(action, scheduled, None, 0, f"load generator: {error!r}")

    def _run(self, action: str, scheduled: float) -> None:
        rng = self.rng
        client = self.lead if action == "team_matrix" else rng.choice(self.clients)
        if action == "home":
            self.call(action, client, "/", scheduled)
        elif action == "catalogue":
            self.call(action, client, f"/katalog?seite={rng.randint(1, 2)}", scheduled)
        elif action == "search":
            query = urllib.parse.urlencode({"suche": rng.choice(SEARCHES)})
            self.call(action, client, f"/katalog?{query}", scheduled)
        elif action == "material":
            self.call(action, client, f"/katalog/{rng.choice(self.materials)}", scheduled)
        elif action == "team_matrix":
            self.call(action, client, f"/team/{rng.choice(self.teams)}", scheduled)
        elif action == "statistics":
            self.call(action, client, "/statistik", scheduled)
        elif action == "notifications":
            self.call(action, client, "/benachrichtigungen", scheduled)
        elif action == "news":
            self.call(action, client, "/neuigkeiten", scheduled)
        elif action == "toggle_done":
            page = self.call("material", client, f"/katalog/{rng.choice(self.self_study)}", scheduled)
            target = re.search(r'action="(/(?:katalog/\d+/erledigt|nachweise/\d+/zuruecknehmen))"', page)
            if target:
                kind = "mark_done" if target.group(1).endswith("erledigt") else "undo_done"
                self.call(kind, client, target.group(1), time.monotonic(), {"csrf_token": client.token})
        elif action == "rate":
            material_id = rng.choice(self.materials)
            page = self.call("material", client, f"/katalog/{material_id}", scheduled)
            if f'action="/katalog/{material_id}/rueckmeldung' in page:
                form = {"csrf_token": client.token, "rating": str(rng.randint(1, 5)), "comment": ""}
                self.call("rate", client, f"/katalog/{material_id}/rueckmeldung", time.monotonic(), form)
        elif action == "state_need":
            self.call("need_form", client, "/bedarf/neu", scheduled)
            form = {"csrf_token": client.token, "team_id": "0", "tool_id": "0", "topic_id": "0"}
            form |= {"text": rng.choice(NEED_TEXTS), "urgency": rng.choice(["low", "medium", "high"])}
            self.call("state_need", client, "/bedarf/neu", time.monotonic(), form)


class RssSampler(threading.Thread):
    """Samples the VmRSS of every worker at the given offsets from the start."""

    def __init__(self, master: int, start: float, offsets: list[float]) -> None:
        super().__init__(daemon=True)
        self.master, self.start_time, self.offsets = master, start, offsets
        self.samples: list[dict[str, Any]] = []
        self.stopped = threading.Event()

    def sample(self) -> None:
        offset = round(time.monotonic() - self.start_time, 1)
        self.samples.append({"t": offset, "rss_kib": {pid: rss_kib(pid) for pid in worker_pids(self.master)}})

    def run(self) -> None:
        for offset in self.offsets:
            if self.stopped.wait(max(0.0, self.start_time + offset - time.monotonic())):
                return
            self.sample()


def drive(load: Load, settings: Settings, master: int) -> RssSampler:
    """Send actions at fixed times for the whole run; the pool runs them, so a slow answer delays no other."""
    duration = settings.seconds
    step = min(60.0, max(1.0, duration / 10))
    offsets = sorted({*(i * step for i in range(int(duration // step) + 1)), duration / 3, 2 * duration / 3})
    start = time.monotonic()
    sampler = RssSampler(master, start, [o for o in offsets if o < duration])
    sampler.start()
    actions, weights = list(MIX), list(MIX.values())
    pool = ThreadPoolExecutor(max_workers=settings.threads, thread_name_prefix="soak")
    try:
        for number in range(int(duration * settings.rate)):
            scheduled = start + number / settings.rate
            time.sleep(max(0.0, scheduled - time.monotonic()))
            pool.submit(load.run, load.rng.choices(actions, weights)[0], scheduled)
        time.sleep(max(0.0, start + duration - time.monotonic()))
        pool.shutdown(wait=True)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        sampler.stopped.set()
    sampler.join()
    sampler.sample()  # the end of the run
    return sampler


# Report ------------------------------------------------------------------------------------------------------
def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def memory_verdict(samples: list[dict[str, Any]], duration: float) -> tuple[list[dict[str, Any]], list[str]]:
    """Per worker: size after warm-up (first third) and the largest size in the last third."""
    warm = next((s for s in samples if s["t"] >= duration / 3 - 0.5), samples[-1])
    last = [s for s in samples if s["t"] >= 2 * duration / 3 - 0.5]
    rows, problems = [], []
    pids = sorted({pid for sample in samples for pid in sample["rss_kib"]})
    for pid in pids:
        base = warm["rss_kib"].get(pid)
        peak = max((s["rss_kib"].get(pid) or 0 for s in last), default=0)
        growth = (peak / base - 1) if base else None
        rows.append({"pid": pid, "after_warmup_kib": base, "peak_last_third_kib": peak, "growth": growth})
        if growth is None or any(pid not in s["rss_kib"] for s in samples):
            problems.append(f"worker {pid} did not live through the whole run (replaced or died)")
        elif growth > RSS_GROWTH_LIMIT:
            problems.append(f"worker {pid} grew {growth:.0%} in the last third (limit {RSS_GROWTH_LIMIT:.0%})")
    return rows, problems


def write_report(stem: Path, report: dict[str, Any], text: str) -> None:
    """The report as ``stem``.md (``text``) and ``stem``.json, and the Markdown on the terminal."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    stem.with_suffix(".md").write_text(text, encoding="utf-8")
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(text)
    print(f"Reports: {stem}.md, {stem}.json")


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"os": platform.platform(), "cpus": os.cpu_count()}
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        info["cpu"] = next(
            (ln.split(":", 1)[1].strip() for ln in cpuinfo.read_text().splitlines() if "model name" in ln), ""
        )
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        info["memory_mib"] = int(meminfo.read_text().split()[1]) // 1024
    return info


def server_errors(log: Path) -> list[str]:
    """Messages of the app's ERROR lines (JSON log) and of gunicorn's own error lines."""
    found = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            if "[ERROR]" in line or "[CRITICAL]" in line:
                found.append(line.strip())
            continue
        if isinstance(entry, dict) and entry.get("level") in {"ERROR", "CRITICAL"}:
            found.append(f"{entry.get('path', '')}: {entry.get('message', '')}")
    return found


def build_report(settings: Settings, load: Load, sampler: RssSampler, facts: dict[str, Any]) -> dict[str, Any]:
    kinds = {}
    for name, kind in sorted(load.kinds.items()):
        kinds[name] = {
            "count": len(kind.latencies),
            "errors": sum(kind.errors.values()),
            "error_kinds": dict(kind.errors),
            "examples": kind.examples,
            "p50_ms": round(percentile(kind.latencies, 0.50) * 1000, 1),
            "p95_ms": round(percentile(kind.latencies, 0.95) * 1000, 1),
            "p99_ms": round(percentile(kind.latencies, 0.99) * 1000, 1),
            "max_ms": round(max(kind.latencies, default=0) * 1000, 1),
        }
    workers, memory_problems = memory_verdict(sampler.samples, settings.seconds)
    errors = sum(kind["errors"] for kind in kinds.values())
    problems = ([f"{errors} request(s) failed"] if errors else []) + memory_problems
    return {
        "settings": {
            **asdict(settings),
            "results": str(settings.results),
            "database_url": make_url(settings.database_url).render_as_string(hide_password=True),
        },
        **facts,
        "requests": sum(kind["count"] for kind in kinds.values()),
        "max_schedule_lag_ms": round(load.max_lag * 1000, 1),
        "kinds": kinds,
        "rss_samples": sampler.samples,
        "workers": workers,
        "rule": (
            "Fails on any request error (5xx, connection error or timeout, any status but 200 for a page or 302 "
            f"for a write) and when a worker's largest RSS in the last third exceeds its RSS after warm-up (the "
            f"first third) by more than {RSS_GROWTH_LIMIT:.0%}, or a worker was replaced."
        ),
        "problems": problems,
        "passed": not problems,
    }


def markdown(report: dict[str, Any]) -> str:
    s = report["settings"]
    lines = [
        f"# Soak test {report['started']}",
        "",
        f"**{'PASSED' if report['passed'] else 'FAILED'}**" + "".join(f"\n- {p}" for p in report["problems"]),
        "",
        f"- Load: {s['rate']} actions/s for {s['seconds']:.0f} s (open model), {s['threads']} client threads, "
        f"{report['requests']} requests; largest delay of a scheduled action: {report['max_schedule_lag_ms']} ms",
        f"- Server: gunicorn {report['gunicorn']} with {s['workers']} sync workers, PostgreSQL "
        f"{report['postgresql']} (database {report['database']}), login counters in {s['redis_url']}",
        f"- Python {report['python']}; {report['machine']['os']}; {report['machine'].get('cpu', '')}, "
        f"{report['machine']['cpus']} CPUs, {report['machine'].get('memory_mib', '?')} MiB",
        f"- Users: {', '.join(report['users'])}; {report['materials']} materials "
        f"({report['self_study']} self-study), seed {s['seed']}",
        f"- Server log: {len(report['server_errors'])} error line(s)",
        "",
        "Latency counts from the scheduled time of an action (a stall shows as latency, it is not hidden); "
        "a write counts from its own start, after reading its page.",
        "",
        "| kind | count | errors | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, k in report["kinds"].items():
        lines.append(
            f"| {name} | {k['count']} | {k['errors']} | {k['p50_ms']} | {k['p95_ms']} | {k['p99_ms']} | {k['max_ms']} |"
        )
    examples = [f"- {name}: {e}" for name, k in report["kinds"].items() for e in k["examples"]]
    examples += [f"- server: {line}" for line in report["server_errors"][:10]]
    if examples:
        lines += ["", "Errors (first few):", *examples]
    times = [sample["t"] for sample in report["rss_samples"]]
    lines += ["", "Worker memory (VmRSS, MiB) at seconds since the start:", ""]
    lines += ["| worker | " + " | ".join(f"{t:.0f}" for t in times) + " | growth in last third |"]
    lines += ["|---|" + "---:|" * (len(times) + 1)]
    for worker in report["workers"]:
        sizes = [sample["rss_kib"].get(worker["pid"]) for sample in report["rss_samples"]]
        cells = " | ".join(f"{size / 1024:.0f}" if size else "–" for size in sizes)
        growth = "–" if worker["growth"] is None else f"{worker['growth']:+.1%}"
        lines.append(f"| {worker['pid']} | {cells} | {growth} |")
    lines += ["", f"Rule: {report['rule']}", ""]
    return "\n".join(lines)


# Main --------------------------------------------------------------------------------------------------------
def settings_from(argv: list[str] | None) -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("SOAK_SECONDS", 600)))
    parser.add_argument("--rate", type=float, default=float(os.environ.get("SOAK_RATE", 20)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("SOAK_WORKERS", 3)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("SOAK_THREADS", 32)))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("SOAK_SEED", 1)))
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    return Settings(
        seconds=args.seconds,
        rate=args.rate,
        workers=args.workers,
        database_url=os.environ.get("QK_SOAK_DATABASE_URL", DEFAULT_DATABASE_URL),
        redis_url=os.environ.get("QK_SOAK_REDIS_URL", DEFAULT_REDIS_URL),
        threads=args.threads,
        seed=args.seed,
        results=args.results,
    )


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # SIGTERM cleans up like Ctrl-C


def soak(settings: Settings) -> dict[str, Any]:
    """Set up, drive, tear down; return the report."""
    started = datetime.now(UTC)
    instance = Path(tempfile.mkdtemp(prefix="qk-soak-"))
    server: subprocess.Popen | None = None
    database_created = False
    try:
        print(f"Soak: creating {make_url(settings.database_url).database}, migrating, loading the demo …", flush=True)
        version = create_database(settings.database_url)
        database_created = True
        env = app_environment(settings, instance)
        prepare_database(env)
        logins = read_logins(instance / "demo-logins.txt")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = instance / "gunicorn.log"
        server = start_gunicorn(env, settings.workers, port, log)
        wait_until_up(base, server, log)
        clients = [Client(base, role, email) for role, email, _ in logins]
        with ThreadPoolExecutor(max_workers=len(clients)) as pool:  # each login hashes for ~150 ms: in parallel
            list(pool.map(Client.login, clients, [password for _, _, password in logins]))
        lead = next(client for client in clients if client.role.startswith("Führungskraft"))
        load = Load(clients, lead, random.Random(settings.seed))
        load.discover()
        print(f"Soak: {settings.rate} actions/s for {settings.seconds:.0f} s against {base} …", flush=True)
        sampler = drive(load, settings, server.pid)
        facts = {
            "started": started.strftime("%Y-%m-%d %H:%M:%S UTC"),
            "database": make_url(settings.database_url).render_as_string(hide_password=True),
            "postgresql": version,
            "python": platform.python_version(),
            "gunicorn": metadata.version("gunicorn"),
            "app_version": metadata.version("quali-kompass"),
            "machine": machine(),
            "users": [client.role for client in clients],
            "materials": len(load.materials),
            "self_study": len(load.self_study),
        }
        stop_gunicorn(server)
        facts["server_errors"] = server_errors(log)
        return build_report(settings, load, sampler, facts)
    finally:
        if server is not None:
            stop_gunicorn(server)
        if database_created:
            drop_database(settings.database_url)
        shutil.rmtree(instance, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    settings = settings_from(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        report = soak(settings)
    except KeyboardInterrupt:
        print("Soak: interrupted; gunicorn stopped, database dropped.", file=sys.stderr)
        return 130
    except SoakFailure as error:
        print(f"Soak: set-up failed: {error}", file=sys.stderr)
        return 2
    write_report(settings.results / f"soak-{datetime.now(UTC):%Y%m%d-%H%M%S}", report, markdown(report))
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
