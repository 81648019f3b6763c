"""The soak tool still works end to end: a few seconds at a low rate (`make soak` is the real, ten-minute run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import IN_CI, POSTGRES_URL, ROOT


def test_soak_runs_briefly(tmp_path) -> None:
    if not POSTGRES_URL:
        # CI's SQLite pass unsets QK_TEST_DATABASE_URL on purpose, so this cannot fail there; `make test-postgresql`
        # fails in CI when it is missing, and this test runs in that pass.
        where = " (CI's SQLite pass: the test runs in the PostgreSQL pass)" if IN_CI else ""
        pytest.skip(f"the soak tool needs PostgreSQL: QK_TEST_DATABASE_URL is not set{where}")
    server = make_url(POSTGRES_URL)
    database = server.set(database=f"{server.database}_soak_{os.getpid()}")
    env = {
        **os.environ,
        "QK_SOAK_DATABASE_URL": database.render_as_string(hide_password=False),
        # Login counters in each worker's memory: in the test Redis, other tests' logins from 127.0.0.1 would count.
        "QK_SOAK_REDIS_URL": "memory://",
    }
    command = [sys.executable, "bench/soak.py", "--seconds", "2", "--rate", "8", "--workers", "2"]
    result = subprocess.run(
        [*command, "--results", str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stdout + result.stderr
    (report_file,) = tmp_path.glob("soak-*.json")
    report = json.loads(report_file.read_text())
    assert report["passed"]
    assert report["requests"] >= 10
    assert {"home", "material"} <= report["kinds"].keys()
    assert all(worker["after_warmup_kib"] for worker in report["workers"])
    assert (tmp_path / report_file.name.replace(".json", ".md")).read_text().startswith("# Soak test")
