"""factory_boy factories; they flush, the calling fixture commits."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy import select

from quali_kompass.accounts.passwords import hash_password
from quali_kompass.catalogue.models import Material, MaterialVersion, Tool, Topic
from quali_kompass.curricula.models import Completion, Requirement, RequirementRule
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import utcnow
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
            since = kwargs.get("since", berlin_today() - timedelta(days=30))
            db.session.add(Membership(person=self, team=team, start_date=since))
            db.session.flush()


class TopicFactory(Base):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Thema {n}")
    parent = None


class ToolFactory(Base):
    class Meta:
        model = Tool

    name = factory.Sequence(lambda n: f"Werkzeug {n}")


class MaterialFactory(Base):
    """Published material for all departments by default; ``status="draft"`` leaves the publication dates out."""

    class Meta:
        model = Material

    kind = "document"
    title = factory.Sequence(lambda n: f"Material {n}")
    summary = "Eine kurze Beschreibung."
    duration_minutes = 15
    level = "basic"
    source = "inhouse"
    language = "de"
    status = "published"
    all_departments = True
    topic = factory.SubFactory(TopicFactory)
    published_at = factory.LazyAttribute(lambda material: None if material.status == "draft" else utcnow())

    @factory.post_generation
    def departments(self, create, departments, **kwargs):
        if departments:  # material for these departments, so no longer for all
            self.all_departments = False
            self.departments.extend(departments)
            db.session.flush()

    @factory.post_generation
    def tools(self, create, tools, **kwargs):
        if tools:
            self.tools.extend(tools)
            db.session.flush()

    @factory.post_generation
    def versions(self, create, versions, **kwargs):
        """``versions=[{"change_note": …, "recompletion_required": …}, …]``, oldest first; published gets one."""
        if versions is None:
            versions = [{}] if self.status != "draft" else []
        for number, fields in enumerate(versions, start=1):
            db.session.add(MaterialVersion(material=self, number=number, **fields))
        db.session.flush()


class RequirementFactory(Base):
    """An organisation-wide requirement in force since a year ago; ``rule={…}`` sets its first rule's fields."""

    class Meta:
        model = Requirement

    material = factory.SubFactory(MaterialFactory)
    scope = factory.LazyAttribute(
        lambda requirement: "team" if requirement.team else "department" if requirement.department else "organisation"
    )
    department = None
    team = None
    effective_from = factory.LazyFunction(lambda: berlin_today() - timedelta(days=365))
    ended_on = None

    @factory.post_generation
    def rule(self, create, rule, **kwargs):
        fields = {"due_kind": "days", "due_days": 30, **(rule or {}), **kwargs}
        fields.setdefault("valid_from", self.effective_from)
        if fields["due_kind"] == "date":
            fields.pop("due_days", None)
        self.rules.append(RequirementRule(**fields))
        db.session.flush()


class RequirementRuleFactory(Base):
    """A further rule of a requirement from ``valid_from`` on."""

    class Meta:
        model = RequirementRule

    requirement = factory.SubFactory(RequirementFactory)
    valid_from = factory.LazyFunction(berlin_today)
    due_kind = "days"
    due_days = 30


class CompletionFactory(Base):
    """A standing, self-attested completion of today, of the material's current version."""

    class Meta:
        model = Completion

    person = factory.SubFactory(PersonFactory)
    material = factory.SubFactory(MaterialFactory)
    material_version = factory.LazyAttribute(
        lambda completion: db.session.scalars(
            select(MaterialVersion)
            .where(MaterialVersion.material_id == completion.material.id)
            .order_by(MaterialVersion.number.desc())
        ).first()
    )
    completed_on = factory.LazyFunction(berlin_today)
    method = "self"
