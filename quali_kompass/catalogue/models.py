"""Topics, tools, materials and their published versions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
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
        # The catalogue's default order, newest first with the id to break ties: a page reads 20 rows through it
        # instead of sorting the whole catalogue.
        Index("ix_material_published_at_id", "published_at", "id"),
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
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Training videos: the video, its poster image and its WebVTT captions; the transcript as plain text.
    video_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))
    poster_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))
    captions_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))
    transcript: Mapped[str] = mapped_column(Text, default="", server_default="")

    topic: Mapped[Topic] = relationship()
    departments: Mapped[list[Department]] = relationship(secondary=material_departments, order_by="Department.name")
    tools: Mapped[list[Tool]] = relationship(secondary=material_tools, order_by="Tool.name")
    video_file: Mapped[StoredFile | None] = relationship(foreign_keys=[video_file_id])
    poster_file: Mapped[StoredFile | None] = relationship(foreign_keys=[poster_file_id])
    captions_file: Mapped[StoredFile | None] = relationship(foreign_keys=[captions_file_id])
    versions: Mapped[list[MaterialVersion]] = relationship(
        back_populates="material", order_by="MaterialVersion.number.desc()", cascade="all, delete-orphan"
    )
    session_dates: Mapped[list[SessionDate]] = relationship(
        back_populates="material", order_by="SessionDate.starts_at", cascade="all, delete-orphan", passive_deletes=True
    )
    steps: Mapped[list[GuideStep]] = relationship(
        back_populates="material", order_by="GuideStep.position", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def department_ids(self) -> set[int]:
        return {department.id for department in self.departments}

    @property
    def current_version(self) -> MaterialVersion | None:
        return self.versions[0] if self.versions else None

    @property
    def file_ids(self) -> set[int]:
        """The stored files that belong to this material (and are served with its permission)."""
        ids = [self.video_file_id, self.poster_file_id, self.captions_file_id]
        if self.kind == "guide":
            ids.extend(step.image_file_id for step in self.steps)
        return {file_id for file_id in ids if file_id is not None}

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
    # With re-completion: people have this many days after the publication to complete the new version.
    recompletion_grace_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))

    material: Mapped[Material] = relationship(back_populates="versions")
    published_by: Mapped[Person | None] = relationship()


class GuideStep(Base):
    """One step of a click-through guide (Klickstrecke): a screenshot, what to do, and where to look.

    The highlight rectangle is given in per mille of the screenshot's width and height (0–1000), so that it stays
    in place at every size the screenshot is shown. Positions run 1…n; the services keep them so.
    """

    __tablename__ = "guide_step"
    __table_args__ = (
        CheckConstraint("position > 0", name="position_positive"),
        CheckConstraint(
            "(highlight_left IS NULL AND highlight_top IS NULL"
            " AND highlight_width IS NULL AND highlight_height IS NULL)"
            " OR (highlight_left >= 0 AND highlight_top >= 0 AND highlight_width > 0 AND highlight_height > 0"
            " AND highlight_left + highlight_width <= 1000 AND highlight_top + highlight_height <= 1000)",
            name="highlight_inside",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    instruction: Mapped[str] = mapped_column(Text)
    alt_text: Mapped[str] = mapped_column(String(500), default="", server_default="")
    image_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_file.id", ondelete="SET NULL"))
    highlight_left: Mapped[int | None]
    highlight_top: Mapped[int | None]
    highlight_width: Mapped[int | None]
    highlight_height: Mapped[int | None]

    material: Mapped[Material] = relationship(back_populates="steps")
    image_file: Mapped[StoredFile | None] = relationship()

    @property
    def highlight(self) -> tuple[int, int, int, int] | None:
        """(left, top, width, height) in per mille, or None."""
        if self.highlight_left is None:
            return None
        return (self.highlight_left, self.highlight_top, self.highlight_width, self.highlight_height)


class SessionDate(Base):
    """One date of an in-person session or webinar, with its place or online link and its number of seats."""

    __tablename__ = "session_date"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("ends_at > starts_at", name="times_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(300), default="", server_default="")
    online_url: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    capacity: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Who runs the date; besides the participants' leads, the trainer confirms attendance.
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    # A cancelled date keeps its registrations, so that who had registered stays on record.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    material: Mapped[Material] = relationship(back_populates="session_dates")
    trainer: Mapped[Person | None] = relationship()
    registrations: Mapped[list[SessionRegistration]] = relationship(
        back_populates="session_date", lazy="raise_on_sql", passive_deletes=True
    )

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


class SessionRegistration(Base):
    """A person's registration for a session date; unregistering keeps the row with ``cancelled_at`` set."""

    __tablename__ = "session_registration"
    __table_args__ = (
        # At most one active registration per person and date; after unregistering one may register again.
        Index(
            "uq_session_registration_active",
            "session_date_id",
            "person_id",
            unique=True,
            sqlite_where=text("cancelled_at IS NULL"),
            postgresql_where=text("cancelled_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_date_id: Mapped[int] = mapped_column(ForeignKey("session_date.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session_date: Mapped[SessionDate] = relationship(back_populates="registrations")
    person: Mapped[Person] = relationship()


class StoredFile(Base):
    """An uploaded file: kept under a generated name in the upload folder, its original name only in here."""

    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))


# Full-text search: an inverted index of the material, written by ``search_index`` and read by ``search``.
# Terms compare byte by byte on both databases (BINARY on SQLite, the C collation on PostgreSQL): prefix and suffix
# ranges then find the same terms on both, and PostgreSQL can answer them from the index whatever its locale.
SEARCH_TERM = String(64).with_variant(String(64, collation="C"), "postgresql")


class SearchTerm(Base):
    """One distinct stem of the search index, also reversed (for compounds), with the number of its materials."""

    __tablename__ = "search_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(SEARCH_TERM, unique=True)
    reversed_term: Mapped[str] = mapped_column(SEARCH_TERM, index=True)
    document_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class SearchPosting(Base):
    """How well one term describes one material: an integer, higher for the title than for the body."""

    __tablename__ = "search_posting"
    # The best postings of a term come straight from this index (see search.POSTINGS_PER_TERM).
    __table_args__ = (Index("ix_search_posting_term_score", "term_id", "score", "material_id"),)

    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"), primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("search_term.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[int]
