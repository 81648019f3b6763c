"""Requirements (Pflichtschulungen) with their dated rules, completion records (Nachweise) and plan items."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quali_kompass.catalogue.models import Material, MaterialVersion, SessionDate
from quali_kompass.database import Base, UTCDateTime, utcnow
from quali_kompass.organisation.models import Department, Person, Team

SCOPES = ("organisation", "department", "team")
DUE_KINDS = ("days", "date")  # within N days of assignment, or by a fixed date
RECERTIFICATIONS = ("none", "months", "yearly")  # never, every N months after completion, yearly by a day
METHODS = ("self", "attendance", "recorded")  # marked by the person, attendance confirmed, recorded by lead/admin
PLAN_STATES = ("proposed", "approved", "declined", "withdrawn")


class Requirement(Base):
    """A material that everyone in a scope (the organisation, a department or a team) must complete."""

    __tablename__ = "requirement"
    __table_args__ = (
        CheckConstraint(f"scope IN {SCOPES}", name="scope_known"),
        CheckConstraint(
            "(scope = 'organisation' AND department_id IS NULL AND team_id IS NULL)"
            " OR (scope = 'department' AND department_id IS NOT NULL AND team_id IS NULL)"
            " OR (scope = 'team' AND team_id IS NOT NULL AND department_id IS NULL)",
            name="scope_target",
        ),
        Index("ix_requirement_scope", "scope", "department_id", "team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id"), index=True)
    scope: Mapped[str] = mapped_column(String(20))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    # People in the scope on this day are assigned from it; people who join later from the day they join.
    effective_from: Mapped[date] = mapped_column(Date)
    # A requirement that was lifted stays for the history; from this day on it is no one's any more.
    ended_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))

    material: Mapped[Material] = relationship()
    department: Mapped[Department | None] = relationship()
    team: Mapped[Team | None] = relationship()
    created_by: Mapped[Person | None] = relationship()
    rules: Mapped[list[RequirementRule]] = relationship(
        back_populates="requirement",
        order_by="RequirementRule.valid_from",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def current_rule(self) -> RequirementRule:
        return self.rules[-1]


class RequirementRule(Base):
    """The due and recertification rule of a requirement from ``valid_from`` on.

    Changing a rule adds a new row instead of rewriting the old one: a completion keeps the recertification period
    of the rule in force on its date, so history is never rewritten.
    """

    __tablename__ = "requirement_rule"
    __table_args__ = (
        CheckConstraint(f"due_kind IN {DUE_KINDS}", name="due_kind_known"),
        CheckConstraint(f"recertification IN {RECERTIFICATIONS}", name="recertification_known"),
        CheckConstraint(
            "(due_kind = 'days' AND due_days > 0 AND due_date IS NULL)"
            " OR (due_kind = 'date' AND due_date IS NOT NULL AND due_days IS NULL)",
            name="due_rule_complete",
        ),
        CheckConstraint(
            "(recertification = 'none' AND recert_months IS NULL AND recert_month IS NULL AND recert_day IS NULL)"
            " OR (recertification = 'months' AND recert_months > 0 AND recert_month IS NULL AND recert_day IS NULL)"
            " OR (recertification = 'yearly' AND recert_months IS NULL AND recert_month BETWEEN 1 AND 12"
            " AND recert_day BETWEEN 1 AND 31)",
            name="recertification_complete",
        ),
        CheckConstraint("renewal_window_days >= 0", name="renewal_window_not_negative"),
        Index("ix_requirement_rule_requirement_valid_from", "requirement_id", "valid_from", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("requirement.id", ondelete="CASCADE"))
    valid_from: Mapped[date] = mapped_column(Date)
    due_kind: Mapped[str] = mapped_column(String(10))
    due_days: Mapped[int | None] = mapped_column(Integer)
    due_date: Mapped[date | None] = mapped_column(Date)
    recertification: Mapped[str] = mapped_column(String(10), default="none", server_default="none")
    recert_months: Mapped[int | None] = mapped_column(Integer)
    recert_month: Mapped[int | None] = mapped_column(Integer)
    recert_day: Mapped[int | None] = mapped_column(Integer)
    renewal_window_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))

    requirement: Mapped[Requirement] = relationship(back_populates="rules")


class Completion(Base):
    """A person's record of having completed a material on a Berlin calendar day (a Nachweis).

    A reset keeps the row with ``reset_at`` set, so that the person sees who reset it and why. At most one
    standing record per person, material and day: a double click or two parallel requests give one record.
    """

    __tablename__ = "completion"
    __table_args__ = (
        CheckConstraint(f"method IN {METHODS}", name="method_known"),
        Index(
            "uq_completion_standing",
            "person_id",
            "material_id",
            "completed_on",
            unique=True,
            sqlite_where=text("reset_at IS NULL"),
            postgresql_where=text("reset_at IS NULL"),
        ),
        Index("ix_completion_material_person", "material_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id"))
    # The version current when the material was completed; None if it had none (e.g. recorded for old training).
    material_version_id: Mapped[int | None] = mapped_column(ForeignKey("material_version.id", ondelete="SET NULL"))
    completed_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(20))
    session_date_id: Mapped[int | None] = mapped_column(ForeignKey("session_date.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    reset_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reset_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    reset_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    material: Mapped[Material] = relationship()
    material_version: Mapped[MaterialVersion | None] = relationship()
    session_date: Mapped[SessionDate | None] = relationship()
    recorded_by: Mapped[Person | None] = relationship(foreign_keys=[recorded_by_id])
    reset_by: Mapped[Person | None] = relationship(foreign_keys=[reset_by_id])

    @property
    def standing(self) -> bool:
        return self.reset_at is None


class PlanItem(Base):
    """A training a person proposes for their Qualifizierungsplan, and their lead's decision on it."""

    __tablename__ = "plan_item"
    __table_args__ = (
        CheckConstraint(f"state IN {PLAN_STATES}", name="state_known"),
        CheckConstraint("material_id IS NOT NULL OR wish <> ''", name="material_or_wish"),
        Index("ix_plan_item_person_state", "person_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    material_id: Mapped[int | None] = mapped_column(ForeignKey("material.id"))
    wish: Mapped[str] = mapped_column(Text, default="", server_default="")  # free text when no material fits
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    state: Mapped[str] = mapped_column(String(20), default="proposed", server_default="proposed")
    target_date: Mapped[date | None] = mapped_column(Date)
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    decision_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    material: Mapped[Material | None] = relationship()
    decided_by: Mapped[Person | None] = relationship(foreign_keys=[decided_by_id])


__all__ = ["Completion", "PlanItem", "Requirement", "RequirementRule"]
