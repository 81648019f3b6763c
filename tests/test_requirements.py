"""Requirements (Pflichtschulungen): who may set them where, the rule checks, rule changes, lifting, the pages."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from flask import Flask
from sqlalchemy import func, select

from quali_kompass.audit.models import AuditEvent
from quali_kompass.catalogue.models import Material
from quali_kompass.curricula import requirements
from quali_kompass.curricula.models import Completion, Requirement, RequirementRule
from quali_kompass.curricula.requirements import RuleInput
from quali_kompass.curricula.status import berlin_today
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Person, Team
from quali_kompass.statistics import services as statistics
from tests.bulk import bulk_members
from tests.conftest import login
from tests.factories import MaterialFactory, PersonFactory, RequirementFactory


@pytest.fixture
def material(create):
    return create(MaterialFactory, title="Datenschutz im Jobcenter")


def client_as(app: Flask, person) -> object:
    client = app.test_client()
    login(client, person.email)
    return client


def form(material, scope: str = "organisation", **overrides) -> dict:
    data = {
        "material_id": str(material.id),
        "scope": scope,
        "effective_from": berlin_today().isoformat(),
        "due_kind": "days",
        "due_days": "30",
        "due_date": "",
        "recertification": "none",
        "recert_months": "",
        "recert_day_month": "",
        "renewal_window_days": "30",
        "note": "",
    }
    data.update(overrides)
    return data


def counts(app: Flask) -> tuple[int, int, int]:
    """Requirements, rules and audit entries about requirements."""
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Requirement.id))),
            db.session.scalar(select(func.count(RequirementRule.id))),
            db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action.like("requirement_%"))),
        )


def make_requirement(app: Flask, actor, material, scope: str = "organisation", target=None, **fields) -> int:
    """Create a requirement through the service (effective 60 days ago unless told otherwise)."""
    with app.app_context():
        person = db.session.get(Person, actor.id)
        department = db.session.get(Department, target.id) if scope == "department" else None
        team = db.session.get(Team, target.id) if scope == "team" else None
        requirement = requirements.create(
            person,
            db.session.merge(material),
            scope,
            department=department,
            team=team,
            effective_from=fields.pop("effective_from", berlin_today() - timedelta(days=60)),
            rule=RuleInput(**{"due_days": 30, **fields}),
        )
        db.session.commit()
        return requirement.id


# Who may set requirements where -----------------------------------------------------------------------------------
def test_admin_sets_requirements_for_any_scope(app: Flask, org, material) -> None:
    client = client_as(app, org.admin)
    for scope in ("organisation", f"department:{org.dept_b.id}", f"team:{org.team_a.id}"):
        response = client.post("/pflichtschulungen/neu", data=form(material, scope))
        assert response.status_code == 302, response.text
    with app.app_context():
        rows = db.session.execute(select(Requirement.scope, Requirement.department_id, Requirement.team_id)).all()
        assert sorted(rows, key=str) == sorted(
            [("organisation", None, None), ("department", org.dept_b.id, None), ("team", None, org.team_a.id)], key=str
        )
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "requirement_created")).first()
        assert event.object_type == "requirement" and event.object_label.startswith("Datenschutz im Jobcenter")
    page = client.get("/pflichtschulungen")
    assert page.status_code == 200
    assert "innerhalb von 30 Tagen nach Zuweisung" in page.text
    assert "Fachbereich Markt und Integration" in page.text and "Ganze Organisation" in page.text


def test_department_head_sets_requirements_for_their_department_and_its_teams_only(app: Flask, org, material) -> None:
    client = client_as(app, org.head)
    new = client.get("/pflichtschulungen/neu")
    assert new.status_code == 200
    assert f'value="department:{org.dept_a.id}"' in new.text and f'value="team:{org.team_a.id}"' in new.text
    assert 'value="organisation"' not in new.text and f'value="department:{org.dept_b.id}"' not in new.text
    assert client.post("/pflichtschulungen/neu", data=form(material, f"department:{org.dept_a.id}")).status_code == 302
    assert client.post("/pflichtschulungen/neu", data=form(material, f"team:{org.team_a.id}")).status_code == 302
    before = counts(app)
    for scope in ("organisation", f"department:{org.dept_b.id}", f"team:{org.team_b.id}"):
        refused = client.post("/pflichtschulungen/neu", data=form(material, scope))
        assert refused.status_code == 400 and "Bitte wählen Sie einen Eintrag aus der Liste." in refused.text
    assert counts(app) == before


def test_lead_sets_requirements_for_their_team_only(app: Flask, org, material) -> None:
    client = client_as(app, org.lead)
    assert client.post("/pflichtschulungen/neu", data=form(material, f"team:{org.team_a.id}")).status_code == 302
    before = counts(app)
    for scope in ("organisation", f"department:{org.dept_a.id}", f"team:{org.team_b.id}"):
        assert client.post("/pflichtschulungen/neu", data=form(material, scope)).status_code == 400
    assert counts(app) == before


def test_the_service_refuses_scopes_beyond_the_actor(app: Flask, org, material) -> None:
    with app.app_context():
        lead = db.session.get(Person, org.lead.id)
        with pytest.raises(ServiceError, match="dürfen Sie keine Pflichtschulungen"):
            requirements.create(
                lead,
                db.session.merge(material),
                "department",
                department=db.session.get(Department, org.dept_a.id),
                effective_from=berlin_today(),
                rule=RuleInput(due_days=30),
            )
        db.session.rollback()
    assert counts(app) == (0, 0, 0)


@pytest.mark.parametrize("role", ["employee", "editor", "auditor", "other_employee"])
def test_everyone_else_gets_403(app: Flask, org, material, role: str) -> None:
    requirement_id = make_requirement(app, org.admin, material)
    client = client_as(app, getattr(org, role))
    assert client.get("/pflichtschulungen").status_code == 403
    assert client.get("/pflichtschulungen/neu").status_code == 403
    assert client.post("/pflichtschulungen/neu", data=form(material)).status_code == 403
    assert client.get(f"/pflichtschulungen/{requirement_id}").status_code == 403
    assert client.post(f"/pflichtschulungen/{requirement_id}/aufheben", data={"confirm": "y"}).status_code == 403
    assert counts(app) == (1, 1, 1)


def test_no_one_changes_another_departments_requirement(app: Flask, org, material) -> None:
    other = make_requirement(app, org.admin, material, "department", org.dept_b)
    own_department = make_requirement(app, org.admin, material, "department", org.dept_a)
    head, lead = client_as(app, org.head), client_as(app, org.lead)
    change = form(material, due_days="60")
    assert head.get(f"/pflichtschulungen/{other}").status_code == 403
    assert head.post(f"/pflichtschulungen/{other}/regel", data=change).status_code == 403
    assert head.post(f"/pflichtschulungen/{other}/aufheben", data={"confirm": "y"}).status_code == 403
    # The lead reads the requirement of their department, but may not change it.
    page = lead.get(f"/pflichtschulungen/{own_department}")
    assert page.status_code == 200 and "Regel ändern" not in page.text and "aufheben" not in page.text.lower()
    assert lead.post(f"/pflichtschulungen/{own_department}/regel", data=change).status_code == 403
    assert lead.post(f"/pflichtschulungen/{own_department}/aufheben", data={"confirm": "y"}).status_code == 403
    assert lead.get(f"/pflichtschulungen/{other}").status_code == 403
    assert counts(app) == (2, 2, 2)
    # The head manages their own department's requirement.
    assert "Regel ändern" in head.get(f"/pflichtschulungen/{own_department}").text
    assert head.post(f"/pflichtschulungen/{own_department}/regel", data=change).status_code == 302


def test_list_shows_managed_and_applicable_requirements(app: Flask, org, material, create) -> None:
    make_requirement(app, org.admin, material)
    make_requirement(app, org.admin, create(MaterialFactory, title="Nur für B"), "department", org.dept_b)
    make_requirement(app, org.admin, create(MaterialFactory, title="Team Nord"), "team", org.team_b)
    page = client_as(app, org.lead).get("/pflichtschulungen")
    assert page.status_code == 200
    assert "Datenschutz im Jobcenter" in page.text and "nur lesen" in page.text
    assert "Nur für B" not in page.text and "Team Nord" not in page.text
    other = client_as(app, org.other_lead).get("/pflichtschulungen").text
    assert "Nur für B" in other and "Team Nord" in other


def test_the_list_is_paginated_and_filtered_by_scope_and_counts_each_page(app: Flask, org, material) -> None:
    with app.app_context():
        team = db.session.get(Team, org.team_a.id)
        RequirementFactory(material=db.session.get(Material, material.id))  # the organisation's
        for number in range(55):
            RequirementFactory(material=MaterialFactory(title=f"Teamschulung {number:02d}"), team=team)
        db.session.commit()
    client = client_as(app, org.admin)
    first = client.get("/pflichtschulungen").text
    assert "56 Pflichtschulungen" in first and "Seite 1 von 2" in first
    assert first.count("/pflichtschulungen/") - first.count("/pflichtschulungen/neu") == 50
    # active requirements by title: the organisation's "Datenschutz im Jobcenter" first; the team's counted too
    assert first.index("Datenschutz im Jobcenter") < first.index("Teamschulung 00")
    second = client.get("/pflichtschulungen?seite=2").text
    assert "Teamschulung 54" in second and "Datenschutz im Jobcenter" not in second
    assert client.get("/pflichtschulungen?seite=99").text.count("Teamschulung 54") == 1  # the last page
    organisation = client.get("/pflichtschulungen?geltung=organisation").text
    assert "1 Pflichtschulung<" in organisation and "Teamschulung" not in organisation
    teams = client.get("/pflichtschulungen?geltung=team").text
    assert "55 Pflichtschulungen" in teams and "/pflichtschulungen?seite=2&amp;geltung=team" in teams
    assert "56 Pflichtschulungen" in client.get("/pflichtschulungen?geltung=unsinn&seite=x").text


# Rule checks ------------------------------------------------------------------------------------------------------
TEN_YEARS_ON = (berlin_today() + timedelta(days=365 * 11)).isoformat()

INVALID = [
    ({"due_days": "0"}, "zwischen 1 und 3650 Tagen"),
    ({"due_days": "3651"}, "zwischen 1 und 3650 Tagen"),
    ({"due_days": "dreißig"}, "Bitte geben Sie eine ganze Zahl ein."),
    ({"due_kind": "date", "due_date": ""}, "Bitte geben Sie das Datum an"),
    ({"due_kind": "date", "due_date": TEN_YEARS_ON}, "höchstens zehn Jahre entfernt"),
    ({"due_kind": "sometime"}, "Bitte wählen Sie einen Eintrag aus der Liste."),
    ({"recertification": "months", "recert_months": "0"}, "zwischen 1 und 120 Monaten"),
    ({"recertification": "months", "recert_months": "121"}, "zwischen 1 und 120 Monaten"),
    ({"recertification": "months", "recert_months": ""}, "zwischen 1 und 120 Monaten"),
    ({"recertification": "yearly", "recert_day_month": "31.02."}, "gültigen Tag und Monat"),
    ({"recertification": "yearly", "recert_day_month": "13.13."}, "gültigen Tag und Monat"),
    ({"recertification": "yearly", "recert_day_month": "Januar"}, "gültigen Tag und Monat"),
    ({"recertification": "months", "recert_months": "12", "renewal_window_days": "366"}, "zwischen 0 und 365 Tagen"),
    ({"recertification": "months", "recert_months": "12", "renewal_window_days": "-1"}, "zwischen 0 und 365 Tagen"),
    ({"effective_from": TEN_YEARS_ON}, "höchstens zehn Jahre entfernt"),
    ({"effective_from": "morgen"}, "Bitte geben Sie ein gültiges Datum an."),
]


@pytest.mark.parametrize(("overrides", "message"), INVALID)
def test_invalid_rules_are_refused_at_their_field(app: Flask, org, material, overrides: dict, message: str) -> None:
    response = client_as(app, org.admin).post("/pflichtschulungen/neu", data=form(material, **overrides))
    assert response.status_code == 400
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert counts(app) == (0, 0, 0)


def test_valid_rules_are_stored_without_unused_fields(app: Flask, org, material, create) -> None:
    client = client_as(app, org.admin)
    yearly = form(
        material,
        due_kind="date",
        due_date="2027-03-31",
        due_days="30",
        recertification="yearly",
        recert_day_month="31.01.",
        recert_months="12",
        renewal_window_days="30",
    )
    assert client.post("/pflichtschulungen/neu", data=yearly).status_code == 302
    other = create(MaterialFactory, title="Videoberatung")
    months = form(other, recertification="months", recert_months="12", renewal_window_days="")
    assert client.post("/pflichtschulungen/neu", data=months).status_code == 302
    with app.app_context():
        rules = db.session.scalars(select(RequirementRule).order_by(RequirementRule.id)).all()
        assert (rules[0].due_kind, rules[0].due_days, rules[0].due_date) == ("date", None, date(2027, 3, 31))
        assert (rules[0].recert_months, rules[0].recert_month, rules[0].recert_day) == (None, 1, 31)
        assert (rules[1].recert_months, rules[1].renewal_window_days) == (12, 30)
    page = client.get("/pflichtschulungen").text
    assert "bis zum 31.03.2027" in page and "jährlich bis 31.01., Erinnerung 30 Tage vorher" in page
    assert "Auffrischung alle 12 Monate" in page


def test_draft_material_cannot_become_mandatory(app: Flask, org, create) -> None:
    draft = create(MaterialFactory, status="draft")
    response = client_as(app, org.admin).post("/pflichtschulungen/neu", data=form(draft))
    assert response.status_code == 400
    assert counts(app) == (0, 0, 0)
    with app.app_context(), pytest.raises(ServiceError, match="veröffentlichtes Material"):
        requirements.create(
            db.session.get(Person, org.admin.id),
            db.session.merge(draft),
            "organisation",
            effective_from=berlin_today(),
            rule=RuleInput(due_days=30),
        )


def test_the_same_material_twice_in_the_same_scope_is_refused(app: Flask, org, material) -> None:
    client = client_as(app, org.admin)
    assert client.post("/pflichtschulungen/neu", data=form(material)).status_code == 302
    again = client.post("/pflichtschulungen/neu", data=form(material))
    assert again.status_code == 400
    assert "Für diesen Bereich gibt es diese Pflichtschulung schon." in again.text
    assert counts(app) == (1, 1, 1)
    # Another scope is fine.
    assert client.post("/pflichtschulungen/neu", data=form(material, f"team:{org.team_a.id}")).status_code == 302


# Changing the rule and lifting ------------------------------------------------------------------------------------
def test_a_rule_change_adds_a_rule_and_keeps_the_old_one(app: Flask, org, material) -> None:
    requirement_id = make_requirement(app, org.admin, material)
    client = client_as(app, org.admin)
    url = f"/pflichtschulungen/{requirement_id}/regel"
    change = form(material, recertification="months", recert_months="24", valid_from=berlin_today().isoformat())
    assert client.post(url, data=change).status_code == 302
    with app.app_context():
        rules = db.session.scalars(
            select(RequirementRule).where(RequirementRule.requirement_id == requirement_id).order_by("valid_from")
        ).all()
        assert [(rule.valid_from, rule.recertification, rule.recert_months) for rule in rules] == [
            (berlin_today() - timedelta(days=60), "none", None),
            (berlin_today(), "months", 24),
        ]
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "requirement_rule_changed")).one()
        assert event.details["previous"]["recertification"] == "none"
    page = client.get(f"/pflichtschulungen/{requirement_id}").text
    assert "Eine geänderte Auffrischungsfrist gilt für Nachweise ab dem Tag der Änderung" in page
    assert "Auffrischung alle 24 Monate" in page and "innerhalb von 30 Tagen nach Zuweisung" in page
    before = counts(app)
    # The same rule again: nothing is written.
    unchanged = client.post(url, data=change, follow_redirects=True)
    assert "Die Regel ist unverändert" in unchanged.text
    assert counts(app) == before
    # A new rule before the last change would rewrite history.
    earlier = form(material, due_days="10", valid_from=(berlin_today() - timedelta(days=5)).isoformat())
    refused = client.post(url, data=earlier)
    assert refused.status_code == 400 and "frühestens ab dem" in refused.text
    invalid = client.post(url, data=form(material, due_days="0", valid_from=berlin_today().isoformat()))
    assert invalid.status_code == 400 and "zwischen 1 und 3650 Tagen" in invalid.text
    assert counts(app) == before


def test_a_rule_change_defaults_to_today(app: Flask, org, material) -> None:
    requirement_id = make_requirement(app, org.admin, material)
    with app.app_context():
        requirement = db.session.get(Requirement, requirement_id)
        rule = requirements.change_rule(db.session.get(Person, org.admin.id), requirement, RuleInput(due_days=45))
        db.session.commit()
        assert rule.valid_from == berlin_today() and len(requirement.rules) == 2


def test_ending_lifts_the_requirement_and_keeps_its_history(app: Flask, org, material) -> None:
    requirement_id = make_requirement(app, org.head, material, "department", org.dept_a)
    client = client_as(app, org.head)
    url = f"/pflichtschulungen/{requirement_id}/aufheben"
    unconfirmed = client.post(url, data={"ended_on": berlin_today().isoformat()})
    assert unconfirmed.status_code == 400 and "Bitte bestätigen Sie" in unconfirmed.text
    assert counts(app) == (1, 1, 1)
    assert client.post(url, data={"ended_on": berlin_today().isoformat(), "confirm": "y"}).status_code == 302
    with app.app_context():
        requirement = db.session.get(Requirement, requirement_id)
        assert requirement.ended_on == berlin_today() and len(requirement.rules) == 1
    assert counts(app) == (1, 1, 2)
    page = client.get(f"/pflichtschulungen/{requirement_id}").text
    assert "aufgehoben" in page and "innerhalb von 30 Tagen nach Zuweisung" in page and "Regel ändern" not in page
    # Lifted: the same material may be required again, and the old one can no longer change.
    again = client.post(url, data={"ended_on": berlin_today().isoformat(), "confirm": "y"})
    assert again.status_code == 403 or "bereits aufgehoben" in again.text
    assert client.post("/pflichtschulungen/neu", data=form(material, f"department:{org.dept_a.id}")).status_code == 302


# The requirement page ---------------------------------------------------------------------------------------------
def test_page_shows_assigned_people_with_statuses(app: Flask, org, material) -> None:
    requirement_id = make_requirement(app, org.admin, material, due_days=10)
    with app.app_context():
        db.session.add(
            Completion(
                person_id=org.employee.id,
                material_id=material.id,
                completed_on=berlin_today() - timedelta(days=3),
                method="self",
            )
        )
        db.session.commit()
    admin_page = client_as(app, org.admin).get(f"/pflichtschulungen/{requirement_id}")
    assert admin_page.status_code == 200
    text = admin_page.text
    # In the team for 30 days with 10 days to do it: everyone without a record is overdue.
    assert "Erika Beispiel" in text and "Olga Weit" in text
    assert "Erledigt" in text and "Überfällig" in text and "kern-icon--check" in text and "kern-icon--danger" in text
    assert (berlin_today() - timedelta(days=3)).strftime("%d.%m.%Y") in text
    assert "Pflicht für alle Beschäftigten der Organisation." in text
    # The lead sees the people of their own team only.
    lead_page = client_as(app, org.lead).get(f"/pflichtschulungen/{requirement_id}").text
    assert "Erika Beispiel" in lead_page and "Olga Weit" not in lead_page and "Otto Anders" not in lead_page
    listing = client_as(app, org.admin).get("/pflichtschulungen").text
    assert "Datenschutz im Jobcenter" in listing


def test_the_assigned_list_is_paginated(app: Flask, org, material) -> None:
    with app.app_context():
        for number in range(52):
            PersonFactory(name=f"Zora Zahl {number:02d}", team=db.session.get(Team, org.team_b.id))
        db.session.commit()
    requirement_id = make_requirement(app, org.admin, material, "team", org.team_b)
    client = client_as(app, org.admin)
    first = client.get(f"/pflichtschulungen/{requirement_id}").text
    assert "Seite 1 von 2" in first and "54 Personen" in first
    second = client.get(f"/pflichtschulungen/{requirement_id}?seite=2").text
    assert "Seite 2 von 2" in second and first.count("Zora Zahl") + second.count("Zora Zahl") == 52


def test_the_assigned_people_are_chosen_in_the_database_not_sent_as_parameters(
    app: Flask, org, material, count_queries
) -> None:
    # PostgreSQL's driver sends at most 65,535 parameters a statement; an organisation-wide requirement of a federal
    # deployment has 100,000 people. No statement of the page may grow with them.
    requirement_id = make_requirement(app, org.admin, material)
    client = client_as(app, org.admin)
    with count_queries() as few:
        assert client.get(f"/pflichtschulungen/{requirement_id}").status_code == 200
    bulk_members(app, org.dept_a.id, 120, teams=3)
    with count_queries() as many:
        page = client.get(f"/pflichtschulungen/{requirement_id}")
    assert "125 Personen" in page.text  # and the five members of the small organisation's teams
    assert many.parameters == few.parameters and max(many.parameters) < 20


def listed_counts(page: str, title: str) -> list[str]:
    """The numbers (done, open, overdue) of the requirement's row on the list."""
    row = page[page.index(title) :].split("</tr>")[0]
    return re.findall(r'kern-table__cell--numeric">([^<]*)</td>', row)


def test_the_list_reads_todays_counts_moved_by_each_record_and_counts_changed_requirements_afresh(
    app: Flask, org, material, count_queries
) -> None:
    requirement_id = make_requirement(app, org.admin, material, due_days=10)  # the five members are overdue
    with app.app_context():
        statistics.refresh(berlin_today())
        # A record written past the services (by hand, say) is not in the counts until the next count.
        db.session.add(
            Completion(person_id=org.employee.id, material_id=material.id, completed_on=berlin_today(), method="self")
        )
        db.session.commit()
    admin = client_as(app, org.admin)
    with count_queries() as counted:
        page = admin.get("/pflichtschulungen").text
    assert counted.count == 6  # without the three statements of counting (tests/test_query_counts.py: 9)
    assert listed_counts(page, "Datenschutz im Jobcenter") == ["0", "0", "5"]
    assert "Gezählt am " in page and "Die Seite einer Pflichtschulung zählt jedes Mal neu." in page
    # A record through the services moves them at once.
    assert client_as(app, org.other_employee).post(f"/katalog/{material.id}/erledigt").status_code == 302
    assert listed_counts(admin.get("/pflichtschulungen").text, "Datenschutz im Jobcenter") == ["1", "0", "4"]
    # A rule change drops the requirement's counts: the list counts it afresh until the next count.
    response = admin.post(
        f"/pflichtschulungen/{requirement_id}/regel",
        data={**form(material), "due_days": "90", "valid_from": (berlin_today() + timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 302
    page = admin.get("/pflichtschulungen").text
    assert listed_counts(page, "Datenschutz im Jobcenter") == ["2", "0", "3"] and "Gezählt am " not in page


def test_unknown_requirement_is_404(app: Flask, org) -> None:
    assert client_as(app, org.admin).get("/pflichtschulungen/999").status_code == 404


@pytest.fixture
def reached(app: Flask, org) -> SimpleNamespace:
    with app.app_context():
        return SimpleNamespace(
            **{
                role: requirements.reach(db.session.get(Person, getattr(org, role).id))
                for role in ("admin", "head", "lead", "employee")
            }
        )


def test_reach_per_role(org, reached) -> None:
    assert reached.admin.admin
    assert reached.head.managed_department_ids == {org.dept_a.id} and org.team_a.id in reached.head.managed_team_ids
    assert reached.lead.managed_department_ids == set() and reached.lead.managed_team_ids == {org.team_a.id}
    assert reached.lead.visible_department_ids == {org.dept_a.id}
    assert not (reached.employee.managed_team_ids or reached.employee.managed_department_ids)
