"""Choosing material in forms of a catalogue of thousands: a search narrows the options, nothing typed is lost."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import Flask
from sqlalchemy import func, select

from quali_kompass.catalogue import picker
from quali_kompass.curricula.models import Completion, PlanItem, Requirement
from quali_kompass.curricula.status import berlin_today
from quali_kompass.extensions import db
from quali_kompass.news.models import NewsItem
from tests.conftest import login
from tests.factories import MaterialFactory

TITLES = [
    "Datenschutz im Jobcenter",
    "E-Akte Grundlagen",
    "E-Akte Vertiefung",
    "Excel im Leistungsbereich",
    "Teams-Besprechungen leiten",
    "VerBIS Vermittlung",
]
_OPTION = re.compile(r'<option(?P<attrs>[^>]*)value="(?P<value>[^"]*)"[^>]*>(?P<title>[^<]*)</option>')
_CHECKBOX = re.compile(r'<input(?P<attrs>[^>]*)name="material_ids"[^>]*value="(?P<value>\d+)"[^>]*>')


@pytest.fixture
def materials(app: Flask, monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """Six published materials and a draft; a form lists at most three at once."""
    monkeypatch.setattr(picker, "PICKER_LIMIT", 3)
    with app.app_context():
        created = {title: MaterialFactory(title=title) for title in TITLES}
        MaterialFactory(title="Datenschutz Entwurf", status="draft")
        db.session.commit()
        return SimpleNamespace(
            **{
                key: created[title].id
                for key, title in zip(
                    ("datenschutz", "akte", "akte_plus", "excel", "teams", "verbis"), TITLES, strict=True
                )
            }
        )


def client_as(app: Flask, email: str):
    client = app.test_client()
    login(client, email)
    return client


def options(html: str, field: str = "material_id") -> dict[int, str]:
    """The material a select offers (without its placeholder), by id."""
    select_ = re.search(rf'<select[^>]*\bid="{field}"[^>]*>(.*?)</select>', html, re.DOTALL)
    assert select_, f"no select {field} on the page"
    block = select_.group(1)
    return {int(m["value"]): m["title"] for m in _OPTION.finditer(block) if m["value"] not in ("", "0")}


def selected(html: str) -> list[int]:
    return [int(m["value"]) for m in _OPTION.finditer(html) if "selected" in m["attrs"] and m["value"] not in ("", "0")]


def record(material: int | str = "", **overrides: str) -> dict:
    return {
        "material_id": str(material),
        "completed_on": (berlin_today() - timedelta(days=3)).isoformat(),
        "note": "Präsenzschulung, Teilnahmebescheinigung liegt vor.",
    } | overrides


def completions(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Completion))


def test_a_large_catalogue_offers_the_first_materials_by_title_and_a_search(app: Flask, org, materials) -> None:
    page = client_as(app, org.lead.email).get(f"/nachweise/person/{org.employee.id}").text
    assert list(options(page).values()) == [
        "Datenschutz im Jobcenter",
        "E-Akte Grundlagen",
        "E-Akte Vertiefung",
    ]
    assert "Die ersten 3 von 6 Materialien nach Titel." in page
    assert 'name="material_search"' in page and 'name="material_picker"' in page
    assert "Datenschutz Entwurf" not in page


def test_a_small_catalogue_lists_everything_without_a_search(app: Flask, org, materials, monkeypatch) -> None:
    monkeypatch.setattr(picker, "PICKER_LIMIT", 50)
    page = client_as(app, org.lead.email).get(f"/nachweise/person/{org.employee.id}").text
    assert len(options(page)) == 6
    assert 'name="material_search"' not in page and "Materialien nach Titel" not in page


def test_searching_narrows_the_list_keeps_what_was_typed_and_saves_nothing(app: Flask, org, materials) -> None:
    lead = client_as(app, org.lead.email)
    typed = record(note="Nachgereicht vom Bildungsträger", material_search="Vermittlung", material_picker="1")
    page = lead.post(f"/nachweise/person/{org.employee.id}", data=typed)
    assert page.status_code == 200
    assert options(page.text) == {materials.verbis: "VerBIS Vermittlung"}
    assert "1 Treffer für „Vermittlung“." in page.text
    assert "Nachgereicht vom Bildungsträger" in page.text and typed["completed_on"] in page.text
    assert 'value="Vermittlung"' in page.text and "autofocus" in page.text
    assert "Bitte prüfen Sie Ihre Eingaben" not in page.text  # a search is not a failed save
    assert completions(app) == 0
    saved = lead.post(
        f"/nachweise/person/{org.employee.id}", data=record(materials.verbis, material_search="Vermittlung")
    )
    assert saved.status_code == 302 and completions(app) == 1


def test_a_chosen_material_stays_chosen_through_another_search(app: Flask, org, materials) -> None:
    lead = client_as(app, org.lead.email)
    typed = record(materials.verbis, material_search="Akte", material_picker="1")
    page = lead.post(f"/nachweise/person/{org.employee.id}", data=typed).text
    assert set(options(page)) == {materials.verbis, materials.akte, materials.akte_plus}
    assert selected(page) == [materials.verbis]
    assert "2 Treffer für „Akte“." in page


def test_a_search_without_matches_says_so(app: Flask, org, materials) -> None:
    typed = record(material_search="Zeiterfassung", material_picker="1")
    page = client_as(app, org.lead.email).post(f"/nachweise/person/{org.employee.id}", data=typed).text
    assert "Keine Treffer für „Zeiterfassung“. Versuchen Sie ein anderes Stichwort." in page
    assert options(page) == {}


def test_more_matches_than_one_list_are_cut_to_the_best(app: Flask, org, materials) -> None:
    with app.app_context():
        for number in range(3):
            MaterialFactory(title=f"Datenschutz Vertiefung {number}")
        db.session.commit()
    typed = record(material_search="Datenschutz", material_picker="1")
    page = client_as(app, org.lead.email).post(f"/nachweise/person/{org.employee.id}", data=typed).text
    assert len(options(page)) == 3
    assert "Die 3 besten von 4 Treffern für „Datenschutz“." in page


def test_saving_without_a_material_is_refused_with_nothing_written(app: Flask, org, materials) -> None:
    page = client_as(app, org.lead.email).post(f"/nachweise/person/{org.employee.id}", data=record())
    assert page.status_code == 400 and "Bitte wählen Sie ein Material aus." in page.text
    assert completions(app) == 0


def test_a_requirement_needs_a_material_chosen_and_can_be_searched_for(app: Flask, org, materials) -> None:
    admin = client_as(app, org.admin.email)
    fields = {
        "scope": "organisation",
        "effective_from": berlin_today().isoformat(),
        "due_kind": "days",
        "due_days": "30",
        "recertification": "none",
        "renewal_window_days": "30",
    }
    refused = admin.post("/pflichtschulungen/neu", data=fields | {"material_id": ""})
    assert refused.status_code == 400 and "Bitte wählen Sie ein Material." in refused.text
    found = admin.post("/pflichtschulungen/neu", data=fields | {"material_search": "Excel", "material_picker": "1"})
    assert found.status_code == 200 and options(found.text) == {materials.excel: "Excel im Leistungsbereich"}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Requirement)) == 0
    saved = admin.post("/pflichtschulungen/neu", data=fields | {"material_id": str(materials.excel)})
    assert saved.status_code == 302, saved.text
    with app.app_context():
        assert db.session.scalar(select(Requirement.material_id)) == materials.excel


def test_a_plan_proposal_searches_the_catalogue(app: Flask, org, materials) -> None:
    employee = client_as(app, org.employee.email)
    found = employee.post(
        "/kompass/plan", data={"material_search": "Teams", "material_picker": "1", "reason": "Für die Übergabe."}
    )
    assert found.status_code == 200 and options(found.text) == {materials.teams: "Teams-Besprechungen leiten"}
    assert "Für die Übergabe." in found.text
    assert (
        employee.post(
            "/kompass/plan", data={"material_id": str(materials.teams), "reason": "Für die Übergabe."}
        ).status_code
        == 302
    )
    with app.app_context():
        assert db.session.scalar(select(PlanItem.material_id)) == materials.teams


def test_a_news_item_keeps_its_linked_material_through_a_search(app: Flask, org, materials) -> None:
    editor = client_as(app, org.editor.email)
    item = {
        "title": "Neue Version der E-Akte",
        "body": "Ab Montag gilt die neue Oberfläche.",
        "publish_day": berlin_today().isoformat(),
        "publish_time": "08:00",
        "all_departments": "y",
        "material_ids": [str(materials.verbis)],
    }
    found = editor.post("/redaktion/neuigkeiten/neu", data=item | {"material_search": "Akte", "material_picker": "1"})
    assert found.status_code == 200
    boxes = {int(m["value"]): "checked" in m["attrs"] for m in _CHECKBOX.finditer(found.text)}
    assert boxes == {materials.verbis: True, materials.akte: False, materials.akte_plus: False}
    saved = editor.post(
        "/redaktion/neuigkeiten/neu", data=item | {"material_ids": [str(materials.verbis), str(materials.akte)]}
    )
    assert saved.status_code == 302
    with app.app_context():
        news = db.session.scalars(select(NewsItem)).one()
        assert sorted(material.id for material in news.materials) == sorted([materials.verbis, materials.akte])


@pytest.mark.parametrize("value", ["99999999999999999999999", "-5", "0"])
def test_an_id_of_no_material_is_refused_on_the_page(app: Flask, org, materials, value: str) -> None:
    lead = client_as(app, org.lead.email)
    page = lead.post(f"/nachweise/person/{org.employee.id}", data=record(value, material_search="Akte"))
    assert page.status_code == 400, page.status_code
    assert "Keine gültige Auswahl." in page.text
    assert completions(app) == 0
