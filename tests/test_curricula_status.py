"""The status function: every state, due rule, recertification, re-completion version and rule change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quali_kompass.curricula.status import (
    BERLIN,
    DONE,
    DUE_SOON,
    EXPIRED,
    FULFILLED,
    OPEN,
    OVERDUE,
    RENEWAL_DUE,
    STATES,
    CompletionFact,
    RecompletionVersion,
    Rule,
    add_months,
    berlin_date,
    berlin_today,
    compute,
    valid_until,
    yearly_deadline,
)

D = date.fromisoformat
LATE = frozenset({OVERDUE, EXPIRED})


def rule(valid_from: str = "2020-01-01", **fields) -> Rule:
    fields.setdefault("due_kind", "days")
    if fields["due_kind"] == "days":
        fields.setdefault("due_days", 30)
    return Rule(valid_from=D(valid_from), **fields)


def done(on: str, version: int | None = 1) -> CompletionFact:
    return CompletionFact(D(on), version)


def status(today: str, assigned: str = "2026-01-01", rules=None, completions=(), recompletions=()):
    return compute(
        today=D(today),
        assigned_on=D(assigned),
        rules=rules or [rule()],
        completions=list(completions),
        recompletions=list(recompletions),
    )


MONTHLY = rule(recertification="months", recert_months=12, renewal_window_days=30)
YEARLY_JANUARY = rule(recertification="yearly", recert_month=1, recert_day=31, renewal_window_days=30)
V2 = RecompletionVersion(number=2, published_on=D("2026-06-01"), grace_days=30)

# (case, today, assigned, rules, completions, recompletions, state, due_on, completed_on)
CASES = [
    # First due within 30 days of the assignment (1 January → 31 January), due soon from 14 days before.
    ("open", "2026-01-10", "2026-01-01", None, (), (), OPEN, "2026-01-31", None),
    ("15 days left is open", "2026-01-16", "2026-01-01", None, (), (), OPEN, "2026-01-31", None),
    ("14 days left is due soon", "2026-01-17", "2026-01-01", None, (), (), DUE_SOON, "2026-01-31", None),
    ("due today is due soon", "2026-01-31", "2026-01-01", None, (), (), DUE_SOON, "2026-01-31", None),
    ("a day late is overdue", "2026-02-01", "2026-01-01", None, (), (), OVERDUE, "2026-01-31", None),
    ("done without expiry", "2027-06-01", "2026-01-01", None, [done("2026-01-20")], (), DONE, None, "2026-01-20"),
    ("done late still done", "2026-03-01", "2026-01-01", None, [done("2026-02-20")], (), DONE, None, "2026-02-20"),
    (
        "future completion ignored",
        "2026-02-01",
        "2026-01-01",
        None,
        [done("2026-02-10")],
        (),
        OVERDUE,
        "2026-01-31",
        None,
    ),
    ("completion today counts", "2026-02-10", "2026-01-01", None, [done("2026-02-10")], (), DONE, None, "2026-02-10"),
    # By a fixed date; who joins after it gets 30 days from joining.
    (
        "fixed date",
        "2026-03-01",
        "2026-01-01",
        [rule(due_kind="date", due_date=D("2026-03-31"))],
        (),
        (),
        OPEN,
        "2026-03-31",
        None,
    ),
    (
        "fixed date, joined on it",
        "2026-03-31",
        "2026-03-31",
        [rule(due_kind="date", due_date=D("2026-03-31"))],
        (),
        (),
        DUE_SOON,
        "2026-03-31",
        None,
    ),
    (
        "fixed date, late joiner",
        "2026-04-11",
        "2026-04-10",
        [rule(due_kind="date", due_date=D("2026-03-31"))],
        (),
        (),
        OPEN,
        "2026-05-10",
        None,
    ),
    (
        "fixed date, late joiner overdue",
        "2026-05-11",
        "2026-04-10",
        [rule(due_kind="date", due_date=D("2026-03-31"))],
        (),
        (),
        OVERDUE,
        "2026-05-10",
        None,
    ),
    # Every 12 months after completion, renewal window 30 days.
    ("recert done", "2026-12-20", "2026-01-01", [MONTHLY], [done("2026-01-20")], (), DONE, "2027-01-20", "2026-01-20"),
    (
        "recert window opens at 30 days",
        "2026-12-21",
        "2026-01-01",
        [MONTHLY],
        [done("2026-01-20")],
        (),
        RENEWAL_DUE,
        "2027-01-20",
        "2026-01-20",
    ),
    (
        "recert last valid day",
        "2027-01-20",
        "2026-01-01",
        [MONTHLY],
        [done("2026-01-20")],
        (),
        RENEWAL_DUE,
        "2027-01-20",
        "2026-01-20",
    ),
    (
        "recert expired",
        "2027-01-21",
        "2026-01-01",
        [MONTHLY],
        [done("2026-01-20")],
        (),
        EXPIRED,
        "2027-01-20",
        "2026-01-20",
    ),
    (
        "renewed",
        "2027-01-21",
        "2026-01-01",
        [MONTHLY],
        [done("2026-01-20"), done("2027-01-10")],
        (),
        DONE,
        "2028-01-10",
        "2027-01-10",
    ),
    (
        "window 0: last day is renewal due",
        "2026-02-28",
        "2026-01-01",
        [rule(recertification="months", recert_months=1, renewal_window_days=0)],
        [done("2026-01-31")],
        (),
        RENEWAL_DUE,
        "2026-02-28",
        "2026-01-31",
    ),
    (
        "window 0: the day before is done",
        "2026-02-27",
        "2026-01-01",
        [rule(recertification="months", recert_months=1, renewal_window_days=0)],
        [done("2026-01-31")],
        (),
        DONE,
        "2026-02-28",
        "2026-01-31",
    ),
    # Yearly by 31 January with a 30-day window: a completion in the window already counts for the next year.
    (
        "yearly: 15 Dec counts for the coming 31 Jan",
        "2025-12-20",
        "2025-01-01",
        [YEARLY_JANUARY],
        [done("2025-12-15")],
        (),
        DONE,
        "2026-01-31",
        "2025-12-15",
    ),
    (
        "yearly: renewal window in January",
        "2026-01-05",
        "2025-01-01",
        [YEARLY_JANUARY],
        [done("2025-12-15")],
        (),
        RENEWAL_DUE,
        "2026-01-31",
        "2025-12-15",
    ),
    (
        "yearly: expired in February",
        "2026-02-01",
        "2025-01-01",
        [YEARLY_JANUARY],
        [done("2025-12-15")],
        (),
        EXPIRED,
        "2026-01-31",
        "2025-12-15",
    ),
    (
        "yearly: 15 Jan renews for next year",
        "2026-02-01",
        "2025-01-01",
        [YEARLY_JANUARY],
        [done("2025-12-15"), done("2026-01-15")],
        (),
        DONE,
        "2027-01-31",
        "2026-01-15",
    ),
    (
        "yearly: 5 Feb after the deadline",
        "2026-03-01",
        "2025-01-01",
        [YEARLY_JANUARY],
        [done("2026-02-05")],
        (),
        DONE,
        "2027-01-31",
        "2026-02-05",
    ),
    # A version that demands re-completion, published 1 June 2026 with 30 days' grace.
    ("before the new version", "2026-05-31", "2026-01-01", None, [done("2026-01-20")], [V2], DONE, None, "2026-01-20"),
    (
        "old version stops counting",
        "2026-06-10",
        "2026-01-01",
        None,
        [done("2026-01-20")],
        [V2],
        OPEN,
        "2026-07-01",
        None,
    ),
    (
        "old version: due soon",
        "2026-06-20",
        "2026-01-01",
        None,
        [done("2026-01-20")],
        [V2],
        DUE_SOON,
        "2026-07-01",
        None,
    ),
    (
        "old version: overdue after grace",
        "2026-07-02",
        "2026-01-01",
        None,
        [done("2026-01-20")],
        [V2],
        OVERDUE,
        "2026-07-01",
        None,
    ),
    (
        "new version completed",
        "2026-07-02",
        "2026-01-01",
        None,
        [done("2026-01-20"), done("2026-06-05", 2)],
        [V2],
        DONE,
        None,
        "2026-06-05",
    ),
    (
        "a later version without re-completion counts",
        "2026-07-02",
        "2026-01-01",
        None,
        [done("2026-06-05", 3)],
        [V2],
        DONE,
        None,
        "2026-06-05",
    ),
    (
        "backdated, version unknown, after publication",
        "2026-07-02",
        "2026-01-01",
        None,
        [done("2026-06-01", None)],
        [V2],
        DONE,
        None,
        "2026-06-01",
    ),
    (
        "backdated, version unknown, before publication",
        "2026-07-02",
        "2026-01-01",
        None,
        [done("2026-05-31", None)],
        [V2],
        OVERDUE,
        "2026-07-01",
        None,
    ),
    ("never completed: the normal first due", "2026-06-10", "2026-06-05", None, (), [V2], OPEN, "2026-07-05", None),
    (
        "newcomer with an old version gets the first due",
        "2027-03-05",
        "2027-03-01",
        None,
        [done("2026-01-20")],
        [V2],
        OPEN,
        "2027-03-31",
        None,
    ),
    (
        "a later version gives no new grace",
        "2026-12-10",
        "2026-01-01",
        None,
        [done("2026-01-20")],
        [V2, RecompletionVersion(3, D("2026-12-01"), 30)],
        OVERDUE,
        "2026-07-01",
        None,
    ),
    (
        "re-completion never postpones an expiry",
        "2026-06-05",
        "2024-01-01",
        [MONTHLY],
        [done("2024-01-10")],
        [V2],
        OVERDUE,
        "2025-01-10",
        None,
    ),
    (
        "grace ends at the old expiry",
        "2026-06-05",
        "2025-01-01",
        [MONTHLY],
        [done("2025-06-15")],
        [V2],
        DUE_SOON,
        "2026-06-15",
        None,
    ),
    # Backdating and returns to the scope.
    (
        "completed before the assignment",
        "2026-02-01",
        "2026-01-01",
        None,
        [done("2025-06-01")],
        (),
        DONE,
        None,
        "2025-06-01",
    ),
    (
        "expired before the assignment: first due",
        "2026-01-05",
        "2026-01-01",
        [MONTHLY],
        [done("2023-01-10")],
        (),
        OPEN,
        "2026-01-31",
        "2023-01-10",
    ),
    (
        "expired before the assignment: then expired",
        "2026-02-01",
        "2026-01-01",
        [MONTHLY],
        [done("2023-01-10")],
        (),
        EXPIRED,
        "2026-01-31",
        "2023-01-10",
    ),
]


@pytest.mark.parametrize(
    ("today", "assigned", "rules", "completions", "recompletions", "state", "due_on", "completed_on"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_status(today, assigned, rules, completions, recompletions, state, due_on, completed_on):
    result = status(today, assigned, rules, completions, recompletions)
    assert result.state == state
    assert result.due_on == (D(due_on) if due_on else None)
    assert result.completed_on == (D(completed_on) if completed_on else None)
    assert result.fulfilled == (state in FULFILLED)


@pytest.mark.parametrize(
    ("completed", "months", "until"),
    [
        ("2026-01-31", 1, "2026-02-28"),
        ("2028-01-31", 1, "2028-02-29"),  # leap year
        ("2027-01-31", 13, "2028-02-29"),
        ("2026-03-31", 1, "2026-04-30"),
        ("2026-12-15", 1, "2027-01-15"),  # across the year end
        ("2026-05-10", 24, "2028-05-10"),
    ],
)
def test_months_clamp_to_month_end(completed, months, until):
    assert add_months(D(completed), months) == D(until)
    monthly = rule(recertification="months", recert_months=months)
    assert valid_until(monthly, D(completed)) == D(until)


@pytest.mark.parametrize(
    ("completed", "until"),
    [
        ("2025-12-15", "2026-01-31"),  # 47 days before the deadline: counts for this one
        ("2025-12-31", "2026-01-31"),  # 31 days before: still outside the window
        ("2026-01-01", "2027-01-31"),  # 30 days before: in the window, counts for the next deadline
        ("2026-01-15", "2027-01-31"),
        ("2026-01-31", "2027-01-31"),  # on the deadline
        ("2026-02-05", "2027-01-31"),  # after it
    ],
)
def test_yearly_by_31_january(completed, until):
    assert valid_until(YEARLY_JANUARY, D(completed)) == D(until)


def test_yearly_29_february_and_short_months():
    assert yearly_deadline(2027, 2, 29) == D("2027-02-28")
    assert yearly_deadline(2028, 2, 29) == D("2028-02-29")
    assert yearly_deadline(2026, 4, 31) == D("2026-04-30")
    leap = rule(recertification="yearly", recert_month=2, recert_day=29, renewal_window_days=0)
    assert valid_until(leap, D("2027-03-01")) == D("2028-02-29")
    assert valid_until(leap, D("2028-03-01")) == D("2029-02-28")


def test_rule_change_keeps_period_of_rule_on_completion_day():
    """Every 24 months until 2026, every 12 months from then on."""
    old = rule("2020-01-01", recertification="months", recert_months=24)
    new = rule("2026-01-01", recertification="months", recert_months=12)
    before = status("2026-06-01", "2025-01-01", [old, new], [done("2025-06-01")])
    assert (before.state, before.valid_until, before.rule) == (DONE, D("2027-06-01"), old)
    after = status("2026-06-01", "2025-01-01", [old, new], [done("2026-02-01")])
    assert (after.state, after.valid_until, after.rule) == (DONE, D("2027-02-01"), new)
    # A later completion under the shorter period never shortens the one that counts longer.
    both = status("2027-03-01", "2025-01-01", [old, new], [done("2025-06-01"), done("2026-02-01")])
    assert (both.state, both.completed_on, both.valid_until) == (DONE, D("2025-06-01"), D("2027-06-01"))


def test_rule_change_adding_recertification_spares_earlier_completions():
    none = rule("2020-01-01")
    months = rule("2026-01-01", recertification="months", recert_months=12)
    assert status("2030-01-01", "2025-01-01", [none, months], [done("2025-05-01")]).state == DONE
    later = status("2027-03-01", "2025-01-01", [none, months], [done("2026-02-01")])
    assert (later.state, later.due_on) == (EXPIRED, D("2027-02-01"))


def test_rule_change_of_first_due_applies_to_those_not_done():
    short = rule("2020-01-01", due_days=30)
    longer = rule("2026-03-01", due_days=90)
    assert status("2026-02-15", "2026-01-01", [short, longer]).state == OVERDUE
    relaxed = status("2026-03-05", "2026-01-01", [short, longer])
    assert (relaxed.state, relaxed.due_on, relaxed.rule) == (OPEN, D("2026-04-01"), longer)
    # The first rule applies to completions before every rule took effect (backdated records).
    old = status(
        "2026-03-05",
        "2026-01-01",
        [rule("2026-01-01", recertification="months", recert_months=1)],
        [done("2025-12-01")],
    )
    assert old.valid_until == D("2026-01-01")


def test_compute_needs_a_rule():
    with pytest.raises(ValueError):
        compute(today=D("2026-01-01"), assigned_on=D("2026-01-01"), rules=[], completions=[])


# Berlin days ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("utc", "day"),
    [
        ("2026-01-15T22:59:00", "2026-01-15"),  # winter, UTC+1: 23:59 in Berlin
        ("2026-01-15T23:01:00", "2026-01-16"),  # 00:01 in Berlin
        ("2026-07-15T21:59:00", "2026-07-15"),  # summer, UTC+2: 23:59 in Berlin
        ("2026-07-15T22:01:00", "2026-07-16"),  # 00:01 in Berlin
        ("2026-07-15T22:59:00", "2026-07-16"),
        ("2026-07-15T23:01:00", "2026-07-16"),
        ("2026-03-28T23:30:00", "2026-03-29"),  # the night the clocks go forward
        ("2026-10-24T21:59:00", "2026-10-24"),  # the night they go back: still UTC+2 before it
    ],
)
def test_berlin_today_changes_at_local_midnight(utc, day):
    moment = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    assert berlin_today(moment) == D(day)
    assert berlin_date(moment) == D(day)


@pytest.mark.parametrize("month", [1, 7])
def test_completion_at_local_midnight_lands_on_its_berlin_day(month):
    before = datetime(2026, month, 15, 23, 59, tzinfo=BERLIN).astimezone(UTC)
    after = datetime(2026, month, 16, 0, 1, tzinfo=BERLIN).astimezone(UTC)
    assert before.date() == after.date() == date(2026, month, 15)  # the same UTC day, different Berlin days
    assert berlin_date(before) == date(2026, month, 15)
    assert berlin_date(after) == date(2026, month, 16)
    # Due on the 15th: the record of 23:59 is in time, the one of 00:01 belongs to the next day.
    due_15th = [rule(due_kind="date", due_date=date(2026, month, 15))]
    arguments = {"today": date(2026, month, 15), "assigned_on": date(2026, 1, 1), "rules": due_15th}
    assert compute(completions=[CompletionFact(berlin_date(before), 1)], **arguments).state == DONE
    assert compute(completions=[CompletionFact(berlin_date(after), 1)], **arguments).state == DUE_SOON


# Properties ----------------------------------------------------------------------------------------------------

FIRST, LAST = date(2020, 1, 1), date(2030, 12, 31)
days = st.dates(min_value=FIRST, max_value=LAST)


@st.composite
def rules_strategy(draw, max_rules: int = 3) -> list[Rule]:
    starts = sorted(draw(st.sets(days, min_size=1, max_size=max_rules)))
    made = []
    for start in starts:
        due_kind = draw(st.sampled_from(["days", "date"]))
        recertification = draw(st.sampled_from(["none", "months", "yearly"]))
        made.append(
            Rule(
                valid_from=start,
                due_kind=due_kind,
                due_days=draw(st.integers(1, 365)) if due_kind == "days" else None,
                due_date=draw(days) if due_kind == "date" else None,
                recertification=recertification,
                recert_months=draw(st.integers(1, 36)) if recertification == "months" else None,
                recert_month=draw(st.integers(1, 12)) if recertification == "yearly" else None,
                recert_day=draw(st.integers(1, 31)) if recertification == "yearly" else None,
                renewal_window_days=draw(st.integers(0, 90)),
            )
        )
    return made


completion_facts = st.builds(CompletionFact, days, st.one_of(st.none(), st.integers(1, 5)))


@st.composite
def recompletion_versions(draw) -> list[RecompletionVersion]:
    """Versions 2…5 demanding re-completion, published in the order of their numbers."""
    numbers = sorted(draw(st.sets(st.integers(2, 5), max_size=3)))
    published = sorted(draw(st.lists(days, min_size=len(numbers), max_size=len(numbers), unique=True)))
    return [
        RecompletionVersion(number, day, draw(st.integers(0, 90)))
        for number, day in zip(numbers, published, strict=True)
    ]


def late(result) -> bool:
    return result.state in LATE


PROPERTIES = settings(max_examples=200, deadline=None)


@PROPERTIES
@given(
    today=days,
    assigned=days,
    rules=rules_strategy(),
    completions=st.lists(completion_facts, max_size=4),
    recompletions=recompletion_versions(),
)
def test_status_is_consistent(today, assigned, rules, completions, recompletions):
    result = compute(
        today=today, assigned_on=assigned, rules=rules, completions=completions, recompletions=recompletions
    )
    assert result.state in STATES
    assert result.rule in rules
    if result.due_on is None:
        assert result.state == DONE and result.valid_until is None
    if result.fulfilled:
        assert result.completed_on is not None and result.completed_on <= today
        assert result.valid_until is None or today <= result.valid_until
    elif late(result):
        assert today > result.due_on
    else:
        assert today <= result.due_on
        assert (result.state == DUE_SOON) == ((result.due_on - today).days <= 14)


@PROPERTIES
@given(
    today=days,
    assigned=days,
    rules=rules_strategy(),
    completed=days,
    recompletions=recompletion_versions(),
    others=st.lists(completion_facts, max_size=3),
)
def test_valid_completion_without_recertification_is_done(today, assigned, rules, completed, recompletions, others):
    rules = [
        Rule(
            **{**vars(rule), "recertification": "none", "recert_months": None, "recert_month": None, "recert_day": None}
        )
        for rule in rules
    ]
    newest = max((version.number for version in recompletions), default=1)
    completions = [*others, CompletionFact(completed, newest)]
    result = compute(
        today=today, assigned_on=assigned, rules=rules, completions=completions, recompletions=recompletions
    )
    if completed <= today:
        assert result.state == DONE and result.due_on is None


@PROPERTIES
@given(
    today=days,
    assigned=days,
    rules=rules_strategy(),
    completions=st.lists(completion_facts, max_size=3),
    added=completion_facts,
    recompletions=recompletion_versions(),
)
def test_adding_a_completion_never_makes_it_worse(today, assigned, rules, completions, added, recompletions):
    """On the same day: never late where it was not, never unfulfilled where it was, never due earlier."""
    arguments = {"today": today, "assigned_on": assigned, "rules": rules, "recompletions": recompletions}
    before = compute(completions=completions, **arguments)
    after = compute(completions=[*completions, added], **arguments)
    if before.fulfilled:
        assert after.fulfilled
        assert (after.valid_until or date.max) >= (before.valid_until or date.max)
    if not late(before):
        assert not late(after)
    if not before.fulfilled and not after.fulfilled:
        assert after.due_on >= before.due_on


@PROPERTIES
@given(
    today=days,
    later_by=st.integers(1, 2000),
    assigned=days,
    rules=rules_strategy(max_rules=1),
    completions=st.lists(completion_facts, max_size=3),
    recompletions=recompletion_versions(),
)
def test_time_never_heals_without_a_new_completion(today, later_by, assigned, rules, completions, recompletions):
    """Under one rule, with no completion after ``today``: late stays late, expired never turns done."""
    completions = [completion for completion in completions if completion.completed_on <= today]
    later = today + timedelta(days=later_by)
    arguments = {"assigned_on": assigned, "rules": rules, "completions": completions, "recompletions": recompletions}
    now = compute(today=today, **arguments)
    then = compute(today=later, **arguments)
    if late(now):
        assert late(then)
    if now.state == EXPIRED:
        assert then.state != DONE
    if not now.fulfilled:
        assert not then.fulfilled
