"""The number of SQL statements per page, pinned: a change here is a decision, not an accident."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from quali_kompass.catalogue.models import GuideStep, SessionDate, SessionRegistration
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from tests.conftest import login
from tests.factories import MaterialFactory, PersonFactory, ToolFactory, TopicFactory

# (role, URL, statements) – the login session and the person are loaded on every page (2 statements).
PAGES = [
    ("employee", "/", 8),
    ("employee", "/konto", 7),
    ("lead", "/team", 6),
    ("lead", "/team/{team_a}", 7),
    ("admin", "/verwaltung", 6),
    ("admin", "/verwaltung/fachbereiche", 5),
    ("admin", "/verwaltung/fachbereiche/{dept_a}", 7),
    ("admin", "/verwaltung/teams", 8),
    ("admin", "/verwaltung/teams/{team_a}", 7),
    ("admin", "/verwaltung/personen", 8),
    ("admin", "/verwaltung/personen/{employee}", 12),
    ("admin", "/verwaltung/import", 4),
    ("auditor", "/protokoll/", 6),
    ("employee", "/katalog", 10),
    # a search adds its look-up in the vocabulary and loads the guide steps for the excerpts
    ("employee", "/katalog?suche=Material", 12),
    ("employee", "/katalog?suche=kurze+Beschreibung&art=document&sortierung=titel", 12),
    ("employee", "/katalog?suche=Schritt+Bild", 12),
    ("employee", "/katalog?suche=Xylophon", 9),  # nothing found: no items to load
    ("employee", "/katalog?suche=und+die", 8),  # stop words only: no look-up either
    ("employee", "/katalog/{material}", 7),
    ("employee", "/katalog/{session}", 9),
    ("employee", "/katalog/{guide}?schritt=2", 8),
    ("employee", "/katalog/{guide}/drucken", 7),
    ("editor", "/redaktion/material/{guide}", 12),
    ("editor", "/redaktion/material/{session}", 13),
    ("editor", "/redaktion/themen", 6),
    ("editor", "/redaktion/themen/{topic}", 7),
    ("editor", "/redaktion/werkzeuge", 5),
    ("editor", "/redaktion/werkzeuge/{tool}", 5),
]


@pytest.mark.parametrize(("role", "url", "expected"), PAGES)
def test_queries_per_page(app: Flask, org, create, count_queries, role: str, url: str, expected: int) -> None:
    for _ in range(5):  # more people must not mean more statements
        create(PersonFactory, team=org.team_a)
    topic = create(TopicFactory)
    tools = [create(ToolFactory), create(ToolFactory)]
    for _ in range(3):  # more subtopics must not mean more statements either
        create(TopicFactory, parent=topic)
    for _ in range(5):  # nor more material, with more tools and departments
        material = create(MaterialFactory, topic=topic, tools=tools, departments=[org.dept_a, org.dept_b])
    session = create(MaterialFactory, kind="session", topic=topic, tools=tools, departments=[org.dept_a])
    with app.app_context():  # more dates and registrations must not mean more statements
        for days in (-3, 5, 9, 12):
            start = utcnow() + timedelta(days=days)
            session_date = SessionDate(
                material_id=session.id, starts_at=start, ends_at=start + timedelta(hours=1), place="Raum 1", capacity=5
            )
            db.session.add(session_date)
            db.session.flush()
            for person_id in (org.employee.id, org.lead.id):
                db.session.add(SessionRegistration(session_date_id=session_date.id, person_id=person_id))
        # more steps must not mean more statements
        guide = MaterialFactory(kind="guide", topic=topic, tools=tools)
        guide.steps = [GuideStep(position=n, instruction=f"Schritt {n}", alt_text="Bild") for n in range(1, 6)]
        db.session.commit()
    client = app.test_client()
    login(client, getattr(org, role).email)
    url = url.format(
        team_a=org.team_a.id,
        dept_a=org.dept_a.id,
        employee=org.employee.id,
        material=material.id,
        topic=topic.id,
        tool=tools[0].id,
        session=session.id,
        guide=guide.id,
    )
    client.get(url)  # the first request after login may refresh the session's last-seen time
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    assert counter.count == expected, "\n".join(counter.statements)
