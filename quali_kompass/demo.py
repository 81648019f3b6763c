"""The demo Jobcenter: six departments, eight teams, about sixty people with leads and roles."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from quali_kompass.accounts.passwords import generate_password, hash_password
from quali_kompass.catalogue.models import Tool, Topic
from quali_kompass.curricula.status import berlin_today
from quali_kompass.demo_catalogue import load_demo_catalogue
from quali_kompass.demo_curricula import load_demo_curricula
from quali_kompass.demo_feedback import load_demo_feedback
from quali_kompass.demo_needs import load_demo_needs
from quali_kompass.demo_news import load_demo_news
from quali_kompass.demo_surveys import load_demo_surveys
from quali_kompass.extensions import db
from quali_kompass.notifications.services import daily_run
from quali_kompass.organisation.models import Department, Membership, Person, Team
from quali_kompass.statistics.services import rebuild as statistics_rebuild

DOMAIN = "jobcenter-demo.de"

TEAMS = {
    "Eingangszone": ["Empfang und Terminierung"],
    "Leistungsgewährung": ["Leistung Team 1", "Leistung Team 2"],
    "Markt und Integration": ["Integration Nord", "Integration Süd"],
    "Arbeitgeber-Service": ["Arbeitgeber-Service"],
    "U25 / Jugendhaus": ["Jugendberatung"],
    "Interner Service": ["Organisation und IT"],
}

FIRST_NAMES = [
    "Anna",
    "Ben",
    "Clara",
    "David",
    "Elif",
    "Finn",
    "Greta",
    "Hannes",
    "Ida",
    "Jonas",
    "Katharina",
    "Lukas",
    "Mara",
    "Niklas",
    "Olga",
    "Paul",
    "Ronja",
    "Sven",
    "Tanja",
    "Ulrich",
    "Vera",
    "Wolfgang",
    "Yasemin",
    "Zoe",
    "Andreas",
    "Birgit",
    "Christian",
    "Doris",
    "Emre",
    "Frauke",
    "Georg",
    "Heike",
    "Ingo",
    "Jana",
    "Kerstin",
    "Leon",
    "Monika",
    "Nadine",
    "Oliver",
    "Petra",
    "Rainer",
    "Sabine",
    "Thomas",
    "Ute",
    "Volker",
    "Marlene",
    "Jürgen",
    "Sönke",
    "Aylin",
    "Dirk",
    "Gül",
    "Henrik",
    "Inge",
    "Jan",
    "Karin",
    "Lars",
    "Maren",
    "Nils",
    "Renate",
    "Stefan",
    "Sophie",
    "Torsten",
]
LAST_NAMES = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Krause",
    "Meier",
    "Lehmann",
    "Schmid",
    "Schulze",
    "Maier",
    "Köhler",
    "Herrmann",
    "König",
    "Walter",
    "Mayer",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
    "Scholz",
    "Möller",
    "Weiß",
    "Jung",
    "Hahn",
    "Vogel",
    "Friedrich",
    "Keller",
    "Günther",
    "Frank",
    "Berger",
    "Winkler",
    "Roth",
    "Beck",
    "Lorenz",
    "Baumann",
    "Franke",
    "Albrecht",
    "Schuster",
    "Yılmaz",
    "Kaya",
    "Nowak",
]

TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ğ": "g", "ş": "s"})


def _email(name: str, taken: set[str]) -> str:
    first, last = name.lower().translate(TRANSLITERATION).split(" ", 1)
    local = f"{first}.{last}".replace(" ", "-")
    email, n = f"{local}@{DOMAIN}", 2
    while email in taken:
        email, n = f"{local}{n}@{DOMAIN}", n + 1
    taken.add(email)
    return email


def load_demo(people_per_team: int = 7) -> list[tuple[str, str, str]]:
    """Add the demo organisation to the session; return (role, e-mail, password) of the demo logins."""
    rng = random.Random(2026)  # nosec B311  # seeded for reproducible demo data, never for secrets
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(names)
    taken: set[str] = set()
    start = berlin_today() - timedelta(days=400)
    members: dict[str, list[Person]] = {}
    teams: dict[str, Team] = {}
    heads: dict[str, Person] = {}

    def person(team: Team, **extra) -> Person:
        name = names.pop()
        new = Person(name=name, email=_email(name, taken), personnel_number=f"{len(taken):05d}", **extra)
        db.session.add(new)
        db.session.add(Membership(person=new, team=team, start_date=start))
        members[team.name].append(new)
        return new

    for department_name, team_names in TEAMS.items():
        department = Department(name=department_name)
        db.session.add(department)
        for team_name in team_names:
            team = teams[team_name] = Team(name=team_name, department=department)
            members[team_name] = []
            team.leads.append(person(team))
            for _ in range(people_per_team - 1):
                person(team)
        heads[department_name] = head = person(teams[team_names[0]])
        department.heads.append(head)

    # One lead leads two teams; one team has two leads.
    teams["Leistung Team 2"].leads.append(teams["Leistung Team 1"].leads[0])
    teams["Integration Nord"].leads.append(members["Integration Nord"][1])
    admin = person(teams["Organisation und IT"], is_admin=True)
    editor = person(teams["Organisation und IT"], is_editor=True)
    auditor = person(teams["Leistung Team 1"], is_auditor=True)
    person(teams["Arbeitgeber-Service"], active=False)
    _move(members["Integration Süd"][2], teams["Integration Nord"], start + timedelta(days=200))
    db.session.flush()

    demo_logins = [
        ("Administration", admin),
        ("Redaktion", editor),
        ("Datenschutz / Personalrat", auditor),
        ("Fachbereichsleitung", heads["Leistungsgewährung"]),
        ("Führungskraft", teams["Leistung Team 1"].leads[0]),
        ("Beschäftigte", members["Empfang und Terminierung"][1]),
    ]
    logins = []
    for role, login in demo_logins:
        password = generate_password()
        login.password_hash = hash_password(password)
        logins.append((role, login.email, password))
    load_demo_taxonomy()
    load_demo_catalogue(editor)
    load_demo_news(editor)
    db.session.flush()
    load_demo_curricula(admin)
    load_demo_needs()
    load_demo_surveys(editor)
    load_demo_feedback()
    db.session.flush()
    # Today's reminders, so that the demo people find notifications in the app (sent by mail with send-reminders).
    daily_run(berlin_today())
    # The statistics' tables from the demo records, with a year of month-ends for the trend.
    statistics_rebuild(berlin_today(), backfill_months=11)
    return logins


# Main topics and their subtopics (Themen, two levels).
DEMO_TOPICS = {
    "Digitale Akte": ["E-Akte Grundlagen", "E-Akte Posteingang"],
    "Kommunikation": ["Videoberatung", "Verschlüsselte E-Mail"],
    "Fachverfahren": ["VerBIS", "ALLEGRO"],
    "Online-Services": ["jobcenter.digital"],
    "Datenschutz und Informationssicherheit": ["Datenschutz", "IT-Sicherheit"],
    "Barrierefreiheit": ["Verständliche Sprache", "Barrierefreie Dokumente"],
}

DEMO_TOOLS = {
    "E-Akte": "Elektronische Akte: Posteingang, Aktenführung und Bearbeitung ohne Papier.",
    "VerBIS": "Vermittlungs-, Beratungs- und Informationssystem der BA für die Arbeitsvermittlung.",
    "ALLEGRO": "Fachverfahren für die Berechnung und Zahlung des Bürgergelds (SGB II).",
    "Videokommunikation": "Beratungsgespräche per Video mit Kundinnen und Kunden.",
    "Serviceportal jobcenter.digital": "Online-Anträge, Veränderungsmitteilungen und Postfach für Kundschaft.",
    "Verschlüsselte E-Mail": "Vertrauliche Nachrichten an Kundinnen, Kunden und Partner sicher versenden.",
    "Jobbörse der BA": "Stellenangebote und Bewerberprofile der Bundesagentur für Arbeit.",
}


def load_demo_taxonomy() -> tuple[dict[str, Topic], dict[str, Tool]]:
    """Add the demo topics and tools to the session; return them by name (subtopics as "Main › Sub")."""
    topics: dict[str, Topic] = {}
    for main_name, sub_names in DEMO_TOPICS.items():
        main = topics[main_name] = Topic(name=main_name)
        for sub_name in sub_names:
            topics[f"{main_name} › {sub_name}"] = Topic(name=sub_name, parent=main)
    tools = {name: Tool(name=name, description=description) for name, description in DEMO_TOOLS.items()}
    db.session.add_all([*topics.values(), *tools.values()])
    db.session.flush()
    return topics, tools


def _move(person: Person, new: Team, on: date) -> None:
    """Give a demo person a history: a move to another team."""
    current = next(m for m in person.memberships if m.end_date is None)
    current.end_date = on - timedelta(days=1)
    db.session.flush()
    db.session.add(Membership(person=person, team=new, start_date=on))


def write_logins(logins: list[tuple[str, str, str]], filename: str) -> Path:
    """Keep the demo logins in a file only the owner can read."""
    path = Path(filename)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["Quali-Kompass – Demo-Zugänge (nur für die Demo-Datenbank)", ""]
    lines += [f"{role:<28} {email:<42} {password}" for role, email, password in logins]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path
