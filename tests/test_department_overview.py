"""The department overview of mandatory trainings: who may see it, the summary per team, filters, paging, scale."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import Flask

from quali_kompass.curricula.queries import PersonItem
from quali_kompass.curricula.status import DONE, OPEN, OVERDUE, Rule, Status, berlin_today
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Team
from quali_kompass.review import matrix
from tests.bulk import bulk_completions, bulk_members
from tests.conftest import login
from tests.factories import (
    CompletionFactory,
    MaterialFactory,
    PersonFactory,
    RequirementFactory,
    TeamFactory,
)

TODAY = berlin_today()
PERSON_LINK = re.compile(r'href="/team/person/(\d+)"')


def client_as(app: Flask, person) -> object:
    client = app.test_client()
    login(client, person.email)
    return client


def url(department_id: int, query: str = "") -> str:
    return f"/fachbereich/{department_id}/pflichtschulungen" + (f"?{query}" if query else "")


def cells(html: str, table_class: str) -> list[list[str]]:
    """The text of each row's cells of the table with this class."""
    table = re.search(rf'<table class="[^"]*{table_class}[^"]*">(.*?)</table>', html, re.S)
    assert table, f"no table .{table_class}"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)
    return [[text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def setup(app: Flask, org) -> SimpleNamespace:
    """Department A with a second team; late privacy for everyone, open filing for A, one more for team A2.

    Team A1: Erika (privacy done, filing open), Lena and Hans (privacy late, filing open).
    Team A2: Anton (privacy late, filing and the team's own open), Berta (all three done).
    Team B1 has a requirement of its own; an inactive person and a former member of A2 do not count.
    """
    with app.app_context():
        dept_a = db.session.merge(org.dept_a)
        team_a2 = TeamFactory(name="Leistung Team 2", department=dept_a)
        privacy = MaterialFactory(title="Datenschutz kompakt")
        filing = MaterialFactory(title="E-Akte im Fachbereich")
        own = MaterialFactory(title="Nur für Team 2")
        north = MaterialFactory(title="Nur für Nord")
        RequirementFactory(material=privacy, rule={"due_days": 10})
        RequirementFactory(material=filing, department=dept_a, rule={"due_days": 60})
        RequirementFactory(material=own, team=team_a2, rule={"due_days": 60})
        RequirementFactory(material=north, team=db.session.merge(org.team_b), rule={"due_days": 60})
        anton = PersonFactory(name="Anton Zweiter", team=team_a2)
        berta = PersonFactory(name="Berta Zweite", team=team_a2)
        PersonFactory(name="Ina Inaktiv", team=team_a2, active=False)
        former = PersonFactory(name="Fritz Früher", team=team_a2)
        db.session.flush()
        for membership in former.memberships:
            membership.end_date = TODAY - timedelta(days=1)
        CompletionFactory(person=db.session.merge(org.employee), material=privacy, completed_on=TODAY)
        for material in (privacy, filing, own):
            CompletionFactory(person=berta, material=material, completed_on=TODAY)
        db.session.commit()
        return SimpleNamespace(
            team_a2=team_a2.id,
            anton=anton.id,
            berta=berta.id,
            former=former.id,
            privacy=privacy.id,
            filing=filing.id,
            own=own.id,
        )


def shown_people(html: str) -> list[int]:
    return [int(person_id) for person_id in PERSON_LINK.findall(html)]


# Who may see it --------------------------------------------------------------------------------------------------
def test_head_sees_every_team_of_the_department_and_nothing_of_another(app: Flask, org, setup) -> None:
    response = client_as(app, org.head).get(url(org.dept_a.id))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Fachbereich Leistungsgewährung: Pflichtschulungen</h1>" in html
    assert "Leistung Team 1" in html and "Leistung Team 2" in html
    assert sorted(shown_people(html)) == sorted([org.employee.id, org.lead.id, org.head.id, setup.anton, setup.berta])
    assert "Integration Nord" not in html and "Olga Weit" not in html and "Otto Anders" not in html
    assert "Nur für Nord" not in html  # team B's requirement
    assert "Ina Inaktiv" not in html and "Fritz Früher" not in html  # inactive, and a former member
    assert "5 Personen" in html
    # each team links to its team page, which the head may open
    assert f'href="/team/{org.team_a.id}"' in html and f'href="/team/{setup.team_a2}"' in html


@pytest.mark.parametrize("who", ["employee", "lead", "other_lead", "other_employee", "editor", "auditor"])
def test_nobody_else_sees_department_a(app: Flask, org, setup, who: str) -> None:
    assert client_as(app, getattr(org, who)).get(url(org.dept_a.id)).status_code == 403


def test_head_of_a_gets_403_on_department_b_and_404_on_an_unknown_one(app: Flask, org, setup) -> None:
    client = client_as(app, org.head)
    assert client.get(url(org.dept_b.id)).status_code == 403
    assert client.get(url(999999)).status_code == 404


def test_admin_sees_every_department_and_is_led_there_from_the_department_page(app: Flask, org, setup) -> None:
    client = client_as(app, org.admin)
    html = client.get(url(org.dept_b.id)).get_data(as_text=True)
    assert "Olga Weit" in html and "Nur für Nord" in html and "Erika Beispiel" not in html
    html = client.get(url(org.dept_a.id)).get_data(as_text=True)
    # the admin reviews no team: a team's name filters the overview instead of opening the team page
    assert f'href="/team/{org.team_a.id}"' not in html
    assert f'href="/fachbereich/{org.dept_a.id}/pflichtschulungen?team={org.team_a.id}"' in html
    page = client.get(f"/verwaltung/fachbereiche/{org.dept_a.id}").get_data(as_text=True)
    assert f'href="{url(org.dept_a.id)}"' in page and "Übersicht Fachbereich Leistungsgewährung" in page
    assert client.get(url(999999)).status_code == 404


def test_anonymous_is_sent_to_the_login(app: Flask, org) -> None:
    response = app.test_client().get(url(org.dept_a.id))
    assert response.status_code == 302 and response.headers["Location"].startswith("/anmelden")


def test_heads_find_the_overview_on_their_team_list(app: Flask, org) -> None:
    html = client_as(app, org.head).get("/team").get_data(as_text=True)
    assert f'href="{url(org.dept_a.id)}"' in html and "Übersicht Fachbereich Leistungsgewährung" in html
    assert "Übersicht Fachbereich" not in client_as(app, org.lead).get("/team").get_data(as_text=True)


# What it shows ---------------------------------------------------------------------------------------------------
def test_summary_per_team_per_material_and_per_person(app: Flask, org, setup) -> None:
    html = client_as(app, org.head).get(url(org.dept_a.id)).get_data(as_text=True)
    summary = cells(html, "team-summary")
    assert summary[0] == [
        "Team",
        "Aktive Personen",
        "Erledigt",
        "Offen",
        "Überfällig",
        "Ohne offene Pflichtschulungen",
    ]
    assert summary[1:] == [
        ["Leistung Team 1", "3", "1", "3", "2", "0 von 3 (0 %)"],
        ["Leistung Team 2", "2", "3", "2", "1", "1 von 2 (50 %)"],
        ["Fachbereich gesamt", "5", "4", "5", "3", "1 von 5 (20 %)"],
    ]
    people = cells(html, "compliance-matrix")
    assert people[0][:2] == ["Person", "Team"] and people[0][-1] == "Offen"
    assert people[0][2:-1] == ["Datenschutz kompakt", "E-Akte im Fachbereich", "Nur für Team 2"]
    by_name = {row[0].split(" Nachweise")[0]: row for row in people[1:-1]}
    assert by_name["Anton Zweiter"][1] == "Leistung Team 2" and by_name["Anton Zweiter"][-1] == "3"
    assert by_name["Erika Beispiel"][1] == "Leistung Team 1" and by_name["Erika Beispiel"][-1] == "1"
    assert "gilt nicht" in by_name["Erika Beispiel"][4]  # team 2's own requirement
    assert by_name["Berta Zweite"][-1] == "0"
    assert people[-1] == [
        "Summe",
        "",
        "2 erledigt, 0 offen, 3 überfällig",
        "1 erledigt, 4 offen, 0 überfällig",
        "1 erledigt, 1 offen, 0 überfällig",
        "8",
    ]


def test_filters_and_sorting(app: Flask, org, setup) -> None:
    client = client_as(app, org.head)
    late = client.get(url(org.dept_a.id, "ueberfaellig=1")).get_data(as_text=True)
    assert sorted(shown_people(late)) == sorted([org.lead.id, org.head.id, setup.anton])
    assert "3 Personen" in late

    team = client.get(url(org.dept_a.id, f"team={setup.team_a2}")).get_data(as_text=True)
    assert shown_people(team) == [setup.anton, setup.berta]
    assert f'<option value="{setup.team_a2}" selected>Leistung Team 2</option>' in team
    team_1 = client.get(url(org.dept_a.id, f"team={org.team_a.id}")).get_data(as_text=True)
    assert "Nur für Team 2</th>" not in team_1  # no column that applies to nobody shown
    assert "Nur für Team 2</option>" in team_1  # still offered in the filter
    assert len(cells(team_1, "team-summary")) == 4  # the summary stays that of the whole department

    one = client.get(url(org.dept_a.id, f"material={setup.own}")).get_data(as_text=True)
    assert shown_people(one) == [setup.anton, setup.berta]
    assert "Nur für Team 2</th>" in one and "Datenschutz kompakt</th>" not in one

    by_open = client.get(url(org.dept_a.id, "sortierung=offen")).get_data(as_text=True)
    assert shown_people(by_open) == [setup.anton, org.head.id, org.lead.id, org.employee.id, setup.berta]
    assert '<option value="offen" selected>' in by_open

    # another department's team is no filter here: everyone is shown
    other = client.get(url(org.dept_a.id, f"team={org.team_b.id}")).get_data(as_text=True)
    assert len(shown_people(other)) == 5


def test_paging_keeps_the_filters(app: Flask, org, setup) -> None:
    with app.app_context():
        team_a2 = db.session.get(Team, setup.team_a2)
        for n in range(60):
            PersonFactory(name=f"Zweiter {n:02d}", team=team_a2)
        db.session.commit()
    client = client_as(app, org.head)
    query = f"ueberfaellig=1&team={setup.team_a2}&sortierung=offen"
    first = client.get(url(org.dept_a.id, query)).get_data(as_text=True)
    assert "61 Personen" in first and "Seite 1 von 2" in first
    assert len(shown_people(first)) == 50 and shown_people(first)[0] == setup.anton  # three open
    next_link = re.search(r'<a class="kern-link" href="([^"]+)">Nächste Seite</a>', first).group(1)
    next_link = next_link.replace("&amp;", "&")
    assert next_link.startswith(url(org.dept_a.id) + "?")
    for part in ("seite=2", "ueberfaellig=1", f"team={setup.team_a2}", "sortierung=offen"):
        assert part in next_link
    second = client.get(next_link).get_data(as_text=True)
    assert "Seite 2 von 2" in second and len(shown_people(second)) == 11
    assert "Vorherige Seite" in second


def test_department_without_requirements(app: Flask, org) -> None:
    html = client_as(app, org.head).get(url(org.dept_a.id)).get_data(as_text=True)
    assert "Für diesen Fachbereich gelten derzeit keine Pflichtschulungen." in html
    assert cells(html, "team-summary")[1] == ["Leistung Team 1", "3", "0", "0", "0", "3 von 3 (100 %)"]


def test_a_department_of_2000_renders_paginated(app: Flask, org) -> None:
    ids = bulk_members(app, org.dept_a.id, 2000, teams=8)
    with app.app_context():
        dept_a = db.session.get(Department, org.dept_a.id)
        materials = [MaterialFactory(title=f"Pflicht {n}") for n in range(3)]
        RequirementFactory(material=materials[0], department=dept_a, rule={"due_days": 10})
        RequirementFactory(material=materials[1], department=dept_a, rule={"due_days": 60})
        RequirementFactory(material=materials[2], team=db.session.get(Team, org.team_a.id), rule={"due_days": 60})
        material_ids = [material.id for material in materials]
        db.session.commit()
    bulk_completions(app, ids[::3], material_ids[0])
    client = client_as(app, org.head)
    first = client.get(url(org.dept_a.id))
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert "2.003 Personen" in html and "Seite 1 von 41" in html
    assert len(shown_people(html)) == 50
    total = cells(html, "team-summary")[-1]
    # the first material: a third done, the rest late; the second open for all; the third for team A1 only
    assert total == ["Fachbereich gesamt", "2.003", "667", "2.006", "1.336", "0 von 2.003 (0 %)"]
    fortieth = client.get(url(org.dept_a.id, "seite=40&sortierung=offen"))
    assert fortieth.status_code == 200
    html = fortieth.get_data(as_text=True)
    assert "Seite 40 von 41" in html and len(shown_people(html)) == 50


# The pure shaping ------------------------------------------------------------------------------------------------
def item(material, state: str) -> PersonItem:
    rule = Rule(valid_from=TODAY, due_kind="days", due_days=30)
    return PersonItem(material, [], Status(state, TODAY, TODAY if state == DONE else None, None, rule), material.id)


def test_build_with_teams_filters_by_team_and_summarises() -> None:
    a, b = SimpleNamespace(id=1, title="A"), SimpleNamespace(id=2, title="B")
    north, south, empty = (SimpleNamespace(id=n, name=name) for n, name in ((1, "Nord"), (2, "Süd"), (3, "Leer")))
    people = [SimpleNamespace(id=n, name=name) for n, name in ((1, "Zora"), (2, "Anna"), (3, "Mia"))]
    team_of = {1: north, 2: south, 3: south}
    items = {1: [item(a, OVERDUE), item(b, OPEN)], 2: [item(a, DONE)], 3: []}

    built = matrix.build(people, items, matrix.Filters(), team_of)
    assert [row.team.name for row in built.page.items] == ["Süd", "Süd", "Nord"]
    south_only = matrix.build(people, items, matrix.Filters(team_id=2), team_of)
    assert [row.person.name for row in south_only.page.items] == ["Anna", "Mia"]
    assert [column.material.title for column in south_only.columns] == ["A"]  # B applies to nobody in Süd
    assert [material.title for material in south_only.materials] == ["A", "B"]
    assert south_only.filters.url_args() == {"team": 2}
    # without teams (the team page) a team in the URL is ignored and not carried on
    assert matrix.build(people, items, matrix.Filters(team_id=2)).filters.team_id is None

    summaries = matrix.team_summaries([north, south, empty], people, items, team_of)
    assert [(s.team.name, s.people, s.counts, s.complete) for s in summaries] == [
        ("Nord", 1, {"done": 0, "open": 1, "overdue": 1}, 0),
        ("Süd", 2, {"done": 1, "open": 0, "overdue": 0}, 2),
        ("Leer", 0, {"done": 0, "open": 0, "overdue": 0}, 0),
    ]
    assert summaries[1].complete_share == 1 and summaries[2].complete_share is None
    total = matrix.summary_total(summaries)
    assert (total.people, total.counts, total.complete) == (3, {"done": 1, "open": 1, "overdue": 1}, 2)


def test_team_filter_read_from_the_url() -> None:
    assert matrix.Filters.from_args({"team": "4"}).team_id == 4
    assert matrix.Filters.from_args({"team": "x"}).team_id is None
