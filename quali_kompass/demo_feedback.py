"""Demo feedback: ratings and comments by demo employees on some fifteen materials, a few rated low, some answered.

Deterministic (a fixed seed), so that the editors' overview always shows low-rated material and answers.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quali_kompass.catalogue.models import Material
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.feedback.models import MaterialFeedback
from quali_kompass.organisation.models import Person

SEED = 2027
MATERIALS = 15
LOW = 3  # of those, rated low

GOOD_COMMENTS = [
    "Kurz und verständlich, genau das habe ich gebraucht.",
    "Die Schritt-für-Schritt-Erklärung hat mir viel Zeit gespart.",
    "Sehr hilfreich für den Arbeitsalltag, danke!",
    "Gut erklärt, die Beispiele passen zu unseren Fällen.",
    "Endlich verstehe ich, wo die Einstellung versteckt ist.",
    "Angenehm kurz, trotzdem alles Wichtige drin.",
]
MIXED_COMMENTS = [
    "Im Großen und Ganzen gut, ein Beispiel aus der Praxis würde helfen.",
    "Die Bilder sind teilweise schwer zu erkennen.",
    "Etwas lang, die wichtigsten Punkte könnten am Anfang stehen.",
]
LOW_COMMENTS = [
    "Die Screenshots zeigen noch die alte Oberfläche.",
    "Mir fehlt, was ich tun soll, wenn die Fehlermeldung kommt.",
    "Zu viele Fachbegriffe, ich habe nicht alles verstanden.",
    "Der Link am Ende funktioniert nicht mehr.",
    "Der Ablauf passt nicht mehr zu unserem Verfahren im Haus.",
]
REPLIES = [
    "Danke für den Hinweis! Wir überarbeiten das Material bis Ende des Monats.",
    "Danke! Die Screenshots sind inzwischen erneuert.",
    "Vielen Dank, wir haben einen Abschnitt zu diesem Fall ergänzt.",
    "Danke für Ihre Rückmeldung. Wir prüfen das gemeinsam mit dem Fachbereich.",
]


def _rating(rng: random.Random, low: bool) -> int:
    weights = (30, 35, 20, 10, 5) if low else (2, 5, 18, 40, 35)
    return rng.choices((1, 2, 3, 4, 5), weights=weights)[0]


def _comment(rng: random.Random, rating: int) -> str:
    if rng.random() > 0.45:
        return ""
    pool = LOW_COMMENTS if rating <= 2 else MIXED_COMMENTS if rating == 3 else GOOD_COMMENTS
    return rng.choice(pool)


def load_demo_feedback() -> int:
    """Add the demo ratings (published material and people must exist); return how many."""
    rng = random.Random(SEED)  # nosec B311  # seeded for reproducible demo data, never for secrets
    materials = db.session.scalars(
        select(Material)
        .where(Material.status == "published")
        .options(selectinload(Material.versions))
        .order_by(Material.id)
    ).all()
    # Employees rate: not the editors, admins and auditors of the demo, whose logins show other things.
    raters = db.session.scalars(
        select(Person)
        .where(
            Person.active.is_(True),
            Person.is_editor.is_(False),
            Person.is_admin.is_(False),
            Person.is_auditor.is_(False),
        )
        .order_by(Person.id)
    ).all()
    if not materials or not raters:
        return 0
    chosen = rng.sample(list(materials), min(MATERIALS, len(materials)))
    low = set(range(min(LOW, len(chosen))))
    now = utcnow()
    count = 0
    replied = 0
    for index, material in enumerate(chosen):
        version = material.current_version
        since = max(material.published_at or now - timedelta(days=60), now - timedelta(days=60))
        span = max(int((now - since).total_seconds() // 3600), 1)
        for person in rng.sample(list(raters), min(rng.randint(3, 12), len(raters))):
            rating = _rating(rng, index in low)
            comment = _comment(rng, rating)
            given = since + timedelta(hours=rng.randrange(span))
            feedback = MaterialFeedback(
                person_id=person.id,
                material_id=material.id,
                material_version_id=version.id if version else None,
                rating=rating,
                comment=comment,
                created_at=given,
                updated_at=given,
            )
            # A few comments, mostly critical ones, have the editors' public answer.
            if comment and replied < len(REPLIES) and rating <= 3 and rng.random() < 0.6:
                feedback.reply = REPLIES[replied]
                feedback.replied_at = min(given + timedelta(days=rng.randint(1, 5)), now)
                replied += 1
            db.session.add(feedback)
            count += 1
    db.session.flush()
    return count
