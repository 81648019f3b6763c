"""Which notifications the daily run creates: decided from people's statuses, pure and repeatable.

Every notification has a key that names the occasion (``due_in:3:17:2026-12-07``: three days before the
due date 7 December of material 17). A key that a person already has is never created again, so that a run can
be repeated on the same day, and a missed day is caught up by the next run without duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from quali_kompass.curricula.queries import PersonItem
from quali_kompass.curricula.status import DUE_SOON, EXPIRED, OPEN, OVERDUE, RENEWAL_DUE

DEFAULT_REMINDER_DAYS = (14, 3)
NEW_ASSIGNMENT_DAYS = 7  # an assignment younger than this counts as new (older ones existed before the first run)
DIGEST_MAX_ENTRIES = 50


@dataclass(frozen=True)
class Planned:
    """A notification to create, unless the person already has one with this key."""

    person_id: int
    kind: str
    key: str
    params: dict = field(default_factory=dict)


def parse_reminder_days(value: str) -> tuple[int, ...]:
    """``"14,3"`` -> (14, 3); raises ValueError on anything else than positive whole numbers."""
    days = sorted({int(part) for part in value.replace(" ", "").split(",") if part}, reverse=True)
    if not days or days[-1] < 1:
        raise ValueError("QK_REMINDER_DAYS needs positive whole numbers, e.g. 14,3")
    return tuple(days)


def _facts(item: PersonItem) -> dict:
    return {"material_id": item.material.id, "title": item.material.title}


def plan_item(person_id: int, item: PersonItem, today: date, reminder_days: Sequence[int]) -> list[Planned]:
    """The notifications one mandatory item calls for today."""
    status = item.status
    material_id = item.material.id
    planned: list[Planned] = []
    if status.state in (OVERDUE, EXPIRED):
        due = status.due_on
        week = ((today - due).days - 1) // 7  # one notice in every week past the due date
        params = {**_facts(item), "due_on": due.isoformat(), "expired": status.state == EXPIRED}
        planned.append(Planned(person_id, "overdue", f"overdue:{material_id}:{due}:{week}", params))
    elif status.state == RENEWAL_DUE:
        until = status.valid_until
        params = {**_facts(item), "valid_until": until.isoformat()}
        planned.append(Planned(person_id, "renewal_open", f"renewal_open:{material_id}:{until}", params))
    elif status.state in (OPEN, DUE_SOON):
        due = status.due_on
        assigned_on = item.assigned_on
        days_left = (due - today).days
        if today - assigned_on < timedelta(days=NEW_ASSIGNMENT_DAYS):
            params = {**_facts(item), "due_on": due.isoformat()}
            planned.append(Planned(person_id, "assigned", f"assigned:{material_id}:{assigned_on}", params))
        if days_left == 0:
            params = {**_facts(item), "due_on": due.isoformat()}
            planned.append(Planned(person_id, "due_today", f"due_today:{material_id}:{due}", params))
        else:
            # Only reminders whose window opened after the assignment: the assignment notice named the due date.
            windows = [
                days for days in reminder_days if days_left <= days and due - timedelta(days=days) >= assigned_on
            ]
            if windows:
                window = min(windows)
                params = {**_facts(item), "due_on": due.isoformat(), "days_left": days_left}
                planned.append(Planned(person_id, "due_in", f"due_in:{window}:{material_id}:{due}", params))
    return planned


def plan_people(items: Mapping[int, Sequence[PersonItem]], today: date, reminder_days: Sequence[int]) -> list[Planned]:
    """The notifications of everyone's items today."""
    return [
        planned
        for person_id, person_items in items.items()
        for item in person_items
        for planned in plan_item(person_id, item, today, reminder_days)
    ]


@dataclass(frozen=True)
class LateEntry:
    """An overdue item of a team member, for a lead's digest."""

    person: str
    team: str
    title: str
    due_on: date


def digest_key(today: date) -> str:
    year, week, _ = today.isocalendar()
    return f"digest:{year}-W{week:02d}"


def plan_digest(lead_id: int, entries: Iterable[LateEntry], today: date) -> Planned | None:
    """One digest per lead and calendar week (the first run of the week), if anything is overdue."""
    ordered = sorted(entries, key=lambda entry: (entry.team.casefold(), entry.person.casefold(), entry.title))
    if not ordered:
        return None
    shown = [
        {
            "person": entry.person,
            "team": entry.team,
            "title": entry.title,
            "due_on": entry.due_on.isoformat(),
            "late": True,
        }
        for entry in ordered[:DIGEST_MAX_ENTRIES]
    ]
    return Planned(lead_id, "digest", digest_key(today), {"entries": shown, "total": len(ordered)})


def reminder_entries(items: Sequence[PersonItem]) -> list[dict]:
    """The open items a lead's reminder lists, most urgent first."""
    return [
        {
            **_facts(item),
            "due_on": item.status.due_on.isoformat(),
            "late": item.status.state in (OVERDUE, EXPIRED),
        }
        for item in items
        if item.status.state in (OVERDUE, EXPIRED, DUE_SOON, OPEN)
    ]
