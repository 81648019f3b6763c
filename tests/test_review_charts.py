"""Team charts on the team page: rates per mandatory material, the fulfilled share over twelve months, access."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from babel import dates as babel_dates
from flask import Flask
from sqlalchemy import select

from quali_kompass.curricula.queries import Fulfilment, fulfilment_by_team, items_for_people
from quali_kompass.curricula.status import berlin_today
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Membership, Person
from quali_kompass.review import charts
from quali_kompass.statistics import services as statistics
from quali_kompass.statistics.models import TeamFulfilment
from quali_kompass.statistics.queries import past_months
from tests.conftest import login
from tests.factories import (
    CompletionFactory,
    MaterialFactory,
    PersonFactory,
    RequirementFactory,
    TeamFactory,
)

TODAY = berlin_today()  # the view's today
DAYS = charts.trend_days(TODAY)
SVG = "{http://www.w3.org/2000/svg}"
# (applicable, fulfilled) per day of DAYS, oldest first: see the ``team`` fixture
TREND = [(4, 1), (4, 1), (4, 2), (4, 2), (6, 2), (6, 2), (8, 1), (8, 2), (8, 2), (12, 2), (12, 3), (12, 3)]


@pytest.fixture
def team(app: Flask, org) -> SimpleNamespace:
    """Team C with a lead who is no member, and four members; ``DAYS`` are d[0] (oldest) to d[11] (today).

    Requirements: privacy (everyone, no expiry) and fire safety (everyone, every 6 months) since before the window;
    filing (team C) since the first day after d[8], i.e. for the last three points.
    Anna: member throughout; privacy done on d[2], filing done on d[10].
    Carla: member throughout; fire safety done ten days before d[0], so valid up to d[5] and expired from d[6].
    Bernd: joined mid-year, the day after d[5], nowhere before; privacy done on d[7].
    Dora: in team B up to d[3], in team C since: counted only from d[4] (never her time in team B); nothing done.
    """
    with app.app_context():
        team_c = TeamFactory(name="Team Diagramm", department=db.session.merge(org.dept_a))
        lead = PersonFactory(name="Clara Chef", email="clara.chef@jobcenter-test.de")
        team_c.leads.append(lead)
        before = DAYS[0] - timedelta(days=60)
        anna = PersonFactory(name="Anna Alt", team=team_c, team__since=before)
        carla = PersonFactory(name="Carla Clever", team=team_c, team__since=before)
        bernd = PersonFactory(name="Bernd Neu", team=team_c, team__since=DAYS[5] + timedelta(days=1))
        dora = PersonFactory(name="Dora Wechsel")
        team_b = db.session.merge(org.team_b)
        db.session.add(Membership(person=dora, team=team_b, start_date=before, end_date=DAYS[3]))
        db.session.add(Membership(person=dora, team=team_c, start_date=DAYS[3] + timedelta(days=1)))
        privacy = MaterialFactory(title="Datenschutz & Schweigepflicht")
        fire = MaterialFactory(title="Brandschutz")
        filing = MaterialFactory(title="E-Akte im Team")
        since = DAYS[0] - timedelta(days=30)
        RequirementFactory(material=privacy, effective_from=since)
        RequirementFactory(material=fire, effective_from=since, rule={"recertification": "months", "recert_months": 6})
        RequirementFactory(material=filing, team=team_c, effective_from=DAYS[8] + timedelta(days=1))
        CompletionFactory(person=anna, material=privacy, completed_on=DAYS[2])
        CompletionFactory(person=anna, material=filing, completed_on=DAYS[10])
        CompletionFactory(person=carla, material=fire, completed_on=DAYS[0] - timedelta(days=10))
        CompletionFactory(person=bernd, material=privacy, completed_on=DAYS[7])
        db.session.commit()
        # The past month-ends as the daily refresh would have written them (the trend's source).
        statistics.refresh(TODAY, backfill_months=len(DAYS) - 1)
        db.session.commit()
        return SimpleNamespace(
            id=team_c.id,
            lead=lead,
            members=[anna.id, carla.id, bernd.id, dora.id],
            privacy=privacy.id,
            team_b=team_b.id,
        )


def team_trend(team_id: int) -> list[Fulfilment]:
    """The team page's trend: the snapshots of past month-ends and today's items of today's members."""
    members = db.session.scalars(
        select(Membership.person_id).where(Membership.team_id == team_id, Membership.end_date.is_(None))
    ).all()
    items = items_for_people(list(members), TODAY)
    return charts.team_trend(TODAY, past_months(TODAY, len(DAYS) - 1, team_id=team_id), items)


def client_as(app: Flask, person):
    client = app.test_client()
    login(client, person.email)
    return client


def svgs(html: str) -> list[ET.Element]:
    return [ET.fromstring(markup) for markup in re.findall(r"<svg .*?</svg>", html, flags=re.DOTALL)]


def table_rows(html: str, caption_id: str) -> list[list[str]]:
    """The body rows of the table captioned ``caption_id``, as cell texts."""
    markup = re.search(rf'<table [^>]*>\s*<caption id="{caption_id}".*?</table>', html, flags=re.DOTALL).group(0)
    body = ET.fromstring(markup).find("tbody")
    return [["".join(cell.itertext()).strip() for cell in row] for row in body]


def svg_texts(svg: ET.Element) -> list[str]:
    return [text.text for text in svg.iter(f"{SVG}text")]


# The loader --------------------------------------------------------------------------------------------------------
def test_trend_days_are_month_ends_then_today() -> None:
    assert len(DAYS) == 12 and DAYS[-1] == TODAY and sorted(DAYS) == DAYS
    assert all((day + timedelta(days=1)).day == 1 for day in DAYS[:-1])
    assert DAYS[-2] == TODAY.replace(day=1) - timedelta(days=1)
    leap = [date(2023, 12, 31), date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 15)]
    assert charts.trend_days(date(2024, 3, 15), 4) == leap


def test_fulfilment_per_day_counts_history(app: Flask, team) -> None:
    with app.app_context():
        tally = fulfilment_by_team(team.members, DAYS)
        assert [tuple(tally[(team.id, day)][1:]) for day in DAYS] == TREND
        # Dora's time in team B is team B's, with her two items on each of d[0] to d[3], never team C's
        assert [tally[(team.team_b, day)] for day in DAYS[:4]] == [[1, 2, 0]] * 4
        assert all((team.team_b, day) not in tally for day in DAYS[4:])


def test_trend_reads_snapshots_and_todays_items(app: Flask, team, count_queries) -> None:
    with app.app_context():
        with count_queries() as counter:
            past = past_months(TODAY, len(DAYS) - 1, team_id=team.id)
        assert counter.count == 1 and [row.day for row in past] == DAYS[:-1]
        trend = team_trend(team.id)
        assert [(point.applicable, point.fulfilled) for point in trend] == TREND
        assert [point.day for point in trend] == DAYS


def test_trend_keeps_people_who_left_and_shows_months_without_snapshot(app: Flask, team) -> None:
    """A month-end snapshot counts who was in the team then; a month no refresh ever saw has no figure."""
    with app.app_context():
        carla = db.session.scalars(
            select(Membership).join(Person).where(Person.name == "Carla Clever", Membership.team_id == team.id)
        ).one()
        carla.end_date = TODAY - timedelta(days=1)
        first_past = past_months(TODAY, len(DAYS) - 1, team_id=team.id)[0]
        db.session.delete(db.session.get(TeamFulfilment, (team.id, first_past.day)))
        db.session.commit()
        trend = team_trend(team.id)
        assert (trend[0].applicable, trend[0].fulfilled) == (0, 0) and trend[0].share is None
        # Carla left yesterday: her items count at every past month-end, no more today
        assert [(point.applicable, point.fulfilled) for point in trend[1:-1]] == TREND[1:-1]
        assert (trend[-1].applicable, trend[-1].fulfilled) == (9, 3)


def test_todays_items_take_four_statements(app: Flask, team, count_queries) -> None:
    with app.app_context():
        with count_queries() as counter:
            items = items_for_people(team.members, TODAY)
        assert counter.count == 4  # spans, requirements with their rules, completions, versions
        assert sum(len(person_items) for person_items in items.values()) == TREND[-1][0]


def test_a_day_without_items_has_no_share() -> None:
    assert Fulfilment(TODAY, 0, 0).share is None
    assert Fulfilment(TODAY, 4, 1).share == 0.25


# The charts (pure) -------------------------------------------------------------------------------------------------
def test_rates_and_trend_rows(app: Flask, team) -> None:
    with app.test_request_context():
        built = charts.build(items_for_people(team.members, TODAY), team_trend(team.id))
        rates = [(row.label, row.fulfilled, row.applicable, row.percent, row.count) for row in built.rates]
        assert rates == [
            ("Brandschutz", 0, 4, "0\xa0%", "0 von 4"),
            ("Datenschutz & Schweigepflicht", 2, 4, "50\xa0%", "2 von 4"),
            ("E-Akte im Team", 1, 4, "25\xa0%", "1 von 4"),
        ]
        assert [row.percent for row in built.trend][:3] == ["25\xa0%", "25\xa0%", "50\xa0%"]
        assert built.trend[9].percent == "17\xa0%"  # 2 of 12
        svg = ET.fromstring(str(built.rates_svg))
        assert "50\xa0% (2 von 4)" in svg_texts(svg)
        assert "Datenschutz & Schweigepflicht" in svg_texts(svg)  # escaped in the markup, whole in the text


def test_empty_month_has_no_bar_and_a_dash(app: Flask) -> None:
    with app.test_request_context():
        points = [Fulfilment(DAYS[0], 0, 0), Fulfilment(DAYS[1], 2, 2)]
        built = charts.build({}, points)
        assert built.rates_svg is None
        assert [row.percent for row in built.trend] == ["–", "100\xa0%"]
        svg = ET.fromstring(str(built.trend_svg))
        assert len(svg.findall(f"{SVG}rect")) == 1  # the full month only
        assert "–" in svg_texts(svg) and "0\xa0%" in svg_texts(svg)  # the dash, and the axis' 0 %
        assert charts.build({}, [Fulfilment(DAYS[0], 0, 0)]).trend_svg is None


def test_long_titles_are_cut_in_the_chart_only(app: Flask) -> None:
    with app.test_request_context():
        title = "Datenschutzunterweisung für Beschäftigte mit Zugriff auf Sozialdaten nach SGB II"
        row = charts.Row(title, 1, 2, 0.5, "50 %", "1 von 2")
        texts = svg_texts(ET.fromstring(str(charts.rates_svg([row]))))
        assert texts[0].endswith("…") and len(texts[0]) <= charts.TITLE_CHARS


# The team page -----------------------------------------------------------------------------------------------------
def test_team_page_shows_both_charts_with_their_tables(app: Flask, team) -> None:
    response = client_as(app, team.lead).get(f"/team/{team.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Auswertung für das Team" in html and "keine Werte einzelner Personen" in html
    rates_svg, trend_svg = svgs(html)
    for svg, prefix in ((rates_svg, "chart-rates"), (trend_svg, "chart-trend")):
        assert svg.get("role") == "img" and svg.get("width") == "100%" and svg.get("viewBox")
        assert svg.get("aria-labelledby") == f"{prefix}-title" and svg.get("aria-describedby") == f"{prefix}-desc"
        assert svg.find(f"{SVG}title").get("id") == f"{prefix}-title" and svg.find(f"{SVG}desc").text
    assert rates_svg.find(f"{SVG}title").text == "Erfüllungsquote je Pflichtschulung"
    assert trend_svg.find(f"{SVG}title").text == "Anteil erfüllter Pflichtschulungen in den letzten 12 Monaten"
    assert html.count("<figure") == 2 and html.count("<figcaption") == 2

    # the tables hold the chart's numbers
    rates = table_rows(html, "chart-rates-caption")
    assert rates == [
        ["Brandschutz", "0", "4", "0\xa0%"],
        ["Datenschutz & Schweigepflicht", "2", "4", "50\xa0%"],
        ["E-Akte im Team", "1", "4", "25\xa0%"],
    ]
    labels = [text for text in svg_texts(rates_svg) if "von" in text]
    assert labels == [f"{row[3]} ({row[1]} von {row[2]})" for row in rates]

    trend = table_rows(html, "chart-trend-caption")
    assert [(int(row[3]), int(row[2])) for row in trend] == TREND
    assert [row[1] for row in trend] == [f"{day:%d.%m.%Y}" for day in DAYS]
    percents = [row[4] for row in trend]
    assert percents[-1] == "25\xa0%"
    assert [text for text in svg_texts(trend_svg) if text.endswith("%")][3:] == percents  # after the axis' 3

    # no names, and no figure of a single person, in the charts
    charts_html = html.split('id="charts-heading"')[1]
    for name in ("Anna Alt", "Carla Clever", "Bernd Neu", "Dora Wechsel"):
        assert name not in charts_html


def test_month_names_follow_the_persons_language(app: Flask, team) -> None:
    with app.app_context():
        db.session.get(Person, team.lead.id).locale = "en"
        db.session.commit()
    html = client_as(app, team.lead).get(f"/team/{team.id}").get_data(as_text=True)
    months = [row[0] for row in table_rows(html, "chart-trend-caption")]
    assert months == [babel_dates.format_date(day, "MMMM yyyy", locale="en") for day in DAYS]
    short = [text for text in svg_texts(svgs(html)[1]) if text.isalpha()]
    assert short == [babel_dates.format_date(day, "MMM", locale="en") for day in DAYS]


def test_lead_of_team_b_never_sees_team_c_or_a(app: Flask, org, team) -> None:
    other = client_as(app, org.other_lead)
    for team_id in (team.id, org.team_a.id):
        response = other.get(f"/team/{team_id}")
        assert response.status_code == 403
        assert "Erfüllungsquote" not in response.get_data(as_text=True)
    html = client_as(app, org.other_lead).get(f"/team/{org.team_b.id}").get_data(as_text=True)
    # Dora's time in team B is team B's: team C's requirement "E-Akte im Team" never shows there
    assert "E-Akte im Team" not in html


def test_team_without_requirements_says_so(app: Flask, org) -> None:
    html = client_as(app, org.lead).get(f"/team/{org.team_a.id}").get_data(as_text=True)
    assert "Für dieses Team gibt es keine Auswertung" in html
    assert "<svg" not in html.split('id="charts-heading"')[1].split("</section>")[0]


def test_team_page_statements_same_with_3_and_30_members(app: Flask, org, create, count_queries) -> None:
    """The charts add no statement per member: team A has 3 members, then 30."""
    with app.app_context():
        RequirementFactory(material=MaterialFactory(title="Datenschutz"))
        RequirementFactory(material=MaterialFactory(title="E-Akte"), team=db.session.merge(org.team_a))
        db.session.commit()
    client = client_as(app, org.lead)
    url = f"/team/{org.team_a.id}"

    def statements() -> int:
        client.get(url)
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200 and response.get_data(as_text=True).count("<svg ") == 2
        return counter.count

    small = statements()
    for _ in range(27):
        create(PersonFactory, team=org.team_a)
    assert statements() == small
