"""How requirements and statuses are shown: German labels, icons and rules in words, in one place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from quali_kompass.curricula.status import DONE, DUE_SOON, EXPIRED, OPEN, OVERDUE, RENEWAL_DUE, STATES
from quali_kompass.i18n import format_day

STATE_LABELS = {
    DONE: _l("Erledigt"),
    OPEN: _l("Offen"),
    DUE_SOON: _l("Bald fällig"),
    OVERDUE: _l("Überfällig"),
    RENEWAL_DUE: _l("Auffrischung fällig"),
    EXPIRED: _l("Abgelaufen"),
}
# KERN icon names (kern-icon--<name>): the state is told by text and icon, never by colour alone.
STATE_ICONS = {
    DONE: "check",
    OPEN: "calendar-today",
    DUE_SOON: "warning",
    OVERDUE: "danger",
    RENEWAL_DUE: "autorenew",
    EXPIRED: "close",
}
# KERN badge variants (kern-badge--<variant>).
STATE_BADGES = {
    DONE: "success",
    OPEN: "info",
    DUE_SOON: "warning",
    OVERDUE: "danger",
    RENEWAL_DUE: "warning",
    EXPIRED: "danger",
}
# The three numbers of an overview: fulfilled, still open in time, late.
COUNT_GROUPS = {
    "done": (DONE, RENEWAL_DUE),
    "open": (OPEN, DUE_SOON),
    "overdue": (OVERDUE, EXPIRED),
}
COUNT_LABELS = {"done": _l("Erledigt"), "open": _l("Offen"), "overdue": _l("Überfällig")}

SCOPE_LABELS = {"organisation": _l("Ganze Organisation"), "department": _l("Fachbereich"), "team": _l("Team")}


def state_icon(state: str) -> str:
    return STATE_ICONS[state]


@dataclass(frozen=True)
class StateDisplay:
    label: str
    icon: str
    badge: str


def state_display(state: str) -> StateDisplay:
    """Label, icon and badge variant of a state, for templates (``status_badge`` in curricula/_status.html)."""
    return StateDisplay(str(STATE_LABELS[state]), STATE_ICONS[state], STATE_BADGES[state])


def grouped_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """Done / open / overdue from the counts per state."""
    return {group: sum(counts.get(state, 0) for state in states) for group, states in COUNT_GROUPS.items()}


def state_counts(states: list[str]) -> dict[str, int]:
    counts = dict.fromkeys(STATES, 0)
    for state in states:
        counts[state] += 1
    return counts


def day(value: date | None) -> str:
    """A calendar day as 31.03.2027."""
    return format_day(value)


def scope_text(requirement: Any) -> str:
    """Whom a requirement applies to, e.g. "Fachbereich Leistungsgewährung"."""
    if requirement.scope == "department":
        return gettext("Fachbereich %(name)s", name=requirement.department.name)
    if requirement.scope == "team":
        return gettext(
            "Team %(name)s (%(department)s)", name=requirement.team.name, department=requirement.team.department.name
        )
    return gettext("Ganze Organisation")


def scope_reason(requirement: Any) -> str:
    """Why the requirement applies, in a sentence."""
    if requirement.scope == "department":
        return gettext("Pflicht für alle im Fachbereich %(name)s.", name=requirement.department.name)
    if requirement.scope == "team":
        return gettext("Pflicht für alle im Team %(name)s.", name=requirement.team.name)
    return gettext("Pflicht für alle Beschäftigten der Organisation.")


def due_text(rule: Any) -> str:
    if rule.due_kind == "date":
        return gettext("bis zum %(day)s", day=day(rule.due_date))
    return ngettext(
        "innerhalb von %(num)s Tag nach Zuweisung", "innerhalb von %(num)s Tagen nach Zuweisung", rule.due_days or 0
    )


def recertification_text(rule: Any) -> str:
    """The recertification in words; empty if there is none."""
    window = ngettext("Erinnerung %(num)s Tag vorher", "Erinnerung %(num)s Tage vorher", rule.renewal_window_days)
    if rule.recertification == "months":
        every = ngettext("Auffrischung jeden Monat", "Auffrischung alle %(num)s Monate", rule.recert_months or 0)
        return f"{every}, {window}"
    if rule.recertification == "yearly":
        deadline = f"{rule.recert_day:02d}.{rule.recert_month:02d}."
        return gettext("jährlich bis %(deadline)s, %(window)s", deadline=deadline, window=window)
    return ""


def rule_text(rule: Any) -> str:
    """The whole rule in words, e.g. "innerhalb von 30 Tagen nach Zuweisung; Auffrischung alle 12 Monate, …"."""
    parts = [due_text(rule), recertification_text(rule)]
    return "; ".join(part for part in parts if part)
