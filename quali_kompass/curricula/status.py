"""The status of one person's requirement: computed here and only here, for every page, export and reminder.

Everything is in Europe/Berlin calendar days. The function is pure: it gets the facts (assignment day, the rules
with the days they took effect, the person's standing completions, the versions that demand re-completion) and
today's date, and answers with a state and the dates that explain it.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
DUE_SOON_DAYS = 14
# People who join a scope after a requirement's fixed due date get this many days from joining.
LATE_JOINER_DAYS = 30

OPEN = "open"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
DONE = "done"
RENEWAL_DUE = "renewal_due"
EXPIRED = "expired"
STATES = (OVERDUE, EXPIRED, DUE_SOON, RENEWAL_DUE, OPEN, DONE)  # most urgent first
FULFILLED = frozenset({DONE, RENEWAL_DUE})  # a valid completion exists


def berlin_today(now: datetime | None = None) -> date:
    """Today's calendar date in Berlin: it changes at local midnight, not at midnight UTC."""
    return (now or datetime.now(BERLIN)).astimezone(BERLIN).date()


def berlin_date(moment: datetime) -> date:
    return moment.astimezone(BERLIN).date()


@dataclass(frozen=True)
class Rule:
    """A requirement's rule from ``valid_from`` on (see RequirementRule)."""

    valid_from: date
    due_kind: str  # "days" or "date"
    due_days: int | None = None
    due_date: date | None = None
    recertification: str = "none"  # "none", "months" or "yearly"
    recert_months: int | None = None
    recert_month: int | None = None
    recert_day: int | None = None
    renewal_window_days: int = 30


class CompletionFact(NamedTuple):
    completed_on: date
    version_number: int | None  # the material version completed; None if unknown


class RecompletionVersion(NamedTuple):
    """A material version published with "erneute Bearbeitung erforderlich"."""

    number: int
    published_on: date
    grace_days: int = 30


class Status(NamedTuple):
    state: str
    due_on: date | None  # when it must be (re)done; None while done without expiry
    completed_on: date | None  # the completion that counts (or counted, when expired), if any
    valid_until: date | None  # the last day that completion counts, if it expires
    rule: Rule  # the rule the dates come from (for a completion: the rule in force on its day)

    @property
    def fulfilled(self) -> bool:
        return self.state in FULFILLED


def rule_on(rules: Sequence[Rule], day: date) -> Rule:
    """The rule in force on ``day``: the last that took effect on or before it (the first, before all)."""
    in_force = rules[0]
    for rule in rules:
        if rule.valid_from <= day:
            in_force = rule
    return in_force


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the 31st becomes the month's last day where it has fewer."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def yearly_deadline(year: int, month: int, day: int) -> date:
    """The deadline in ``year``; 29 February (or a 31st) becomes the month's last day where needed."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def valid_until(rule: Rule, completed_on: date) -> date | None:
    """The last day a completion on ``completed_on`` counts under ``rule``; None if it never expires.

    Yearly by a calendar day (say 31 January): a completion counts up to the next deadline on or after it; if it
    fell within the renewal window before that deadline, it already counts for the following year's deadline.
    """
    if rule.recertification == "months":
        return add_months(completed_on, rule.recert_months or 12)
    if rule.recertification == "yearly":
        month, day = rule.recert_month or 1, rule.recert_day or 1
        deadline = yearly_deadline(completed_on.year, month, day)
        if deadline < completed_on:
            deadline = yearly_deadline(completed_on.year + 1, month, day)
        if (deadline - completed_on).days <= rule.renewal_window_days:
            deadline = yearly_deadline(deadline.year + 1, month, day)
        return deadline
    return None


def first_due(rule: Rule, assigned_on: date) -> date:
    """When someone assigned on ``assigned_on`` must have completed the requirement for the first time."""
    if rule.due_kind == "date" and rule.due_date is not None:
        if assigned_on <= rule.due_date:
            return rule.due_date
        return assigned_on + timedelta(days=LATE_JOINER_DAYS)
    return assigned_on + timedelta(days=rule.due_days or 0)


def _counts(completion: CompletionFact, demanded: RecompletionVersion | None) -> bool:
    """Whether a completion still counts after the newest version that demands re-completion."""
    if demanded is None:
        return True
    if completion.version_number is not None:
        return completion.version_number >= demanded.number
    return completion.completed_on >= demanded.published_on


def _pending(state_if_late: str, today: date, due: date, due_soon_days: int, **fields) -> Status:
    if today > due:
        state = state_if_late
    elif (due - today).days <= due_soon_days:
        state = DUE_SOON
    else:
        state = OPEN
    return Status(state, due, **fields)


def _recomplete_by(
    completion: CompletionFact, published: Sequence[RecompletionVersion], until: date | None
) -> date | None:
    """How long a completion of an older version still carries its person, or None if no version supersedes it.

    The first version that superseded it sets the date (a later one gives no new grace), and never later than the
    completion would have expired anyway.
    """
    superseding = [version for version in published if not _counts(completion, version)]
    if not superseding:
        return None
    first = min(superseding, key=lambda version: (version.published_on, version.number))
    by = first.published_on + timedelta(days=first.grace_days)
    return by if until is None else min(by, until)


def _valid_until_of(rules: Sequence[Rule], completion: CompletionFact) -> date | None:
    """The last day a completion counts, under the rule in force on its day."""
    return valid_until(rule_on(rules, completion.completed_on), completion.completed_on)


def compute(
    *,
    today: date,
    assigned_on: date,
    rules: Sequence[Rule],
    completions: Sequence[CompletionFact],
    recompletions: Sequence[RecompletionVersion] = (),
    due_soon_days: int = DUE_SOON_DAYS,
) -> Status:
    """The status of one requirement for one person on ``today``.

    ``rules`` are sorted by ``valid_from`` (at least one); ``completions`` are the person's standing records of the
    material, whenever they were made (earlier completions count after a return to the scope).

    The completion that counts is the one valid longest (a later completion under a rule with a shorter period
    never shortens it). Nobody is due before the first due date of their current assignment, so an old completion
    that expired or was superseded never makes a newcomer late on their first day. A version that demands
    re-completion never postpones what the old completion's expiry demanded earlier.
    """
    if not rules:
        raise ValueError("a requirement has at least one rule")
    # Computed for every person and item of a page: the common cases (one rule, no version demanding
    # re-completion) take no detours.
    current_rule = rules[0] if len(rules) == 1 else rule_on(rules, today)
    # The earliest day anyone can be due: the assignment's first due date, or later while a superseded completion
    # still carries them.
    due = first_due(current_rule, assigned_on)
    past = [completion for completion in completions if completion.completed_on <= today]
    if not past:  # most items of most people: decided without looking at versions
        return _pending(OVERDUE, today, due, due_soon_days, completed_on=None, valid_until=None, rule=current_rule)

    valid = past
    if recompletions:
        published = [version for version in recompletions if version.published_on <= today]
        demanded = max(published, key=lambda version: version.number, default=None)
        if demanded is not None:
            for completion in past:
                if not _counts(completion, demanded):
                    carried = _recomplete_by(completion, published, _valid_until_of(rules, completion))
                    if carried is not None:
                        due = max(due, carried)
            valid = [completion for completion in past if _counts(completion, demanded)]
    if not valid:
        return _pending(OVERDUE, today, due, due_soon_days, completed_on=None, valid_until=None, rule=current_rule)

    if len(valid) == 1:
        best = valid[0]
    else:
        best = max(
            valid, key=lambda completion: (_valid_until_of(rules, completion) or date.max, completion.completed_on)
        )
    rule = rules[0] if len(rules) == 1 else rule_on(rules, best.completed_on)
    until = valid_until(rule, best.completed_on)
    if until is None:
        return Status(DONE, None, best.completed_on, None, rule)
    if today <= until:
        state = RENEWAL_DUE if (until - today).days <= rule.renewal_window_days else DONE
        return Status(state, until, best.completed_on, until, rule)
    return _pending(
        EXPIRED,
        today,
        max(until, due),
        due_soon_days,
        completed_on=best.completed_on,
        valid_until=until,
        rule=rule if until >= due else current_rule,
    )
