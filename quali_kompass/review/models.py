"""The access log: who viewed or exported whose training records, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quali_kompass.database import Base, UTCDateTime, utcnow
from quali_kompass.organisation.models import Person, Team

ACCESS_ACTIONS = ("person_viewed", "team_exported", "team_printed")


class AccessLogEntry(Base):
    """One look at or export of people's records by someone else (a lead, a head, an admin)."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(40))
    viewer_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    # Whose record was viewed (one person) or which team was exported; the other stays empty.
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    viewer: Mapped[Person | None] = relationship(foreign_keys=[viewer_id])
    subject: Mapped[Person | None] = relationship(foreign_keys=[subject_id])
    team: Mapped[Team | None] = relationship()
