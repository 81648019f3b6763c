"""The aggregate tables of the statistics page: it reads these (and the small catalogue tables), never completions.

``material_usage`` is kept exactly, incrementally, by the completion services (``services.completion_added`` and
``services.completion_removed``, in the same transaction as the record). ``team_fulfilment`` cannot be kept that
way, since statuses change with time alone (due dates pass, completions expire): it holds snapshots per team and
day, written by the daily ``statistics-refresh`` for every team and, on each completion write, for the person's
team. Only one row per team and month is kept, the newest, so that the table stays at teams × months rows: the
last snapshot of a past month stands for its end, and the team's newest row is marked ``is_current``. When a month
is over, the refresh sums its rows into ``organisation_fulfilment``, the trend's points. ``requirement_states``
holds, per requirement, how many people are in each state: counted by the same daily refresh and moved by each
completion write, so that the list of mandatory trainings need not compute the statuses of a whole organisation.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, text
from sqlalchemy.orm import Mapped, mapped_column

from quali_kompass.database import Base, UTCDateTime

# Figures about fewer people are not shown ("zu wenige Personen"), so that no one can be singled out.
MINIMUM_PEOPLE = 5


class MaterialUsage(Base):
    """How many standing completion records a material has, and of how many different people."""

    __tablename__ = "material_usage"

    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"), primary_key=True)
    completions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    people: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class TeamFulfilment(Base):
    """A team's mandatory items on a day: its active members then, the items that applied and those fulfilled."""

    __tablename__ = "team_fulfilment"
    __table_args__ = (
        # At most one current row per team; the page reads the current rows through this index.
        Index(
            "uq_team_fulfilment_current",
            "team_id",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
    )

    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    people: Mapped[int] = mapped_column(Integer)
    applicable: Mapped[int] = mapped_column(Integer)
    fulfilled: Mapped[int] = mapped_column(Integer)
    is_current: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))


class OrganisationFulfilment(Base):
    """A past month's end for the whole organisation: the sum of every team's last snapshot in the month.

    Written when the daily refresh closes a month (and by the backfill), so that the trend reads eleven rows
    instead of summing eleven months of team rows on every page view.
    """

    __tablename__ = "organisation_fulfilment"

    day: Mapped[date] = mapped_column(Date, primary_key=True)  # the newest snapshot day in the month
    people: Mapped[int] = mapped_column(Integer)
    applicable: Mapped[int] = mapped_column(Integer)
    fulfilled: Mapped[int] = mapped_column(Integer)


class RequirementStates(Base):
    """How many of the people a requirement was assigned to on ``day`` were in each state (curricula.status.STATES).

    Written for every requirement with people by the daily refresh; a completion written later that day moves the
    counts of its requirements. Moves, new people and changed rules reach them with the next refresh; a rule change
    or lifting deletes the row, so that the list counts that requirement afresh until then.
    """

    __tablename__ = "requirement_states"

    requirement_id: Mapped[int] = mapped_column(ForeignKey("requirement.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    overdue: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    expired: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    due_soon: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    renewal_due: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    open: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


__all__ = ["MINIMUM_PEOPLE", "MaterialUsage", "OrganisationFulfilment", "RequirementStates", "TeamFulfilment"]
