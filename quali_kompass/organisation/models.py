"""Departments, teams, people, team memberships, leads and department heads."""

from __future__ import annotations

from datetime import date, datetime
from functools import cached_property

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
    cast,
    func,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from quali_kompass.database import Base, UTCDateTime
from quali_kompass.extensions import db

team_leads = Table(
    "team_lead",
    Base.metadata,
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True),
)

department_heads = Table(
    "department_head",
    Base.metadata,
    Column("department_id", ForeignKey("department.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# An editor with rows here may edit only material of these departments; without rows, of all.
editor_departments = Table(
    "editor_department",
    Base.metadata,
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("department.id", ondelete="CASCADE"), primary_key=True),
)


class Department(Base):
    """A Fachbereich."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    teams: Mapped[list[Team]] = relationship(back_populates="department", order_by="Team.name")
    heads: Mapped[list[Person]] = relationship(secondary=department_heads, order_by="Person.name")

    def __repr__(self) -> str:
        return f"<Department {self.name!r}>"


class Team(Base):
    """A team inside one department."""

    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("department_id", "name", name="uq_team_department_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))

    department: Mapped[Department] = relationship(back_populates="teams")
    leads: Mapped[list[Person]] = relationship(secondary=team_leads, order_by="Person.name")

    @property
    def label(self) -> str:
        return f"{self.name} ({self.department.name})"

    def __repr__(self) -> str:
        return f"<Team {self.name!r}>"


class Person(UserMixin, Base):
    """A member of staff; also the login account."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    personnel_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    locale: Mapped[str] = mapped_column(String(5), default="de", server_default="de")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))

    is_editor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    is_auditor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))

    password_hash: Mapped[str | None] = mapped_column(String(255))
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person", order_by="Membership.start_date.desc(), Membership.id.desc()"
    )
    led_teams: Mapped[list[Team]] = relationship(secondary=team_leads, order_by="Team.name", viewonly=True)
    headed_departments: Mapped[list[Department]] = relationship(
        secondary=department_heads, order_by="Department.name", viewonly=True
    )
    editor_departments: Mapped[list[Department]] = relationship(
        secondary=editor_departments, order_by="Department.name"
    )

    # Set by the session loader: the token of the login session this object was loaded for.
    session_token = None  # not a column

    def __repr__(self) -> str:
        return f"<Person {self.email!r}>"

    # Flask-Login ---------------------------------------------------------------------------------
    def get_id(self) -> str | None:
        """Identify the login session, not the person, so that ending it on the server logs out."""
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    # UserMixin compares by get_id(); people are the same only if they are the same row object.
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    # Organisation --------------------------------------------------------------------------------
    @property
    def current_membership(self) -> Membership | None:
        return next((m for m in self.memberships if m.end_date is None), None)

    @property
    def current_team(self) -> Team | None:
        membership = self.current_membership
        return membership.team if membership else None

    @cached_property
    def reviewable_team_ids(self) -> frozenset[int]:
        """Teams whose people this person may review: teams they lead, and all teams of departments they head."""
        led, headed, _ = db.session.execute(select(*access_columns(self.id))).one()
        return _id_set(led) | _id_set(headed)

    @cached_property
    def headed_department_ids(self) -> frozenset[int]:
        """Departments this person heads (one statement)."""
        return _id_set(db.session.scalar(select(access_columns(self.id)[2])))

    def remember_access(self, led_teams: str | None, headed_teams: str | None, headed_departments: str | None) -> None:
        """Keep the ids that ``access_columns`` loaded with the person, so that permission checks read nothing more."""
        self.__dict__["reviewable_team_ids"] = _id_set(led_teams) | _id_set(headed_teams)
        self.__dict__["headed_department_ids"] = _id_set(headed_departments)

    # Permissions, used by views and templates alike ----------------------------------------------
    @property
    def is_lead(self) -> bool:
        return bool(self.reviewable_team_ids)

    @property
    def can_manage_organisation(self) -> bool:
        return self.is_admin

    @property
    def can_read_audit_log(self) -> bool:
        return self.is_admin or self.is_auditor

    def can_review_team(self, team: Team) -> bool:
        return team.id in self.reviewable_team_ids

    def can_review_department(self, department: Department) -> bool:
        """The department's overview of mandatory trainings: its heads and admins."""
        return self.is_admin or department.id in self.headed_department_ids

    @property
    def can_edit_catalogue(self) -> bool:
        """Editors curate material, topics and tools."""
        return self.is_editor

    @cached_property
    def editable_department_ids(self) -> frozenset[int] | None:
        """Departments whose material this editor may edit; None means all (not limited)."""
        if not self.is_editor or not self.editor_departments:
            return None
        return frozenset(department.id for department in self.editor_departments)

    def can_edit_departments(self, department_ids: set[int], all_departments: bool) -> bool:
        """May this editor own material for these departments (or for all of them)?"""
        if not self.is_editor:
            return False
        allowed = self.editable_department_ids
        if allowed is None:
            return True
        return not all_departments and bool(department_ids) and department_ids <= allowed

    def can_edit_material(self, material) -> bool:
        return self.can_edit_departments(material.department_ids, material.all_departments)

    @property
    def role_labels(self) -> list[str]:
        """Roles in the order shown in the interface (untranslated keys)."""
        roles = ["employee"]
        if self.is_lead:
            roles.append("lead")
        if self.headed_departments:
            roles.append("department_head")
        if self.is_editor:
            roles.append("editor")
        if self.is_admin:
            roles.append("admin")
        if self.is_auditor:
            roles.append("auditor")
        return roles


def access_columns(person_id: ColumnElement[int] | int) -> tuple[ColumnElement[str], ...]:
    """What a person may review, as columns of comma-separated ids: the teams they lead, the teams of the departments
    they head, and those departments. As columns, they load in the same statement as the person (the login session
    does so on every page, for the navigation)."""
    headed = department_heads.c.person_id == person_id
    led_teams = select(_ids(team_leads.c.team_id)).where(team_leads.c.person_id == person_id)
    headed_teams = (
        select(_ids(Team.id))
        .join(department_heads, department_heads.c.department_id == Team.department_id)
        .where(headed)
    )
    headed_departments = select(_ids(department_heads.c.department_id)).where(headed)
    return tuple(each.scalar_subquery() for each in (led_teams, headed_teams, headed_departments))


def _ids(column: ColumnElement[int]) -> ColumnElement[str]:
    return func.aggregate_strings(cast(column, String), ",")


def _id_set(ids: str | None) -> frozenset[int]:
    return frozenset(int(each) for each in ids.split(",")) if ids else frozenset()


class Membership(Base):
    """A person's membership of a team from ``start_date`` until ``end_date`` (open while current)."""

    __tablename__ = "membership"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        # At most one current team per person.
        Index(
            "uq_membership_current_person",
            "person_id",
            unique=True,
            sqlite_where=text("end_date IS NULL"),
            postgresql_where=text("end_date IS NULL"),
        ),
        Index("ix_membership_team_current", "team_id", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship(back_populates="memberships")
    team: Mapped[Team] = relationship()

    @property
    def is_current(self) -> bool:
        return self.end_date is None


__all__ = [
    "Department",
    "Membership",
    "OrgImport",
    "Person",
    "Team",
    "department_heads",
    "editor_departments",
    "team_leads",
]


class OrgImport(Base):
    """An uploaded HR export: kept from the preview until it is applied, then as a record of the import."""

    __tablename__ = "org_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    deactivate_missing: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="preview")  # preview, applied, discarded
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)

    created_by: Mapped[Person | None] = relationship()
