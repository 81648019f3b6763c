"""Completion records (Nachweise): marked by the person, recorded or reset by leads and admins, attendance confirmed.

Services flush and audit; views commit. Days are Europe/Berlin calendar days. Every write also updates the
statistics' aggregate tables in the same transaction (``statistics.services``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from quali_kompass.audit.services import record as audit
from quali_kompass.catalogue.models import Material, SessionDate, SessionRegistration
from quali_kompass.curricula import queries
from quali_kompass.curricula.models import Completion
from quali_kompass.curricula.status import berlin_date, berlin_today
from quali_kompass.database import utcnow
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Membership, Person
from quali_kompass.statistics import services as statistics

SELF_STUDY_KINDS = ("video", "guide", "document", "link")
EARLIEST_DAY = date(2000, 1, 1)
UNDO_REASON = "Selbst zurückgenommen"


# Permissions ------------------------------------------------------------------------------------------------
def may_manage(actor: Person, person: Person) -> bool:
    """Record and reset the person's completions: admins for everyone, leads for the people of teams they review.

    No one but an admin vouches for themselves.
    """
    if actor.is_admin:
        return True
    if actor.id == person.id:
        return False
    team = person.current_team
    return team is not None and team.id in actor.reviewable_team_ids


def may_see_attendance(actor: Person, session_date: SessionDate) -> bool:
    """The attendance page: the date's trainer, admins, and leads (who see only their own people there).

    Leads only of material they may see: a draft's date is no one's business but its editors'.
    """
    if actor.is_admin or session_date.trainer_id == actor.id:
        return True
    return actor.is_lead and session_date.material.is_visible_to(actor)


def confirms_everyone(actor: Person, session_date: SessionDate) -> bool:
    return actor.is_admin or session_date.trainer_id == actor.id


# Reads ------------------------------------------------------------------------------------------------------
def _standing_on(person_id: int, material_id: int, day: date) -> Completion | None:
    return db.session.scalar(
        select(Completion).where(
            Completion.person_id == person_id,
            Completion.material_id == material_id,
            Completion.completed_on == day,
            Completion.reset_at.is_(None),
        )
    )


def person_completions(person_id: int, material_id: int | None = None) -> Select:
    """A person's completions, standing and reset, newest first, with who recorded and reset them."""
    statement = (
        select(Completion)
        .where(Completion.person_id == person_id)
        .options(
            joinedload(Completion.material),
            joinedload(Completion.recorded_by),
            joinedload(Completion.reset_by),
        )
        .order_by(Completion.completed_on.desc(), Completion.id.desc())
    )
    if material_id is not None:
        statement = statement.where(Completion.material_id == material_id)
    return statement


@dataclass(frozen=True)
class Participant:
    """A person registered for a session date, and their attendance completion if confirmed."""

    person: Person
    team_id: int | None
    completion: Completion | None

    @property
    def confirmed(self) -> bool:
        return self.completion is not None


def participants(session_date: SessionDate, actor: Person) -> list[Participant]:
    """The actively registered people the actor may see on the attendance page, by name; two statements."""
    rows = db.session.execute(
        select(Person, Membership.team_id)
        .join(SessionRegistration, SessionRegistration.person_id == Person.id)
        .outerjoin(Membership, (Membership.person_id == Person.id) & Membership.end_date.is_(None))
        .where(SessionRegistration.session_date_id == session_date.id, SessionRegistration.cancelled_at.is_(None))
        .order_by(Person.name, Person.id)
    ).all()
    if not confirms_everyone(actor, session_date):
        rows = [row for row in rows if row.team_id is not None and row.team_id in actor.reviewable_team_ids]
    if not rows:
        return []
    day = berlin_date(session_date.starts_at)
    done = {
        completion.person_id: completion
        for completion in db.session.scalars(
            select(Completion)
            .options(joinedload(Completion.recorded_by))
            .where(
                Completion.person_id.in_([row.Person.id for row in rows]),
                Completion.material_id == session_date.material_id,
                Completion.completed_on == day,
                Completion.reset_at.is_(None),
            )
        )
    }
    return [Participant(row.Person, row.team_id, done.get(row.Person.id)) for row in rows]


# Writes -----------------------------------------------------------------------------------------------------
def _insert(completion: Completion) -> Completion | None:
    """Insert inside a savepoint; None if a standing record of the person, material and day already exists.

    The unique index decides, so that a double click or two parallel requests give one record.
    """
    try:
        with db.session.begin_nested():
            db.session.add(completion)
    except IntegrityError:
        return None
    return completion


def mark_done(person: Person, material: Material) -> Completion:
    """Mark a published self-study material as done today; a second mark the same day returns the first."""
    if material.status != "published":
        raise ServiceError(_("Nur veröffentlichtes Material kann als erledigt markiert werden."))
    if material.kind not in SELF_STUDY_KINDS:
        raise ServiceError(
            _("Die Teilnahme an Schulungen mit Termin bestätigt die Schulungsleitung oder Ihre Führungskraft.")
        )
    today = berlin_today()
    existing = _standing_on(person.id, material.id, today)
    if existing is not None:
        return existing
    version = material.current_version
    completion = _insert(
        Completion(
            person_id=person.id,
            material_id=material.id,
            material_version_id=version.id if version else None,
            completed_on=today,
            method="self",
            recorded_at=utcnow(),
            recorded_by_id=person.id,
        )
    )
    if completion is None:  # a parallel request was first
        return _standing_on(person.id, material.id, today)
    statistics.completion_added([completion])
    audit(
        "completion_marked",
        completion,
        actor=person,
        label=material.title,
        person=person.email,
        completed_on=today.isoformat(),
        version=version.number if version else None,
    )
    return completion


def undo_own(person: Person, completion: Completion) -> None:
    """Take back one's own mark of today."""
    if (
        completion.person_id != person.id
        or completion.method != "self"
        or completion.completed_on != berlin_today()
        or not completion.standing
    ):
        raise ServiceError(_("Sie können nur Ihre eigene Markierung von heute zurücknehmen."))
    _reset(completion, person, UNDO_REASON)
    audit(
        "completion_undone",
        completion,
        actor=person,
        label=completion.material.title,
        person=person.email,
        completed_on=completion.completed_on.isoformat(),
    )


def _reset(completion: Completion, actor: Person, reason: str) -> None:
    completion.reset_at = utcnow()
    completion.reset_by_id = actor.id
    completion.reset_reason = reason
    db.session.flush()
    statistics.completion_removed([completion])


def _check_manager(actor: Person, person: Person) -> None:
    if not may_manage(actor, person):
        raise ServiceError(_("Sie dürfen die Nachweise dieser Person nicht bearbeiten."))


def record(actor: Person, person: Person, material: Material, completed_on: date | None, note: str) -> Completion:
    """Record a completion on an earlier day (or today) with a note, e.g. for a training taken elsewhere."""
    _check_manager(actor, person)
    note = (note or "").strip()
    if material.status == "draft":
        raise ServiceError(_("Für einen Entwurf kann kein Nachweis erfasst werden."), "material_id")
    if completed_on is None:
        raise ServiceError(_("Bitte geben Sie das Datum an."), "completed_on")
    if completed_on > berlin_today():
        raise ServiceError(_("Das Datum liegt in der Zukunft."), "completed_on")
    if completed_on < EARLIEST_DAY:
        raise ServiceError(_("Bitte geben Sie ein Datum ab dem 01.01.2000 an."), "completed_on")
    if not note:
        raise ServiceError(_("Bitte geben Sie eine Notiz an."), "note")
    taken = _("Für diesen Tag gibt es schon einen Nachweis dieses Materials.")
    if _standing_on(person.id, material.id, completed_on) is not None:
        raise ServiceError(taken, "completed_on")
    version = queries.version_for_day(material.id, completed_on)
    completion = _insert(
        Completion(
            person_id=person.id,
            material_id=material.id,
            material_version_id=version.id if version else None,
            completed_on=completed_on,
            method="recorded",
            note=note,
            recorded_at=utcnow(),
            recorded_by_id=actor.id,
        )
    )
    if completion is None:
        raise ServiceError(taken, "completed_on")
    statistics.completion_added([completion])
    audit(
        "completion_recorded",
        completion,
        actor=actor,
        label=material.title,
        person=person.email,
        completed_on=completed_on.isoformat(),
        version=version.number if version else None,
    )
    return completion


def reset(actor: Person, completion: Completion, reason: str) -> None:
    """Reset a standing completion; the row stays, so the person sees who reset it and why."""
    _check_manager(actor, completion.person)
    reason = (reason or "").strip()
    if not completion.standing:
        raise ServiceError(_("Dieser Nachweis ist schon zurückgesetzt."))
    if not reason:
        raise ServiceError(_("Bitte geben Sie einen Grund an."), "reason")
    _reset(completion, actor, reason)
    audit(
        "completion_reset",
        completion,
        actor=actor,
        label=completion.material.title,
        person=completion.person.email,
        completed_on=completion.completed_on.isoformat(),
        reason=reason,
    )


def confirm_attendance(actor: Person, session_date: SessionDate, person_ids: list[int]) -> list[Completion]:
    """Confirm that registered people attended the date; those already confirmed are left as they are."""
    if not may_see_attendance(actor, session_date):
        raise ServiceError(_("Sie dürfen die Teilnahme an diesem Termin nicht bestätigen."))
    if session_date.cancelled:
        raise ServiceError(_("Für einen abgesagten Termin kann keine Teilnahme bestätigt werden."))
    if session_date.starts_at > utcnow():
        raise ServiceError(_("Die Teilnahme kann erst ab Beginn des Termins bestätigt werden."))
    wanted = set(person_ids)
    if not wanted:
        raise ServiceError(_("Bitte wählen Sie mindestens eine Person aus."), "person_ids")
    visible = {participant.person.id: participant for participant in participants(session_date, actor)}
    if not wanted <= visible.keys():
        raise ServiceError(
            _("Sie können die Teilnahme nur für angemeldete Personen bestätigen, die Sie betreuen."), "person_ids"
        )
    day = berlin_date(session_date.starts_at)
    version = queries.version_for_day(session_date.material_id, day)
    confirmed = []
    for person_id in sorted(wanted):
        if visible[person_id].confirmed:
            continue
        completion = _insert(
            Completion(
                person_id=person_id,
                material_id=session_date.material_id,
                material_version_id=version.id if version else None,
                completed_on=day,
                method="attendance",
                session_date_id=session_date.id,
                recorded_at=utcnow(),
                recorded_by_id=actor.id,
            )
        )
        if completion is not None:
            confirmed.append(completion)
    statistics.completion_added(confirmed)
    if confirmed:
        audit(
            "attendance_confirmed",
            session_date,
            actor=actor,
            label=session_date.material.title,
            starts_at=session_date.starts_at.isoformat(),
            people=[visible[completion.person_id].person.email for completion in confirmed],
        )
    return confirmed
