"""A news item for everyone or for chosen departments, and which person has read which item."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, String, Table, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from quali_kompass.catalogue.models import Material
from quali_kompass.database import Base, UTCDateTime, utcnow
from quali_kompass.organisation.models import Department, Person

news_departments = Table(
    "news_department",
    Base.metadata,
    Column("news_id", ForeignKey("news_item.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("department.id", ondelete="CASCADE"), primary_key=True, index=True),
)

news_materials = Table(
    "news_material",
    Base.metadata,
    Column("news_id", ForeignKey("news_item.id", ondelete="CASCADE"), primary_key=True),
    Column("material_id", ForeignKey("material.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class NewsItem(Base):
    """A Neuigkeit: shown from ``publish_at`` on (a later time schedules it), pinned items first."""

    __tablename__ = "news_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    # The text as the editor wrote it (Markdown); shown only after sanitising.
    body: Mapped[str] = mapped_column(Text, default="", server_default="")
    publish_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # True: for every department; then the department list is empty.
    all_departments: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    author: Mapped[Person | None] = relationship()
    departments: Mapped[list[Department]] = relationship(secondary=news_departments, order_by="Department.name")
    materials: Mapped[list[Material]] = relationship(secondary=news_materials, order_by="Material.title")

    # When the person the query was built for read the item (queries.with_read_at); None: unread or not asked.
    read_at: Mapped[datetime | None] = query_expression()

    @property
    def department_ids(self) -> set[int]:
        return {department.id for department in self.departments}

    def is_published(self, now: datetime) -> bool:
        return self.publish_at <= now

    def is_for_department(self, department_id: int | None) -> bool:
        return self.all_departments or (department_id is not None and department_id in self.department_ids)

    def can_edit(self, person: Person) -> bool:
        """Editors limited to some departments edit only news of those departments, never news for all."""
        return person.can_edit_departments(self.department_ids, self.all_departments)


class NewsRead(Base):
    """That a person opened a news item; shown to nobody but that person."""

    __tablename__ = "news_read"
    __table_args__ = (UniqueConstraint("person_id", "news_id", name="uq_news_read_person_news"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    news_id: Mapped[int] = mapped_column(ForeignKey("news_item.id", ondelete="CASCADE"), index=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
