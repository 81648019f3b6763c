"""Writes to the statistics tables: in the caller's transaction, flushed, never committed.

``completion_added`` and ``completion_removed`` are called by the completion services (``curricula.completions``)
for every record they write, so the counts change in the same transaction as the record. ``refresh`` writes the
daily snapshot of every team; ``rebuild`` recomputes everything from the records (repair).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from datetime import date, timedelta

from sqlalchemy import bindparam, case, delete, func, insert, literal, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite

from quali_kompass.curricula.models import Completion, Requirement
from quali_kompass.curricula.queries import fulfilment_by_team, fulfilment_change
from quali_kompass.curricula.status import STATES, berlin_today
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Membership, Person, Team
from quali_kompass.statistics.models import MaterialUsage, OrganisationFulfilment, RequirementStates, TeamFulfilment


# Material usage ----------------------------------------------------------------------------------------------------
def _upsert_usage(material_id: int, delta: int) -> None:
    """Add ``delta`` to the material's count of records; the first record inserts the row.

    One statement, ``completions = completions + delta`` on the existing row, so that parallel writers add up
    instead of overwriting each other; on PostgreSQL it also locks the row until the commit, which makes the
    people count below race-free.
    """
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    table = MaterialUsage.__table__
    statement = dialect.insert(table).values(material_id=material_id, completions=max(delta, 0), people=0)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.material_id],
        set_={"completions": _not_below_zero(table.c.completions + delta)},
    )
    db.session.execute(statement)


def _not_below_zero(value):
    # Only records written past the services (e.g. by hand) could make it negative; then `rebuild` repairs it.
    return case((value < 0, literal(0)), else_=value)


def _count_usage(completions: Iterable[Completion], delta: int) -> None:
    for completion in completions:
        _upsert_usage(completion.material_id, delta)
        # After the row lock: a parallel record of the same person and material has committed by now.
        standing = db.session.scalar(
            select(func.count(Completion.id)).where(
                Completion.person_id == completion.person_id,
                Completion.material_id == completion.material_id,
                Completion.reset_at.is_(None),
            )
        )
        if (delta > 0 and standing == 1) or (delta < 0 and standing == 0):  # the person's first, or their last
            db.session.execute(
                update(MaterialUsage)
                .where(MaterialUsage.material_id == completion.material_id)
                .values(people=_not_below_zero(MaterialUsage.people + delta))
            )


def completion_added(completions: Sequence[Completion]) -> None:
    """Count new standing records (already flushed) and refresh the snapshot of their people's teams."""
    if completions:
        _count_usage(completions, +1)
        refresh_teams_of({c.person_id for c in completions}, changed=completions)


def completion_removed(completions: Sequence[Completion]) -> None:
    """Uncount records that were reset (``reset_at`` set and flushed) and refresh their people's teams."""
    if completions:
        _count_usage(completions, -1)
        refresh_teams_of({c.person_id for c in completions}, changed=completions)


def rebuild_usage() -> int:
    """Recompute ``material_usage`` from all standing records with one INSERT … SELECT; the number of materials."""
    db.session.execute(delete(MaterialUsage))
    counts = (
        select(
            Completion.material_id,
            func.count(Completion.id),
            func.count(func.distinct(Completion.person_id)),
        )
        .where(Completion.reset_at.is_(None))
        .group_by(Completion.material_id)
    )
    db.session.execute(
        insert(MaterialUsage).from_select(["material_id", "completions", "people"], counts),
    )
    db.session.flush()
    return db.session.scalar(select(func.count()).select_from(MaterialUsage))


def forget_people(person_ids: Sequence[int]) -> None:
    """Uncount the standing records of these people before they are deleted (retention); two statements."""
    if not person_ids:
        return
    rows = db.session.execute(
        select(
            Completion.material_id,
            func.count(Completion.id),
            func.count(func.distinct(Completion.person_id)),
        )
        .where(Completion.person_id.in_(person_ids), Completion.reset_at.is_(None))
        .group_by(Completion.material_id)
    ).all()
    if rows:
        table = MaterialUsage.__table__
        db.session.execute(
            update(table)
            .where(table.c.material_id == bindparam("material"))
            .values(
                completions=_not_below_zero(table.c.completions - bindparam("records")),
                people=_not_below_zero(table.c.people - bindparam("persons")),
            ),
            [{"material": material, "records": records, "persons": persons} for material, records, persons in rows],
        )


# Team snapshots ----------------------------------------------------------------------------------------------------
def _month(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)


def _store(day: date, tally: dict[tuple[int, date], list[int]], team_ids: Sequence[int] | None, current: bool) -> int:
    """Replace the month's snapshot of the teams (all teams if None) by the one of ``day``; the rows written."""
    first, after = _month(day)
    in_teams = TeamFulfilment.team_id.in_(team_ids) if team_ids is not None else true()
    db.session.execute(delete(TeamFulfilment).where(in_teams, TeamFulfilment.day >= first, TeamFulfilment.day < after))
    if current:
        db.session.execute(
            update(TeamFulfilment).where(in_teams, TeamFulfilment.is_current.is_(True)).values(is_current=False)
        )
    rows = [
        {
            "team_id": team_id,
            "day": day,
            "people": people,
            "applicable": applicable,
            "fulfilled": fulfilled,
            "is_current": current,
        }
        for (team_id, on), (people, applicable, fulfilled) in sorted(tally.items())
        if on == day and people and (team_ids is None or team_id in team_ids)
    ]
    if rows:
        db.session.execute(insert(TeamFulfilment), rows)
    db.session.flush()
    return len(rows)


def refresh_teams_of(person_ids: Iterable[int], today: date | None = None, changed: Sequence[Completion] = ()) -> None:
    """Bring today's snapshot of the teams the people belong to today up to date.

    Done in the write, not later on the page: the statistics page stays a read of a few small rows (a "dirty" mark
    with a recount on the page would make a GET write and its time depend on the writes). With ``changed`` (the
    records the write just added or reset), a team whose snapshot is already today's is moved by the difference
    those records make to their people's items (``fulfilment_change``: the few people of the write, not the whole
    team); a team without one is counted afresh from its members. The teams are locked before the records are read
    (on PostgreSQL; SQLite has one writer anyway), so that of two parallel writes in a team the second waits and
    then counts the first one's record too. The same difference moves today's counts of the requirements
    (``requirement_states``). Moves, new people and changed requirements reach the snapshot with the next daily
    ``refresh``.
    """
    today = today or berlin_today()
    person_ids = list(person_ids)
    covering = (Membership.start_date <= today, or_(Membership.end_date.is_(None), Membership.end_date >= today))
    team_ids = sorted(
        set(db.session.scalars(select(Membership.team_id).where(Membership.person_id.in_(person_ids), *covering)))
    )
    if not team_ids:
        return
    # FOR NO KEY UPDATE: writers of the same team wait for each other, new memberships of the team do not.
    db.session.execute(select(Team.id).where(Team.id.in_(team_ids)).order_by(Team.id).with_for_update(key_share=True))
    todays = set(
        db.session.scalars(
            select(TeamFulfilment.team_id).where(
                TeamFulfilment.team_id.in_(team_ids), TeamFulfilment.is_current.is_(True), TeamFulfilment.day == today
            )
        )
    )
    if changed and todays:
        change = fulfilment_change(
            person_ids, today, frozenset(c.id for c in changed), {c.material_id for c in changed}
        )
        _move_requirement_states(today, change.states)
        for team_id, (applicable, fulfilled) in change.teams.items():
            if team_id in todays and (applicable or fulfilled):
                db.session.execute(
                    update(TeamFulfilment)
                    .where(TeamFulfilment.team_id == team_id, TeamFulfilment.day == today)
                    .values(
                        applicable=TeamFulfilment.applicable + applicable,
                        fulfilled=TeamFulfilment.fulfilled + fulfilled,
                    )
                )
        team_ids = [team_id for team_id in team_ids if team_id not in todays]
        if not team_ids:
            return
    members = db.session.scalars(
        select(Membership.person_id)
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.team_id.in_(team_ids), Person.active.is_(True), *covering)
    ).all()
    _store(today, fulfilment_by_team(members, [today]), team_ids, current=True)


def month_ends(today: date, months: int) -> list[date]:
    """The last day of each of the ``months`` months before today's, oldest first."""
    days: list[date] = []
    end = today.replace(day=1) - timedelta(days=1)
    for _ in range(months):
        days.append(end)
        end = end.replace(day=1) - timedelta(days=1)
    return days[::-1]


def close_months(first: date, before: date) -> int:
    """Sum the team rows of each month from ``first`` up to ``before`` into the organisation's month rows (the
    trend); the number of months written. One grouped read over those months' team rows, one delete, one insert."""
    rows = db.session.execute(
        select(
            TeamFulfilment.day,
            func.sum(TeamFulfilment.people),
            func.sum(TeamFulfilment.applicable),
            func.sum(TeamFulfilment.fulfilled),
        )
        .where(TeamFulfilment.day >= first, TeamFulfilment.day < before)
        .group_by(TeamFulfilment.day)
    ).all()
    months: dict[date, dict] = {}
    for day, people, applicable, fulfilled in rows:
        month = months.setdefault(day.replace(day=1), {"day": day, "people": 0, "applicable": 0, "fulfilled": 0})
        month["day"] = max(month["day"], day)
        month["people"] += people
        month["applicable"] += applicable
        month["fulfilled"] += fulfilled
    db.session.execute(
        delete(OrganisationFulfilment).where(OrganisationFulfilment.day >= first, OrganisationFulfilment.day < before)
    )
    if months:
        db.session.execute(insert(OrganisationFulfilment), list(months.values()))
    db.session.flush()
    return len(months)


# Requirement states --------------------------------------------------------------------------------------------
def _store_requirement_states(today: date, states: Counter) -> None:
    """Replace every requirement's counts by today's (``states``: (requirement id, state) -> people); a requirement
    in force with nobody in its scope gets zeros, so that the list need not count it."""
    in_force = db.session.scalars(
        select(Requirement.id).where(
            Requirement.effective_from <= today,
            or_(Requirement.ended_on.is_(None), Requirement.ended_on > today),
            Requirement.rules.any(),
        )
    )
    counted_at = utcnow()
    rows = {
        requirement_id: {"requirement_id": requirement_id, "day": today, "counted_at": counted_at}
        | dict.fromkeys(STATES, 0)
        for requirement_id in in_force
    }
    for (requirement_id, state), people in states.items():
        rows[requirement_id][state] = people
    db.session.execute(delete(RequirementStates))
    if rows:
        db.session.execute(insert(RequirementStates), [rows[key] for key in sorted(rows)])
    db.session.flush()


def _move_requirement_states(today: date, change: Counter) -> None:
    """Add a write's change of people per (requirement id, state) to today's counts; one statement a requirement."""
    by_requirement: dict[int, dict[str, int]] = {}
    for (requirement_id, state), delta in change.items():
        if delta:
            by_requirement.setdefault(requirement_id, {})[state] = delta
    table = RequirementStates.__table__
    for requirement_id, deltas in sorted(by_requirement.items()):
        db.session.execute(
            update(table)
            .where(table.c.requirement_id == requirement_id, table.c.day == today)
            .values({state: _not_below_zero(table.c[state] + delta) for state, delta in deltas.items()})
        )


def forget_requirement_states(requirement_ids: Collection[int] = (), material_id: int | None = None) -> None:
    """Drop the counts of requirements whose rule or end changed (or all of a material of which a version demands
    re-completion): the list counts them afresh until the next refresh."""
    if requirement_ids:
        db.session.execute(delete(RequirementStates).where(RequirementStates.requirement_id.in_(list(requirement_ids))))
    if material_id is not None:
        of_material = select(Requirement.id).where(Requirement.material_id == material_id)
        db.session.execute(delete(RequirementStates).where(RequirementStates.requirement_id.in_(of_material)))


def refresh(today: date, backfill_months: int = 0) -> dict[str, int]:
    """Write today's snapshot of every team (replacing this month's), and with ``backfill_months`` the snapshots
    of that many past month-ends as they stood then (so that the trend exists right after installation).

    Idempotent: running it again on the same day gives the same rows. Five statements per chunk of people.
    """
    people = db.session.scalars(select(Person.id).where(Person.active.is_(True)).order_by(Person.id)).all()
    days = [*month_ends(today, backfill_months), today]
    states: Counter = Counter()
    tally = fulfilment_by_team(people, days, states)
    _store_requirement_states(today, states)
    written = {"teams": _store(today, tally, None, current=True), "past_rows": 0}
    for day in days[:-1]:
        written["past_rows"] += _store(day, tally, None, current=False)
    # Close the months before today's: the last one (its team rows may have changed until its end) and the
    # backfilled ones.
    first = _month(today)[0]
    close_months((days[0] if len(days) > 1 else first - timedelta(days=1)).replace(day=1), first)
    return written


def rebuild(today: date, backfill_months: int = 0) -> dict[str, int]:
    """Recompute ``material_usage`` and today's team snapshots from the records (repair after a bulk change)."""
    materials = rebuild_usage()
    return {"materials": materials, **refresh(today, backfill_months)}
