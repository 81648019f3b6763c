"""Topics, tools, materials and their published versions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quali_kompass.database import Base, UTCDateTime, utcnow
from quali_kompass.organisation.models import Department, Person

KINDS = ("video", "guide", "document", "link", "session")  # Schulungsvideo, Klickstrecke, Anleitung, Link, Präsenz
LEVELS = ("basic", "advanced")  # Einstieg, Vertiefung
SOURCES = ("ba", "inhouse")  # Bundesagentur für Arbeit, hauseigen
STATUSES = ("draft", "published", "archived")

material_departments = Table(
    "material_department",
    Base.metadata,
    Column("material_id", ForeignKey("material.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("department.id", ondelete="CASCADE"), primary_key=True, index=True),
)

material_tools = Table(
    "material_tool",
    Base.metadata,
    Column("material_id", ForeignKey("material.id", ondelete="CASCADE"), primary_key=True),
    Column("tool_id", ForeignKey("tool.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Topic(Base):
    """A Thema; topics have at most two levels (a main topic and its subtopics)."""

    __tablename__ = "topic"
    __table_args__ = (UniqueConstraint("parent_id", "name", name="uq_topic_parent_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id"), index=True)

    parent: Mapped[Topic | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Topic]] = relationship(back_populates="parent", order_by="Topic.name")

    @property
    def label(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent else self.name


class Tool(Base):
    """A Fachverfahren or digital tool that material is about (E-Akte, VerBIS, …)."""

    __tablename__ = "tool"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="", server_default="")


class Material(Base):
    """A Qualifizierungsangebot of one kind, from draft through published to archived."""

    __tablename__ = "material"
    __table_args__ = (
        CheckConstraint(f"kind IN {KINDS}", name="kind_known"),
        CheckConstraint(f"level IN {LEVELS}", name="level_known"),
        CheckConstraint(f"source IN {SOURCES}", name="source_known"),
        CheckConstraint(f"status IN {STATUSES}", name="status_known"),
        CheckConstraint("duration_minutes IS NULL OR duration_minutes > 0", name="duration_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(20), default="basic", server_default="basic")
    source: Mapped[str] = mapped_column(String(20), default="inhouse", server_default="inhouse")
    language: Mapped[str] = mapped_column(String(5), default="de", server_default="de")
    contact_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    last_reviewed: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="draft", server_default="draft", index=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"), index=True)
    # True: for every department ("alle Fachbereiche"); then the department list is empty.
    all_departments: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # Written guides: the text as the editor wrote it (Markdown); shown only after sanitising.
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    external_url: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    topic: Mapped[Topic] = relationship()
    departments: Mapped[list[Department]] = relationship(secondary=material_departments, order_by="Department.name")
    tools: Mapped[list[Tool]] = relationship(secondary=material_tools, order_by="Tool.name")
    versions: Mapped[list[MaterialVersion]] = relationship(
        back_populates="material", order_by="MaterialVersion.number.desc()", cascade="all, delete-orphan"
    )

    @property
    def department_ids(self) -> set[int]:
        return {department.id for department in self.departments}

    @property
    def current_version(self) -> MaterialVersion | None:
        return self.versions[0] if self.versions else None

    def is_visible_to(self, person: Person) -> bool:
        """Published and archived material is open to everyone logged in; drafts only to its editors."""
        return self.status != "draft" or person.can_edit_material(self)


class MaterialVersion(Base):
    """One publication of a material, with what changed and whether people must complete it again."""

    __tablename__ = "material_version"
    __table_args__ = (UniqueConstraint("material_id", "number", name="uq_material_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"))
    number: Mapped[int]
    change_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    recompletion_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))

    material: Mapped[Material] = relationship(back_populates="versions")
    published_by: Mapped[Person | None] = relationship()
