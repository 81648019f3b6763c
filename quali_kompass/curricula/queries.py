"""Who must complete what, and where each person stands: assignments from team memberships, statuses in batches.

Every page, export and reminder reads statuses through these functions (which use ``status.compute``), with a
number of statements that does not grow with the number of people or requirements.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext
from sqlalchemy import ColumnElement, Select, and_, or_, select, true
from sqlalchemy.orm import joinedload

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


class Assignment(NamedTuple):
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


class PersonItem(NamedTuple):
    """One mandatory material of a person (one entry even if several requirements demand it)."""

    material: Material
    assignments: list[Assignment]  # every requirement that demands it (the reasons)
    status: Status  # the most urgent of the requirements' statuses
    material_id: int  # the material's id as a plain number: matrices of thousands of people key by it

    @property
    def reasons(self) -> list[str]:
        """German reasons, e.g. "Pflicht für Fachbereich Leistungsgewährung"."""
        return [assignment.reason for assignment in self.assignments]

    @property
    def assigned_on(self) -> date:
        """The earliest day one of the requirements became the person's."""
        return min(assignment.assigned_on for assignment in self.assignments)


class MembershipSpan(NamedTuple):
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


ORGANISATION_SCOPE = ("organisation", 0)


def scope_key(requirement: Requirement) -> tuple[str, int]:
    """Whom a requirement addresses: ("organisation", 0), ("department", id) or ("team", id)."""
    return _scope_key(requirement.scope, requirement.department_id, requirement.team_id)


def _scope_key(scope: str, department_id: int | None, team_id: int | None) -> tuple[str, int]:
    if scope == "department":
        return ("department", department_id)
    if scope == "team":
        return ("team", team_id)
    return ORGANISATION_SCOPE


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


def scope_starts(spans: Sequence[MembershipSpan], day: date) -> dict[tuple[str, int], date]:
    """For each scope (see ``scope_key``) a person is in on ``day``: the first day of their unbroken stay in it.

    A move within a scope keeps the day; leaving it and coming back gives a new one. Computed once per person and
    day, not once per requirement: a person has a few memberships, a department many requirements.
    """
    if len(spans) == 1:  # most people: one membership, nothing to join (a page of an organisation computes 100,000)
        span = spans[0]
        if span.start <= day and (span.end is None or day <= span.end):
            return {
                ORGANISATION_SCOPE: span.start,
                ("department", span.department_id): span.start,
                ("team", span.team_id): span.start,
            }
        return {}
    by_scope: dict[tuple[str, int], list[MembershipSpan]] = defaultdict(list)
    for span in spans:
        by_scope[ORGANISATION_SCOPE].append(span)
        by_scope[("department", span.department_id)].append(span)
        by_scope[("team", span.team_id)].append(span)
    starts = {}
    for key, scoped in by_scope.items():
        for start, end in merged_intervals(scoped) if len(scoped) > 1 else [(scoped[0].start, scoped[0].end)]:
            if start <= day and (end is None or day <= end):
                starts[key] = start
    return starts


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


def _requirements_in_window(
    team_ids: set[int],
    department_ids: set[int],
    first_day: date,
    last_day: date,
    material_ids: Collection[int] | None = None,
) -> ColumnElement[bool]:
    """Requirements of these teams or departments (and the organisation's) in force on a day of the window; only
    those of ``material_ids`` if given."""
    scopes = [Requirement.scope == "organisation"]
    if department_ids:
        scopes.append(and_(Requirement.scope == "department", Requirement.department_id.in_(department_ids)))
    if team_ids:
        scopes.append(and_(Requirement.scope == "team", Requirement.team_id.in_(team_ids)))
    return and_(
        or_(*scopes),
        Requirement.effective_from <= last_day,
        or_(Requirement.ended_on.is_(None), Requirement.ended_on > first_day),
        Requirement.material_id.in_(list(material_ids)) if material_ids is not None else true(),
    )


def _load_requirements(in_window: ColumnElement[bool]) -> list[Requirement]:
    """The requirements with their rules, materials and scopes, for pages that name them (one statement)."""
    statement = (
        select(Requirement)
        .where(in_window)
        .options(
            joinedload(Requirement.rules),  # one statement: a requirement has one rule, rarely a few
            joinedload(Requirement.material),
            joinedload(Requirement.department),
            joinedload(Requirement.team),
        )
        .order_by(Requirement.id)
    )
    return [requirement for requirement in db.session.scalars(statement).unique() if requirement.rules]


RULE_COLUMNS = (
    RequirementRule.valid_from,
    RequirementRule.due_kind,
    RequirementRule.due_days,
    RequirementRule.due_date,
    RequirementRule.recertification,
    RequirementRule.recert_months,
    RequirementRule.recert_month,
    RequirementRule.recert_day,
    RequirementRule.renewal_window_days,
)


def _load_bare_demands(in_window: ColumnElement[bool]) -> dict[tuple[str, int], list[_Demand]]:
    """The requirements reduced to what counting needs, without ORM objects (no materials, no reasons), by scope
    key (one statement): the daily statistics count about 90,000 requirements of a federal organisation, and
    building their ORM objects took longer than computing the statuses."""
    rows = db.session.execute(
        select(
            Requirement.id,
            Requirement.scope,
            Requirement.department_id,
            Requirement.team_id,
            Requirement.material_id,
            Requirement.effective_from,
            Requirement.ended_on,
            *RULE_COLUMNS,
        )
        .join(RequirementRule, RequirementRule.requirement_id == Requirement.id)
        .where(in_window)
        .order_by(Requirement.id, RequirementRule.valid_from)
    )
    by_scope: dict[tuple[str, int], list[_Demand]] = defaultdict(list)
    last: _Demand | None = None
    for requirement_id, scope, department_id, team_id, material_id, effective_from, ended_on, *rule in rows:
        if last is not None and last.requirement_id == requirement_id:
            last.rules.append(Rule(*rule))
            continue
        last = _Demand(
            None,
            requirement_id,
            None,
            material_id,
            effective_from,
            ended_on,
            [Rule(*rule)],
            (SCOPE_ORDER[scope], requirement_id),
        )
        by_scope[_scope_key(scope, department_id, team_id)].append(last)
    return by_scope


def _load_completions(
    person_ids: list[int] | Select, material_ids: set[int], changed: Collection[int] = ()
) -> tuple[dict[tuple[int, int], list[CompletionFact]], dict[tuple[int, int], list[CompletionFact]]]:
    """Standing completions of these people for these materials, keyed by (person, material) (one statement); and
    the same as it was before the records ``changed`` (just added or just reset) changed: without those added,
    with those reset. Without ``changed`` both are the same dictionary."""
    facts: dict[tuple[int, int], list[CompletionFact]] = defaultdict(list)
    if not material_ids:
        return facts, facts
    standing = Completion.reset_at.is_(None)
    columns = (Completion.person_id, Completion.material_id, Completion.completed_on, MaterialVersion.number)
    statement = (
        select(*columns)
        .outerjoin(MaterialVersion, MaterialVersion.id == Completion.material_version_id)
        .where(Completion.person_id.in_(person_ids), Completion.material_id.in_(material_ids))
    )
    if not changed:
        # Every page: a large team's records are tens of thousands of rows, read through the session's connection
        # (after a flush, as the session would) without the ORM's layer, which costs a third more on PostgreSQL.
        db.session.flush()
        rows = db.session.connection().execute(statement.where(standing)).fetchall()
        for person_id, material_id, completed_on, number in rows:
            facts[(person_id, material_id)].append(CompletionFact(completed_on, number))
        return facts, facts
    before: dict[tuple[int, int], list[CompletionFact]] = defaultdict(list)
    rows = db.session.execute(
        statement.add_columns(Completion.id, standing).where(or_(standing, Completion.id.in_(list(changed))))
    )
    for person_id, material_id, completed_on, number, completion_id, is_standing in rows:
        fact = CompletionFact(completed_on, number)
        if is_standing:
            facts[(person_id, material_id)].append(fact)
        if is_standing != (completion_id in changed):
            before[(person_id, material_id)].append(fact)
    return facts, before


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
class _Demand:
    """A requirement reduced to what statuses need, read once per load: ORM attributes are slow in a loop that runs
    for every person and requirement."""

    requirement: Requirement | None  # None when only counted (``_load_bare_demands``)
    requirement_id: int
    material: Material | None
    material_id: int
    effective_from: date
    ended_on: date | None
    rules: list[Rule]
    order: tuple[int, int]  # scope, then id: the order of the reasons

    def in_force(self, day: date) -> bool:
        return self.effective_from <= day and (self.ended_on is None or day < self.ended_on)


def _demands(requirements: Iterable[Requirement], materials: bool = True) -> dict[tuple[str, int], list[_Demand]]:
    """The requirements (with their rules loaded) by scope key; with their materials for items (``PersonItem``),
    which therefore must be loaded too."""
    by_scope: dict[tuple[str, int], list[_Demand]] = defaultdict(list)
    for requirement in requirements:
        by_scope[scope_key(requirement)].append(
            _Demand(
                requirement,
                requirement.id,
                requirement.material if materials else None,
                requirement.material_id,
                requirement.effective_from,
                requirement.ended_on,
                [rule_fact(rule) for rule in requirement.rules],
                (SCOPE_ORDER[requirement.scope], requirement.id),
            )
        )
    return by_scope


@dataclass(frozen=True)
class _Facts:
    """What the statuses of a chunk of people need, for any day of a window."""

    spans: dict[int, list[MembershipSpan]]
    active: set[int]
    demands: dict[tuple[str, int], list[_Demand]]  # requirements in force on some day of the window, by scope
    completions: dict[tuple[int, int], list[CompletionFact]]
    recompletions: dict[int, list[RecompletionVersion]]


def _load_facts(
    person_ids: list[int],
    first_day: date,
    last_day: date,
    changed: Collection[int] = (),
    material_ids: Collection[int] | None = None,
    counting: bool = False,
) -> tuple[_Facts, _Facts] | None:
    """Everything for the statuses of these people on the days from first to last (for ``material_ids`` only, if
    given): four statements, or one (and None) when none of them is active. The second facts are those before the
    records ``changed`` (see ``_load_completions``); without ``changed`` the same. For ``counting``, the
    requirements come without their ORM objects (``_load_bare_demands``)."""
    spans, active = _load_spans(person_ids)
    if not active:
        return None
    team_ids = {span.team_id for person_spans in spans.values() for span in person_spans}
    department_ids = {span.department_id for person_spans in spans.values() for span in person_spans}
    in_window = _requirements_in_window(team_ids, department_ids, first_day, last_day, material_ids)
    demands = _load_bare_demands(in_window) if counting else _demands(_load_requirements(in_window))
    material_ids = {demand.material_id for scoped in demands.values() for demand in scoped}
    completions, before = _load_completions(sorted(active), material_ids, changed)
    facts = _Facts(
        spans=spans,
        active=active,
        demands=demands,
        completions=completions,
        recompletions=_load_recompletions(material_ids),
    )
    return facts, replace(facts, completions=before) if changed else facts


class _Day:
    """What the statuses of all people on one day share: the requirements in force, and the statuses of items without
    completion records, which depend only on the requirement and the assignment day (kept as computed: in a team,
    most people without a record of a material share them)."""

    def __init__(self, facts: _Facts, day: date, due_soon_days: int) -> None:
        self.facts = facts
        self.day = day
        self.due_soon_days = due_soon_days
        self.demands = {
            key: in_force
            for key, demands in facts.demands.items()
            if (in_force := [demand for demand in demands if demand.in_force(day)])
        }
        self._without_records: dict[tuple[tuple[int, int], date], Status] = {}

    def status(self, person_id: int, demand: _Demand, assigned_on: date) -> Status:
        completions = self.facts.completions.get((person_id, demand.material_id))
        if not completions:
            key = (demand.order, assigned_on)
            status = self._without_records.get(key)
            if status is None:
                status = self._without_records[key] = self._compute(demand, assigned_on, ())
            return status
        return self._compute(demand, assigned_on, completions)

    def _compute(self, demand: _Demand, assigned_on: date, completions: Sequence[CompletionFact]) -> Status:
        return status_module.compute(
            due_soon_days=self.due_soon_days,
            today=self.day,
            assigned_on=assigned_on,
            rules=demand.rules,
            completions=completions,
            recompletions=self.facts.recompletions.get(demand.material_id, ()),
        )


def _items_on(on: _Day, person_id: int, states: Counter | None = None) -> list[PersonItem]:
    """A person's mandatory items on the day, one per material with the most urgent status (unsorted, pure).

    With ``states``, each requirement's own status (before they are merged per material) is counted there too,
    by (requirement id, state)."""
    by_material: dict[int, list[tuple[_Demand, date, Status]]] = {}
    for key, start in scope_starts(on.facts.spans.get(person_id, ()), on.day).items():
        for demand in on.demands.get(key, ()):
            assigned_on = start if start > demand.effective_from else demand.effective_from
            entry = (demand, assigned_on, on.status(person_id, demand, assigned_on))
            if states is not None:
                states[(demand.requirement_id, entry[2].state)] += 1
            entries = by_material.get(demand.material_id)
            if entries is None:
                by_material[demand.material_id] = [entry]
            else:
                entries.append(entry)
    items = []
    for entries in by_material.values():
        if len(entries) == 1:
            demand, assigned_on, status = entries[0]
            items.append(
                PersonItem(demand.material, [Assignment(demand.requirement, assigned_on)], status, demand.material_id)
            )
            continue
        entries.sort(key=lambda entry: entry[0].order)
        most_urgent = min((entry[2] for entry in entries), key=urgency)
        assignments = [Assignment(demand.requirement, assigned_on) for demand, assigned_on, _ in entries]
        first = entries[0][0]
        items.append(PersonItem(first.material, assignments, most_urgent, first.material_id))
    return items


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


def items_for_people(
    person_ids: list[int], today: date, material_ids: Collection[int] | None = None
) -> dict[int, list[PersonItem]]:
    """Every person's current mandatory items, most urgent first (then by title); with ``material_ids`` only the
    items of those materials.

    Every requested person is a key; inactive people and people outside every scope have an empty list.
    Four statements per chunk of ``CHUNK`` people, however many people and requirements.
    """
    ids = list(dict.fromkeys(person_ids))
    result: dict[int, list[PersonItem]] = {person_id: [] for person_id in ids}
    due_soon_days = _due_soon_days()
    order = {state: index for index, state in enumerate(STATES)}
    for chunk in _chunks(ids):
        loaded = _load_facts(chunk, today, today, material_ids=material_ids)
        if loaded is None:
            continue
        facts = loaded[0]
        titles = {
            demand.material_id: demand.material.title.casefold()
            for demands in facts.demands.values()
            for demand in demands
        }
        on = _Day(facts, today, due_soon_days)
        for person_id in facts.active:
            items = _items_on(on, person_id)
            items.sort(key=lambda item: (order[item.status.state], titles[item.material_id]))
            result[person_id] = items
    return result


def team_on(spans: Iterable[MembershipSpan], day: date) -> int | None:
    """The team whose membership covers the day (the one begun last, should two overlap), or None."""
    covering = [span for span in spans if span.start <= day and (span.end is None or day <= span.end)]
    return max(covering, key=lambda span: span.start).team_id if covering else None


def fulfilment_by_team(
    person_ids: Sequence[int], days: Sequence[date], states: Counter | None = None
) -> dict[tuple[int, date], list[int]]:
    """Per (team id, day): [people, applicable, fulfilled] of the people who belonged to the team on that day; with
    ``states``, also how many of them are in each state per requirement on the last day (see ``_items_on``).

    A person counts in ``team_on`` that day, with the items as they stood then: the requirements in force that
    day, the memberships and the completions up to it, so that a team's figures never include a member's time in
    another team. Used by the statistics' snapshots (which the team page's trend reads). Four statements per chunk
    of ``CHUNK`` people, however many teams and days.
    """
    tally: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0, 0])
    if not days:
        return {}
    due_soon_days = _due_soon_days()
    for chunk in _chunks(list(dict.fromkeys(person_ids))):
        loaded = _load_facts(chunk, min(days), max(days), counting=True)
        if loaded is None:
            continue
        facts = loaded[0]
        on_days = [_Day(facts, day, due_soon_days) for day in days]
        last = on_days[-1]
        for person_id in facts.active:
            spans = facts.spans.get(person_id, ())
            for on in on_days:
                team_id = team_on(spans, on.day)
                if team_id is None:
                    continue
                items = _items_on(on, person_id, states if on is last else None)
                counts = tally[(team_id, on.day)]
                counts[0] += 1
                counts[1] += len(items)
                counts[2] += sum(item.status.fulfilled for item in items)
    return dict(tally)


class FulfilmentChange(NamedTuple):
    """What records just written change on a day (see ``fulfilment_change``)."""

    teams: dict[int, tuple[int, int]]  # team id: (more items applicable, more fulfilled)
    states: Counter  # (requirement id, state): how many more people are in it (negative: fewer)


def fulfilment_change(
    person_ids: Sequence[int], day: date, changed: Collection[int], material_ids: Collection[int]
) -> FulfilmentChange:
    """Per team (see ``team_on``): how many more items of these people applied and were fulfilled on ``day`` with
    the records ``changed`` (just added or just reset, flushed; of ``material_ids``) than without them; and per
    requirement and state, how many more of them are in it. Only the items of those materials can differ, so only
    they are computed: four small statements for the few people of a write, instead of counting their whole teams
    again."""
    change = FulfilmentChange({}, Counter())
    loaded = _load_facts(list(dict.fromkeys(person_ids)), day, day, changed, material_ids, counting=True)
    if loaded is None:
        return change
    now, before = loaded
    due_soon_days = _due_soon_days()
    on_now, on_before = _Day(now, day, due_soon_days), _Day(before, day, due_soon_days)
    states_before: Counter = Counter()
    for person_id in now.active:
        team_id = team_on(now.spans.get(person_id, ()), day)
        if team_id is None:
            continue
        after_items = _items_on(on_now, person_id, change.states)
        before_items = _items_on(on_before, person_id, states_before)
        applicable, fulfilled = change.teams.get(team_id, (0, 0))
        change.teams[team_id] = (
            applicable + len(after_items) - len(before_items),
            fulfilled
            + sum(item.status.fulfilled for item in after_items)
            - sum(item.status.fulfilled for item in before_items),
        )
    change.states.subtract(states_before)
    return change


def person_items(person_id: int, today: date, material_ids: Collection[int] | None = None) -> list[PersonItem]:
    return items_for_people([person_id], today, material_ids).get(person_id, [])


def people_in_scope(requirements: Sequence[Requirement], today: date) -> Select:
    """The ids of the active people in the scope of any of the requirements today (a subquery for IN: an
    organisation-wide requirement has more people than a statement may have parameters)."""
    scopes = []
    for requirement in requirements:
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
    return select(Person.id).where(Person.active.is_(True), Person.id.in_(current))


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
    candidates = people_in_scope(active, today)
    spans, active_people = _load_spans(candidates)
    material_ids = {requirement.material_id for requirement in active}
    completions, _ = _load_completions(candidates, material_ids)
    # Statuses with their assignments, not items: the materials need not be loaded.
    facts = _Facts(
        spans, active_people, _demands(active, materials=False), completions, _load_recompletions(material_ids)
    )
    on = _Day(facts, today, _due_soon_days())
    # Who is in each scope since when, by person id: a team's requirement then looks at its team's people only, not
    # at everyone the page's organisation-wide requirements bring in.
    in_scope: dict[tuple[str, int], list[tuple[int, date]]] = defaultdict(list)
    for person_id in sorted(spans):
        for key, start in scope_starts(spans[person_id], today).items():
            in_scope[key].append((person_id, start))
    for key, demands in on.demands.items():
        for demand in demands:
            rows = result[demand.requirement_id]
            for person_id, start in in_scope.get(key, ()):
                assigned_on = start if start > demand.effective_from else demand.effective_from
                status = on.status(person_id, demand, assigned_on)
                rows.append((person_id, Assignment(demand.requirement, assigned_on), status))
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
