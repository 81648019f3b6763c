"""Demo news: announcements for everyone and for single departments, one pinned, one scheduled."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from quali_kompass.catalogue.models import Material
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.news.models import NewsItem
from quali_kompass.organisation.models import Department, Person

ALL = None  # for every department

# (title, body, days since publication (negative: scheduled), pinned, departments or ALL, linked material titles)
NEWS = [
    (
        "E-Akte: neue Version ab Montag",
        "Am Montag erhält die E-Akte ein Update. Die wichtigste Änderung: Im **Posteingang** ordnen Sie Dokumente "
        "jetzt über die Schaltfläche *Zuordnen* oben rechts zu.\n\n"
        "- Ihre Lesezeichen und Wiedervorlagen bleiben erhalten.\n"
        "- Am Montag zwischen 7:00 und 8:00 Uhr ist die E-Akte nicht erreichbar.\n\n"
        "Die Anleitung zum Posteingang ist bereits aktualisiert.",
        1,
        True,
        ALL,
        ["E-Akte: Posteingang richtig zuordnen", "E-Akte: Wiedervorlagen anlegen und abarbeiten"],
    ),
    (
        "Neue Anleitung: Videoberatung Schritt für Schritt",
        "Immer mehr Kundinnen und Kunden wünschen sich ein Gespräch per Video. Unsere neue Anleitung zeigt, wie Sie "
        "einen Termin vorbereiten, das Gespräch führen und es danach dokumentieren.\n\n"
        "Für Kundinnen und Kunden gibt es eine **Checkliste**, die Sie mit der Einladung versenden können.",
        3,
        False,
        ALL,
        ["Videoberatung vorbereiten und durchführen", "Videoberatung: Checkliste für Kundinnen und Kunden"],
    ),
    (
        "Erinnerung: jährliche Datenschutz-Unterweisung bis 31. Dezember",
        "Bitte denken Sie an die jährliche Unterweisung zum Datenschutz. Sie dauert etwa 30 Minuten und ist in "
        "Mein Kompass als Pflichtschulung eingetragen.\n\n"
        "Fragen beantwortet die Datenschutzbeauftragte unter [datenschutz@jobcenter-demo.de]"
        "(mailto:datenschutz@jobcenter-demo.de).",
        6,
        False,
        ALL,
        ["Datenschutz im Kundenkontakt: die wichtigsten Regeln", "BA-Lernwelt: Grundschulung Datenschutz"],
    ),
    (
        "Leistungsgewährung: Einkommen aus Minijobs richtig erfassen",
        "In der Leistungsgewährung gibt es derzeit viele Rückfragen zur Anrechnung von Einkommen aus Minijobs. "
        "Die Anleitung für ALLEGRO ist überarbeitet: Sie enthält jetzt ein Rechenbeispiel mit Freibeträgen.\n\n"
        "Im Teamgespräch am Donnerstag gehen wir das Beispiel gemeinsam durch.",
        2,
        False,
        ["Leistungsgewährung"],
        ["ALLEGRO: Einkommen aus Minijob und Teilzeit erfassen"],
    ),
    (
        "Vorsicht: gefälschte E-Mails im Namen der IT",
        "Derzeit kommen E-Mails an, die angeblich von der IT stammen und zur Eingabe des Passworts auffordern. "
        "**Klicken Sie nicht auf die Links.** Melden Sie solche E-Mails bitte über die Schaltfläche "
        "*Phishing melden*.",
        9,
        False,
        ALL,
        ["IT-Sicherheit: Phishing-E-Mails erkennen und melden"],
    ),
    (
        "Serviceportal: Veränderungsmitteilungen ab Januar nur noch digital",
        "Ab Januar gehen Veränderungsmitteilungen aus dem Serviceportal direkt in den Arbeitsvorrat. "
        "Eine kurze Einführung für die Teams der Leistungsgewährung und der Eingangszone folgt.",
        -5,
        False,
        ["Leistungsgewährung", "Eingangszone"],
        ["jobcenter.digital: Veränderungsmitteilungen bearbeiten"],
    ),
]


def load_demo_news(editor: Person) -> int:
    """Add the demo news (departments and materials must exist); return how many."""
    departments = {department.name: department for department in db.session.scalars(select(Department))}
    materials = {material.title: material for material in db.session.scalars(select(Material))}
    now = utcnow()
    for title, body, days_ago, pinned, department_names, material_titles in NEWS:
        db.session.add(
            NewsItem(
                title=title,
                body=body,
                publish_at=now - timedelta(days=days_ago, hours=2),
                pinned=pinned,
                all_departments=department_names is ALL,
                departments=[departments[name] for name in department_names or []],
                materials=[materials[name] for name in material_titles],
                author_id=editor.id,
                created_at=now - timedelta(days=max(days_ago, 0) + 1),
            )
        )
    db.session.flush()
    return len(NEWS)
