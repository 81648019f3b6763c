"""Large organisations for tests, inserted in bulk (a few statements, not one per person)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import insert

from quali_kompass.curricula.models import Completion
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Membership, Person, Team


def bulk_members(app: Flask, department_id: int, people: int, teams: int = 1, prefix: str = "Masse") -> list[int]:
    """Add ``teams`` new teams to the department and ``people`` active people spread over them; their ids."""
    with app.app_context():
        department = db.session.get(Department, department_id)
        new_teams = [Team(name=f"{prefix} Team {n:02d}", department=department) for n in range(teams)]
        db.session.add_all(new_teams)
        db.session.flush()
        ids = db.session.scalars(
            insert(Person).returning(Person.id, sort_by_parameter_order=True),
            [
                {"name": f"{prefix} Person {n:04d}", "email": f"{prefix.lower()}.{n}@jobcenter-test.de", "active": True}
                for n in range(people)
            ],
        ).all()
        since = berlin_today() - timedelta(days=30)
        db.session.execute(
            insert(Membership),
            [
                {"person_id": person_id, "team_id": new_teams[n % teams].id, "start_date": since}
                for n, person_id in enumerate(ids)
            ],
        )
        db.session.commit()
        return list(ids)


def bulk_completions(app: Flask, person_ids: list[int], material_id: int, completed_on: date | None = None) -> None:
    """A standing, self-attested completion of the material for each of the people."""
    with app.app_context():
        db.session.execute(
            insert(Completion),
            [
                {
                    "person_id": person_id,
                    "material_id": material_id,
                    "completed_on": completed_on or berlin_today(),
                    "method": "self",
                    "recorded_at": utcnow(),
                    "recorded_by_id": person_id,
                }
                for person_id in person_ids
            ],
        )
        db.session.commit()
