"""Demo qualification needs: about twenty across the departments, some answered, met or declined.

Deterministic: the same people (by their order in the team), texts and answers every time; dates relative to today.
The needs are stated and answered through the services, so the audit log and the notifications are as in real use.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quali_kompass.catalogue.models import Material, Tool, Topic
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.needs import services
from quali_kompass.organisation.models import Membership, Person, Team

# (team, who: the n-th current member by id or "lead" for a need of the whole team, tool, topic as
# "Main › Sub", text, urgency, days ago, answer: None or (state, material titles, reply))
NEEDS = [
    ("Leistung Team 1", 2, "E-Akte", "Digitale Akte › E-Akte Grundlagen",
     "Serienbriefe in der E-Akte erstellen und an mehrere Bedarfsgemeinschaften versenden", "high", 40,
     ("in_progress", [], "Wir erstellen dazu eine Klickstrecke. Sie ist voraussichtlich im nächsten Monat fertig.")),
    ("Leistung Team 2", 3, "E-Akte", "Digitale Akte › E-Akte Grundlagen",
     "Serienbriefe aus der E-Akte – wie geht das?", "medium", 25, None),
    ("Leistung Team 1", "lead", "E-Akte", None,
     "Serienbriefe und Textbausteine in der E-Akte für das ganze Team", "high", 20, None),
    ("Integration Nord", 2, "Videokommunikation", "Kommunikation › Videoberatung",
     "Videoberatung mit Dolmetscher: Wie hole ich eine dritte Person ins Gespräch?", "high", 30, None),
    ("Integration Süd", 1, "Videokommunikation", "Kommunikation › Videoberatung",
     "Videoberatung mit Sprachmittlung – Ablauf und Datenschutz", "medium", 18, None),
    ("Jugendberatung", 2, "Videokommunikation", None,
     "Videoberatung vorbereiten: Was muss ich der Kundin vorher schicken?", "low", 60,
     ("met", ["Videoberatung vorbereiten und durchführen", "Videoberatung: Checkliste für Kundinnen und Kunden"],
      "Beide Angebote beantworten Ihre Frage. Viel Erfolg bei Ihrer ersten Videoberatung!")),
    ("Empfang und Terminierung", 1, "Serviceportal jobcenter.digital", "Online-Services › jobcenter.digital",
     "Kundinnen und Kunden bei der Registrierung im Serviceportal helfen", "medium", 35,
     ("met", ["jobcenter.digital: Kundinnen und Kunden bei der Registrierung unterstützen"],
      "Diese Anleitung gibt es seit Kurzem. Sagen Sie gern Bescheid, wenn etwas fehlt.")),
    ("Empfang und Terminierung", 1, None, None,
     "Schwierige Gespräche am Empfang ruhig und sicher führen", "high", 10,
     ("in_progress", [], "Wir planen dazu einen Workshop im Frühjahr. Die Termine stehen bald im Katalog.")),
    ("Leistung Team 2", 4, "ALLEGRO", "Fachverfahren › ALLEGRO",
     "Einkommen aus selbständiger Tätigkeit in ALLEGRO erfassen (EKS)", "high", 15, None),
    ("Leistung Team 1", 4, "ALLEGRO", "Fachverfahren › ALLEGRO",
     "Vorläufige Bewilligung und abschließende Entscheidung bei Selbständigen", "medium", 50, None),
    ("Arbeitgeber-Service", 2, "VerBIS", "Fachverfahren › VerBIS",
     "Stellenangebote von Arbeitgebern in VerBIS schneller erfassen", "medium", 45,
     ("in_progress", [], "Eine Klickstrecke dazu ist in Arbeit.")),
    ("Arbeitgeber-Service", 3, "Jobbörse der BA", None,
     "Arbeitgeberprofile in der Jobbörse pflegen", "low", 70,
     ("declined", [], "Dafür bietet die BA eine eigene Schulung in der BA-Lernwelt an. Wir erstellen dazu kein "
      "eigenes Angebot; Ihre Führungskraft kann Sie dort anmelden.")),
    ("Integration Nord", 3, "VerBIS", "Fachverfahren › VerBIS",
     "Matching in VerBIS: Suchkriterien sinnvoll einstellen", "medium", 22,
     ("met", ["BA-Lernwelt: VerBIS Aufbaukurs Matching und Stellensuche",
              "Klickstrecke: Passende Stellen in VerBIS finden und vorschlagen"], "")),
    ("Organisation und IT", 2, "Verschlüsselte E-Mail", "Kommunikation › Verschlüsselte E-Mail",
     "Verschlüsselte E-Mails an Träger und Kooperationspartner senden", "medium", 12, None),
    ("Jugendberatung", 3, None, "Datenschutz und Informationssicherheit › Datenschutz",
     "Datenschutz bei Gesprächen mit Eltern von unter 25-Jährigen", "high", 8, None),
    ("Jugendberatung", "lead", "Videokommunikation", "Kommunikation › Videoberatung",
     "Videoberatung für junge Menschen: Chat und Video verbinden", "medium", 28, None),
    ("Integration Süd", 3, None, "Barrierefreiheit › Verständliche Sprache",
     "Eingliederungsvereinbarungen in Leichter Sprache erstellen", "medium", 33, None),
    ("Empfang und Terminierung", 3, None, "Barrierefreiheit › Verständliche Sprache",
     "Bescheide in einfachen Worten erklären", "medium", 14,
     ("met", ["Verständliche Sprache in Schreiben an Kundinnen und Kunden"], "")),
    ("Leistung Team 2", 5, "E-Akte", "Digitale Akte › E-Akte Posteingang",
     "Vertretungsregeln im Team-Posteingang der E-Akte", "low", 5, None),
    ("Organisation und IT", 3, None, "Datenschutz und Informationssicherheit › IT-Sicherheit",
     "Woran erkenne ich gefälschte E-Mails?", "low", 90,
     ("met", ["IT-Sicherheit: Phishing-E-Mails erkennen und melden"], "")),
    ("Integration Nord", "lead", "VerBIS", None,
     "Beratungsvermerke in VerBIS: Auffrischung für das ganze Team", "medium", 9,
     ("met", ["VerBIS: Beratungsvermerke datenschutzgerecht schreiben"],
      "Die Anleitung eignet sich gut für eine Teambesprechung.")),
]  # fmt: skip


def load_demo_needs() -> int:
    """State and answer the demo needs (after the organisation, taxonomy and catalogue); return how many."""
    teams = {team.name: team for team in db.session.scalars(select(Team).options(selectinload(Team.leads)))}
    members: dict[int, list[Person]] = {}
    for membership in db.session.scalars(
        select(Membership).where(Membership.end_date.is_(None)).order_by(Membership.person_id)
    ):
        members.setdefault(membership.team_id, []).append(membership.person)
    tools = {tool.name: tool.id for tool in db.session.scalars(select(Tool))}
    topics = {topic.label: topic.id for topic in db.session.scalars(select(Topic).options(selectinload(Topic.parent)))}
    titles = {title for *_, answer in NEEDS if answer for title in answer[1]}
    materials = dict(db.session.execute(select(Material.title, Material.id).where(Material.title.in_(titles))).all())
    editor = db.session.scalars(select(Person).where(Person.is_editor.is_(True)).order_by(Person.id)).first()
    today = utcnow()
    for team_name, who, tool, topic, text, urgency, days_ago, answer in NEEDS:
        team = teams[team_name]
        person = team.leads[0] if who == "lead" else members[team.id][who]
        need = services.state_need(
            person,
            tool_id=tools[tool] if tool else None,
            topic_id=topics[topic] if topic else None,
            text=text,
            urgency=urgency,
            team_id=team.id if who == "lead" else None,
        )
        need.created_at = today - timedelta(days=days_ago, hours=len(text) % 7)
        if answer is not None and editor is not None:
            state, material_titles, reply = answer
            services.answer(need, editor, state, [materials[title] for title in material_titles], reply)
            need.answered_at = need.created_at + timedelta(days=max(1, days_ago // 3))
    db.session.flush()
    return len(NEEDS)
