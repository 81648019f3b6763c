"""The demo curricula: requirements at every level, statuses in every state, attendance and plan items."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from quali_kompass.curricula import queries
from quali_kompass.curricula.models import Completion, PlanItem, Requirement
from quali_kompass.curricula.status import berlin_today
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Person
from tests.conftest import login


@pytest.fixture
def demo(make_app, tmp_path: Path) -> Flask:
    """An app with the demo Jobcenter loaded through the command, as ``make run`` does."""
    app = make_app(QK_DEMO_LOGINS_FILE=str(tmp_path / "demo-logins.txt"))
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    return app


def test_demo_has_requirements_and_items_in_every_state(demo: Flask) -> None:
    with demo.app_context():
        scopes = Counter(db.session.scalars(select(Requirement.scope)))
        assert scopes["organisation"] == 2 and scopes["department"] >= 6 and scopes["team"] == 1
        people = db.session.scalars(select(Person.id).where(Person.active.is_(True))).all()
        started = time.perf_counter()
        items = queries.items_for_people(list(people), berlin_today())
        assert time.perf_counter() - started < 3
        states = Counter(item.status.state for person_items in items.values() for item in person_items)
        for state in ("overdue", "expired", "renewal_due", "done", "due_soon"):
            assert states[state] > 0, (state, states)
        assert states["done"] > states["overdue"] + states["expired"]  # most are done
        methods = Counter(db.session.scalars(select(Completion.method)))
        assert methods["self"] and methods["recorded"] and methods["attendance"]
        assert (
            db.session.scalar(select(func.count()).where(Completion.session_date_id.is_not(None)))
            == (methods["attendance"])
        )
        plan_states = set(db.session.scalars(select(PlanItem.state)))
        assert plan_states == {"proposed", "approved", "declined", "withdrawn"}


def test_demo_start_page_shows_the_employees_kompass(demo: Flask) -> None:
    logins = (Path(demo.config["QK_DEMO_LOGINS_FILE"])).read_text(encoding="utf-8").splitlines()
    line = next(line for line in logins if line.startswith("Beschäftigte"))
    _, email, password = line.rsplit(maxsplit=2)
    client = demo.test_client()
    login(client, email, password)
    page = client.get("/").get_data(as_text=True)
    assert "Meine Pflichtschulungen" in page and "Pflicht für alle Beschäftigten" in page
    assert client.get("/kompass/nachweis.pdf").status_code == 200
    assert client.get("/kompass/termine.ics").status_code == 200


def test_demo_curricula_are_deterministic(make_app, tmp_path: Path) -> None:
    """The same seed gives the same completions (two fresh loads compared by their summary)."""
    summaries = []
    for run in range(2):
        app = make_app(QK_DEMO_LOGINS_FILE=str(tmp_path / f"logins-{run}.txt"))
        with app.app_context():
            if run:  # the second load needs an empty database again
                for table in reversed(db.metadata.sorted_tables):
                    db.session.execute(table.delete())
                db.session.commit()
        result = app.test_cli_runner().invoke(args=["demo-data"])
        assert result.exit_code == 0, result.output
        with app.app_context():
            summaries.append(
                sorted(
                    db.session.execute(
                        select(Completion.method, Completion.completed_on, func.count()).group_by(
                            Completion.method, Completion.completed_on
                        )
                    ).all()
                )
            )
    assert summaries[0] == summaries[1]
