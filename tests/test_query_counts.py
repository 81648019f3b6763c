"""The number of SQL statements per page, pinned: a change here is a decision, not an accident."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from quali_kompass.catalogue.models import GuideStep, Material, SessionDate, SessionRegistration
from quali_kompass.curricula.models import Completion, PlanItem, Requirement, RequirementRule
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.news.models import NewsItem, NewsRead
from quali_kompass.organisation.models import Department, Person, Team
from quali_kompass.surveys.models import Survey, SurveyAnswer, SurveyItem
from tests.conftest import login
from tests.factories import (
    CompletionFactory,
    MaterialFactory,
    PersonFactory,
    RequirementFactory,
    TeamFactory,
    ToolFactory,
    TopicFactory,
)

# (role, URL, statements) – the login session, the person and the teams and departments they may review are loaded
# on every page in one statement (accounts.services.load_session).
PAGES = [
    # Mein Kompass: the statuses (4), the plan and the records; the latest news, the new material and the new
    # versions of the person's department (3, news.queries); the open surveys (1, surveys/_open_surveys.html)
    ("employee", "/", 14),
    ("employee", "/konto", 5),
    ("employee", "/benachrichtigungen", 3),  # one page of notifications and their number
    ("lead", "/team", 5),  # with the departments the person heads, for links to their overviews
    # the team with its leads, the number of pending proposals, the matrix's statuses (4), the dates whose
    # attendance is to be confirmed (1: the registrations with the completions of the window; review.attendance)
    # and the trend's past months (1: the team's snapshots, statistics.queries.past_months)
    ("lead", "/team/{team_a}", 10),
    # the exports: the team, its members, their statuses (4) and the access log entry (review.export_views)
    ("lead", "/team/{team_a}/export.csv", 8),
    ("lead", "/team/{team_a}/export.xlsx", 8),
    ("lead", "/team/{team_a}/drucken", 9),  # and the department in the heading, loaded again after the commit
    ("lead", "/team/person/{employee}", 10),  # the statuses (4), the plan, the records, the access log
    ("admin", "/verwaltung", 4),
    ("admin", "/verwaltung/fachbereiche", 3),
    ("admin", "/verwaltung/fachbereiche/{dept_a}", 5),
    ("admin", "/verwaltung/teams", 6),
    ("admin", "/verwaltung/teams/{team_a}", 5),
    ("admin", "/verwaltung/personen", 6),
    ("admin", "/verwaltung/personen/{employee}", 10),
    ("admin", "/verwaltung/import", 2),
    ("auditor", "/protokoll/", 4),
    # the catalogue: a page of ids and their number, then the page's materials with their topics, tools and
    # departments (catalogue.queries.with_details), and the filters' choices
    ("employee", "/katalog", 9),
    # a search adds its look-up in the vocabulary and loads the guide steps for the excerpts
    ("employee", "/katalog?suche=Material", 11),
    ("employee", "/katalog?suche=kurze+Beschreibung&art=document&sortierung=titel", 11),
    ("employee", "/katalog?suche=Schritt+Bild", 11),
    ("employee", "/katalog?suche=Xylophon", 7),  # nothing found: no items to load
    ("employee", "/katalog?suche=und+die", 6),  # stop words only: no look-up either
    # a material's page: its feedback section adds one statement (the viewer's own ratings and the answered comments)
    ("employee", "/katalog/{material}", 7),
    ("employee", "/katalog/{session}", 9),
    ("employee", "/katalog/{guide}?schritt=2", 8),
    ("employee", "/katalog/{guide}/drucken", 6),
    ("editor", "/redaktion/material/{guide}", 10),
    ("editor", "/redaktion/material/{session}", 11),
    ("editor", "/redaktion/themen", 4),
    ("editor", "/redaktion/themen/{topic}", 5),
    ("editor", "/redaktion/werkzeuge", 3),
    ("editor", "/redaktion/werkzeuge/{tool}", 3),
    # one page of requirement ids and their number, the page's requirements with their rules (2; requirements.
    # with_details); today's counts kept by the statistics (1; statistics.queries) and,
    # for the page's requirements without (here: all), their counting in three statements together
    # (queries.counts_by_requirement)
    ("admin", "/pflichtschulungen", 9),
    ("lead", "/pflichtschulungen", 11),  # what the lead may see and manage: two statements
    ("admin", "/pflichtschulungen/{requirement}", 7),
    ("lead", "/pflichtschulungen/{requirement}", 9),  # what the lead may see and manage: two statements
    ("lead", "/nachweise/person/{employee}", 7),
    ("admin", "/nachweise/person/{employee}", 7),
    ("lead", "/termine/{begun}/teilnahme", 5),
    ("admin", "/termine/{begun}/teilnahme", 5),
    ("employee", "/kompass/plan", 6),
    ("employee", "/kompass/nachweis", 8),
    ("employee", "/kompass/nachweis.pdf", 8),
    ("employee", "/kompass/termine.ics", 6),
    ("lead", "/team/vorschlaege", 3),
    # statistics: the catalogue by kind, topic (counts and names) and tool, the most used materials, the departments'
    # current snapshot and the past months' (statistics.queries) – never the records
    ("employee", "/statistik", 8),
    ("admin", "/statistik", 9),  # and the teams' current snapshot
    ("admin", "/statistik/export.csv", 9),
    # news: one page of the person's news and their number (the read marks come in the same statement)
    ("employee", "/neuigkeiten", 3),
    # an item with its read mark, its departments, its material and the person's department (news.queries)
    ("employee", "/neuigkeiten/{news}", 5),
    ("editor", "/neuigkeiten/{news}", 6),  # and the editor's departments, for the link to edit it
    ("editor", "/redaktion/neuigkeiten", 5),  # the news, their number, their departments, the editor's departments
    # the item, its departments and material, the departments and published material to choose from
    ("editor", "/redaktion/neuigkeiten/{news}", 7),
    # needs surveys: the list with the response counts of all listed surveys in one statement (surveys.queries);
    # for editors also the departments they are limited to (none here: all)
    ("editor", "/redaktion/bedarfsabfragen", 4),
    ("admin", "/redaktion/bedarfsabfragen", 3),
    ("editor", "/redaktion/bedarfsabfragen/neu", 5),  # the editor's departments, all departments, topics, tools
    # the survey with its department and author, its items, the editor's departments, respondents, counts per level
    ("editor", "/redaktion/bedarfsabfragen/{survey}", 6),
    # the survey, its items, the person's current team (2: membership, team) and their own answers
    ("employee", "/bedarfsabfragen/{open_survey}", 6),
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
        # more completion records, recorded, reset or confirmed by others, must not mean more statements
        begun = db.session.scalar(select(SessionDate.id).where(SessionDate.starts_at < utcnow()))
        for days, material_id in enumerate((material.id, guide.id, session.id, material.id)):
            db.session.add(
                Completion(
                    person_id=org.employee.id,
                    material_id=material_id,
                    completed_on=berlin_today() - timedelta(days=days + 1),
                    method="recorded" if days % 2 else "self",
                    note="Notiz",
                    recorded_by_id=org.lead.id if days % 2 else org.employee.id,
                    reset_at=utcnow() if days == 2 else None,
                    reset_by_id=org.admin.id if days == 2 else None,
                    reset_reason="Grund" if days == 2 else "",
                )
            )
        db.session.add(
            Completion(
                person_id=org.lead.id,
                material_id=session.id,
                completed_on=berlin_today() - timedelta(days=3),
                method="attendance",
                session_date_id=begun,
                recorded_by_id=org.admin.id,
            )
        )
        db.session.commit()
    requirement = None
    if url.startswith(("/pflichtschulungen", "/kompass", "/team")) or url == "/":  # nor more rules and assigned people
        since = berlin_today() - timedelta(days=60)
        requirements = [
            Requirement(material_id=material_id, scope=scope, effective_from=since, **target)
            for material_id, scope, target in (
                (material.id, "organisation", {}),
                (guide.id, "department", {"department_id": org.dept_a.id}),
                (session.id, "team", {"team_id": org.team_a.id}),
                (guide.id, "department", {"department_id": org.dept_b.id}),
            )
        ]
        for each in requirements:
            each.rules = [
                RequirementRule(valid_from=since, due_kind="days", due_days=30),
                RequirementRule(valid_from=since + timedelta(days=10), due_kind="days", due_days=20),
            ]
        with app.app_context():
            db.session.add_all(requirements)
            db.session.commit()
            requirement = requirements[0].id
    if url == "/" or url.startswith(("/kompass", "/team")):  # nor more plan items, decided by others
        with app.app_context():
            for state, material_id in (("proposed", guide.id), ("approved", material.id), ("declined", session.id)):
                decided = {"decided_at": utcnow(), "decided_by_id": org.lead.id} if state != "proposed" else {}
                db.session.add(
                    PlanItem(person_id=org.employee.id, material_id=material_id, reason="R", state=state, **decided)
                )
            db.session.add(PlanItem(person_id=org.employee.id, wish="Excel", reason="R"))
            db.session.commit()
    news = None
    if url == "/" or "neuigkeiten" in url:  # nor more news, for more departments, with more material, read or not
        with app.app_context():
            departments = [db.session.get(Department, org.dept_a.id), db.session.get(Department, org.dept_b.id)]
            linked = db.session.scalars(select(Material).where(Material.status == "published")).all()
            items = [
                NewsItem(title=f"Neuigkeit {n}", body="**Text**", pinned=n == 2, all_departments=n % 2 == 0)
                for n in range(6)
            ]
            for n, item in enumerate(items):
                item.departments = [] if item.all_departments else departments[: 1 + n % 2]
                item.materials = linked[:3]
            db.session.add_all(items)
            db.session.flush()
            db.session.add(NewsRead(person_id=org.employee.id, news_id=items[1].id))
            db.session.commit()
            news = items[0].id
    survey = open_survey = None
    if url == "/" or "bedarfsabfragen" in url:  # nor more surveys, items and answers
        survey, open_survey = _surveys(app, org, topic.id, [tool.id for tool in tools])
    client = app.test_client()
    login(client, getattr(org, role).email)
    url = url.format(
        survey=survey,
        open_survey=open_survey,
        news=news,
        team_a=org.team_a.id,
        dept_a=org.dept_a.id,
        employee=org.employee.id,
        material=material.id,
        topic=topic.id,
        tool=tools[0].id,
        session=session.id,
        guide=guide.id,
        begun=begun,
        requirement=requirement,
    )
    client.get(url)  # the first request after login may refresh the session's last-seen time
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    assert counter.count == expected, "\n".join(counter.statements)


def _surveys(app: Flask, org, topic_id: int, tool_ids: list[int]) -> tuple[int, int]:
    """A closed survey of department A with six respondents, and an open one the employee answered."""
    with app.app_context():
        people = [org.employee.id, org.lead.id, org.head.id] + [
            PersonFactory(team=db.session.get(Team, org.team_a.id)).id for _ in range(3)
        ]
        ids = []
        for state, closes_on in (
            ("closed", berlin_today() - timedelta(days=1)),
            ("open", berlin_today() + timedelta(7)),
        ):
            items = [SurveyItem(position=1, label="Thema", topic_id=topic_id)] + [
                SurveyItem(position=n, label=f"Werkzeug {n}", tool_id=tool_id) for n, tool_id in enumerate(tool_ids, 2)
            ]
            survey = Survey(title=state, department_id=org.dept_a.id, state=state, closes_on=closes_on, items=items)
            db.session.add(survey)
            db.session.flush()
            answering = people if state == "closed" else people[:1]
            db.session.add_all(
                SurveyAnswer(survey_item_id=item.id, person_id=person_id, level=(person_id + item.id) % 3)
                for item in items
                for person_id in answering
            )
            ids.append(survey.id)
        # and one the employee has not answered yet, for the start page's notice
        db.session.add(
            Survey(
                title="neu",
                department_id=org.dept_a.id,
                state="open",
                closes_on=berlin_today() + timedelta(days=7),
                items=[SurveyItem(position=1, label="Thema", topic_id=topic_id)],
            )
        )
        db.session.commit()
        return ids[0], ids[1]


EXPORTS = ["/team/{team}/export.csv", "/team/{team}/export.xlsx", "/team/{team}/drucken"]


@pytest.mark.parametrize("url", EXPORTS)
def test_exports_take_as_many_statements_for_30_people_as_for_3(app: Flask, org, count_queries, url: str) -> None:
    teams = {}
    with app.app_context():
        lead = db.session.get(Person, org.lead.id)
        materials = [MaterialFactory() for _ in range(3)]
        for size in (3, 30):
            team = TeamFactory(name=f"Team mit {size}", department=db.session.get(Department, org.dept_a.id))
            team.leads.append(lead)
            people = [PersonFactory(team=team) for _ in range(size)]
            for material in materials:
                RequirementFactory(material=material, team=team)
            for person in people[::2]:  # some done, some open
                CompletionFactory(person=person, material=materials[0])
            teams[size] = team.id
        db.session.commit()
    client = app.test_client()
    login(client, org.lead.email)
    counts = {}
    for size, team_id in teams.items():
        path = url.format(team=team_id)
        client.get(path)
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200
        if path.endswith(".csv"):  # one row per person and mandatory training, under the header
            assert len(response.get_data(as_text=True).splitlines()) == 1 + 3 * size
        counts[size] = counter
    assert counts[3].count == counts[30].count, "\n".join(counts[30].statements)


# The department overview: the login session with the person and what they may review (1), the department, its teams,
# its members as plain rows, their statuses (4) – the same for 3 people and for 300.
DEPARTMENT_STATEMENTS = {"head": 8, "admin": 8}


@pytest.mark.parametrize("role", sorted(DEPARTMENT_STATEMENTS))
def test_department_overview_takes_as_many_statements_for_300_people_as_for_3(
    app: Flask, org, count_queries, role: str
) -> None:
    from tests.bulk import bulk_completions, bulk_members

    with app.app_context():
        materials = [MaterialFactory() for _ in range(3)]
        department = db.session.get(Department, org.dept_a.id)
        for material in materials:
            RequirementFactory(material=material, department=department)
        material_ids = [material.id for material in materials]
        db.session.commit()
    client = app.test_client()
    login(client, getattr(org, role).email)
    path = f"/fachbereich/{org.dept_a.id}/pflichtschulungen?sortierung=offen&seite=2"
    counts = []
    for added in (0, 300):
        if added:
            ids = bulk_members(app, org.dept_a.id, added, teams=6)
            bulk_completions(app, ids[::2], material_ids[0])
        client.get(path)
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(counter)
    assert [counter.count for counter in counts] == [DEPARTMENT_STATEMENTS[role]] * 2, "\n".join(counts[1].statements)
