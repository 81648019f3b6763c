"""Statistics: the aggregate tables agree with the records, small groups are suppressed, admins see teams."""

from __future__ import annotations

import random
import re
import threading
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from flask import Flask
from sqlalchemy import delete, func, select, update

from quali_kompass.catalogue.models import Material, SessionDate, SessionRegistration
from quali_kompass.curricula import completions
from quali_kompass.curricula.models import Completion
from quali_kompass.curricula.queries import items_for_people
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import utcnow
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Membership, Person, Team
from quali_kompass.statistics import services
from quali_kompass.statistics import views as statistics_views
from quali_kompass.statistics.figures import hidden_parts
from quali_kompass.statistics.models import MaterialUsage, OrganisationFulfilment, TeamFulfilment
from tests.bulk import bulk_completions, bulk_members
from tests.conftest import POSTGRES_URL, login
from tests.factories import (
    DepartmentFactory,
    MaterialFactory,
    PersonFactory,
    RequirementFactory,
    TeamFactory,
    ToolFactory,
)

TOO_FEW = "zu wenige Personen"


# Recomputations from the records ------------------------------------------------------------------------------------
def usage_from_records() -> dict[int, tuple[int, int]]:
    rows = db.session.execute(
        select(Completion.material_id, func.count(Completion.id), func.count(func.distinct(Completion.person_id)))
        .where(Completion.reset_at.is_(None))
        .group_by(Completion.material_id)
    )
    return {material_id: (records, people) for material_id, records, people in rows}


def usage_table() -> dict[int, tuple[int, int]]:
    rows = db.session.execute(select(MaterialUsage.material_id, MaterialUsage.completions, MaterialUsage.people))
    return {material_id: (records, people) for material_id, records, people in rows if records or people}


def members_on(team_id: int, day: date) -> list[int]:
    return db.session.scalars(
        select(Membership.person_id)
        .join(Person, Person.id == Membership.person_id)
        .where(
            Membership.team_id == team_id,
            Person.active.is_(True),
            Membership.start_date <= day,
            (Membership.end_date.is_(None)) | (Membership.end_date >= day),
        )
    ).all()


def fulfilment_from_records(day: date) -> dict[int, tuple[int, int, int]]:
    """Per team with people on the day: (people, applicable, fulfilled), as the team page counts them."""
    result = {}
    for team_id in db.session.scalars(select(Team.id)):
        ids = members_on(team_id, day)
        if ids:
            items = [item for person_items in items_for_people(ids, day).values() for item in person_items]
            result[team_id] = (len(ids), len(items), sum(item.status.fulfilled for item in items))
    return result


def snapshot(day: date | None = None) -> dict[int, tuple[int, int, int]]:
    condition = TeamFulfilment.is_current.is_(True) if day is None else TeamFulfilment.day == day
    rows = db.session.execute(
        select(
            TeamFulfilment.team_id, TeamFulfilment.people, TeamFulfilment.applicable, TeamFulfilment.fulfilled
        ).where(condition)
    )
    return {team_id: (people, applicable, fulfilled) for team_id, people, applicable, fulfilled in rows}


# The tables follow every write of the completion services -----------------------------------------------------------
@pytest.fixture
def world(app: Flask, org) -> SimpleNamespace:
    """Three self-study materials and a session with a begun date; requirements on the organisation, department A
    and team B; a few more people in both teams, all registered for the date."""
    with app.app_context():
        team_a, team_b = db.session.get(Team, org.team_a.id), db.session.get(Team, org.team_b.id)
        extra = [PersonFactory(team=team_a) for _ in range(3)] + [PersonFactory(team=team_b) for _ in range(3)]
        guides = [MaterialFactory(kind=kind) for kind in ("document", "guide", "video")]
        session = MaterialFactory(kind="session")
        start = utcnow() - timedelta(hours=2)
        session_date = SessionDate(
            material=session, starts_at=start, ends_at=start + timedelta(hours=1), place="Raum 1", capacity=30
        )
        db.session.add(session_date)
        db.session.flush()
        people = [org.employee, org.lead, org.head, org.other_lead, org.other_employee, *extra]
        ids = [person.id for person in people]
        db.session.add_all(SessionRegistration(session_date_id=session_date.id, person_id=pid) for pid in ids)
        RequirementFactory(material=guides[0], rule={"recertification": "months", "recert_months": 12})
        RequirementFactory(material=guides[1], department=db.session.get(Department, org.dept_a.id))
        RequirementFactory(material=session, team=team_b)
        db.session.commit()
        return SimpleNamespace(
            people=ids, materials=[guide.id for guide in guides] + [session.id], date=session_date.id
        )


def random_write(rng: random.Random, world: SimpleNamespace, org) -> None:
    """One write through the completion services, as a view does it; refusals are rolled back."""
    admin = db.session.get(Person, org.admin.id)
    person = db.session.get(Person, rng.choice(world.people))
    material = db.session.get(Material, rng.choice(world.materials[:3]))
    action = rng.choice(["mark", "mark", "record", "record", "reset", "undo", "confirm"])
    try:
        if action == "mark":
            completions.mark_done(person, material)
        elif action == "record":
            day = berlin_today() - timedelta(days=rng.choice([0, 3, 40, 400, 800]))
            completions.record(admin, person, material, day, "Schulung beim Bildungsträger")
        elif action in ("reset", "undo"):
            method = ["self"] if action == "undo" else ["self", "recorded", "attendance"]
            standing = db.session.scalars(
                select(Completion).where(Completion.reset_at.is_(None), Completion.method.in_(method))
            ).all()
            if not standing:
                return
            completion = rng.choice(standing)
            if action == "undo":
                completions.undo_own(completion.person, completion)
            else:
                completions.reset(admin, completion, "Falsch erfasst")
        else:
            session_date = db.session.get(SessionDate, world.date)
            completions.confirm_attendance(admin, session_date, rng.sample(world.people, rng.randint(1, 4)))
        db.session.commit()
    except ServiceError:
        db.session.rollback()


def test_usage_and_team_snapshots_agree_with_the_records_after_random_writes(app: Flask, org, world) -> None:
    rng = random.Random(20261123)
    with app.test_request_context():
        services.refresh(berlin_today())
        db.session.commit()
        for _ in range(120):
            random_write(rng, world, org)
        db.session.expire_all()
        assert db.session.scalar(select(func.count(Completion.id)).where(Completion.reset_at.is_not(None)))
        assert usage_table() == usage_from_records()
        assert snapshot() == fulfilment_from_records(berlin_today())
        assert set(snapshot()) == {org.team_a.id, org.team_b.id}


def test_a_write_moves_todays_snapshot_by_its_own_difference_and_counts_a_team_without_one(
    app: Flask, org, world
) -> None:
    """With today's snapshot present, a record changes it by what the record changes for its person: a deviation
    from elsewhere (here written by hand, in life a move since the morning's refresh) stays until the next refresh.
    A team without today's snapshot is counted afresh from its members."""
    with app.test_request_context():
        services.refresh(berlin_today())
        db.session.execute(
            update(TeamFulfilment).where(TeamFulfilment.team_id == org.team_a.id).values(applicable=1000)
        )
        db.session.execute(delete(TeamFulfilment).where(TeamFulfilment.team_id == org.team_b.id))
        db.session.commit()
        before = snapshot()[org.team_a.id]
        material = db.session.get(Material, world.materials[0])  # mandatory for everyone
        for person_id in (org.employee.id, org.other_employee.id):  # team A, team B
            completions.mark_done(db.session.get(Person, person_id), material)
        db.session.commit()
        recount = fulfilment_from_records(berlin_today())
        assert snapshot()[org.team_a.id] == (before[0], 1000, before[2] + 1)
        assert snapshot()[org.team_b.id] == recount[org.team_b.id]
        services.refresh(berlin_today())
        db.session.commit()
        assert snapshot() == recount


def test_the_people_count_falls_only_with_the_persons_last_record(app: Flask, org, world) -> None:
    with app.test_request_context():
        admin = db.session.get(Person, org.admin.id)
        person = db.session.get(Person, org.employee.id)
        material = db.session.get(Material, world.materials[0])
        today = completions.mark_done(person, material)
        earlier = completions.record(admin, person, material, berlin_today() - timedelta(days=5), "Nachweis")
        db.session.commit()
        usage = db.session.get(MaterialUsage, material.id)
        assert (usage.completions, usage.people) == (2, 1)
        completions.undo_own(person, today)
        db.session.commit()
        db.session.refresh(usage)
        assert (usage.completions, usage.people) == (1, 1)
        completions.reset(admin, earlier, "Doppelt")
        db.session.commit()
        db.session.refresh(usage)
        assert (usage.completions, usage.people) == (0, 0)


@pytest.mark.skipif(not POSTGRES_URL, reason="parallel transactions need PostgreSQL (set QK_TEST_DATABASE_URL)")
def test_parallel_writes_in_one_team_add_up(app: Flask, org, world) -> None:
    """Six people of two teams mark the same material at once, some twice on different days: every record and
    person counts, and each team's snapshot includes all of them (the second writer waits for the first)."""
    barrier = threading.Barrier(6)
    errors: list[Exception] = []

    def write(person_id: int, twice: bool) -> None:
        try:
            with app.test_request_context():
                person, material = db.session.get(Person, person_id), db.session.get(Material, world.materials[0])
                admin = db.session.get(Person, org.admin.id)
                barrier.wait(10)
                completions.mark_done(person, material)
                if twice:
                    completions.record(admin, person, material, berlin_today() - timedelta(days=9), "Nachweis")
                db.session.commit()
                db.session.remove()
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [
        threading.Thread(target=write, args=(person_id, index % 2 == 0))
        for index, person_id in enumerate(world.people[:6])
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    with app.app_context():
        assert usage_table() == usage_from_records() == {world.materials[0]: (9, 6)}
        assert snapshot() == fulfilment_from_records(berlin_today())


# Refresh, backfill and rebuild --------------------------------------------------------------------------------------
def test_refresh_agrees_with_the_records_today_and_at_past_month_ends_and_is_idempotent(app: Flask, org) -> None:
    today = berlin_today()
    with app.app_context():
        department = db.session.get(Department, org.dept_a.id)
        team = TeamFactory(department=department)
        since = today - timedelta(days=100)
        people = [PersonFactory(team=team, team__since=since) for _ in range(6)]
        material = MaterialFactory()
        RequirementFactory(material=material, effective_from=today - timedelta(days=400))
        db.session.commit()
        ids = [person.id for person in people]
    bulk_completions(app, ids[:3], material.id, today - timedelta(days=45))
    with app.app_context():
        result = services.refresh(today, backfill_months=3)
        db.session.commit()
        assert result["teams"] == 3 and result["past_rows"] >= 2
        assert snapshot() == fulfilment_from_records(today)
        for day in services.month_ends(today, 3):
            expected = fulfilment_from_records(day)
            assert snapshot(day) == expected, day
            month = db.session.get(OrganisationFulfilment, day)  # the trend's point: the sum of the teams
            if expected:
                assert (month.people, month.applicable, month.fulfilled) == tuple(
                    map(sum, zip(*expected.values(), strict=True))
                )
            else:
                assert month is None
        rows = db.session.scalars(select(TeamFulfilment).order_by(TeamFulfilment.team_id, TeamFulfilment.day)).all()
        before = [(row.team_id, row.day, row.people, row.applicable, row.fulfilled, row.is_current) for row in rows]
        services.refresh(today, backfill_months=3)
        db.session.commit()
        rows = db.session.scalars(select(TeamFulfilment).order_by(TeamFulfilment.team_id, TeamFulfilment.day)).all()
        after = [(row.team_id, row.day, row.people, row.applicable, row.fulfilled, row.is_current) for row in rows]
        assert after == before
        # A later day of the month replaces the month's snapshot: one row per team and month.
        later = today + timedelta(days=1) if (today + timedelta(days=1)).month == today.month else today
        services.refresh(later)
        db.session.commit()
        per_month = db.session.execute(
            select(TeamFulfilment.team_id, TeamFulfilment.day).where(TeamFulfilment.day >= today.replace(day=1))
        ).all()
        first = today.replace(day=1)
        next_month = (first + timedelta(days=32)).replace(day=1)
        this_month = [row for row in per_month if row.day < next_month]
        assert len(this_month) == len({row.team_id for row in this_month})


def test_rebuild_repairs_corrupted_tables(app: Flask, org) -> None:
    today = berlin_today()
    with app.app_context():
        materials = [MaterialFactory() for _ in range(3)]
        RequirementFactory(material=materials[0])
        db.session.commit()
        material_ids = [material.id for material in materials]
    ids = bulk_members(app, org.dept_a.id, 12, teams=2)
    bulk_completions(app, ids[:7], material_ids[0])
    bulk_completions(app, ids[3:10], material_ids[1], today - timedelta(days=3))
    with app.app_context():
        services.refresh(today)
        db.session.commit()
        db.session.execute(update(MaterialUsage).values(people=99))
        db.session.execute(update(TeamFulfilment).values(fulfilled=0))
        db.session.commit()
        assert usage_table() != usage_from_records()
    result = app.test_cli_runner().invoke(args=["statistics-rebuild"])
    assert result.exit_code == 0, result.output
    assert "Statistics rebuilt" in result.output
    with app.app_context():
        assert usage_table() == usage_from_records() == {material_ids[0]: (7, 7), material_ids[1]: (7, 7)}
        assert snapshot() == fulfilment_from_records(today)


def test_refresh_command_takes_a_day_and_backfills(app: Flask, org) -> None:
    runner = app.test_cli_runner()
    day = berlin_today() - timedelta(days=2)  # the org's people joined 30 days ago
    result = runner.invoke(args=["statistics-refresh", "--today", day.isoformat(), "--backfill-months", "2"])
    assert result.exit_code == 0, result.output
    assert "Statistics refreshed: 2 team(s)" in result.output
    with app.app_context():
        assert snapshot() == fulfilment_from_records(day)
    assert runner.invoke(args=["statistics-refresh", "--today", "15.10.2026"]).exit_code != 0


def test_retention_uncounts_the_records_it_deletes(app: Flask, org) -> None:
    from quali_kompass.privacy.retention import apply_retention

    with app.test_request_context():
        material = MaterialFactory()
        person = PersonFactory()
        db.session.add(
            Membership(
                person=person,
                team=db.session.get(Team, org.team_a.id),
                start_date=date(2010, 1, 1),
                end_date=date(2012, 1, 1),
            )
        )
        person.active = False
        db.session.flush()
        completions.record(db.session.get(Person, org.admin.id), person, material, date(2011, 3, 1), "Alt")
        completions.mark_done(db.session.get(Person, org.employee.id), material)
        db.session.commit()
        assert db.session.get(MaterialUsage, material.id).people == 2
        apply_retention(berlin_today(), utcnow(), 2, 365)
        db.session.commit()
        assert usage_table() == usage_from_records()
        assert db.session.get(MaterialUsage, material.id).people == 1


# Suppression ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("people", "hidden"),
    [
        ([5, 6, 7], set()),
        ([4, 5, 6], {0, 1}),  # one hidden part alone would follow from the total: the next smallest goes too
        ([5, 4, 3], {1, 2}),
        ([2, 2, 20, 30], {0, 1, 2}),  # two hidden parts of four people together: one more
        ([4], {0}),
        ([], set()),
    ],
)
def test_hidden_parts(people: list[int], hidden: set[int]) -> None:
    assert hidden_parts(people) == hidden


def add_people(team_id: int, count: int) -> list[int]:
    team = db.session.get(Team, team_id)
    return [PersonFactory(team=team).id for _ in range(count)]


@pytest.fixture
def sized(app: Flask, org) -> SimpleNamespace:
    """Department A with 5 people (team A), B with 4 (team B 2 + team B2 2), C with 3; a material done by 5
    people and one by 4; today's snapshot."""
    with app.test_request_context():
        add_people(org.team_a.id, 2)
        team_b2 = TeamFactory(name="Integration Süd", department=db.session.get(Department, org.dept_b.id))
        add_people(team_b2.id, 2)
        dept_c = DepartmentFactory(name="Zentrale Dienste")
        team_c = TeamFactory(name="=SUMME(A1)", department=dept_c)
        add_people(team_c.id, 3)
        RequirementFactory(material=MaterialFactory())
        five = MaterialFactory(title="Von fünf erledigt", tools=[ToolFactory(name="=Werkzeug")])
        four = MaterialFactory(title="=HYPERLINK(Von vier erledigt)")
        db.session.commit()
        people = db.session.scalars(select(Person.id).where(Person.active.is_(True))).all()
        for index, person_id in enumerate(sorted(people)[:5]):
            person = db.session.get(Person, person_id)
            completions.mark_done(person, five)
            if index < 4:
                completions.mark_done(person, four)
        services.refresh(berlin_today())
        db.session.commit()
        return SimpleNamespace(team_b2=team_b2.id, team_c=team_c.id, dept_c=dept_c.id)


def table(page: str, caption: str) -> str:
    start = page.index(caption)
    return page[start : page.index("</table>", start)]


def row(html: str, label: str) -> str:
    start = html.index(label)
    return html[start : html.index("</tr>", start)]


def test_small_groups_are_suppressed_on_the_page(app: Flask, org, sized) -> None:
    client = app.test_client()
    login(client, org.employee.email)
    page = client.get("/statistik").get_data(as_text=True)
    departments = table(page, "Erfüllte Pflichtschulungen je Fachbereich</caption>")
    assert TOO_FEW not in row(departments, "Leistungsgewährung")  # 5 people
    assert '<td class="kern-table__cell">5</td>' in row(departments, "Leistungsgewährung")
    assert TOO_FEW in row(departments, "Markt und Integration")  # 4 people
    assert TOO_FEW in row(departments, "Zentrale Dienste")  # 3 people
    assert TOO_FEW not in row(departments, "Alle Fachbereiche")
    usage = table(page, "Materialien, die die meisten Personen erledigt haben")
    assert TOO_FEW not in row(usage, "Von fünf erledigt")
    assert TOO_FEW in row(usage, "=HYPERLINK(Von vier erledigt)")
    assert "Erfüllte Pflichtschulungen je Team" not in page  # only for admins
    assert "/statistik/export.csv" not in page


def test_admins_see_teams_with_small_ones_suppressed(app: Flask, org, sized) -> None:
    client = app.test_client()
    login(client, org.admin.email)
    page = client.get("/statistik").get_data(as_text=True)
    teams = table(page, "Erfüllte Pflichtschulungen je Team</caption>")
    assert TOO_FEW not in row(teams, "Leistung Team 1")  # 5 people
    assert TOO_FEW in row(teams, "Integration Nord") and TOO_FEW in row(teams, "Integration Süd")
    assert "/statistik/export.csv" in page


def test_admins_page_through_the_teams_and_choose_a_department(app: Flask, org) -> None:
    bulk_members(app, org.dept_a.id, 120, teams=60)  # Masse Team 00 … 59, two people each
    with app.app_context():
        services.refresh(berlin_today())
        db.session.commit()
    client = app.test_client()
    login(client, org.admin.email)

    def team_rows(url: str) -> list[str]:
        page = client.get(url).get_data(as_text=True)
        return re.findall(r'<th scope="row" class="kern-table__cell">([^<]+)</th>', table(page, "je Team</caption>"))

    first = client.get("/statistik").get_data(as_text=True)
    assert "62 Teams" in first and "Seite 1 von 2" in first
    assert len(team_rows("/statistik")) == 50
    rest = team_rows("/statistik?seite=2")
    assert len(rest) == 12 and "Integration Nord" in rest  # department B's team comes after department A's
    assert team_rows("/statistik?seite=99") == rest and len(team_rows("/statistik?seite=-1")) == 50
    department_b = team_rows(f"/statistik?fachbereich={org.dept_b.id}")
    assert department_b == ["Integration Nord"]
    assert "Masse Team 00" in team_rows(f"/statistik?fachbereich={org.dept_a.id}&seite=1")
    chosen = client.get(f"/statistik?fachbereich={org.dept_a.id}").get_data(as_text=True)
    assert f"/statistik?seite=2&amp;fachbereich={org.dept_a.id}" in chosen  # the next page keeps the department
    assert len(team_rows("/statistik?fachbereich=unsinn")) == 50  # unknown: all departments


def test_departments_come_a_page_at_a_time_and_each_list_keeps_the_others_page(
    app: Flask, org, sized, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(statistics_views, "DEPARTMENTS_PER_PAGE", 2)
    monkeypatch.setattr(statistics_views, "TEAMS_PER_PAGE", 1)
    client = app.test_client()
    login(client, org.admin.email)

    def department_rows(page: str) -> list[str]:
        return re.findall(r'<th scope="row" class="kern-table__cell">([^<]+)</th>', table(page, "je Fachbereich"))

    first = client.get("/statistik").get_data(as_text=True)
    # two departments a page, the total under every page
    assert department_rows(first) == ["Leistungsgewährung", "Markt und Integration", "Alle Fachbereiche"]
    assert "(Seite 1 von 2)" in first
    assert "/statistik?fachbereiche_seite=2#departments-heading" in first
    second = client.get("/statistik?fachbereiche_seite=2&seite=3").get_data(as_text=True)
    assert department_rows(second) == ["Zentrale Dienste", "Alle Fachbereiche"]
    # the departments' links keep the teams' page 3, the teams' links the departments' page 2
    assert "/statistik?fachbereiche_seite=1&amp;seite=3#departments-heading" in second
    assert "/statistik?seite=2&amp;fachbereiche_seite=2#teams-heading" in second
    last = client.get("/statistik?fachbereiche_seite=99").get_data(as_text=True)
    assert department_rows(last) == department_rows(second)


def test_csv_export_for_admins_only_with_formulas_neutralised(app: Flask, org, sized) -> None:
    employee = app.test_client()
    login(employee, org.employee.email)
    assert employee.get("/statistik/export.csv").status_code == 403
    admin = app.test_client()
    login(admin, org.admin.email)
    response = admin.get("/statistik/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "statistik-" in response.headers["Content-Disposition"]
    content = response.get_data()
    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith("Auswertung;Bezeichnung;Materialien;Personen;Nachweise")
    assert "Fachbereich;Leistungsgewährung;;5;;" in content.decode("utf-8-sig")
    assert f"Fachbereich;Markt und Integration;;{TOO_FEW};;;;" in lines
    assert f"Meistgenutzte Materialien;'=HYPERLINK(Von vier erledigt);;{TOO_FEW};;;;" in lines
    assert "Meistgenutzte Materialien;Von fünf erledigt;;5;5;;;" in lines
    assert f"Team;Zentrale Dienste / =SUMME(A1);;{TOO_FEW};;;;" in lines  # the formula is not at the start
    assert "Katalog nach Werkzeug;'=Werkzeug;1;;;;;" in lines
    assert sum(line.startswith("Monat;") for line in lines) == 12


def test_figures_are_computed_at_most_once_a_minute_and_say_when(
    app: Flask, org, sized, count_queries, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.config["QK_STATISTICS_CACHE_SECONDS"] = 60
    clock = [1000.0]
    monkeypatch.setattr("quali_kompass.statistics.views.monotonic", lambda: clock[0])
    client = app.test_client()
    login(client, org.employee.email)

    def usage_row() -> str:
        page = client.get("/statistik").get_data(as_text=True)
        assert re.search(r"Berechnet: \d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr\.", page)
        return row(table(page, "Materialien, die die meisten Personen erledigt haben"), "Von fünf erledigt")

    assert '<td class="kern-table__cell">5</td>' in usage_row()
    with count_queries() as counter:
        assert '<td class="kern-table__cell">5</td>' in usage_row()
    assert counter.count == 1, "\n".join(counter.statements)  # the login session: the figures are kept
    with app.app_context():
        sixth = PersonFactory(team=db.session.get(Team, org.team_a.id))
        completions.mark_done(sixth, db.session.scalar(select(Material).where(Material.title == "Von fünf erledigt")))
        db.session.commit()
    clock[0] += 59
    assert '<td class="kern-table__cell">5</td>' in usage_row()
    clock[0] += 2
    assert '<td class="kern-table__cell">6</td>' in usage_row()


def test_everything_is_hidden_below_five_people_in_all(app: Flask, org) -> None:
    with app.app_context():
        services.refresh(berlin_today())  # the org fixture's two teams: five people
        db.session.execute(update(Person).where(Person.id == org.other_employee.id).values(active=False))
        services.refresh(berlin_today())
        db.session.commit()
    client = app.test_client()
    login(client, org.admin.email)
    page = client.get("/statistik").get_data(as_text=True)
    assert "Es gibt zu wenige Personen für eine Auswertung." in page
    assert "Leistung Team 1" not in page


# Statements ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["employee", "admin"])
def test_page_statements_do_not_grow_with_people_and_records(app: Flask, org, count_queries, role: str) -> None:
    with app.app_context():
        materials = [MaterialFactory() for _ in range(3)]
        RequirementFactory(material=materials[0])
        db.session.commit()
        material_ids = [material.id for material in materials]
    client = app.test_client()
    login(client, getattr(org, role).email)
    counts = []
    for added in (0, 300):
        if added:
            ids = bulk_members(app, org.dept_a.id, added, teams=6)
            bulk_completions(app, ids[::2], material_ids[0])
            bulk_completions(app, ids[1::3], material_ids[1])
        with app.app_context():
            services.rebuild(berlin_today(), backfill_months=2)
            db.session.commit()
        client.get("/statistik")
        with count_queries() as counter:
            response = client.get("/statistik")
        assert response.status_code == 200
        counts.append(counter)
    assert counts[0].count == counts[1].count, "\n".join(counts[1].statements)
    assert not any(re.search(r"\bcompletion\b", statement.lower()) for statement in counts[1].statements)
