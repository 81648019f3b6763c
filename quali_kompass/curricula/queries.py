"""Who must complete what, and where each person stands: assignments from team memberships, statuses in batches.

Every page, export and reminder reads statuses through these functions (which use ``status.compute``), with a
number of statements that does not grow with the number of people or requirements.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext
from sqlalchemy import Select, and_, or_, select, true
from sqlalchemy.orm import joinedload, selectinload

from quali_kompass.catalogue.models import Material, MaterialVersion
from quali_kompass.curricula import status as status_module
from quali_kompass.curricula.models import Completion, Requirement, RequirementRule
from quali_kompass.curricula.status import (
    BERLIN,
    STATES,
    CompletionFact,
    RecompletionVersion,
    Rule,
    Status,
    berlin_date,
)
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Membership, Person, Team

# Ids per IN list: far below the bind parameter limits of SQLite (32,766) and psycopg (65,535). Larger batches
# run the same statements once per chunk.
CHUNK = 5000
SCOPE_ORDER = {"organisation": 0, "department": 1, "team": 2}


@dataclass(frozen=True)
class Assignment:
    """A requirement that is a person's on a day: since when, and through which requirement."""

    requirement: Requirement
    assigned_on: date

    @property
    def reason(self) -> str:
        """Why the person must complete it, in the interface language."""
        requirement = self.requirement
        if requirement.scope == "department":
            return gettext("Pflicht für Fachbereich %(name)s", name=requirement.department.name)
        if requirement.scope == "team":
            return gettext("Pflicht für Team %(name)s", name=requirement.team.name)
        return gettext("Pflicht für alle Beschäftigten")


@dataclass(frozen=True)
class PersonItem:
    """One mandatory material of a person (one entry even if several requirements demand it)."""

    material: Material
    assignments: list[Assignment]  # every requirement that demands it (the reasons)
    status: Status  # the most urgent of the requirements' statuses

    @property
    def reasons(self) -> list[str]:
        """German reasons, e.g. "Pflicht für Fachbereich Leistungsgewährung"."""
        return [assignment.reason for assignment in self.assignments]

    @property
    def assigned_on(self) -> date:
        """The earliest day one of the requirements became the person's."""
        return min(assignment.assigned_on for assignment in self.assignments)


@dataclass(frozen=True)
class MembershipSpan:
    """A team membership reduced to what scopes need."""

    team_id: int
    department_id: int
    start: date
    end: date | None  # the last day; None while current


# Pure helpers ------------------------------------------------------------------------------------------------------


def urgency(status: Status) -> tuple[int, date]:
    """Sort key: the order of STATES, then the earlier due date."""
    return (STATES.index(status.state), status.due_on or date.max)


def rule_fact(rule: RequirementRule) -> Rule:
    return Rule(
        valid_from=rule.valid_from,
        due_kind=rule.due_kind,
        due_days=rule.due_days,
        due_date=rule.due_date,
        recertification=rule.recertification,
        recert_months=rule.recert_months,
        recert_month=rule.recert_month,
        recert_day=rule.recert_day,
        renewal_window_days=rule.renewal_window_days,
    )


def in_force(requirement: Requirement, today: date) -> bool:
    """From ``effective_from`` up to the day before ``ended_on``."""
    return requirement.effective_from <= today and (requirement.ended_on is None or today < requirement.ended_on)


def in_scope(requirement: Requirement, span: MembershipSpan) -> bool:
    if requirement.scope == "department":
        return span.department_id == requirement.department_id
    if requirement.scope == "team":
        return span.team_id == requirement.team_id
    return True


def merged_intervals(spans: Iterable[MembershipSpan]) -> list[tuple[date, date | None]]:
    """Join memberships that follow each other without a gap (a move ends the old one the day before)."""
    merged: list[list] = []
    for span in sorted(spans, key=lambda span: span.start):
        if merged:
            last = merged[-1]
            if last[1] is None:
                continue  # an open interval already covers everything after it
            if span.start <= last[1] + timedelta(days=1):
                last[1] = None if span.end is None else max(last[1], span.end)
                continue
        merged.append([span.start, span.end])
    return [(start, end) for start, end in merged]


def assignment_day(requirement: Requirement, spans: Sequence[MembershipSpan], today: date) -> date | None:
    """Since when the requirement is the person's today, or None if it is not.

    A move within the scope keeps the day; leaving it and coming back gives a new one.
    """
    if not in_force(requirement, today):
        return None
    for start, end in merged_intervals(span for span in spans if in_scope(requirement, span)):
        if start <= today and (end is None or today <= end):
            return max(start, requirement.effective_from)
    return None


# Loading -----------------------------------------------------------------------------------------------------------


def _due_soon_days() -> int:
    """How many days before the due date an item counts as due soon (QK_DUE_SOON_DAYS)."""
    return int(current_app.config.get("QK_DUE_SOON_DAYS", status_module.DUE_SOON_DAYS))


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for index in range(0, len(ids), CHUNK):
        yield list(ids[index : index + CHUNK])


def _load_spans(person_ids: list[int] | Select) -> tuple[dict[int, list[MembershipSpan]], set[int]]:
    """Every membership of the given active people, and which of the people are active (one statement)."""
    rows = db.session.execute(
        select(Person.id, Membership.team_id, Team.department_id, Membership.start_date, Membership.end_date)
        .outerjoin(Membership, Membership.person_id == Person.id)
        .outerjoin(Team, Team.id == Membership.team_id)
        .where(Person.id.in_(person_ids), Person.active.is_(True))
    )
    spans: dict[int, list[MembershipSpan]] = defaultdict(list)
    active: set[int] = set()
    for person_id, team_id, department_id, start, end in rows:
        active.add(person_id)
        if team_id is not None:
            spans[person_id].append(MembershipSpan(team_id, department_id, start, end))
    return spans, active


def _load_requirements(
    team_ids: set[int], department_ids: set[int], first_day: date, last_day: date
) -> list[Requirement]:
    """Requirements of these teams or departments in force on a day of the window, with rules (two statements)."""
    scopes = [Requirement.scope == "organisation"]
    if department_ids:
        scopes.append(and_(Requirement.scope == "department", Requirement.department_id.in_(department_ids)))
    if team_ids:
        scopes.append(and_(Requirement.scope == "team", Requirement.team_id.in_(team_ids)))
    statement = (
        select(Requirement)
        .where(
            or_(*scopes),
            Requirement.effective_from <= last_day,
            or_(Requirement.ended_on.is_(None), Requirement.ended_on > first_day),
        )
        .options(
            selectinload(Requirement.rules),
            joinedload(Requirement.material),
            joinedload(Requirement.department),
            joinedload(Requirement.team),
        )
        .order_by(Requirement.id)
    )
    return [requirement for requirement in db.session.scalars(statement).unique() if requirement.rules]


def _load_completions(
    person_ids: list[int] | Select, material_ids: set[int]
) -> dict[tuple[int, int], list[CompletionFact]]:
    """Standing completions of these people for these materials, keyed by (person, material) (one statement)."""
    facts: dict[tuple[int, int], list[CompletionFact]] = defaultdict(list)
    if not material_ids:
        return facts
    rows = db.session.execute(
        select(Completion.person_id, Completion.material_id, Completion.completed_on, MaterialVersion.number)
        .outerjoin(MaterialVersion, MaterialVersion.id == Completion.material_version_id)
        .where(
            Completion.person_id.in_(person_ids),
            Completion.material_id.in_(material_ids),
            Completion.reset_at.is_(None),
        )
    )
    for person_id, material_id, completed_on, number in rows:
        facts[(person_id, material_id)].append(CompletionFact(completed_on, number))
    return facts


def _load_recompletions(material_ids: set[int]) -> dict[int, list[RecompletionVersion]]:
    """Versions that demand re-completion, per material, with their Berlin publication day (one statement)."""
    versions: dict[int, list[RecompletionVersion]] = defaultdict(list)
    if not material_ids:
        return versions
    rows = db.session.execute(
        select(
            MaterialVersion.material_id,
            MaterialVersion.number,
            MaterialVersion.published_at,
            MaterialVersion.recompletion_grace_days,
        ).where(MaterialVersion.material_id.in_(material_ids), MaterialVersion.recompletion_required.is_(True))
    )
    for material_id, number, published_at, grace_days in rows:
        versions[material_id].append(RecompletionVersion(number, berlin_date(published_at), grace_days))
    return versions


@dataclass(frozen=True)
class _Facts:
    """What the statuses of a chunk of people need, for any day of a window."""

    spans: dict[int, list[MembershipSpan]]
    active: set[int]
    requirements: list[Requirement]  # in force on some day of the window
    rules: dict[int, list[Rule]]  # by requirement id
    completions: dict[tuple[int, int], list[CompletionFact]]
    recompletions: dict[int, list[RecompletionVersion]]


def _load_facts(person_ids: list[int], first_day: date, last_day: date) -> _Facts | None:
    """Everything for the statuses of these people on the days from first to last: five statements, or one (and
    None) when none of them is active."""
    spans, active = _load_spans(person_ids)
    if not active:
        return None
    team_ids = {span.team_id for person_spans in spans.values() for span in person_spans}
    department_ids = {span.department_id for person_spans in spans.values() for span in person_spans}
    requirements = _load_requirements(team_ids, department_ids, first_day, last_day)
    material_ids = {requirement.material_id for requirement in requirements}
    return _Facts(
        spans=spans,
        active=active,
        requirements=requirements,
        rules={requirement.id: [rule_fact(rule) for rule in requirement.rules] for requirement in requirements},
        completions=_load_completions(sorted(active), material_ids),
        recompletions=_load_recompletions(material_ids),
    )


def _items_on(facts: _Facts, person_id: int, day: date, due_soon_days: int) -> list[PersonItem]:
    """A person's mandatory items on ``day``, one per material with the most urgent status (unsorted, pure)."""
    by_material: dict[int, list[tuple[Assignment, Status]]] = defaultdict(list)
    for requirement in facts.requirements:
        assigned_on = assignment_day(requirement, facts.spans.get(person_id, ()), day)
        if assigned_on is None:
            continue
        status = status_module.compute(
            due_soon_days=due_soon_days,
            today=day,
            assigned_on=assigned_on,
            rules=facts.rules[requirement.id],
            completions=facts.completions.get((person_id, requirement.material_id), ()),
            recompletions=facts.recompletions.get(requirement.material_id, ()),
        )
        by_material[requirement.material_id].append((Assignment(requirement, assigned_on), status))
    items = []
    for pairs in by_material.values():
        pairs.sort(key=lambda pair: (SCOPE_ORDER[pair[0].requirement.scope], pair[0].requirement.id))
        most_urgent = min((status for _, status in pairs), key=urgency)
        items.append(PersonItem(pairs[0][0].requirement.material, [a for a, _ in pairs], most_urgent))
    return items


def member_on(spans: Iterable[MembershipSpan], team_id: int, day: date) -> bool:
    """Whether one of the memberships is of the team and covers the day."""
    return any(
        span.team_id == team_id and span.start <= day and (span.end is None or day <= span.end) for span in spans
    )


@dataclass(frozen=True)
class Fulfilment:
    """How many mandatory items applied on a day (one per person and material), and how many were fulfilled."""

    day: date
    applicable: int
    fulfilled: int

    @property
    def share(self) -> float | None:
        """The fulfilled share; None when nothing applied (not 0 %)."""
        return self.fulfilled / self.applicable if self.applicable else None


# Public reads ------------------------------------------------------------------------------------------------------


def items_and_fulfilment(
    person_ids: list[int], today: date, days: Sequence[date] = (), team_id: int | None = None
) -> tuple[dict[int, list[PersonItem]], list[Fulfilment]]:
    """Every person's current mandatory items (see ``items_for_people``), and the team's fulfilment on each of
    ``days``.

    On each day count the items as they stood then: the requirements in force that day, the memberships and the
    completions up to it. With ``team_id``, a person counts only on the days they belonged to that team, so that a
    team's figures never include a member's time in another team. One load for today and all the days: five
    statements per chunk of ``CHUNK`` people, however many people, requirements and days.
    """
    ids = list(dict.fromkeys(person_ids))
    result: dict[int, list[PersonItem]] = {person_id: [] for person_id in ids}
    tally = [[0, 0] for _ in days]
    due_soon_days = _due_soon_days()
    for chunk in _chunks(ids):
        facts = _load_facts(chunk, min([today, *days]), max([today, *days]))
        if facts is None:
            continue
        for person_id in facts.active:
            items = _items_on(facts, person_id, today, due_soon_days)
            items.sort(key=lambda item: (STATES.index(item.status.state), item.material.title.casefold()))
            result[person_id] = items
            spans = facts.spans.get(person_id, ())
            for index, day in enumerate(days):
                if team_id is not None and not member_on(spans, team_id, day):
                    continue
                on_day = items if day == today else _items_on(facts, person_id, day, due_soon_days)
                tally[index][0] += len(on_day)
                tally[index][1] += sum(item.status.fulfilled for item in on_day)
    return result, [Fulfilment(day, *counts) for day, counts in zip(days, tally, strict=True)]


def fulfilment_by_team(person_ids: Sequence[int], days: Sequence[date]) -> dict[tuple[int, date], list[int]]:
    """Per (team id, day): [people, applicable, fulfilled] of the people who belonged to the team on that day.

    The same counting as ``items_and_fulfilment`` with ``team_id``, for every team at once: a person counts in the
    team whose membership covers the day (the one begun last, should two overlap), with the items as they stood
    then. Used by the statistics' snapshots. Five statements per chunk of ``CHUNK`` people, however many teams.
    """
    tally: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0, 0])
    if not days:
        return {}
    due_soon_days = _due_soon_days()
    for chunk in _chunks(list(dict.fromkeys(person_ids))):
        facts = _load_facts(chunk, min(days), max(days))
        if facts is None:
            continue
        for person_id in facts.active:
            spans = facts.spans.get(person_id, ())
            for day in days:
                covering = [span for span in spans if span.start <= day and (span.end is None or day <= span.end)]
                if not covering:
                    continue
                team_id = max(covering, key=lambda span: span.start).team_id
                items = _items_on(facts, person_id, day, due_soon_days)
                counts = tally[(team_id, day)]
                counts[0] += 1
                counts[1] += len(items)
                counts[2] += sum(item.status.fulfilled for item in items)
    return dict(tally)


def items_for_people(person_ids: list[int], today: date) -> dict[int, list[PersonItem]]:
    """Every person's current mandatory items, most urgent first (then by title).

    Every requested person is a key; inactive people and people outside every scope have an empty list.
    Five statements per chunk of ``CHUNK`` people, however many people and requirements.
    """
    return items_and_fulfilment(person_ids, today)[0]


def fulfilment_by_day(person_ids: list[int], days: Sequence[date], team_id: int | None = None) -> list[Fulfilment]:
    """How many mandatory items of these people applied on each day, and how many were fulfilled (five statements
    per chunk of ``CHUNK`` people; see ``items_and_fulfilment``)."""
    return items_and_fulfilment(person_ids, max(days), days, team_id)[1] if days else []


def person_items(person_id: int, today: date) -> list[PersonItem]:
    return items_for_people([person_id], today).get(person_id, [])


def statuses_by_requirement(
    requirements: Sequence[Requirement], today: date
) -> dict[int, list[tuple[int, Assignment, Status]]]:
    """For each requirement: (person id, assignment, status) of everyone it is assigned to today, by person id.

    Three statements (memberships, completions, versions) for any number of requirements and people; the rules
    must be loaded with the requirements. The people are chosen in the database (a subquery), not sent as ids.
    """
    result: dict[int, list[tuple[int, Assignment, Status]]] = {requirement.id: [] for requirement in requirements}
    active = [requirement for requirement in requirements if requirement.rules and in_force(requirement, today)]
    if not active:
        return result
    scopes = []
    for requirement in active:
        if requirement.scope == "team":
            scopes.append(Membership.team_id == requirement.team_id)
        elif requirement.scope == "department":
            scopes.append(Team.department_id == requirement.department_id)
        else:
            scopes = [true()]  # the whole organisation: everyone with a current membership
            break
    current = (
        select(Membership.person_id)
        .join(Team, Team.id == Membership.team_id)
        .where(Membership.start_date <= today, or_(Membership.end_date.is_(None), Membership.end_date >= today))
        .where(or_(*scopes))
    )
    candidates = select(Person.id).where(Person.active.is_(True), Person.id.in_(current))
    due_soon_days = _due_soon_days()
    spans, _ = _load_spans(candidates)
    material_ids = {requirement.material_id for requirement in active}
    completions = _load_completions(candidates, material_ids)
    recompletions = _load_recompletions(material_ids)

    for requirement in active:
        rules = [rule_fact(rule) for rule in requirement.rules]
        for person_id in sorted(spans):
            assigned_on = assignment_day(requirement, spans[person_id], today)
            if assigned_on is None:
                continue
            status = status_module.compute(
                due_soon_days=due_soon_days,
                today=today,
                assigned_on=assigned_on,
                rules=rules,
                completions=completions.get((person_id, requirement.material_id), ()),
                recompletions=recompletions.get(requirement.material_id, []),
            )
            result[requirement.id].append((person_id, Assignment(requirement, assigned_on), status))
    return result


def requirement_statuses(requirement: Requirement, today: date) -> list[tuple[int, Assignment, Status]]:
    """(person id, assignment, status) of everyone the requirement is assigned to today, by person id."""
    return statuses_by_requirement([requirement], today)[requirement.id]


def counts_by_requirement(requirements: Sequence[Requirement], today: date) -> dict[int, dict[str, int]]:
    """How many of the people assigned today are in each state, per requirement (every state, most urgent first)."""
    counts = {}
    for requirement_id, rows in statuses_by_requirement(requirements, today).items():
        tally = Counter(status.state for _, _, status in rows)
        counts[requirement_id] = {state: tally.get(state, 0) for state in STATES}
    return counts


def requirement_counts(requirement: Requirement, today: date) -> dict[str, int]:
    """How many of the people assigned today are in each state (every state present, most urgent first)."""
    return counts_by_requirement([requirement], today)[requirement.id]


def completion_history(person_id: int) -> list[Completion]:
    """All of a person's completion records, standing and reset, newest first (one statement)."""
    statement = (
        select(Completion)
        .where(Completion.person_id == person_id)
        .options(
            joinedload(Completion.material),
            joinedload(Completion.material_version),
            joinedload(Completion.recorded_by),
            joinedload(Completion.reset_by),
        )
        .order_by(Completion.completed_on.desc(), Completion.recorded_at.desc(), Completion.id.desc())
    )
    return list(db.session.scalars(statement))


def version_for_day(material_id: int, day: date) -> MaterialVersion | None:
    """The version current on a Berlin calendar day: the newest published by the end of that day."""
    day_ends = datetime.combine(day + timedelta(days=1), time(0), tzinfo=BERLIN).astimezone(UTC)
    statement = (
        select(MaterialVersion)
        .where(MaterialVersion.material_id == material_id, MaterialVersion.published_at < day_ends)
        .order_by(MaterialVersion.number.desc())
        .limit(1)
    )
    return db.session.scalars(statement).first()
