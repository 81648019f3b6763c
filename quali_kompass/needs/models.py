"""A stated qualification need, and the materials that meet it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quali_kompass.catalogue.models import Material, Tool, Topic
from quali_kompass.database import Base, UTCDateTime, utcnow
from quali_kompass.organisation.models import Department, Person, Team

URGENCIES = ("low", "medium", "high")  # niedrig, mittel, hoch
STATES = ("open", "in_progress", "met", "declined")
UNMET_STATES = ("open", "in_progress")
MAX_TEXT = 1000
MAX_REPLY = 2000

need_materials = Table(
    "need_material",
    Base.metadata,
    Column("need_id", ForeignKey("need.id", ondelete="CASCADE"), primary_key=True),
    Column("material_id", ForeignKey("material.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Need(Base):
    """What a person (or a lead, for one of their teams) would like to learn: tool, topic and/or free text.

    ``department_id`` is the department at the time of stating, so that moving teams does not move old needs.
    That at least one of tool, topic and text is given is checked by the service, not the database: deleting a
    tool or topic sets it to NULL here and must not fail for needs that named nothing else.
    """

    __tablename__ = "need"
    __table_args__ = (
        CheckConstraint(f"urgency IN {URGENCIES}", name="urgency_known"),
        CheckConstraint(f"state IN {STATES}", name="state_known"),
        Index("ix_need_state_department", "state", "department_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="SET NULL"))
    tool_id: Mapped[int | None] = mapped_column(ForeignKey("tool.id", ondelete="SET NULL"), index=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text, default="", server_default="")
    urgency: Mapped[str] = mapped_column(String(10), default="medium", server_default="medium")
    state: Mapped[str] = mapped_column(String(20), default="open", server_default="open")
    reply: Mapped[str] = mapped_column(Text, default="", server_default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    team: Mapped[Team | None] = relationship()
    department: Mapped[Department | None] = relationship()
    tool: Mapped[Tool | None] = relationship()
    topic: Mapped[Topic | None] = relationship()
    answered_by: Mapped[Person | None] = relationship(foreign_keys=[answered_by_id])
    materials: Mapped[list[Material]] = relationship(
        secondary=need_materials, order_by="Material.title", lazy="raise_on_sql"
    )

    @property
    def subject(self) -> str:
        """A short name of the need for headings and notifications: tool and topic, else the start of the text."""
        names = [name for name in (self.tool.name if self.tool else "", self.topic.label if self.topic else "") if name]
        if names:
            return " · ".join(names)
        text = " ".join(self.text.split())
        return text if len(text) <= 80 else text[:79].rstrip() + "…"

    @property
    def is_unmet(self) -> bool:
        return self.state in UNMET_STATES

    def can_answer(self, person: Person) -> bool:
        """Editors answer needs of the departments they edit (all, if not limited); needs of no department only
        editors for all departments."""
        if not person.can_edit_catalogue:
            return False
        allowed = person.editable_department_ids
        return allowed is None or self.department_id in allowed
