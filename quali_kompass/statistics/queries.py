"""Reads of the statistics page: GROUP BY over the catalogue and the aggregate tables, one statement each.

None of them touches the completion records, so the page takes the same few statements for 10 people and for
100,000 (pinned in tests/test_query_counts.py).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select

from quali_kompass.catalogue.models import Material, Tool, Topic, material_tools
from quali_kompass.curricula.status import STATES
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Team
from quali_kompass.statistics.models import MaterialUsage, OrganisationFulfilment, RequirementStates, TeamFulfilment

TOP_MATERIALS = 10
PUBLISHED = Material.status == "published"


@dataclass(frozen=True)
class Count:
    """A part of the catalogue and how many published materials it has."""

    label: str
    materials: int


@dataclass(frozen=True)
class Usage:
    """A material and its standing completion records: how many, and of how many different people."""

    material_id: int
    title: str
    kind: str
    people: int
    completions: int


@dataclass(frozen=True)
class Tally:
    """Mandatory items of a group of people on a day: the people, the items that applied, those fulfilled."""

    id: int
    label: str
    people: int
    applicable: int
    fulfilled: int
    day: date | None = None
    group: str = ""  # the department of a team


def by_kind() -> dict[str, int]:
    """Published materials per kind (only the kinds that occur)."""
    return dict(db.session.execute(select(Material.kind, func.count()).where(PUBLISHED).group_by(Material.kind)).all())


def by_topic() -> list[Count]:
    """Published materials per main topic, subtopics counted with their main topic, by name (two statements)."""
    counts = dict(
        db.session.execute(select(Material.topic_id, func.count()).where(PUBLISHED).group_by(Material.topic_id)).all()
    )
    topics = {
        topic_id: (name, parent_id)
        for topic_id, name, parent_id in db.session.execute(select(Topic.id, Topic.name, Topic.parent_id))
    }
    totals: dict[int, int] = {topic_id: 0 for topic_id, (_, parent_id) in topics.items() if parent_id is None}
    for topic_id, count in counts.items():
        main = topic_id
        seen = set()
        while topics.get(main, ("", None))[1] is not None and main not in seen:
            seen.add(main)
            main = topics[main][1]
        totals[main] = totals.get(main, 0) + count
    rows = [Count(topics[topic_id][0], count) for topic_id, count in totals.items() if topic_id in topics]
    return sorted(rows, key=lambda row: row.label.casefold())


def by_tool() -> list[Count]:
    """Published materials per tool, every tool (also those without material), by name."""
    rows = db.session.execute(
        select(Tool.name, func.count(Material.id))
        .outerjoin(material_tools, material_tools.c.tool_id == Tool.id)
        .outerjoin(Material, and_(Material.id == material_tools.c.material_id, PUBLISHED))
        .group_by(Tool.id, Tool.name)
        .order_by(Tool.name)
    ).all()
    return [Count(name, count) for name, count in rows]


def most_used(limit: int = TOP_MATERIALS) -> list[Usage]:
    """The published materials completed by the most people (standing records), from ``material_usage``."""
    rows = db.session.execute(
        select(Material.id, Material.title, Material.kind, MaterialUsage.people, MaterialUsage.completions)
        .join(MaterialUsage, MaterialUsage.material_id == Material.id)
        .where(PUBLISHED, MaterialUsage.people > 0)
        .order_by(MaterialUsage.people.desc(), MaterialUsage.completions.desc(), Material.title, Material.id)
        .limit(limit)
    ).all()
    return [Usage(*row) for row in rows]


def by_department() -> list[Tally]:
    """The current snapshot summed per department, by name; ``day`` is the newest snapshot day among its teams."""
    rows = db.session.execute(
        select(
            Department.id,
            Department.name,
            func.sum(TeamFulfilment.people),
            func.sum(TeamFulfilment.applicable),
            func.sum(TeamFulfilment.fulfilled),
            func.max(TeamFulfilment.day),
        )
        .join(Team, Team.department_id == Department.id)
        .join(TeamFulfilment, TeamFulfilment.team_id == Team.id)
        .where(TeamFulfilment.is_current.is_(True))
        .group_by(Department.id, Department.name)
        .order_by(Department.name, Department.id)
    ).all()
    return [Tally(*row) for row in rows]


def by_team() -> list[Tally]:
    """The current snapshot of every team, by department and team name."""
    rows = db.session.execute(
        select(
            Team.id,
            Team.name,
            TeamFulfilment.people,
            TeamFulfilment.applicable,
            TeamFulfilment.fulfilled,
            TeamFulfilment.day,
            Department.name,
        )
        .join(TeamFulfilment, TeamFulfilment.team_id == Team.id)
        .join(Department, Department.id == Team.department_id)
        .where(TeamFulfilment.is_current.is_(True))
        .order_by(Department.name, Team.name, Team.id)
    ).all()
    return [Tally(*row) for row in rows]


def past_months(today: date, months: int, team_id: int | None = None) -> list[Tally]:
    """The month rows of the ``months`` months before today's (oldest first; months without a snapshot are
    missing): the organisation's, written when the daily refresh closes a month, or with ``team_id`` the team's
    last snapshot in each month. A handful of rows through the primary key."""
    first = today.replace(day=1)
    start = first
    for _ in range(months):
        start = (start - timedelta(days=1)).replace(day=1)
    table = OrganisationFulfilment if team_id is None else TeamFulfilment
    statement = (
        select(table.day, table.people, table.applicable, table.fulfilled)
        .where(table.day >= start, table.day < first)
        .order_by(table.day)
    )
    if team_id is not None:
        statement = statement.where(TeamFulfilment.team_id == team_id)
    rows = db.session.execute(statement).all()
    return [Tally(team_id or 0, "", people, applicable, fulfilled, day) for day, people, applicable, fulfilled in rows]


def requirement_states(
    requirement_ids: Collection[int], today: date
) -> tuple[dict[int, dict[str, int]], datetime | None]:
    """Today's counts per state of those requirements that have them (``RequirementStates``), and when they were
    counted (None if none has); one statement."""
    rows = db.session.scalars(
        select(RequirementStates).where(
            RequirementStates.requirement_id.in_(list(requirement_ids)), RequirementStates.day == today
        )
    ).all()
    counts = {row.requirement_id: {state: getattr(row, state) for state in STATES} for row in rows}
    return counts, min((row.counted_at for row in rows), default=None)
