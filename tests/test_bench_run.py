"""``make bench`` end to end on a tiny organisation: every scenario measured over HTTP, with its floor."""

from __future__ import annotations

import argparse
import copy
import dataclasses
import sys
from pathlib import Path

import pytest

from tests.conftest import IN_CI, POSTGRES_URL, ROOT

sys.path.insert(0, str(ROOT / "bench"))
import generate  # bench/ is a folder of scripts, not a package
import run


def report_of(result: dict, settings: argparse.Namespace) -> str:
    """The Markdown report of one run, as ``make bench`` writes it."""
    machine = {"os": "Linux", "cpus": 2}
    return run.markdown(
        {
            "started": "now",
            "settings": vars(settings),
            "python": "3",
            "gunicorn": "x",
            "machine": machine,
            "runs": [result],
        }
    )


def test_the_benchmark_measures_every_scenario_against_its_floor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not POSTGRES_URL:
        # Once is enough, on the production database; `make test-postgresql` fails in CI when it is missing.
        where = " (CI's SQLite pass: the test runs in the PostgreSQL pass)" if IN_CI else ""
        pytest.skip(f"the benchmark test runs on PostgreSQL: QK_TEST_DATABASE_URL is not set{where}")
    tiny = dataclasses.replace(generate.SIZES["S"], name="T", materials=200, completions=1_500)
    monkeypatch.setitem(generate.SIZES, "T", tiny)
    monkeypatch.setenv("QK_BENCH_DATABASE_URL", POSTGRES_URL)
    monkeypatch.setattr(run, "IMPORT_ROWS", 120)
    monkeypatch.setattr(run, "MIXED_STEPS", (4,))
    settings = argparse.Namespace(seconds=0.5, rate=4, workers=1, seed=3, results=tmp_path)

    result = run.bench_one("postgresql", "T", settings, tmp_path)

    scenarios = result["scenarios"]
    assert set(scenarios) == {scenario.name for scenario in run.scenarios(tiny)}
    for name, measured in scenarios.items():
        assert 0 < measured["rate"] <= 4 and measured["count"] == max(1, int(0.5 * measured["rate"])), name
        assert measured["errors"] == 0, (name, measured)
        if name not in ("hello", "mark_done"):
            assert measured["queries"] > 0 and measured["floor_ms"] > 0 and measured["floor_ratio"] > 0, name
    assert result["peak_worker_mib"] > 20 and result["server_errors"] == []
    # the mixed load climbed its steps without errors; the import went through while reads continued
    assert [step["rate"] for step in result["mixed"]["steps"]] == [4]
    assert all(step["errors"] == 0 and step["count"] > 0 for step in result["mixed"]["steps"])
    imported = result["import"]
    assert imported["rows"] == 120 and imported["new_people"] == 120 - 75 and imported["apply_s"] > 0
    assert imported["reads_during"]["count"] > 0 and imported["reads_during"]["errors"] == 0
    text = report_of(result, settings)
    assert "| team_matrix_12x40 |" in text and "| target | met | measured | why not |" in text
    assert "daily rebuild" in text and result["generated"]["timings"]["statistics_repair_s"] > 0

    # A missed target says why; a met one does not. At XL, the daily rebuild of the statistics is a target too.
    missed = copy.deepcopy(result)
    missed["scenarios"]["mark_done"]["p95_ms"] = 99.0
    missed["size"] = "XL"
    missed["generated"]["timings"]["statistics_repair_s"] = 75.0
    found = {verdict.target: verdict for verdict in run.verdicts(missed)}
    marking = found["marking done p95 under 15.0 ms"]
    assert not marking.met and marking.measured == "99.0 ms" and "audit entry" in marking.why
    rebuild = found["full rebuild of the statistics under 60 s"]
    assert not rebuild.met and rebuild.measured.startswith("75.0 s")
    assert found["no errors"].met
    report = report_of(missed, settings)
    assert f"| **no** | 99.0 ms | {marking.why} |" in report
    assert "| no errors | yes | 0 errors |  |" in report
    assert "Import of 120 rows (45 new people)" in text and "| actions/s |" in text


def test_the_report_keeps_the_servers_last_errors(tmp_path: Path) -> None:
    log = tmp_path / "gunicorn.log"
    lines = [f'{{"level": "error", "message": "Fehler {n}"}}' for n in range(7)]
    log.write_text("\n".join(['{"level": "info", "message": "GET /"}', *lines, "Traceback (most recent call last):"]))
    assert run.server_error_lines(log) == [*lines[-4:], "Traceback (most recent call last):"]
