"""Demo material for the demo Jobcenter: written guides and links about its digital tools."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from quali_kompass.catalogue.models import Material, MaterialVersion, SessionDate, SessionRegistration, Tool, Topic
from quali_kompass.catalogue.sessions import berlin_to_utc
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Person

ALL = "alle"

# (kind, title, topic, tools, departments, minutes, level, source, status, summary, body or address)
MATERIALS = [
    (
        "document",
        "E-Akte: Posteingang richtig zuordnen",
        "E-Akte Posteingang",
        ["E-Akte"],
        ALL,
        15,
        "basic",
        "inhouse",
        "published",
        "Wie Sie eingescannte Post in der E-Akte der richtigen Bedarfsgemeinschaft zuordnen.",
        "## Worum es geht\n\nJeden Morgen liegt neue Post im **Posteingang** der E-Akte. Damit nichts liegen bleibt, "
        "ordnen Sie jedes Dokument am selben Tag zu.\n\n## So gehen Sie vor\n\n1. Öffnen Sie den Posteingang Ihres "
        "Teams.\n2. Prüfen Sie die Nummer der Bedarfsgemeinschaft auf dem Dokument.\n3. Wählen Sie *Zuordnen* und "
        "geben Sie die Nummer ein.\n4. Vergeben Sie die passende Dokumentenart.\n\n> Tipp: Unleserliche Scans geben "
        "Sie an die Scanstelle zurück, statt sie zuzuordnen.",
    ),
    (
        "document",
        "E-Akte: Dokumente schnell finden",
        "E-Akte Grundlagen",
        ["E-Akte"],
        ALL,
        10,
        "basic",
        "inhouse",
        "published",
        "Suchen, filtern und Lesezeichen setzen: So finden Sie Dokumente in der E-Akte in Sekunden.",
        "## Die Suche\n\nGeben Sie im Suchfeld die Nummer der Bedarfsgemeinschaft oder einen Namen ein. Mit dem "
        "Filter *Dokumentenart* grenzen Sie die Treffer ein.\n\n## Lesezeichen\n\nHäufig gebrauchte Akten merken Sie "
        "sich mit dem Stern oben rechts.",
    ),
    (
        "document",
        "Videoberatung vorbereiten und durchführen",
        "Videoberatung",
        ["Videokommunikation"],
        ["Markt und Integration", "U25 / Jugendhaus"],
        20,
        "basic",
        "inhouse",
        "published",
        "Vom Termin bis zum Gesprächsende: eine Videoberatung mit Kundinnen und Kunden sicher durchführen.",
        "## Vor dem Termin\n\n- Senden Sie den Einladungslink über das Serviceportal.\n- Prüfen Sie Kamera und "
        "Headset.\n\n## Im Gespräch\n\nBegrüßen Sie die Person und fragen Sie, ob sie Sie gut hört. Erklären Sie, "
        "dass nichts aufgezeichnet wird.\n\n## Danach\n\nDokumentieren Sie das Gespräch wie ein Gespräch vor Ort.",
    ),
    (
        "document",
        "Verschlüsselte E-Mail an Kundinnen und Kunden senden",
        "Verschlüsselte E-Mail",
        ["Verschlüsselte E-Mail"],
        ALL,
        10,
        "basic",
        "inhouse",
        "published",
        "Wann Sie verschlüsselt senden müssen und wie es in drei Schritten gelingt.",
        "## Wann verschlüsseln?\n\nImmer, wenn die E-Mail **Sozialdaten** enthält.\n\n## So geht es\n\n1. Neue "
        "E-Mail schreiben.\n2. Im Menü *Optionen* die Verschlüsselung wählen.\n3. Senden. Die Person erhält einen "
        "Link zum sicheren Postfach.",
    ),
    (
        "document",
        "jobcenter.digital: Anträge aus dem Serviceportal bearbeiten",
        "jobcenter.digital",
        ["Serviceportal jobcenter.digital", "E-Akte"],
        ["Leistungsgewährung", "Eingangszone"],
        25,
        "advanced",
        "inhouse",
        "published",
        "Online gestellte Anträge übernehmen, prüfen und fehlende Unterlagen digital anfordern.",
        "## Eingang prüfen\n\nOnline-Anträge erscheinen im Arbeitsvorrat *Serviceportal*. Prüfen Sie zuerst, ob alle "
        "Pflichtangaben vorhanden sind.\n\n## Unterlagen nachfordern\n\nFehlende Nachweise fordern Sie direkt im "
        "Portal an. Die Frist setzt das System automatisch.",
    ),
    (
        "document",
        "VerBIS: Bewerberprofil anlegen",
        "VerBIS",
        ["VerBIS"],
        ["Markt und Integration", "Arbeitgeber-Service"],
        30,
        "basic",
        "inhouse",
        "published",
        "Ein vollständiges Bewerberprofil ist die Grundlage für gute Vermittlungsvorschläge.",
        "## Pflichtangaben\n\nBerufserfahrung, Ausbildung, Mobilität und Arbeitszeitwunsch.\n\n## Stärken "
        "beschreiben\n\nFormulieren Sie Stärken gemeinsam mit der Person und in ihren Worten.",
    ),
    (
        "document",
        "ALLEGRO: Weiterbewilligung erfassen",
        "ALLEGRO",
        ["ALLEGRO"],
        ["Leistungsgewährung"],
        30,
        "advanced",
        "inhouse",
        "published",
        "Den Weiterbewilligungsantrag in ALLEGRO erfassen und typische Fehler vermeiden.",
        "## Vorbereitung\n\nLegen Sie den Antrag und die Nachweise aus der E-Akte bereit.\n\n## Typische Fehler\n\n- "
        "Geänderte Unterkunftskosten nicht übernommen\n- Einkommen im falschen Monat erfasst",
    ),
    (
        "document",
        "Datenschutz im Kundenkontakt: die wichtigsten Regeln",
        "Datenschutz und Informationssicherheit",
        ["Verschlüsselte E-Mail", "E-Akte"],
        ALL,
        15,
        "basic",
        "inhouse",
        "published",
        "Was Sie am Telefon, am Schalter und per E-Mail sagen dürfen – und was nicht.",
        "## Am Telefon\n\nGeben Sie Auskunft erst, wenn Sie die Person sicher erkannt haben.\n\n## Am Schalter\n\n"
        "Achten Sie darauf, dass andere Wartende nicht mithören können.",
    ),
    (
        "link",
        "BA-Lernwelt: E-Learning E-Akte Grundlagen",
        "E-Akte Grundlagen",
        ["E-Akte"],
        ALL,
        45,
        "basic",
        "ba",
        "published",
        "Das zentrale E-Learning der Bundesagentur für Arbeit zur E-Akte, mit Übungen.",
        "https://lernwelt.ba.example/e-akte-grundlagen",
    ),
    (
        "link",
        "BA-Lernwelt: Grundschulung Datenschutz",
        "Datenschutz und Informationssicherheit",
        [],
        ALL,
        60,
        "basic",
        "ba",
        "published",
        "Die jährliche Datenschutz-Grundschulung der Bundesagentur für Arbeit.",
        "https://lernwelt.ba.example/datenschutz-grundschulung",
    ),
    (
        "link",
        "Serviceportal jobcenter.digital: Hilfe für Kundinnen und Kunden",
        "jobcenter.digital",
        ["Serviceportal jobcenter.digital"],
        ["Eingangszone", "Leistungsgewährung", "U25 / Jugendhaus"],
        5,
        "basic",
        "ba",
        "published",
        "Die öffentlichen Hilfeseiten, auf die Sie Kundinnen und Kunden verweisen können.",
        "https://www.jobcenter.digital",
    ),
    (
        "document",
        "Termine über den Online-Kalender vergeben",
        "jobcenter.digital",
        ["Serviceportal jobcenter.digital"],
        ["Eingangszone"],
        10,
        "basic",
        "inhouse",
        "draft",
        "Entwurf: Freie Termine für Kundinnen und Kunden im Online-Kalender freigeben.",
        "## In Arbeit\n\nDiese Anleitung wird gerade geschrieben.",
    ),
    (
        "document",
        "E-Akte: Scannen am Arbeitsplatz (bis 2025)",
        "E-Akte Posteingang",
        ["E-Akte"],
        ALL,
        10,
        "basic",
        "inhouse",
        "archived",
        "Alte Anleitung für das Scannen am Arbeitsplatz; ersetzt durch die Scanstelle.",
        "## Hinweis\n\nSeit 2026 scannt die zentrale Scanstelle.",
    ),
]


def load_demo_catalogue(editor: Person) -> int:
    """Add the demo materials (topics and tools must exist); return how many."""
    topics = {topic.name: topic for topic in db.session.scalars(select(Topic))}
    tools = {tool.name: tool for tool in db.session.scalars(select(Tool))}
    departments = {department.name: department for department in db.session.scalars(select(Department))}
    now = utcnow()
    for index, row in enumerate(MATERIALS):
        kind, title, topic, tool_names, department_names, minutes, level, source, status, summary, content = row
        material = Material(
            kind=kind,
            title=title,
            summary=summary,
            topic=topics[topic],
            tools=[tools[name] for name in tool_names],
            all_departments=department_names == ALL,
            departments=[] if department_names == ALL else [departments[name] for name in department_names],
            duration_minutes=minutes,
            level=level,
            source=source,
            status=status,
            body=content if kind == "document" else "",
            external_url=content if kind == "link" else "",
            contact_name=editor.name,
            contact_email=editor.email,
            last_reviewed=date.today() - timedelta(days=30 + index * 11),
            created_by_id=editor.id,
        )
        if status != "draft":
            published = now - timedelta(days=90 - index * 5)
            material.published_at = published
            material.versions = [
                MaterialVersion(
                    number=1, change_note="Erste Veröffentlichung", published_at=published, published_by_id=editor.id
                )
            ]
        db.session.add(material)
    db.session.flush()
    return len(MATERIALS) + load_demo_sessions(editor, topics, tools, departments)


# (title, topic, tools, departments, minutes, summary, place, online link,
#  dates as (days from today, start, end, capacity, registrations))
SESSIONS = [
    (
        "Präsenzschulung E-Akte für neue Mitarbeiter:innen",
        "E-Akte Grundlagen",
        ["E-Akte"],
        ALL,
        180,
        "Drei Stunden E-Akte in der Gruppe: Posteingang, Suche und Aktenführung an echten Übungsfällen.",
        "Schulungsraum 2.04, Haus A",
        "",
        [(-14, time(9), time(12), 12, 9), (7, time(9), time(12), 12, 5), (21, time(9), time(12), 12, 1)],
    ),
    (
        "Webinar: Videoberatung in der Praxis",
        "Videoberatung",
        ["Videokommunikation"],
        ["Markt und Integration", "U25 / Jugendhaus"],
        90,
        "Erfahrene Kolleginnen zeigen, wie Videoberatungen gelingen; mit Zeit für Ihre Fragen.",
        "",
        "https://video.jobcenter-demo.example/webinar-videoberatung",
        [(3, time(14, 30), time(16), 8, 7), (17, time(14, 30), time(16), 20, 2)],
    ),
]


def load_demo_sessions(editor: Person, topics: dict, tools: dict, departments: dict) -> int:
    """Add published sessions with dates around today, some registrations and one nearly full date."""
    people = db.session.scalars(select(Person).where(Person.active.is_(True)).order_by(Person.id).limit(20)).all()
    now = utcnow()
    for title, topic, tool_names, department_names, minutes, summary, place, online_url, dates in SESSIONS:
        published = now - timedelta(days=30)
        material = Material(
            kind="session",
            title=title,
            summary=summary,
            topic=topics[topic],
            tools=[tools[name] for name in tool_names],
            all_departments=department_names == ALL,
            departments=[] if department_names == ALL else [departments[name] for name in department_names],
            duration_minutes=minutes,
            status="published",
            contact_name=editor.name,
            contact_email=editor.email,
            created_by_id=editor.id,
            published_at=published,
            versions=[
                MaterialVersion(
                    number=1, change_note="Erste Veröffentlichung", published_at=published, published_by_id=editor.id
                )
            ],
        )
        for days, start, end, capacity, registered in dates:
            day = date.today() + timedelta(days=days)
            session_date = SessionDate(
                starts_at=berlin_to_utc(day, start),
                ends_at=berlin_to_utc(day, end),
                place=place,
                online_url=online_url,
                capacity=capacity,
                note="Bitte bringen Sie Ihre Zugangsdaten mit." if place else "",
                registrations=[
                    SessionRegistration(person=person, registered_at=published) for person in people[:registered]
                ],
            )
            material.session_dates.append(session_date)
        db.session.add(material)
    db.session.flush()
    return len(SESSIONS)
