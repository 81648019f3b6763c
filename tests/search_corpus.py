"""A German test corpus for the catalogue search: 216 generated materials and a few hand-written ones.

The generated materials combine six tools with six tasks and six kinds of material, so that every query word
occurs in many of them; the hand-written ones each carry one rare word that a query of the fixed query set in
``tests/test_search.py`` must find. Everything is deterministic: the same ids and texts on every run and database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

from quali_kompass.catalogue.models import GuideStep, Material, MaterialVersion, Tool, Topic
from quali_kompass.database import utcnow
from quali_kompass.extensions import db

TOOLS = {
    "E-Akte": "Digitale Akte",
    "VerBIS": "Vermittlung",
    "ALLEGRO": "Leistungsrecht",
    "Videokommunikation": "Beratung",
    "Serviceportal jobcenter.digital": "Online-Dienste",
    "verschlüsselte E-Mail": "IT-Sicherheit",
}
TASKS = {
    "E-Akte": [
        "Posteingang bearbeiten",
        "Dokumente scannen und zuordnen",
        "Akteneinsicht gewähren",
        "Wiedervorlage anlegen",
        "Aktenzeichen suchen",
        "Vorgänge abschließen",
    ],
    "VerBIS": [
        "Bewerberprofil anlegen",
        "Vermittlungsvorschlag erstellen",
        "Stellenangebote erfassen",
        "Eingliederungsvereinbarung dokumentieren",
        "Beratungsvermerk schreiben",
        "Kooperationsplan pflegen",
    ],
    "ALLEGRO": [
        "Bescheid erstellen",
        "Zahlungsanordnung prüfen",
        "Leistungsantrag erfassen",
        "Änderungsbescheid erlassen",
        "Unterkunftskosten berechnen",
        "Überzahlung zurückfordern",
    ],
    "Videokommunikation": [
        "Videoberatung durchführen",
        "Termine mit Kund:innen vereinbaren",
        "Bildschirm teilen",
        "Dolmetscher zuschalten",
        "Mikrofon und Kamera testen",
        "Warteraum verwalten",
    ],
    "Serviceportal jobcenter.digital": [
        "Online-Anträge bearbeiten",
        "Nachrichten im Postfach beantworten",
        "Weiterbewilligungsanträge prüfen",
        "Veränderungsmitteilungen übernehmen",
        "Nachweise hochladen lassen",
        "Zugangsdaten zurücksetzen",
    ],
    "verschlüsselte E-Mail": [
        "Zertifikat einrichten",
        "Nachrichten verschlüsselt senden",
        "Anhänge sicher übermitteln",
        "Signatur prüfen",
        "Schlüssel erneuern",
        "Funktionspostfach nutzen",
    ],
}
# (kind, title pattern, level, source, duration in minutes)
VARIANTS = [
    ("document", "{tool}: {task} – Anleitung", "basic", "inhouse", 10),
    ("guide", "Klickstrecke {tool}: {task}", "basic", "inhouse", 5),
    ("video", "Lernvideo {tool}: {task}", "basic", "ba", 20),
    ("link", "E-Learning {tool}: {task} für Fortgeschrittene", "advanced", "ba", 45),
    ("session", "Präsenztermin {tool}: {task}", "advanced", "inhouse", 90),
    ("document", "Kurzübersicht {tool}: {task}", "advanced", "inhouse", 5),
]
BODY = (
    "## Worum es geht\n\nDiese Anleitung zeigt Schritt für Schritt, wie Sie im Fachverfahren {tool} die Aufgabe "
    "„{task}“ erledigen. Sie ist für alle Mitarbeiter:innen im Jobcenter gedacht.\n\n"
    "## So gehen Sie vor\n\n1. Öffnen Sie {tool} über das Startmenü.\n2. Wählen Sie den Vorgang aus.\n"
    "3. Speichern Sie Ihre Eingaben.\n\nBei Fragen hilft Ihnen das Team IT-Fachverfahren weiter."
)
TRANSCRIPT = (
    "Herzlich willkommen zu diesem Lernvideo aus dem Jobcenter. Heute zeigen wir, wie Sie in {tool} die Aufgabe "
    "{task} erledigen. Zuerst melden Sie sich an, dann öffnen Sie den Vorgang. Viel Erfolg beim Ausprobieren!"
)
STEPS = [
    ("Melden Sie sich in {tool} an.", "Anmeldemaske von {tool}"),
    ("Öffnen Sie den Bereich für die Aufgabe „{task}“.", "Menü mit markiertem Eintrag"),
    ("Prüfen Sie die Angaben und speichern Sie.", "Schaltfläche Speichern im Jobcenter-Layout"),
]


@dataclass
class Item:
    """One hand-written material of the corpus."""

    key: str
    title: str
    summary: str = "Ein Angebot für alle Mitarbeiter:innen im Jobcenter."
    kind: str = "document"
    body: str = ""
    transcript: str = ""
    steps: list[tuple[str, str]] = field(default_factory=list)
    status: str = "published"
    tool: str = "E-Akte"
    level: str = "basic"


# Each item carries the rare word one query of the fixed query set looks for; see tests/test_search.py.
ITEMS = [
    Item("schulung", "Schulung zur Aktenführung", summary="Grundlagen der ordnungsgemäßen Aktenführung."),
    Item(
        "datenschutzschulung",
        "Datenschutzschulung für neue Mitarbeiter:innen",
        summary="Was Sie im ersten Monat über den Schutz von Sozialdaten wissen müssen.",
        tool="verschlüsselte E-Mail",
    ),
    Item("uebersicht", "Übersicht der Fachverfahren im Jobcenter", summary="Welches Verfahren wofür da ist."),
    Item(
        "strasse",
        "Anfahrt und Parken an der Hauptstraße",
        summary="Wo Besucher:innen parken und wie Sie den Dienstsitz in der Kröpeliner Straße erreichen.",
        tool="Videokommunikation",
    ),
    Item(
        "body_hit",
        "Bescheide verständlich formulieren",
        summary="Klare Sprache in Bescheiden.",
        body="Auch im Widerspruchsverfahren zählt eine klare Begründung. Das Widerspruchsverfahren beginnt mit der "
        "Prüfung. Im Widerspruchsverfahren gilt: freundlich bleiben.",
        tool="ALLEGRO",
    ),
    # After the body hit, so that its higher id cannot be why the title hit comes first.
    Item(
        "title_hit",
        "Widerspruchsverfahren bearbeiten",
        summary="Fristen, Zuständigkeiten und Muster.",
        tool="ALLEGRO",
    ),
    Item(
        "step_hit",
        "Klickstrecke: Kassenautomat nachfüllen",
        kind="guide",
        summary="Der Automat im Eingangsbereich braucht Papier.",
        steps=[
            ("Öffnen Sie die Klappe an der Vorderseite.", "Vorderseite des Automaten"),
            ("Legen Sie eine neue Rolle in den Quittungsdrucker ein.", "Rolle im Drucker"),
            ("Warten Sie, bis das Gerät neu startet.", "Bildschirm mit Sanduhrsymbol"),
        ],
    ),
    Item(
        "transcript_hit",
        "Lernvideo: sicher in die Videoberatung",
        kind="video",
        summary="Worauf Sie vor dem ersten Gespräch achten.",
        transcript="Bevor das Gespräch beginnt, prüfen Sie die Kamerafreigabe im Browser und den Ton.",
        tool="Videokommunikation",
    ),
    Item(
        "and_both",
        "Datenschutz in VerBIS",
        summary="Welche Vermerke in VerBIS erlaubt sind und welche nicht.",
        tool="VerBIS",
    ),
    Item("and_one", "Datenschutz am Empfangstresen", summary="Diskretion am Empfang.", tool="Videokommunikation"),
    Item(
        "prefix",
        "Datensicherung der Arbeitsplatzrechner",
        summary="Warum lokale Dateien täglich gesichert werden.",
        tool="verschlüsselte E-Mail",
    ),
    Item(
        "escape",
        "Sonderzeichen <b>fett</b> & Co.",
        summary="Zeichensalat mit <script>alert('x')</script> Zeichen, der sicher angezeigt wird.",
    ),
    Item("draft", "Zeiterfassung im Entwurf", summary="Noch nicht fertig: Zeiterfassung.", status="draft"),
    Item(
        "archived",
        "Reisekostenabrechnung (alt)",
        summary="Das alte Verfahren der Reisekostenabrechnung.",
        status="archived",
    ),
]


def load_corpus() -> SimpleNamespace:
    """Add the corpus in one transaction (indexed by the session event on commit); return its ids by key."""
    now = utcnow()
    topics: dict[str, Topic] = {}
    tools: dict[str, Tool] = {}
    main = Topic(name="Fachverfahren")
    for tool_name, topic_name in TOOLS.items():
        tools[tool_name] = Tool(name=tool_name)
        topics[tool_name] = Topic(name=topic_name, parent=main)
    db.session.add_all([main, *topics.values(), *tools.values()])
    materials: list[Material] = []
    generated: dict[tuple[str, int, int], Material] = {}
    for tool_number, (tool_name, tasks) in enumerate(TASKS.items()):
        for task_number, task in enumerate(tasks):
            for variant_number, (kind, title, level, source, minutes) in enumerate(VARIANTS):
                values = {"tool": tool_name, "task": task}
                material = Material(
                    kind=kind,
                    title=title.format(**values),
                    summary=f"Für alle Mitarbeiter:innen im Jobcenter: {task} mit {tool_name}.",
                    level=level,
                    source=source,
                    duration_minutes=minutes,
                    status="published",
                    all_departments=True,
                    topic=topics[tool_name],
                    tools=[tools[tool_name]],
                    body=BODY.format(**values) if kind == "document" else "",
                    transcript=TRANSCRIPT.format(**values) if kind == "video" else "",
                    external_url="https://www.arbeitsagentur.de/e-learning" if kind == "link" else "",
                    published_at=now - timedelta(minutes=tool_number * 100 + task_number * 10 + variant_number),
                )
                if kind == "guide":
                    material.steps = [
                        GuideStep(position=number, instruction=text.format(**values), alt_text=alt.format(**values))
                        for number, (text, alt) in enumerate(STEPS, start=1)
                    ]
                generated[(tool_name, task_number, variant_number)] = material
                materials.append(material)
    items: dict[str, Material] = {}
    for item in ITEMS:
        material = Material(
            kind=item.kind,
            title=item.title,
            summary=item.summary,
            level=item.level,
            source="inhouse",
            duration_minutes=15,
            status=item.status,
            all_departments=True,
            topic=topics[item.tool],
            tools=[tools[item.tool]],
            body=item.body,
            transcript=item.transcript,
            published_at=None if item.status == "draft" else now - timedelta(days=1),
        )
        material.steps = [
            GuideStep(position=number, instruction=text, alt_text=alt)
            for number, (text, alt) in enumerate(item.steps, start=1)
        ]
        if item.status != "draft":
            material.versions = [MaterialVersion(number=1, published_at=now)]
        items[item.key] = material
        materials.append(material)
    db.session.add_all(materials)
    db.session.commit()
    return SimpleNamespace(
        count=len(materials),
        tools={name: tool.id for name, tool in tools.items()},
        topics={name: topic.id for name, topic in topics.items()},
        items={key: material.id for key, material in items.items()},
        generated={key: material.id for key, material in generated.items()},
    )
