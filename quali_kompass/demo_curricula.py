"""Demo curricula: requirements for the organisation, each department and one team; completions over two years,
attendance confirmations for past session dates, and plan items in every state.

Deterministic (a fixed seed) and relative to today, so that the demo always shows overdue, expired, renewal-due
and done items.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quali_kompass.catalogue.models import Material, SessionDate, SessionRegistration
from quali_kompass.curricula.models import Completion, PlanItem, Requirement, RequirementRule
from quali_kompass.curricula.status import berlin_today
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Membership, Person, Team

SEED = 2026

# (material title, scope, department or team name, rule); rules are relative to today where they hold a date.
ORGANISATION = [
    ("Datenschutz im Kundenkontakt: die wichtigsten Regeln", {"due_days": 60, "yearly": (1, 31)}),
    ("IT-Sicherheit: Phishing-E-Mails erkennen und melden", {"due_days": 30, "months": 12}),
]
DEPARTMENTS = {
    "Eingangszone": [("E-Akte: Dokumente schnell finden", {"due_days": 30})],
    "Leistungsgewährung": [
        ("E-Akte: Posteingang richtig zuordnen", {"due_days": 30}),
        ("ALLEGRO: Weiterbewilligung erfassen", {"due_days": 60, "months": 24}),
    ],
    "Markt und Integration": [
        ("E-Akte: Wiedervorlagen anlegen und abarbeiten", {"due_days": 30}),
        ("VerBIS: Bewerberprofil anlegen", {"due_in": 10}),  # by a fixed date, ten days from today
    ],
    "Arbeitgeber-Service": [("VerBIS: Arbeitgeberkontakte dokumentieren", {"due_days": 60})],
    "U25 / Jugendhaus": [("Videoberatung vorbereiten und durchführen", {"due_days": 60})],
    "Interner Service": [("Barrierefreie PDF-Dokumente erstellen", {"due_days": 90})],
}
TEAMS = {"Leistung Team 1": [("ALLEGRO: Einkommen aus Minijob und Teilzeit erfassen", {"due_days": 45})]}
# Sessions whose past dates get attendance confirmed by the participants' leads.
ATTENDED = ("Präsenzschulung E-Akte für neue Mitarbeiter:innen", "Workshop: Datenschutz im Jobcenter-Alltag")
PLAN_WISHES = [
    ("Videoberatung: Was tun bei technischen Störungen?", "", "Ich berate ab nächstem Monat auch per Video."),
    ("BA-Lernwelt: VerBIS Aufbaukurs Matching und Stellensuche", "", "Für die Arbeit mit Arbeitgebern."),
    ("Verständliche Sprache in Schreiben an Kundinnen und Kunden", "", "Viele Rückfragen zu unseren Schreiben."),
    (None, "Excel-Aufbaukurs für Auswertungen", "Ich erstelle die Monatsstatistik des Teams."),
    ("Barrierefreie PDF-Dokumente erstellen", "", "Ich pflege die Merkblätter unseres Teams."),
    (None, "Hospitation im Arbeitgeber-Service", "Um Stellenangebote besser zu verstehen."),
    ("BA-Lernwelt: ALLEGRO – Einkommen richtig anrechnen", "", "Einkommen aus Minijobs ist oft strittig."),
    ("IT-Sicherheit: Sicher arbeiten im Homeoffice", "", "Ich arbeite zwei Tage pro Woche mobil."),
]


def _rule(valid_from: date, spec: dict, today: date) -> RequirementRule:
    rule = RequirementRule(valid_from=valid_from, renewal_window_days=30)
    if "due_in" in spec:
        rule.due_kind, rule.due_date = "date", today + timedelta(days=spec["due_in"])
    else:
        rule.due_kind, rule.due_days = "days", spec["due_days"]
    if "months" in spec:
        rule.recertification, rule.recert_months = "months", spec["months"]
    elif "yearly" in spec:
        rule.recertification, (rule.recert_month, rule.recert_day) = "yearly", spec["yearly"]
    else:
        rule.recertification = "none"
    return rule


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(11), tzinfo=UTC)


def load_demo_curricula(admin: Person, today: date | None = None) -> dict[str, int]:
    """Add requirements, completions and plan items to the session; return how many of each."""
    today = today or berlin_today()
    rng = random.Random(SEED)  # nosec B311  # seeded for reproducible demo data, never for secrets
    since = today - timedelta(days=400)  # when the demo organisation started
    titles = {title for title, _ in ORGANISATION}
    titles |= {title for specs in [*DEPARTMENTS.values(), *TEAMS.values()] for title, _ in specs}
    titles |= {title for title, _, _ in PLAN_WISHES if title}
    materials = {
        material.title: material
        for material in db.session.scalars(
            select(Material).where(Material.title.in_(titles)).options(selectinload(Material.versions))
        )
    }
    departments = {department.name: department for department in db.session.scalars(select(Department))}
    teams = {team.name: team for team in db.session.scalars(select(Team).options(selectinload(Team.leads)))}

    requirements: list[tuple[Requirement, dict]] = []

    def require(title: str, spec: dict, **scope) -> None:
        requirement = Requirement(
            material=materials[title],
            effective_from=since,
            created_by=admin,
            rules=[_rule(since, spec, today)],
            **scope,
        )
        db.session.add(requirement)
        requirements.append((requirement, spec))

    for title, spec in ORGANISATION:
        require(title, spec, scope="organisation")
    for name, specs in DEPARTMENTS.items():
        for title, spec in specs:
            require(title, spec, scope="department", department=departments[name])
    for name, specs in TEAMS.items():
        for title, spec in specs:
            require(title, spec, scope="team", team=teams[name])

    # The people with their current team, in a stable order.
    rows = db.session.execute(
        select(Person, Membership.team_id)
        .join(Membership, (Membership.person_id == Person.id) & Membership.end_date.is_(None))
        .where(Person.active.is_(True))
        .order_by(Person.id)
    ).all()
    team_by_id = {team.id: team for team in teams.values()}
    completions = 0
    for person, team_id in rows:
        team = team_by_id[team_id]
        recorder = next((lead for lead in team.leads if lead.id != person.id), admin)
        for requirement, spec in requirements:
            if requirement.scope == "department" and requirement.department is not team.department:
                continue
            if requirement.scope == "team" and requirement.team is not team:
                continue
            day = _completion_day(rng, spec, today)
            if day is None:
                continue
            material = requirement.material
            recorded = rng.random() < 0.2
            db.session.add(
                Completion(
                    person=person,
                    material=material,
                    material_version=material.versions[0] if material.versions and not recorded else None,
                    completed_on=day,
                    method="recorded" if recorded else "self",
                    note="Schulung beim Bildungsträger" if recorded else "",
                    recorded_at=_noon(day),
                    recorded_by=recorder if recorded else person,
                )
            )
            completions += 1
    completions += _confirm_attendance(today, team_by_id)
    plan_items = _plan_items(rng, rows, team_by_id, materials, today)
    db.session.flush()
    return {"requirements": len(requirements), "completions": completions, "plan_items": plan_items}


def _completion_day(rng: random.Random, spec: dict, today: date) -> date | None:
    """Most people are done; some are in the renewal window, some have expired, some never completed."""
    roll = rng.random()
    expires = "months" in spec or "yearly" in spec
    if roll < 0.09:
        return None  # overdue (or still open before a fixed date)
    if "due_in" in spec and roll < 0.35:
        return None  # the fixed date is ten days away: many still have it to do
    if expires and roll < 0.17:
        return today - timedelta(days=rng.randint(400, 700))  # expired
    if "months" in spec and roll < 0.27:
        months = spec["months"]
        return today - timedelta(days=months * 30 + rng.randint(-12, 2))  # within the renewal window
    if "yearly" in spec:
        # Before this year's deadline (or last year's): completions from the last ten months.
        return today - timedelta(days=rng.randint(5, 300))
    return today - timedelta(days=rng.randint(5, 330))


def _confirm_attendance(today: date, team_by_id: dict[int, Team]) -> int:
    """The leads confirm the attendance of most people registered for past session dates."""
    registrations = db.session.execute(
        select(SessionRegistration, SessionDate, Membership.team_id)
        .join(SessionDate, SessionDate.id == SessionRegistration.session_date_id)
        .join(Material, Material.id == SessionDate.material_id)
        .join(
            Membership,
            (Membership.person_id == SessionRegistration.person_id) & Membership.end_date.is_(None),
        )
        .where(Material.title.in_(ATTENDED), SessionRegistration.cancelled_at.is_(None))
        .order_by(SessionRegistration.id)
    ).all()
    count = 0
    for index, (registration, session_date, team_id) in enumerate(registrations):
        day = session_date.starts_at.date()
        if day >= today or index % 5 == 4:  # one in five did not come
            continue
        leads = [lead for lead in team_by_id[team_id].leads if lead.id != registration.person_id]
        db.session.add(
            Completion(
                person_id=registration.person_id,
                material_id=session_date.material_id,
                completed_on=day,
                method="attendance",
                session_date_id=session_date.id,
                recorded_at=_noon(day + timedelta(days=1)),
                recorded_by=leads[0] if leads else None,
            )
        )
        count += 1
    return count


def _plan_items(rng: random.Random, rows, team_by_id: dict[int, Team], materials: dict, today: date) -> int:
    """Proposals of some people in every state, decided by their leads."""
    states = ["proposed", "approved", "approved", "declined", "withdrawn", "proposed", "approved", "declined"]
    candidates = [(person, team_by_id[team_id]) for person, team_id in rows if team_by_id[team_id].leads]
    chosen = rng.sample(candidates, min(len(candidates), len(PLAN_WISHES)))
    for (person, team), (title, wish, reason), state in zip(chosen, PLAN_WISHES, states, strict=False):
        lead = next((lead for lead in team.leads if lead.id != person.id), None)
        if lead is None:
            state = "proposed"
        proposed = today - timedelta(days=rng.randint(3, 90))
        item = PlanItem(
            person=person,
            material=materials.get(title) if title else None,
            wish=wish,
            reason=reason,
            state=state,
            proposed_at=_noon(proposed),
        )
        if state in ("approved", "declined"):
            item.decided_by, item.decided_at = lead, _noon(proposed + timedelta(days=2))
        if state == "approved":
            item.target_date = today + timedelta(days=rng.randint(20, 120))
            item.decision_note = "Passt gut zu Ihren Aufgaben."
        if state == "declined":
            item.decision_note = "In diesem Quartal leider nicht möglich; bitte im nächsten erneut vorschlagen."
        db.session.add(item)
    return len(chosen)
