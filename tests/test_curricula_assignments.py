"""Assignments from team memberships and statuses read in batches, on the real database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask

from quali_kompass.curricula.models import Requirement
from quali_kompass.curricula.queries import (
    MembershipSpan,
    completion_history,
    items_for_people,
    person_items,
    requirement_counts,
    requirement_statuses,
    scope_starts,
    version_for_day,
)
from quali_kompass.curricula.status import DONE, DUE_SOON, EXPIRED, OPEN, OVERDUE, RENEWAL_DUE, STATES
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Membership
from tests.factories import (
    CompletionFactory,
    MaterialFactory,
    PersonFactory,
    RequirementFactory,
    RequirementRuleFactory,
    TeamFactory,
)

TODAY = date(2026, 6, 15)
D = date.fromisoformat


@pytest.fixture
def join(app: Flask):
    """Add a membership: ``join(person, team, "2026-01-01", "2026-02-28")``."""

    def add(person, team, start: str, end: str | None = None) -> None:
        with app.app_context():
            db.session.add(
                Membership(person_id=person.id, team_id=team.id, start_date=D(start), end_date=end and D(end))
            )
            db.session.commit()

    return add


@pytest.fixture
def read(app: Flask):
    """Run a read inside a request context (the reasons are translated)."""

    def call(function, *args):
        with app.test_request_context():
            return function(*args)

    return call


def requirement(create, material=None, *, since: str = "2025-01-01", **fields) -> Requirement:
    if material is not None:
        fields["material"] = material
    return create(RequirementFactory, effective_from=D(since), **fields)


def test_move_away_and_back_gives_a_new_assignment_and_keeps_the_completion(app, org, create, join, read):
    team_rule = requirement(create, team=org.team_a)
    person = create(PersonFactory)
    never_done = create(PersonFactory)
    for someone in (person, never_done):
        join(someone, org.team_a, "2026-01-01", "2026-02-28")
        join(someone, org.team_b, "2026-03-01", "2026-05-31")
        join(someone, org.team_a, "2026-06-01")
    create(CompletionFactory, person=person, material=team_rule.material, completed_on=D("2026-01-20"))

    in_february = read(person_items, person.id, D("2026-02-01"))
    assert [item.assignments[0].assigned_on for item in in_february] == [D("2026-01-01")]
    assert read(person_items, person.id, D("2026-04-01")) == []  # in team B: not assigned, history kept

    items = read(person_items, person.id, TODAY)
    assert len(items) == 1
    [item] = items
    assert item.assignments[0].assigned_on == D("2026-06-01")
    assert (item.status.state, item.status.completed_on) == (DONE, D("2026-01-20"))
    [again] = read(person_items, never_done.id, TODAY)
    assert (again.status.state, again.status.due_on) == (OPEN, D("2026-07-01"))  # 30 days from the return

    statuses = read(requirement_statuses, team_rule, TODAY)
    assigned = {person_id: assignment.assigned_on for person_id, assignment, _ in statuses}
    assert assigned[person.id] == assigned[never_done.id] == D("2026-06-01")
    assert len(statuses) == len(assigned)


def test_move_within_the_department_keeps_the_assignment_date(app, org, create, join, read):
    department_rule = requirement(create, department=org.dept_a)
    team_rule = requirement(create, team=org.team_a)
    team_a2 = create(TeamFactory, department=org.dept_a)
    person = create(PersonFactory)
    join(person, org.team_a, "2026-01-01", "2026-03-31")
    join(person, team_a2, "2026-04-01")

    items = read(person_items, person.id, TODAY)
    assert [(item.material.id, item.assignments[0].assigned_on) for item in items] == [
        (department_rule.material_id, D("2026-01-01"))
    ]
    assert team_rule.material_id not in {item.material.id for item in items}  # left team A
    assert read(person_items, person.id, D("2026-03-31"))[0].assignments[0].assigned_on == D("2026-01-01")


def test_assignment_starts_when_the_requirement_takes_effect(app, org, create, join, read):
    later = requirement(create, since="2026-03-01", department=org.dept_a)
    person = create(PersonFactory)
    join(person, org.team_a, "2025-01-01")
    [item] = read(person_items, person.id, TODAY)
    assert item.assignments[0].assigned_on == D("2026-03-01") and later.material_id == item.material.id
    assert item.status.due_on == D("2026-03-31")


def test_one_item_for_two_scopes_with_the_most_urgent_status(app, org, create, join, read):
    material = create(MaterialFactory, title="Datenschutz")
    requirement(create, material, rule={"due_days": 90})
    requirement(create, material, team=org.team_a, rule={"due_days": 10})
    requirement(create, material, department=org.dept_a, rule={"due_days": 30})
    person = create(PersonFactory)
    join(person, org.team_a, "2026-06-01")

    [item] = read(person_items, person.id, TODAY)
    assert item.reasons == [
        "Pflicht für alle Beschäftigten",
        "Pflicht für Fachbereich Leistungsgewährung",
        "Pflicht für Team Leistung Team 1",
    ]
    assert (item.status.state, item.status.due_on) == (OVERDUE, D("2026-06-11"))
    assert item.assigned_on == D("2026-06-01")


def test_items_most_urgent_first_then_by_title(app, org, create, join, read):
    person = create(PersonFactory)
    join(person, org.team_a, "2026-06-01")
    for title, due_days in [("Zeta", 100), ("Alpha", 100), ("Mitte", 20), ("Beta", 5)]:
        requirement(create, create(MaterialFactory, title=title), rule={"due_days": due_days})
    done_material = create(MaterialFactory, title="Erledigt")
    requirement(create, done_material)
    create(CompletionFactory, person=person, material=done_material, completed_on=D("2026-06-02"))

    items = read(person_items, person.id, TODAY)
    assert [(item.material.title, item.status.state) for item in items] == [
        ("Beta", OVERDUE),
        ("Mitte", DUE_SOON),
        ("Alpha", OPEN),
        ("Zeta", OPEN),
        ("Erledigt", DONE),
    ]


@pytest.mark.parametrize(
    ("since", "ended_on", "assigned"),
    [
        ("2026-06-16", None, False),  # not yet in force
        ("2026-06-15", None, True),  # from its first day
        ("2025-01-01", "2026-06-15", False),  # ended today: no longer anyone's
        ("2025-01-01", "2026-06-16", True),  # ends tomorrow: today is its last day
    ],
)
def test_requirement_in_force(app, org, create, join, read, since, ended_on, assigned):
    rule_set = requirement(create, since=since, ended_on=ended_on and D(ended_on))
    person = create(PersonFactory)
    join(person, org.team_a, "2026-01-01")
    assert bool(read(person_items, person.id, TODAY)) == assigned
    assert (person.id in {pid for pid, _, _ in read(requirement_statuses, rule_set, TODAY)}) == assigned


def test_inactive_people_and_people_without_a_team_have_no_items(app, org, create, join, read):
    organisation_rule = requirement(create)
    inactive = create(PersonFactory, active=False)
    join(inactive, org.team_a, "2026-01-01")
    teamless = create(PersonFactory)
    left = create(PersonFactory)
    join(left, org.team_a, "2026-01-01", "2026-05-31")
    active = create(PersonFactory)
    join(active, org.team_b, "2026-01-01")

    result = read(items_for_people, [inactive.id, teamless.id, left.id, active.id], TODAY)
    assert result[inactive.id] == result[teamless.id] == result[left.id] == []
    assert len(result[active.id]) == 1
    people = {pid for pid, _, _ in read(requirement_statuses, organisation_rule, TODAY)}
    assert active.id in people and not people & {inactive.id, teamless.id, left.id}


def test_recompletion_version_published_late_in_the_evening(app, org, create, join, read):
    """Published 23:30 on 1 June in Berlin (21:30 UTC): the grace runs from 1 June, not 2 June."""
    published = datetime(2026, 6, 1, 21, 30, tzinfo=UTC)
    material = create(
        MaterialFactory,
        versions=[
            {"published_at": datetime(2025, 1, 1, tzinfo=UTC)},
            {"published_at": published, "recompletion_required": True, "recompletion_grace_days": 30},
        ],
    )
    rule_set = requirement(create, material)
    old, new = create(PersonFactory), create(PersonFactory)
    join(old, org.team_a, "2025-01-01")
    join(new, org.team_a, "2025-01-01")
    with app.app_context():
        first = version_for_day(material.id, D("2025-06-01"))
    create(CompletionFactory, person=old, material=material, material_version=first, completed_on=D("2025-06-01"))
    create(CompletionFactory, person=new, material=material, completed_on=D("2026-06-02"))

    statuses = {pid: status for pid, _, status in read(requirement_statuses, rule_set, TODAY)}
    assert (statuses[old.id].state, statuses[old.id].due_on) == (OPEN, D("2026-07-01"))
    assert statuses[new.id].state == DONE
    batch = read(items_for_people, [old.id, new.id], TODAY)
    assert batch[old.id][0].status == statuses[old.id] and batch[new.id][0].status == statuses[new.id]

    counts = read(requirement_counts, rule_set, TODAY)
    assert list(counts) == list(STATES)
    assert counts[OPEN] == 1 and counts[DONE] == 1
    assert sum(counts.values()) == len(statuses)


def test_reset_completions_do_not_count_but_stay_in_the_history(app, org, create, join, read):
    material = create(MaterialFactory)
    requirement(create, material, rule={"recertification": "months", "recert_months": 12})
    person = create(PersonFactory)
    join(person, org.team_a, "2025-01-01")
    recorder = create(PersonFactory, name="Lena Leitung Zwei")
    old = create(CompletionFactory, person=person, material=material, completed_on=D("2025-07-01"))
    reset = create(
        CompletionFactory,
        person=person,
        material=material,
        completed_on=D("2026-06-01"),
        recorded_by=recorder,
        reset_at=datetime(2026, 6, 2, tzinfo=UTC),
        reset_by=recorder,
        reset_reason="Versehentlich erfasst",
    )
    [item] = read(person_items, person.id, TODAY)
    assert (item.status.state, item.status.completed_on) == (RENEWAL_DUE, D("2025-07-01"))
    assert read(person_items, person.id, D("2026-07-02"))[0].status.state == EXPIRED

    history = read(completion_history, person.id)
    assert [completion.id for completion in history] == [reset.id, old.id]
    assert history[0].reset_by.name == "Lena Leitung Zwei" and history[0].recorded_by.name == "Lena Leitung Zwei"
    assert history[1].material.title == material.title and not history[0].standing


def test_version_for_day_uses_berlin_days(app, create):
    material = create(
        MaterialFactory,
        versions=[
            {"published_at": datetime(2026, 1, 10, 12, 0, tzinfo=UTC)},
            {"published_at": datetime(2026, 3, 1, 22, 30, tzinfo=UTC)},  # 23:30 on 1 March in Berlin
            {"published_at": datetime(2026, 7, 1, 22, 30, tzinfo=UTC)},  # 00:30 on 2 July in Berlin
        ],
    )
    with app.app_context():
        numbers = {
            day: getattr(version_for_day(material.id, D(day)), "number", None)
            for day in ["2026-01-09", "2026-01-10", "2026-02-28", "2026-03-01", "2026-07-01", "2026-07-02"]
        }
    assert numbers == {
        "2026-01-09": None,
        "2026-01-10": 1,
        "2026-02-28": 1,
        "2026-03-01": 2,
        "2026-07-01": 2,
        "2026-07-02": 3,
    }


def test_a_changed_rule_applies_from_its_day(app, org, create, join, read):
    material = create(MaterialFactory)
    rule_set = requirement(create, material, rule={"recertification": "months", "recert_months": 24})
    create(
        RequirementRuleFactory,
        requirement=rule_set,
        valid_from=D("2026-01-01"),
        recertification="months",
        recert_months=12,
    )
    before, after = create(PersonFactory), create(PersonFactory)
    for person in (before, after):
        join(person, org.team_a, "2025-01-01")
    create(CompletionFactory, person=before, material=material, completed_on=D("2025-12-01"))
    create(CompletionFactory, person=after, material=material, completed_on=D("2026-02-01"))
    batch = read(items_for_people, [before.id, after.id], TODAY)
    assert batch[before.id][0].status.valid_until == D("2027-12-01")
    assert batch[after.id][0].status.valid_until == D("2027-02-01")


def build_population(create, join, org, size: int) -> list:
    team_a2 = create(TeamFactory, department=org.dept_a)
    people = []
    for index in range(size):
        person = create(PersonFactory)
        join(person, org.team_a, "2025-01-01", "2025-12-31")
        join(person, team_a2 if index % 2 else org.team_b, "2026-01-01")
        people.append(person)
    return people


@pytest.mark.parametrize("size", [1, 20])
def test_statements_do_not_grow_with_people_or_requirements(app, org, create, join, read, count_queries, size):
    materials = [
        create(
            MaterialFactory,
            versions=[{}, {"recompletion_required": True, "published_at": datetime(2026, 5, 1, tzinfo=UTC)}],
        )
        for _ in range(3)
    ]
    requirement(create, materials[0])
    requirement(create, materials[1], department=org.dept_a, rule={"recertification": "months", "recert_months": 6})
    requirement(create, materials[2], team=org.team_b)
    last = requirement(create, materials[2], team=org.team_a)
    people = build_population(create, join, org, size)
    ids = [person.id for person in people]
    for person in people:
        for material in materials[:2]:
            create(CompletionFactory, person=person, material=material, completed_on=D("2026-02-01"))

    with count_queries() as counter:
        result = read(items_for_people, ids, TODAY)
        for items in result.values():  # reading what a page shows loads nothing more
            for item in items:
                _ = (item.reasons, item.material.title, item.status.state)
    assert counter.count == 4, "\n".join(counter.statements)
    assert all(len(items) == 2 for items in result.values())

    with app.test_request_context():
        rule_set = db.session.get(Requirement, last.id)
        with count_queries() as counter:
            statuses = requirement_statuses(rule_set, D("2025-06-01"))
        assert counter.count == 4, "\n".join(counter.statements)
    assert {pid for pid, _, _ in statuses} >= set(ids)

    with count_queries() as counter:
        history = read(completion_history, ids[0])
        _ = [(c.material.title, c.recorded_by, c.reset_by, c.material_version) for c in history]
    assert counter.count == 1
    assert len(history) == 2


def test_large_batches_run_in_chunks(app, org, create, join, read, monkeypatch):
    from quali_kompass.curricula import queries

    monkeypatch.setattr(queries, "CHUNK", 2)
    requirement(create, team=org.team_a)
    people = [create(PersonFactory) for _ in range(5)]
    for person in people:
        join(person, org.team_a, "2026-01-01")
    result = read(items_for_people, [person.id for person in people] + [people[0].id], TODAY)
    assert sorted(result) == sorted(person.id for person in people)
    assert all(len(items) == 1 for items in result.values())


def test_today_defaults_are_not_needed(app, org, create, join, read):
    """Dates in the past and the future work the same (no hidden use of the real date)."""
    requirement(create, since="2030-01-01", team=org.team_a)
    person = create(PersonFactory)
    join(person, org.team_a, "2029-12-01")
    [item] = read(person_items, person.id, date(2030, 1, 10))
    assert item.status.due_on == date(2030, 1, 1) + timedelta(days=30)


def test_due_soon_follows_the_setting(app, org, create, join, read) -> None:
    """Due in ten days: "bald fällig" with the default of 14 days, still "offen" with QK_DUE_SOON_DAYS=7."""
    requirement(create, since="2026-05-26", department=org.dept_a)  # due 30 days later: 2026-06-25
    person = create(PersonFactory)
    join(person, org.team_a, "2025-01-01")
    [item] = read(person_items, person.id, TODAY)
    assert (item.status.due_on, item.status.state) == (D("2026-06-25"), "due_soon")
    app.config["QK_DUE_SOON_DAYS"] = 7
    [item] = read(person_items, person.id, TODAY)
    assert item.status.state == "open"


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        # one membership: in all three scopes since its start while it lasts, in none before or after it
        ([MembershipSpan(7, 2, date(2026, 3, 1), None)], {"organisation": 1, "department": 1, "team": 1}),
        ([MembershipSpan(7, 2, date(2026, 3, 1), date(2026, 5, 31))], {"organisation": 1, "department": 1, "team": 1}),
        ([MembershipSpan(7, 2, date(2026, 3, 1), date(2026, 4, 14))], {}),
        ([MembershipSpan(7, 2, date(2026, 4, 16), None)], {}),
        # a move within the department on 1 April: the department's day stays, the new team's is the move's
        (
            [MembershipSpan(6, 2, date(2026, 3, 1), date(2026, 3, 31)), MembershipSpan(7, 2, date(2026, 4, 1), None)],
            {"organisation": 1, "department": 1, "team": 2},
        ),
    ],
)
def test_scope_starts_of_one_or_several_memberships(spans: list, expected: dict[str, int]) -> None:
    days = {1: date(2026, 3, 1), 2: date(2026, 4, 1)}
    keys = {"organisation": ("organisation", 0), "department": ("department", 2), "team": ("team", 7)}
    found = scope_starts(spans, date(2026, 4, 15))
    assert found == {keys[scope]: days[day] for scope, day in expected.items()}
