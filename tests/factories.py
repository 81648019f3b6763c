"""factory_boy factories; they flush, the calling fixture commits."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import factory
from factory.alchemy import SQLAlchemyModelFactory

from quali_kompass.accounts.passwords import hash_password
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Membership, Person, Team

TEST_PASSWORD = "Kompass-Test-Passwort 2026"


@cache
def test_password_hash() -> str:
    """Hash once per run: argon2id is slow on purpose."""
    return hash_password(TEST_PASSWORD)


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class DepartmentFactory(Base):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Fachbereich {n}")


class TeamFactory(Base):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    department = factory.SubFactory(DepartmentFactory)


class PersonFactory(Base):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person Nummer{n}")
    email = factory.Sequence(lambda n: f"person{n}@jobcenter-test.de")
    active = True
    locale = "de"
    password_hash = factory.LazyFunction(test_password_hash)

    @factory.post_generation
    def team(self, create, team, **kwargs):
        if team is not None:
            since = kwargs.get("since", date.today() - timedelta(days=30))
            db.session.add(Membership(person=self, team=team, start_date=since))
            db.session.flush()
