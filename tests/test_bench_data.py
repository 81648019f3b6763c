"""The benchmark's data generator: the sizes as specified, and the app serves the data as it serves real data."""

from __future__ import annotations

import dataclasses
import sys

from flask import Flask
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import selectinload

from quali_kompass.catalogue.models import Material
from quali_kompass.curricula.models import Completion, Requirement
from quali_kompass.curricula.queries import counts_by_requirement
from quali_kompass.curricula.status import berlin_today
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Person, Team
from quali_kompass.statistics import queries as statistics_queries
from quali_kompass.statistics.models import MaterialUsage, TeamFulfilment
from tests.conftest import ROOT, login

sys.path.insert(0, str(ROOT / "bench"))
import generate  # bench/ is a folder of scripts, not a package


def counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {
            model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Department, Team, Person, Material, Requirement, Completion, MaterialUsage)
        }


def test_the_sizes_are_those_of_the_benchmark() -> None:
    shapes = {
        name: (size.people, size.teams, size.materials, size.completions) for name, size in generate.SIZES.items()
    }
    assert shapes == {
        "S": (75, 6, 2_000, 13_500),
        "M": (2_200, 180, 5_000, 400_000),
        "XL": (100_000, 8_300, 20_000, 18_000_000),
    }


# S with fewer materials and records: the same shape, built in a few seconds.
SMALL = dataclasses.replace(generate.SIZES["S"], materials=300, completions=4_000)


def test_a_small_organisation_is_built_as_specified_and_the_app_serves_it(app: Flask, database_url: str) -> None:
    report = generate.generate(database_url, SMALL, seed=7)
    found = counts(app)
    assert (found["department"], found["team"], found["person"], found["material"]) == (2, 6, 75, 300)
    assert abs(found["completion"] - 4_000) / 4_000 < 0.1, found["completion"]
    assert report["completions"] == found["completion"]
    # Each team: 20 organisation-wide, 10 department and 10 (the wide team: 30) team requirements.
    assert found["requirement"] == 20 + 2 * 10 + 6 * 10 + 20
    assert found["material_usage"] > 250  # counted by the app's own rebuild
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TeamFulfilment).where(TeamFulfilment.is_current)) == 6
        # The foreign keys the bulk load set aside on PostgreSQL are back, checked.
        for model in (Person, Completion):
            names = {key["name"] for key in inspect(db.engine).get_foreign_keys(model.__tablename__)}
            assert names == {constraint.name for constraint in model.__table__.foreign_key_constraints}
        # The counts per requirement kept for the list of mandatory trainings are those computed afresh.
        every = db.session.scalars(select(Requirement).options(selectinload(Requirement.rules))).all()
        kept, _counted_at = statistics_queries.requirement_states([r.id for r in every], berlin_today())
        assert kept == counts_by_requirement(every, berlin_today())
        assert sum(kept[r.id]["overdue"] + kept[r.id]["done"] for r in every) > 1000  # figures, not zeros

    client = app.test_client()
    # Person 1 is the admin and leads the wide team (30 people, 60 mandatory items); person 3 an employee in it.
    login(client, "person1@jobcenter-bench.de", generate.BENCH_PASSWORD)
    matrix = client.get("/team/1")
    assert matrix.status_code == 200
    page = matrix.get_data(as_text=True)
    assert page.count("<tr") >= 30
    assert client.get("/statistik").status_code == 200
    assert client.get("/fachbereich/1/pflichtschulungen").status_code == 200

    employee = app.test_client()
    login(employee, "person3@jobcenter-bench.de", generate.BENCH_PASSWORD)
    assert "Pflichtschulungen" in employee.get("/").get_data(as_text=True)
    search = employee.get("/katalog?suche=Xylophon").get_data(as_text=True)
    assert "Xylophon" in search
    # New records continue after the generated ids.
    with app.app_context():
        undone = db.session.scalar(
            select(Material.id)
            .where(
                Material.kind == "video",
                ~Material.id.in_(select(Completion.material_id).where(Completion.person_id == 3)),
            )
            .limit(1)
        )
    assert employee.post(f"/katalog/{undone}/erledigt", data={}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.max(Completion.id))) == found["completion"] + 1
