"""A person's rating of one version of a material, with an optional comment and the editors' public answer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quali_kompass.catalogue.models import Material, MaterialVersion
from quali_kompass.database import Base, UTCDateTime, utcnow
from quali_kompass.organisation.models import Person

RATINGS = (1, 2, 3, 4, 5)
COMMENT_MAX = 1000
REPLY_MAX = 1000


class MaterialFeedback(Base):
    """One rating per person and material version; a new version may be rated anew.

    Material without versions (e.g. published before versions were kept) has ``material_version_id`` None; the
    partial index then keeps it to one rating per person and material, as NULLs never collide in a unique key.
    Who answered a comment is deliberately not stored here: the row holds the rater's person_id, and a
    ``replied_by_id`` would put it into the editor's personal data export. The audit log names who answered.
    """

    __tablename__ = "material_feedback"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        UniqueConstraint("person_id", "material_version_id", name="uq_material_feedback_person_version"),
        Index(
            "uq_material_feedback_person_unversioned",
            "person_id",
            "material_id",
            unique=True,
            sqlite_where=text("material_version_id IS NULL"),
            postgresql_where=text("material_version_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"), index=True)
    # The version current when rated; versions go only with their material, and the rating with them.
    material_version_id: Mapped[int | None] = mapped_column(ForeignKey("material_version.id", ondelete="CASCADE"))
    rating: Mapped[int]
    comment: Mapped[str] = mapped_column(String(COMMENT_MAX), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The editors' answer, shown publicly under the material together with the comment (both without names).
    reply: Mapped[str] = mapped_column(Text, default="", server_default="")
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    material: Mapped[Material] = relationship()
    material_version: Mapped[MaterialVersion | None] = relationship()


def can_read_feedback(person: Person) -> bool:
    """Editors read feedback; leads never do, not even when they are editors too (their people rate)."""
    return person.can_edit_catalogue and not person.is_lead


def can_read_material_feedback(person: Person, material: Material) -> bool:
    return can_read_feedback(person) and person.can_edit_material(material)
