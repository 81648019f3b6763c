"""Requirements (Pflichtschulungen): who may set them for which scope, and creating, changing and lifting them.

The services flush and write an audit entry; the calling view commits. A refusal raises ServiceError with a
German message and the form field it belongs to.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import Select, or_, select, true
from sqlalchemy.orm import joinedload, selectinload

from quali_kompass.audit.services import record
from quali_kompass.catalogue.models import Material
from quali_kompass.curricula.models import Requirement, RequirementRule
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import in_order
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Person, Team, department_heads, team_leads
from quali_kompass.statistics import services as statistics

DUE_DAYS_RANGE = (1, 3650)
RECERT_MONTHS_RANGE = (1, 120)
RENEWAL_WINDOW_RANGE = (0, 365)
DEFAULT_RENEWAL_WINDOW = 30
MAX_YEARS_AWAY = 10


# Permissions ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reach:
    """What a person may manage, and which teams' and departments' requirements they may read."""

    admin: bool
    managed_department_ids: frozenset[int]  # departments they head
    managed_team_ids: frozenset[int]  # teams they lead, and the teams of departments they head
    visible_department_ids: frozenset[int]  # the departments of those teams, and those they head


_REACH_KEY = "_requirement_reach"


def reach(person: Person) -> Reach:
    """The person's reach, computed once per loaded person (two statements unless admin)."""
    cached = person.__dict__.get(_REACH_KEY)
    if cached is not None:
        return cached
    if person.is_admin:
        result = Reach(True, frozenset(), frozenset(), frozenset())
    else:
        headed = frozenset(
            db.session.scalars(
                select(department_heads.c.department_id).where(department_heads.c.person_id == person.id)
            )
        )
        led = select(team_leads.c.team_id).where(team_leads.c.person_id == person.id)
        teams = db.session.execute(
            select(Team.id, Team.department_id).where(or_(Team.id.in_(led), Team.department_id.in_(headed)))
        ).all()
        result = Reach(
            False,
            headed,
            frozenset(team_id for team_id, _department_id in teams),
            headed | frozenset(department_id for _team_id, department_id in teams),
        )
    # Like a cached_property: the person is loaded afresh for every request.
    person.__dict__[_REACH_KEY] = result
    return result


@dataclass(frozen=True)
class Scopes:
    """The scopes a person may set requirements for."""

    organisation: bool
    departments: list[Department]
    teams: list[Team]

    def __bool__(self) -> bool:
        return self.organisation or bool(self.departments) or bool(self.teams)


def scopes_for(person: Person) -> Scopes:
    """Admins: everything; department heads: their departments and the teams in them; leads: their teams."""
    if not person.is_authenticated:
        return Scopes(False, [], [])
    person_reach = reach(person)
    departments = select(Department).order_by(Department.name)
    teams = select(Team).options(joinedload(Team.department)).join(Team.department).order_by(Department.name, Team.name)
    if not person_reach.admin:
        departments = departments.where(Department.id.in_(person_reach.managed_department_ids))
        teams = teams.where(Team.id.in_(person_reach.managed_team_ids))
    has_any = person_reach.admin or person_reach.managed_department_ids or person_reach.managed_team_ids
    if not has_any:
        return Scopes(False, [], [])
    return Scopes(
        person_reach.admin,
        list(db.session.scalars(departments)) if person_reach.admin or person_reach.managed_department_ids else [],
        list(db.session.scalars(teams)),
    )


def may_manage_any(person: Person) -> bool:
    """Whether the person may set requirements for any scope at all (admins, department heads, leads)."""
    person_reach = reach(person)
    return person_reach.admin or bool(person_reach.managed_department_ids or person_reach.managed_team_ids)


def can_manage_scope(person: Person, scope: str, department_id: int | None, team_id: int | None) -> bool:
    person_reach = reach(person)
    if person_reach.admin:
        return True
    if scope == "department":
        return department_id in person_reach.managed_department_ids
    if scope == "team":
        return team_id in person_reach.managed_team_ids
    return False


def can_manage(person: Person, requirement: Requirement) -> bool:
    """May the person change the rule of this requirement or lift it?"""
    return can_manage_scope(person, requirement.scope, requirement.department_id, requirement.team_id)


def can_view(person: Person, requirement: Requirement) -> bool:
    """Managers, and (read only) leads and heads whose teams the requirement applies to."""
    person_reach = reach(person)
    if person_reach.admin or can_manage(person, requirement):
        return True
    if requirement.scope == "organisation":
        return bool(person_reach.managed_team_ids or person_reach.managed_department_ids)
    if requirement.scope == "department":
        return requirement.department_id in person_reach.visible_department_ids
    return requirement.team_id in person_reach.managed_team_ids


def visible_requirements(person: Person) -> Select:
    """The ids of the requirements the person may see, active first, then by title.

    Ids only: a federal organisation has about 90,000 requirements, and sorting them with their materials' whole
    rows took PostgreSQL 0.4 s; ``with_details`` loads the page's requirements afterwards."""
    person_reach = reach(person)
    statement = (
        select(Requirement.id)
        .join(Material, Material.id == Requirement.material_id)
        .order_by(Requirement.ended_on.is_not(None), Material.title, Requirement.id)
    )
    if person_reach.admin:
        return statement
    conditions = [
        Requirement.department_id.in_(person_reach.visible_department_ids),
        Requirement.team_id.in_(person_reach.managed_team_ids),
    ]
    if person_reach.managed_team_ids or person_reach.managed_department_ids:
        conditions.append(Requirement.scope == "organisation")
    return statement.where(or_(*conditions) if conditions else true())


def with_details(requirement_ids: list[int]) -> list[Requirement]:
    """The requirements of these ids in this order, with what the list shows loaded (two statements)."""
    if not requirement_ids:
        return []
    loaded = db.session.scalars(
        select(Requirement)
        .where(Requirement.id.in_(requirement_ids))
        .options(
            joinedload(Requirement.material),
            joinedload(Requirement.department),
            joinedload(Requirement.team).joinedload(Team.department),
            selectinload(Requirement.rules),
        )
    ).unique()
    return in_order(loaded, requirement_ids)


# Rules ------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RuleInput:
    """The fields of a rule as entered; ``normalised`` drops what the chosen kinds do not use."""

    due_kind: str = "days"
    due_days: int | None = None
    due_date: date | None = None
    recertification: str = "none"
    recert_months: int | None = None
    recert_month: int | None = None
    recert_day: int | None = None
    renewal_window_days: int | None = DEFAULT_RENEWAL_WINDOW

    def normalised(self) -> RuleInput:
        due = {"due_date": None} if self.due_kind == "days" else {"due_days": None}
        recert: dict = {"recert_months": None, "recert_month": None, "recert_day": None}
        if self.recertification == "months":
            recert.pop("recert_months")
        elif self.recertification == "yearly":
            recert.pop("recert_month")
            recert.pop("recert_day")
        window = self.renewal_window_days
        if self.recertification == "none" or window is None:
            window = DEFAULT_RENEWAL_WINDOW
        return replace(self, **due, **recert, renewal_window_days=window)

    @classmethod
    def of(cls, rule: RequirementRule) -> RuleInput:
        return cls(**{field.name: getattr(rule, field.name) for field in fields(cls)})


def _in_range(value: int | None, bounds: tuple[int, int]) -> bool:
    return value is not None and bounds[0] <= value <= bounds[1]


def _far_away(day: date, today: date) -> bool:
    limit = timedelta(days=365 * MAX_YEARS_AWAY + MAX_YEARS_AWAY // 4)
    return abs(day - today) > limit


def rule_problems(rule: RuleInput, today: date | None = None) -> list[tuple[str, str]]:
    """(field, German message) for everything wrong with a rule; empty if it can be saved."""
    today = today or berlin_today()
    problems: list[tuple[str, str]] = []
    if rule.due_kind == "days":
        if not _in_range(rule.due_days, DUE_DAYS_RANGE):
            problems.append(("due_days", _("Bitte geben Sie eine Frist zwischen 1 und 3650 Tagen an.")))
    elif rule.due_kind == "date":
        if rule.due_date is None:
            problems.append(
                ("due_date", _("Bitte geben Sie das Datum an, bis zu dem die Schulung erledigt sein muss."))
            )
        elif _far_away(rule.due_date, today):
            problems.append(("due_date", _("Das Datum darf höchstens zehn Jahre entfernt sein.")))
    else:
        problems.append(("due_kind", _("Bitte wählen Sie, bis wann die Schulung erledigt sein muss.")))
    if rule.recertification == "months":
        if not _in_range(rule.recert_months, RECERT_MONTHS_RANGE):
            problems.append(("recert_months", _("Bitte geben Sie einen Abstand zwischen 1 und 120 Monaten an.")))
    elif rule.recertification == "yearly":
        month, day = rule.recert_month, rule.recert_day
        # A leap year, so that 29.02. is a valid yearly deadline (it falls on 28.02. in other years).
        if month is None or day is None or not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2024, month)[1]:
            problems.append(
                ("recert_day_month", _("Bitte geben Sie einen gültigen Tag und Monat an, zum Beispiel 31.01."))
            )
    elif rule.recertification != "none":
        problems.append(("recertification", _("Bitte wählen Sie, ob und wie die Schulung aufgefrischt wird.")))
    window = rule.renewal_window_days
    if rule.recertification != "none" and window is not None and not _in_range(window, RENEWAL_WINDOW_RANGE):
        problems.append(("renewal_window_days", _("Bitte geben Sie zwischen 0 und 365 Tagen an.")))
    return problems


def _check_rule(rule: RuleInput, today: date) -> RuleInput:
    if problems := rule_problems(rule, today):
        field, message = problems[0]
        raise ServiceError(message, field)
    return rule.normalised()


def _check_day(day: date, today: date, field: str) -> None:
    if _far_away(day, today):
        raise ServiceError(_("Das Datum darf höchstens zehn Jahre entfernt sein."), field)


def _day(day: date) -> str:
    return format_date(day, "dd.MM.yyyy")


def _audit_label(requirement: Requirement) -> str:
    target = {"department": requirement.department, "team": requirement.team}.get(requirement.scope)
    where = target.name if target is not None else "Organisation"
    return f"{requirement.material.title} ({where})"[:254]


def _rule_details(rule: RuleInput) -> dict:
    return {field.name: getattr(rule, field.name) for field in fields(rule)}


# Writing ----------------------------------------------------------------------------------------------------------
def create(
    actor: Person,
    material: Material,
    scope: str,
    *,
    department: Department | None = None,
    team: Team | None = None,
    effective_from: date,
    rule: RuleInput,
    note: str = "",
) -> Requirement:
    """Require ``material`` of everyone in the scope from ``effective_from`` on."""
    today = berlin_today()
    if scope == "organisation":
        department = team = None
    elif scope == "department":
        team = None
        if department is None:
            raise ServiceError(_("Bitte wählen Sie einen Fachbereich."), "scope")
    elif scope == "team":
        department = None
        if team is None:
            raise ServiceError(_("Bitte wählen Sie ein Team."), "scope")
    else:
        raise ServiceError(_("Bitte wählen Sie, für wen die Pflichtschulung gilt."), "scope")
    department_id = department.id if department else None
    team_id = team.id if team else None
    if not can_manage_scope(actor, scope, department_id, team_id):
        raise ServiceError(_("Für diesen Bereich dürfen Sie keine Pflichtschulungen festlegen."), "scope")
    if material.status != "published":
        raise ServiceError(_("Bitte wählen Sie ein veröffentlichtes Material."), "material_id")
    _check_day(effective_from, today, "effective_from")
    checked = _check_rule(rule, today)
    duplicate = db.session.scalar(
        select(Requirement.id)
        .where(
            Requirement.material_id == material.id,
            Requirement.scope == scope,
            Requirement.department_id.is_(None)
            if department_id is None
            else Requirement.department_id == department_id,
            Requirement.team_id.is_(None) if team_id is None else Requirement.team_id == team_id,
            or_(Requirement.ended_on.is_(None), Requirement.ended_on > effective_from),
        )
        .limit(1)
    )
    if duplicate is not None:
        raise ServiceError(_("Für diesen Bereich gibt es diese Pflichtschulung schon."), "material_id")
    requirement = Requirement(
        material=material,
        scope=scope,
        department=department,
        team=team,
        effective_from=effective_from,
        note=note.strip(),
        created_by_id=actor.id,
    )
    requirement.rules.append(
        RequirementRule(valid_from=effective_from, created_by_id=actor.id, **_rule_details(checked))
    )
    db.session.add(requirement)
    db.session.flush()
    record(
        "requirement_created",
        requirement,
        actor=actor,
        label=_audit_label(requirement),
        material_id=material.id,
        scope=scope,
        department_id=department_id,
        team_id=team_id,
        effective_from=effective_from.isoformat(),
        **_rule_details(checked),
    )
    return requirement


def change_rule(
    actor: Person, requirement: Requirement, rule: RuleInput, valid_from: date | None = None
) -> RequirementRule | None:
    """Add a rule that holds from ``valid_from`` (today by default); None if nothing changed."""
    today = berlin_today()
    valid_from = valid_from or today
    if not can_manage(actor, requirement):
        raise ServiceError(_("Diese Pflichtschulung dürfen Sie nicht ändern."))
    if requirement.ended_on is not None:
        raise ServiceError(_("Diese Pflichtschulung ist aufgehoben; ihre Regel lässt sich nicht mehr ändern."))
    checked = _check_rule(rule, today)
    latest = requirement.current_rule
    if checked == RuleInput.of(latest).normalised():
        return None
    # One rule per day: an earlier day would rewrite history, and the same day has its rule already.
    if valid_from <= latest.valid_from:
        raise ServiceError(
            _(
                "Die neue Regel kann frühestens ab dem %(day)s gelten, dem Tag nach der letzten Änderung.",
                day=_day(latest.valid_from + timedelta(days=1)),
            ),
            "valid_from",
        )
    _check_day(valid_from, today, "valid_from")
    new_rule = RequirementRule(valid_from=valid_from, created_by_id=actor.id, **_rule_details(checked))
    requirement.rules.append(new_rule)
    db.session.flush()
    statistics.forget_requirement_states([requirement.id])
    record(
        "requirement_rule_changed",
        requirement,
        actor=actor,
        label=_audit_label(requirement),
        valid_from=valid_from.isoformat(),
        previous=_rule_details(RuleInput.of(latest)),
        **_rule_details(checked),
    )
    return new_rule


def end(actor: Person, requirement: Requirement, ended_on: date | None = None) -> None:
    """Lift the requirement from ``ended_on`` (today by default); its rules and the records stay."""
    today = berlin_today()
    ended_on = ended_on or today
    if not can_manage(actor, requirement):
        raise ServiceError(_("Diese Pflichtschulung dürfen Sie nicht aufheben."))
    if requirement.ended_on is not None:
        raise ServiceError(_("Diese Pflichtschulung ist bereits aufgehoben."))
    if ended_on < requirement.effective_from:
        raise ServiceError(
            _("Das Ende kann nicht vor dem Beginn am %(day)s liegen.", day=_day(requirement.effective_from)), "ended_on"
        )
    _check_day(ended_on, today, "ended_on")
    requirement.ended_on = ended_on
    db.session.flush()
    statistics.forget_requirement_states([requirement.id])
    record(
        "requirement_ended", requirement, actor=actor, label=_audit_label(requirement), ended_on=ended_on.isoformat()
    )
