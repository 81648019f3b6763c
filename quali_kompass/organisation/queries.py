"""Reads for the organisation pages."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from quali_kompass.organisation.models import Department, Membership, Person, Team


def departments_with_counts() -> Select:
    """Departments with their number of teams and of current members."""
    team_count = (
        select(func.count(Team.id)).where(Team.department_id == Department.id).correlate(Department).scalar_subquery()
    )
    member_count = (
        select(func.count(Membership.id))
        .join(Team, Team.id == Membership.team_id)
        .where(Team.department_id == Department.id, Membership.end_date.is_(None))
        .correlate(Department)
        .scalar_subquery()
    )
    return (
        select(Department, team_count.label("team_count"), member_count.label("member_count"))
        .options(selectinload(Department.heads))
        .order_by(Department.name)
    )


def teams_with_counts(department_id: int | None = None) -> Select:
    member_count = (
        select(func.count(Membership.id))
        .where(Membership.team_id == Team.id, Membership.end_date.is_(None))
        .correlate(Team)
        .scalar_subquery()
    )
    statement = (
        select(Team, member_count.label("member_count"))
        .join(Team.department)
        .options(selectinload(Team.leads))
        .order_by(Department.name, Team.name)
    )
    if department_id:
        statement = statement.where(Team.department_id == department_id)
    return statement


def all_teams() -> Select:
    """Every team with its department, for choice lists."""
    return select(Team).join(Team.department).order_by(Department.name, Team.name)


def people(
    search: str = "",
    department_id: int | None = None,
    team_id: int | None = None,
    status: str = "active",
) -> Select:
    """People matching the filters, with their current team (one query for the list, one for teams)."""
    current = Membership.end_date.is_(None)
    statement = (
        select(Person)
        .outerjoin(Membership, (Membership.person_id == Person.id) & current)
        .outerjoin(Team, Team.id == Membership.team_id)
        .options(selectinload(Person.memberships.and_(current)).joinedload(Membership.team).joinedload(Team.department))
        .order_by(Person.name, Person.id)
    )
    if search:
        pattern = f"%{search.strip().lower()}%"
        statement = statement.where(
            or_(
                func.lower(Person.name).like(pattern),
                Person.email.like(pattern),
                func.lower(Person.personnel_number).like(pattern),
            )
        )
    if department_id:
        statement = statement.where(Team.department_id == department_id)
    if team_id:
        statement = statement.where(Team.id == team_id)
    if status == "active":
        statement = statement.where(Person.active.is_(True))
    elif status == "inactive":
        statement = statement.where(Person.active.is_(False))
    return statement


def team_members(team_id: int) -> Select:
    """Current members of a team."""
    return (
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.team_id == team_id, Membership.end_date.is_(None))
        .order_by(Person.name)
    )


def department_members(department_id: int) -> Select:
    """(id, name, team id) of the active current members of a department's teams, by name: plain rows, not ORM
    objects, so that a department of thousands stays cheap (the teams are few and loaded as objects)."""
    return (
        select(Person.id, Person.name, Membership.team_id)
        .join(Membership, Membership.person_id == Person.id)
        .join(Team, Team.id == Membership.team_id)
        .where(Team.department_id == department_id, Membership.end_date.is_(None), Person.active.is_(True))
        .order_by(Person.name, Person.id)
    )


def reviewable_teams(team_ids: frozenset[int]) -> Select:
    return (
        select(Team)
        .where(Team.id.in_(team_ids))
        .join(Team.department)
        .options(selectinload(Team.leads))
        .order_by(Department.name, Team.name)
    )


def person_detail(person_id: int) -> Select:
    return (
        select(Person)
        .where(Person.id == person_id)
        .options(
            selectinload(Person.memberships).joinedload(Membership.team).joinedload(Team.department),
            selectinload(Person.editor_departments),
            selectinload(Person.led_teams),
            selectinload(Person.headed_departments),
        )
    )
