"""Changes to the organisation. Each function flushes and writes the audit log; the caller commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select

from quali_kompass.accounts.services import end_sessions_of, normalise_email
from quali_kompass.audit.services import record
from quali_kompass.curricula.status import berlin_today
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Membership, Person, Team

PERSON_FIELDS = ("name", "email", "personnel_number", "locale", "active")
ROLE_FIELDS = ("is_editor", "is_admin", "is_auditor")


def _same_name(column: Any, name: str) -> Any:
    """The name again, ignoring case; the plain comparison too, since SQLite's lower() ignores umlauts."""
    return or_(column == name, func.lower(column) == name.lower())


# Departments ----------------------------------------------------------------------------------------
def save_department(department: Department | None, name: str) -> Department:
    name = name.strip()
    clash = select(Department.id).where(_same_name(Department.name, name))
    if department is not None:
        clash = clash.where(Department.id != department.id)
    if db.session.scalar(clash) is not None:
        raise ServiceError(_("Einen Fachbereich mit diesem Namen gibt es schon."), "name")
    if department is None:
        department = Department(name=name)
        db.session.add(department)
        db.session.flush()
        record("department_created", department)
    elif department.name != name:
        old = department.name
        department.name = name
        db.session.flush()
        record("department_renamed", department, old_name=old)
    return department


def delete_department(department: Department) -> None:
    if db.session.scalar(select(exists().where(Team.department_id == department.id))):
        raise ServiceError(_("Der Fachbereich hat noch Teams. Bitte verschieben oder löschen Sie diese zuerst."))
    record("department_deleted", department)
    db.session.delete(department)
    db.session.flush()


def add_department_head(department: Department, person: Person) -> None:
    if person in department.heads:
        raise ServiceError(_("%(name)s leitet diesen Fachbereich bereits.", name=person.name), "email")
    department.heads.append(person)
    db.session.flush()
    record("department_head_added", department, person=person.email)


def remove_department_head(department: Department, person: Person) -> None:
    if person in department.heads:
        department.heads.remove(person)
        db.session.flush()
        record("department_head_removed", department, person=person.email)


# Teams ----------------------------------------------------------------------------------------------
def save_team(team: Team | None, name: str, department: Department) -> Team:
    name = name.strip()
    clash = select(Team.id).where(Team.department_id == department.id, _same_name(Team.name, name))
    if team is not None:
        clash = clash.where(Team.id != team.id)
    if db.session.scalar(clash) is not None:
        raise ServiceError(_("In diesem Fachbereich gibt es schon ein Team mit diesem Namen."), "name")
    if team is None:
        team = Team(name=name, department=department)
        db.session.add(team)
        db.session.flush()
        record("team_created", team, department=department.name)
        return team
    changes = _changes(team, {"name": name, "department_id": department.id})
    if changes:
        team.name = name
        team.department = department
        db.session.flush()
        record("team_changed", team, **changes)
    return team


def delete_team(team: Team) -> None:
    if db.session.scalar(select(exists().where(Membership.team_id == team.id))):
        raise ServiceError(_("Das Team hat Mitglieder oder frühere Mitglieder und kann deshalb nicht gelöscht werden."))
    record("team_deleted", team)
    team.leads.clear()
    db.session.delete(team)
    db.session.flush()


def add_team_lead(team: Team, person: Person) -> None:
    if person in team.leads:
        raise ServiceError(_("%(name)s ist bereits Führungskraft dieses Teams.", name=person.name), "email")
    team.leads.append(person)
    db.session.flush()
    record("team_lead_added", team, person=person.email)


def remove_team_lead(team: Team, person: Person) -> None:
    if person in team.leads:
        team.leads.remove(person)
        db.session.flush()
        record("team_lead_removed", team, person=person.email)


# People ---------------------------------------------------------------------------------------------
def person_by_email(email: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == normalise_email(email)))


def save_person(person: Person | None, fields: dict[str, Any]) -> Person:
    """Create or update a person from whitelisted fields."""
    values = {key: fields[key] for key in PERSON_FIELDS if key in fields}
    if "email" in values:
        values["email"] = normalise_email(values["email"])
    if "personnel_number" in values:
        values["personnel_number"] = (values["personnel_number"] or "").strip() or None
    if "name" in values:
        values["name"] = values["name"].strip()
    _check_unique(person, values)
    if person is None:
        person = Person(**values)
        db.session.add(person)
        db.session.flush()
        record("person_created", person)
        return person
    changes = _changes(person, values)
    if not changes:
        return person
    if changes.pop("active", None) is not None:
        set_active(person, values["active"])
    for key in changes:
        setattr(person, key, values[key])
    db.session.flush()
    if changes:
        record("person_changed", person, **changes)
    return person


def _check_unique(person: Person | None, values: dict[str, Any]) -> None:
    for field, message in (
        ("email", _("Diese E-Mail-Adresse ist bereits vergeben.")),
        ("personnel_number", _("Diese Personalnummer ist bereits vergeben.")),
    ):
        value = values.get(field)
        if value is None:
            continue
        clash = select(Person.id).where(getattr(Person, field) == value)
        if person is not None:
            clash = clash.where(Person.id != person.id)
        if db.session.scalar(clash) is not None:
            raise ServiceError(message, field)


def set_active(person: Person, active: bool) -> None:
    """Activate or deactivate; deactivation keeps the history and ends all login sessions."""
    if person.active == active:
        return
    if not active:
        _keep_an_admin(person, leaving=True)
        end_sessions_of(person)
    person.active = active
    db.session.flush()
    record("person_activated" if active else "person_deactivated", person)


def set_roles(person: Person, roles: dict[str, bool], editor_departments: Iterable[Department]) -> None:
    values = {key: bool(roles[key]) for key in ROLE_FIELDS if key in roles}
    if values.get("is_admin") is False and person.is_admin:
        _keep_an_admin(person, leaving=True)
    departments = sorted(editor_departments, key=lambda d: d.name) if values.get("is_editor") else []
    changes = _changes(person, values)
    old_departments = [d.name for d in person.editor_departments]
    if [d.name for d in departments] != old_departments:
        changes["editor_departments"] = (old_departments, [d.name for d in departments])
    if not changes:
        return
    for key, value in values.items():
        setattr(person, key, value)
    person.editor_departments = departments
    db.session.flush()
    record("roles_changed", person, **changes)


def _keep_an_admin(person: Person, *, leaving: bool) -> None:
    if not person.is_admin or not person.active:
        return
    others = (
        select(func.count())
        .select_from(Person)
        .where(Person.is_admin.is_(True), Person.active.is_(True), Person.id != person.id)
    )
    if leaving and db.session.scalar(others) == 0:
        raise ServiceError(_("Es muss mindestens eine aktive Person mit Administrationsrechten geben."))


def move_person(person: Person, team: Team | None, on: date) -> None:
    """Make ``team`` the person's team from ``on``; the previous membership ends the day before.

    A move on the day the current membership began corrects that membership instead of adding a
    membership of no days.
    """
    current = person.current_membership
    if current is not None and current.team_id == (team.id if team else None):
        raise ServiceError(_("%(name)s ist bereits in diesem Team.", name=person.name), "team")
    if current is None and team is None:
        return
    if on > berlin_today():
        raise ServiceError(_("Das Datum darf nicht in der Zukunft liegen."), "start_date")
    if current is not None and on < current.start_date:
        raise ServiceError(
            _("Das Datum darf nicht vor dem Beginn der bisherigen Teamzugehörigkeit liegen."), "start_date"
        )
    previous = current.team.name if current else None
    if current is not None and current.start_date == on:
        if team is None:
            person.memberships.remove(current)
            db.session.delete(current)
        else:
            current.team = team
    else:
        if current is not None:
            current.end_date = on - timedelta(days=1)
            db.session.flush()  # the open membership must close before the next one opens
        if team is not None:
            # Added through the collection only: passing person= as well would list it twice in memory.
            person.memberships.insert(0, Membership(team=team, start_date=on))
    db.session.flush()
    record("person_moved", person, from_team=previous, to_team=team.name if team else None, on=on.isoformat())


def _changes(obj: Any, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {key: (getattr(obj, key), value) for key, value in values.items() if getattr(obj, key) != value}
