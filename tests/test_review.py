"""Team review: the compliance matrix on the team page, the drill-down per person, and who may see them."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from flask import Flask
from sqlalchemy import select

from quali_kompass.curricula.models import PlanItem
from quali_kompass.curricula.queries import PersonItem
from quali_kompass.curricula.status import DONE, OPEN, OVERDUE, Rule, Status, berlin_today
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.review import matrix
from quali_kompass.review.models import AccessLogEntry
from tests.conftest import login
from tests.factories import CompletionFactory, MaterialFactory, PersonFactory, RequirementFactory

TODAY = berlin_today()


def client_as(app: Flask, person) -> object:
    client = app.test_client()
    login(client, person.email)
    return client


@pytest.fixture
def setup(app: Flask, org) -> SimpleNamespace:
    """An organisation-wide requirement, late for all but the employee; a team A one, open; one for team B."""
    with app.app_context():
        privacy = MaterialFactory(title="Datenschutz kompakt")
        filing = MaterialFactory(title="E-Akte im Team")
        north = MaterialFactory(title="Nur für Nord")
        RequirementFactory(material=privacy, rule={"due_days": 10})
        RequirementFactory(material=filing, team=db.session.merge(org.team_a), rule={"due_days": 60})
        RequirementFactory(material=north, team=db.session.merge(org.team_b), rule={"due_days": 60})
        CompletionFactory(person=db.session.merge(org.employee), material=privacy, completed_on=TODAY)
        db.session.add(
            PlanItem(
                person_id=org.employee.id,
                material=filing,
                reason="Für den Posteingang",
                state="approved",
                target_date=date(2099, 6, 30),
                decided_at=utcnow(),
                decided_by_id=org.lead.id,
            )
        )
        db.session.commit()
        return SimpleNamespace(privacy=privacy.id, filing=filing.id, north=north.id)


# The pure shaping ---------------------------------------------------------------------------------------------------
def item(material, state: str, due: date | None = None, done: date | None = None) -> PersonItem:
    rule = Rule(valid_from=TODAY, due_kind="days", due_days=30)
    return PersonItem(material, [], Status(state, due, done, None, rule), material.id)


def test_matrix_counts_filters_sorts_and_pages() -> None:
    a, b = SimpleNamespace(id=1, title="B-Schulung"), SimpleNamespace(id=2, title="A-Schulung")
    people = [SimpleNamespace(id=n, name=name) for n, name in ((1, "Zora"), (2, "Anna"), (3, "Mia"))]
    items = {
        1: [item(a, OVERDUE, due=TODAY), item(b, OPEN, due=TODAY)],
        2: [item(a, DONE, done=TODAY)],
        3: [],
    }
    built = matrix.build(people, items, matrix.Filters())
    assert [column.material.title for column in built.columns] == ["A-Schulung", "B-Schulung"]
    assert [row.person.name for row in built.page.items] == ["Anna", "Mia", "Zora"]
    assert built.columns[1].counts == {"done": 1, "open": 0, "overdue": 1}
    assert [row.open_count for row in built.page.items] == [0, 0, 2]
    assert built.page.items[1].items == {}  # nothing applies: "–" in every cell
    assert built.open_total == 2

    by_open = matrix.build(people, items, matrix.Filters(sort="offen"))
    assert [row.person.name for row in by_open.page.items] == ["Zora", "Anna", "Mia"]
    late = matrix.build(people, items, matrix.Filters(only_overdue=True))
    assert [row.person.name for row in late.page.items] == ["Zora"]
    one = matrix.build(people, items, matrix.Filters(material_id=2))
    assert [column.material.id for column in one.columns] == [2]
    assert [row.person.name for row in one.page.items] == ["Zora"]
    assert [m.id for m in one.materials] == [2, 1]  # the filter still offers every material

    many = [SimpleNamespace(id=n, name=f"P{n:03d}") for n in range(120)]
    paged = matrix.build(many, {}, matrix.Filters(page=3))
    assert (paged.page.page, paged.page.pages, paged.page.total, len(paged.page.items)) == (3, 3, 120, 20)
    assert matrix.build(many, {}, matrix.Filters(page=9)).page.page == 3


def test_filters_read_from_the_url_fall_back_on_nonsense() -> None:
    filters = matrix.Filters.from_args({"ueberfaellig": "1", "material": "7", "sortierung": "offen", "seite": "2"})
    assert filters == matrix.Filters(True, 7, "offen", 2)
    assert filters.url_args() == {"ueberfaellig": 1, "material": 7, "sortierung": "offen"}
    assert matrix.Filters.from_args({"material": "x", "sortierung": "boese", "seite": "-1"}) == matrix.Filters()


def test_cell_dates() -> None:
    rule = Rule(valid_from=TODAY, due_kind="days", due_days=30)
    later = TODAY + timedelta(days=9)
    assert matrix.cell_date(Status(DONE, None, TODAY, None, rule)) == ("done", TODAY)
    assert matrix.cell_date(Status(DONE, later, TODAY, later, rule)) == ("valid_until", later)
    assert matrix.cell_date(Status(OVERDUE, TODAY, None, None, rule)) == ("due", TODAY)


# The team page -------------------------------------------------------------------------------------------------------
def test_team_page_shows_statuses_and_counts(app: Flask, org, setup) -> None:
    html = client_as(app, org.lead).get(f"/team/{org.team_a.id}").get_data(as_text=True)
    assert "<caption" in html and 'role="region"' in html and 'scope="row"' in html
    assert "Datenschutz kompakt" in html and "E-Akte im Team" in html
    assert "Nur für Nord" not in html  # team B's requirement
    assert "Überfällig" in html and "Erledigt" in html and "Offen" in html
    assert "1 erledigt, 0 offen, 2 überfällig" in html  # privacy: the employee done, lead and head late
    assert "0 erledigt, 3 offen, 0 überfällig" in html
    assert "gültig bis" not in html and f"am {TODAY:%d.%m.%Y}" in html
    assert f'href="/team/person/{org.employee.id}"' in html
    assert f'href="/nachweise/person/{org.employee.id}"' in html  # the existing links stay
    assert "Vorschläge für den Qualifizierungsplan" in html


def test_team_page_filters(app: Flask, org, setup) -> None:
    client = client_as(app, org.lead)
    late = client.get(f"/team/{org.team_a.id}?ueberfaellig=1").get_data(as_text=True)
    assert f'href="/team/person/{org.lead.id}"' in late
    assert f'href="/team/person/{org.employee.id}"' not in late  # done and open, nothing late
    assert "2 Personen" in late
    one = client.get(f"/team/{org.team_a.id}?material={setup.filing}&sortierung=offen").get_data(as_text=True)
    one = one.split('id="charts-heading"')[0]  # the matrix; the charts below it are not filtered
    assert "E-Akte im Team</th>" in one and "Datenschutz kompakt</th>" not in one
    assert "Datenschutz kompakt</option>" in one  # still offered in the filter
    assert '<option value="offen" selected>' in one


def test_lead_never_sees_another_team(app: Flask, org, setup) -> None:
    client = client_as(app, org.lead)
    assert client.get(f"/team/{org.team_b.id}").status_code == 403
    assert client.get(f"/team/person/{org.other_employee.id}").status_code == 403
    other = client_as(app, org.other_lead)
    assert other.get(f"/team/{org.team_a.id}").status_code == 403
    assert other.get(f"/team/person/{org.employee.id}").status_code == 403
    with app.app_context():
        assert db.session.scalars(select(AccessLogEntry)).all() == []  # refusals are not views


@pytest.mark.parametrize("path", ["/team", "/team/{team}", "/team/person/{person}"])
def test_employee_has_no_team_pages(app: Flask, org, path: str) -> None:
    url = path.format(team=org.team_a.id, person=org.lead.id)
    assert client_as(app, org.employee).get(url).status_code == 403


def test_drill_down_shows_items_plan_history_and_is_logged(app: Flask, org, setup) -> None:
    for viewer in (org.lead, org.head, org.admin):
        response = client_as(app, viewer).get(f"/team/person/{org.employee.id}")
        assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Datenschutz kompakt" in html and "E-Akte im Team" in html and "Nur für Nord" not in html
    assert "Pflicht für alle Beschäftigten" in html and "Pflicht für Team Leistung Team 1" in html
    assert f"erledigt am {TODAY:%d.%m.%Y}" in html
    assert "Zieldatum 30.06.2099" in html and "Zugestimmt von Lena Leitung" in html
    assert "selbst als erledigt markiert" in html
    with app.app_context():
        entries = db.session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id)).all()
        assert [(e.action, e.viewer_id, e.subject_id) for e in entries] == [
            ("person_viewed", org.lead.id, org.employee.id),
            ("person_viewed", org.head.id, org.employee.id),
            ("person_viewed", org.admin.id, org.employee.id),
        ]


def test_unknown_person_is_404(app: Flask, org) -> None:
    assert client_as(app, org.admin).get("/team/person/999999").status_code == 404


def test_matrix_statements_do_not_grow_with_the_team(app: Flask, org, setup, create, count_queries) -> None:
    client = client_as(app, org.lead)
    url = f"/team/{org.team_a.id}"

    def statements() -> int:
        client.get(url)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    for _ in range(2):
        create(PersonFactory, team=org.team_a)
    small = statements()  # 5 members
    for _ in range(20):
        create(PersonFactory, team=org.team_a)
    assert statements() == small  # 25 members


def test_team_without_requirements_lists_its_members(app: Flask, org) -> None:
    html = client_as(app, org.lead).get(f"/team/{org.team_a.id}").get_data(as_text=True)
    assert "keine Pflichtschulungen" in html
    assert f'href="/team/person/{org.employee.id}"' in html and f'href="/nachweise/person/{org.employee.id}"' in html
