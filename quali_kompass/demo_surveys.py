"""Demo needs surveys: a closed one with results in Leistungsgewährung, an open one in Markt und Integration."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from quali_kompass.catalogue.models import Tool, Topic
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.notifications.reminders import Planned
from quali_kompass.notifications.services import create as create_notifications
from quali_kompass.organisation.models import Department, Person
from quali_kompass.surveys import services
from quali_kompass.surveys.models import Survey, SurveyAnswer, SurveyItem

SEED = 2027

# Per item of the closed survey: how many say kein, etwas, hoher Bedarf (of the 15 people of the department).
# "Verschlüsselte E-Mail" has a count below five, so its row shows "zu wenige Personen".
CLOSED_ITEMS = [
    ("topic", "E-Akte Posteingang", (0, 6, 9)),
    ("topic", "Videoberatung", (5, 5, 5)),
    ("tool", "ALLEGRO", (10, 5, 0)),
    ("tool", "Verschlüsselte E-Mail", (6, 6, 3)),
]
OPEN_ITEMS = [("topic", "Datenschutz", None), ("tool", "VerBIS", None), ("tool", "Jobbörse der BA", None)]


def _items(specs, topics: dict[str, Topic], tools: dict[str, Tool]) -> list[SurveyItem]:
    items = []
    for position, (kind, name, _counts) in enumerate(specs, start=1):
        if kind == "topic":
            items.append(SurveyItem(position=position, label=topics[name].label, topic=topics[name]))
        else:
            items.append(SurveyItem(position=position, label=name, tool=tools[name]))
    return items


def load_demo_surveys(editor: Person) -> dict[str, int]:
    """Add the demo surveys to the session; return how many surveys and answers."""
    rng = random.Random(SEED)  # nosec B311  # seeded for reproducible demo data, never for secrets
    today = berlin_today()
    topics = {topic.name: topic for topic in db.session.scalars(select(Topic))}
    tools = {tool.name: tool for tool in db.session.scalars(select(Tool))}
    departments = {department.name: department for department in db.session.scalars(select(Department))}

    closed = Survey(
        title="Qualifizierungsbedarf Leistungsgewährung 2026",
        intro="Bitte geben Sie an, wo Sie sich mehr Schulung wünschen. Ihre Angaben werden nur zusammengefasst "
        "ausgewertet.",
        department=departments["Leistungsgewährung"],
        created_by=editor,
        opens_on=today - timedelta(days=45),
        closes_on=today - timedelta(days=20),
        state="closed",
        items=_items(CLOSED_ITEMS, topics, tools),
    )
    opened = Survey(
        title="Digitale Werkzeuge in Markt und Integration",
        intro="Wir planen die Schulungen für das nächste Halbjahr. Welche brauchen Sie?",
        department=departments["Markt und Integration"],
        created_by=editor,
        opens_on=today - timedelta(days=3),
        closes_on=today + timedelta(days=18),
        state="open",
        items=_items(OPEN_ITEMS, topics, tools),
    )
    db.session.add_all([closed, opened])
    db.session.flush()

    answers = 0
    people = services.recipients(closed)
    answered_at = utcnow() - timedelta(days=30)
    for item, (_kind, _name, counts) in zip(closed.items, CLOSED_ITEMS, strict=True):
        levels = [level for level, count in enumerate(counts) for _ in range(count)]
        rng.shuffle(levels)
        for person_id, level in zip(people, levels, strict=False):
            db.session.add(
                SurveyAnswer(survey_item_id=item.id, person_id=person_id, level=level, answered_at=answered_at)
            )
            answers += 1

    # The open survey: a few have answered, everyone was notified.
    members = services.recipients(opened)
    for person_id in rng.sample(members, 4):
        for item in opened.items:
            db.session.add(SurveyAnswer(survey_item_id=item.id, person_id=person_id, level=rng.choice((0, 1, 1, 2))))
            answers += 1
    params = {"title": opened.title, "survey_id": opened.id, "closes_on": opened.closes_on.isoformat()}
    key = services.notification_key(opened)
    create_notifications([Planned(person_id, services.NOTIFICATION_KIND, key, params) for person_id in members])
    return {"surveys": 2, "answers": answers}
