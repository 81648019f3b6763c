"""News: editors write for everyone or chosen departments; each person reads their news, privately marked read."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import Flask
from sqlalchemy import func, select

from quali_kompass.audit.models import AuditEvent
from quali_kompass.catalogue.models import Material
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.news.models import NewsItem, NewsRead
from quali_kompass.organisation.models import Department, Person
from tests.conftest import login
from tests.factories import MaterialFactory


def client_as(app: Flask, email: str):
    client = app.test_client()
    login(client, email)
    return client


def news_form(org, **overrides) -> dict:
    today = berlin_today()
    data = {
        "title": "Neue Version der E-Akte ab Montag",
        "body": "Ab Montag gilt die **neue Oberfläche**. Mehr im [Intranet](https://intranet.example.org/e-akte).",
        "publish_day": (today - timedelta(days=1)).isoformat(),
        "publish_time": "08:00",
        "department_ids": [org.dept_a.id],
    }
    data.update(overrides)
    return data


def add_news(app: Flask, **fields) -> int:
    fields.setdefault("title", "Eine Neuigkeit")
    fields.setdefault("body", "Text")
    fields.setdefault("publish_at", utcnow() - timedelta(hours=1))
    departments = fields.pop("departments", None)
    materials = fields.pop("materials", [])
    with app.app_context():
        news = NewsItem(all_departments=departments is None, **fields)
        news.departments = [db.session.get(Department, d.id) for d in departments or []]
        news.materials = [db.session.get(Material, m.id) for m in materials]
        db.session.add(news)
        db.session.commit()
        return news.id


@pytest.fixture
def limited(app: Flask, org) -> Person:
    """An editor limited to department A."""
    with app.app_context():
        person = Person(
            name="Lea Begrenzt",
            email="lea.begrenzt@jobcenter-test.de",
            is_editor=True,
            password_hash=db.session.get(Person, org.editor.id).password_hash,
        )
        person.editor_departments = [db.session.get(Department, org.dept_a.id)]
        db.session.add(person)
        db.session.commit()
        return person


@pytest.fixture
def news(app: Flask, org) -> SimpleNamespace:
    """Published news for all, for department A and for department B, and one scheduled for tomorrow."""
    return SimpleNamespace(
        everyone=add_news(app, title="Für alle: Datenschutz-Unterweisung"),
        dept_a=add_news(app, title="Nur Leistung: ALLEGRO-Update", departments=[org.dept_a]),
        dept_b=add_news(app, title="Nur Markt: VerBIS-Schulung", departments=[org.dept_b]),
        scheduled=add_news(app, title="Später: Neues Serviceportal", publish_at=utcnow() + timedelta(days=1)),
    )


# Editing ---------------------------------------------------------------------------------------------------------
def test_editor_writes_edits_and_deletes_news(app: Flask, org) -> None:
    with app.app_context():
        material = MaterialFactory(title="E-Akte: Posteingang")
        draft = MaterialFactory(title="Entwurf", status="draft")
        db.session.commit()
        material_id, draft_id = material.id, draft.id
    client = client_as(app, org.editor.email)
    page = client.get("/redaktion/neuigkeiten/neu")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "E-Akte: Posteingang" in html and "Entwurf" not in html  # only published material to link

    response = client.post("/redaktion/neuigkeiten/neu", data=news_form(org, material_ids=[material_id], pinned="y"))
    assert response.status_code == 302
    with app.app_context():
        item = db.session.scalars(select(NewsItem)).one()
        assert item.author_id == org.editor.id and item.pinned and not item.all_departments
        assert [d.id for d in item.departments] == [org.dept_a.id]
        assert [m.id for m in item.materials] == [material_id]
        # 08:00 in Berlin
        assert item.publish_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Berlin")).hour == 8
        news_id = item.id
    assert response.headers["Location"].endswith(f"/redaktion/neuigkeiten/{news_id}")
    edit = client.get(f"/redaktion/neuigkeiten/{news_id}").get_data(as_text=True)
    assert "<strong>neue Oberfläche</strong>" in edit  # the preview, sanitised
    assert "Neue Version der E-Akte ab Montag" in client.get("/redaktion/neuigkeiten").get_data(as_text=True)

    # A draft cannot be linked; nothing changes.
    response = client.post(f"/redaktion/neuigkeiten/{news_id}", data=news_form(org, material_ids=[draft_id]))
    assert response.status_code == 400
    response = client.post(
        f"/redaktion/neuigkeiten/{news_id}", data=news_form(org, title="Geänderte Überschrift", all_departments="y")
    )
    assert response.status_code == 302
    with app.app_context():
        item = db.session.get(NewsItem, news_id)
        assert item.title == "Geänderte Überschrift" and item.all_departments and item.departments == []
        assert item.materials == [] and not item.pinned

    # Deleting asks first; a bare POST deletes nothing.
    confirm = client.get(f"/redaktion/neuigkeiten/{news_id}/loeschen")
    assert confirm.status_code == 200 and "wirklich löschen" in confirm.get_data(as_text=True)
    assert client.post(f"/redaktion/neuigkeiten/{news_id}/loeschen").status_code == 400
    response = client.post(f"/redaktion/neuigkeiten/{news_id}/loeschen", data={"confirm": "yes"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/redaktion/neuigkeiten")
    with app.app_context():
        assert db.session.get(NewsItem, news_id) is None
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_type == "news_item").order_by(AuditEvent.id)
        ).all()
        assert actions == ["news_created", "news_changed", "news_deleted"]


def test_the_form_asks_for_title_text_and_departments_in_german(app: Flask, org) -> None:
    client = client_as(app, org.editor.email)
    response = client.post("/redaktion/neuigkeiten/neu", data=news_form(org, title="", body="", department_ids=[]))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Bitte füllen Sie dieses Feld aus." in html
    response = client.post("/redaktion/neuigkeiten/neu", data=news_form(org, department_ids=[]))
    assert response.status_code == 400
    assert "Bitte wählen Sie mindestens einen Fachbereich" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(NewsItem.id))) == 0


def test_limited_editor_targets_only_own_departments(app: Flask, org, limited: Person, news) -> None:
    client = client_as(app, limited.email)
    form = client.get("/redaktion/neuigkeiten/neu").get_data(as_text=True)
    assert "Leistungsgewährung" in form and "Markt und Integration" not in form
    for refused in (news_form(org, department_ids=[org.dept_b.id]), news_form(org, all_departments="y")):
        response = client.post("/redaktion/neuigkeiten/neu", data=refused)
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert "Bitte prüfen Sie Ihre Eingaben." in html or "Neuigkeiten nur für Ihre eigenen Fachbereiche" in html
    with app.app_context():
        assert db.session.scalar(select(func.count(NewsItem.id))) == 4  # the fixture's, nothing new
    # The service refuses too, whatever the form offers.
    with app.test_request_context():
        from quali_kompass.errors import ServiceError
        from quali_kompass.news.services import save_news

        editor = db.session.get(Person, limited.id)
        with pytest.raises(ServiceError, match="eigenen Fachbereiche"):
            save_news(
                None,
                editor,
                {"title": "X", "body": "Y", "publish_at": utcnow(), "all_departments": True},
                [],
                [],
            )
    # Only news of department A is listed and editable.
    listing = client.get("/redaktion/neuigkeiten").get_data(as_text=True)
    assert "Nur Leistung" in listing and "Nur Markt" not in listing and "Für alle" not in listing
    assert client.get(f"/redaktion/neuigkeiten/{news.dept_b}").status_code == 403
    assert client.get(f"/redaktion/neuigkeiten/{news.everyone}").status_code == 403
    assert client.post(f"/redaktion/neuigkeiten/{news.everyone}/loeschen", data={"confirm": "yes"}).status_code == 403
    assert client.get(f"/redaktion/neuigkeiten/{news.dept_a}").status_code == 200


def test_employees_see_news_for_all_and_for_their_department(app: Flask, org, news) -> None:
    employee = client_as(app, org.employee.email)  # department A
    listing = employee.get("/neuigkeiten").get_data(as_text=True)
    assert "Für alle: Datenschutz" in listing and "Nur Leistung" in listing
    assert "Nur Markt" not in listing and "Später" not in listing
    assert employee.get(f"/neuigkeiten/{news.dept_a}").status_code == 200
    assert employee.get(f"/neuigkeiten/{news.everyone}").status_code == 200
    assert employee.get(f"/neuigkeiten/{news.dept_b}").status_code == 404
    assert employee.get(f"/neuigkeiten/{news.scheduled}").status_code == 404
    assert employee.get("/neuigkeiten/999999").status_code == 404

    other = client_as(app, org.other_employee.email)  # department B
    listing = other.get("/neuigkeiten").get_data(as_text=True)
    assert "Nur Markt" in listing and "Nur Leistung" not in listing
    assert other.get(f"/neuigkeiten/{news.dept_a}").status_code == 404

    # People without a team see the news for all.
    auditor = client_as(app, org.auditor.email)
    listing = auditor.get("/neuigkeiten").get_data(as_text=True)
    assert "Für alle" in listing and "Nur Leistung" not in listing and "Nur Markt" not in listing

    # Editors may open what they may edit, as a preview, without it counting as read.
    editor = client_as(app, org.editor.email)
    preview = editor.get(f"/neuigkeiten/{news.scheduled}")
    assert preview.status_code == 200 and "erscheint erst am" in preview.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(NewsRead.id)).where(NewsRead.person_id == org.editor.id)) == 0


def test_scheduled_news_appears_at_its_time(app: Flask, org, news) -> None:
    employee = client_as(app, org.employee.email)
    assert "Später" not in employee.get("/neuigkeiten").get_data(as_text=True)
    with app.app_context():
        db.session.get(NewsItem, news.scheduled).publish_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert "Später: Neues Serviceportal" in employee.get("/neuigkeiten").get_data(as_text=True)
    assert employee.get(f"/neuigkeiten/{news.scheduled}").status_code == 200


def test_pinned_news_comes_first(app: Flask, org, news) -> None:
    pinned = add_news(app, title="Angeheftet: Wichtiger Hinweis", pinned=True, publish_at=utcnow() - timedelta(days=9))
    listing = client_as(app, org.employee.email).get("/neuigkeiten").get_data(as_text=True)
    assert listing.index("Angeheftet: Wichtiger Hinweis") < listing.index("Für alle: Datenschutz")
    assert pinned


@pytest.mark.parametrize(
    ("body", "forbidden"),
    [
        ("Hallo <script>alert('x')</script> Welt", ["<script", "alert("]),
        ('<img src="x" onerror="alert(1)"> Bild', ["onerror", "<img"]),
        ("[Klick](javascript:alert(1))", ["javascript:"]),
        ('<a href="javascript:alert(1)">Link</a>', ["javascript:"]),
    ],
)
def test_news_text_is_sanitised(app: Flask, org, body: str, forbidden: list[str]) -> None:
    client = client_as(app, org.editor.email)
    response = client.post("/redaktion/neuigkeiten/neu", data=news_form(org, body=body, all_departments="y"))
    assert response.status_code == 302
    with app.app_context():
        news_id = db.session.scalar(select(NewsItem.id))
    editor_page = client.get(f"/redaktion/neuigkeiten/{news_id}").get_data(as_text=True)
    reader_page = client_as(app, org.employee.email).get(f"/neuigkeiten/{news_id}").get_data(as_text=True)
    # The editor's preview and the reader's page; the editor's text field shows the raw text, escaped.
    main_end = "</main>"  # the page's own scripts follow
    for html in (
        editor_page[editor_page.index('id="preview-heading"') : editor_page.index(main_end)],
        reader_page[reader_page.index("<main") : reader_page.index(main_end)],
    ):
        for text in forbidden:
            assert text not in html, text
    assert "&lt;" in editor_page[editor_page.index("<textarea") : editor_page.index("</textarea>")] or "[" in body


def test_opening_marks_read_only_for_that_person(app: Flask, org, news) -> None:
    employee = client_as(app, org.employee.email)
    lead = client_as(app, org.lead.email)  # same department
    assert employee.get("/neuigkeiten").get_data(as_text=True).count(">Neu<") == 2
    employee.get(f"/neuigkeiten/{news.dept_a}")
    employee.get(f"/neuigkeiten/{news.dept_a}")  # twice: still one mark
    assert employee.get("/neuigkeiten").get_data(as_text=True).count(">Neu<") == 1
    assert lead.get("/neuigkeiten").get_data(as_text=True).count(">Neu<") == 2
    with app.app_context():
        reads = db.session.execute(select(NewsRead.person_id, NewsRead.news_id)).all()
        assert reads == [(org.employee.id, news.dept_a)]
    # The editor's pages say nothing about who read what.
    editor_page = client_as(app, org.editor.email).get(f"/redaktion/neuigkeiten/{news.dept_a}").get_data(as_text=True)
    assert "gelesen" not in editor_page and org.employee.name not in editor_page


def test_deleting_a_read_item_removes_its_read_marks(app: Flask, org, news) -> None:
    client_as(app, org.employee.email).get(f"/neuigkeiten/{news.everyone}")
    client_as(app, org.editor.email).post(f"/redaktion/neuigkeiten/{news.everyone}/loeschen", data={"confirm": "yes"})
    with app.app_context():
        assert db.session.scalar(select(func.count(NewsRead.id))) == 0


# Start page ------------------------------------------------------------------------------------------------------
def test_start_page_shows_latest_news_and_what_is_new_in_the_department(app: Flask, org, news) -> None:
    now = utcnow()
    with app.app_context():
        dept_a = db.session.get(Department, org.dept_a.id)
        dept_b = db.session.get(Department, org.dept_b.id)
        MaterialFactory(title="Neu: Videoberatung kompakt", departments=[dept_a])
        MaterialFactory(title="Nur für Markt: Stellensuche", departments=[dept_b])
        old = MaterialFactory(
            title="Alt: E-Akte Grundlagen",
            versions=[
                {"change_note": "Erste", "published_at": now - timedelta(days=300)},
                {
                    "change_note": "Neue Maske für die Zuordnung",
                    "recompletion_required": True,
                    "published_at": now - timedelta(days=2),
                },
            ],
        )
        old.published_at = now - timedelta(days=2)
        db.session.commit()
    home = client_as(app, org.employee.email).get("/").get_data(as_text=True)
    assert "Neuigkeiten" in home and "Nur Leistung: ALLEGRO-Update" in home and "Für alle: Datenschutz" in home
    assert "Nur Markt" not in home and "Später" not in home
    assert "Neu in Ihrem Fachbereich" in home
    assert "Neu: Videoberatung kompakt" in home and "Nur für Markt: Stellensuche" not in home
    section = home[home.index("Neue Versionen") :]
    assert "Alt: E-Akte Grundlagen" in section and "Neue Maske für die Zuordnung" in section
    # the re-published old material is no new material
    new_material = home[home.index("Neu in Ihrem Fachbereich") : home.index("Neue Versionen")]
    assert "Alt: E-Akte Grundlagen" not in new_material

    other = client_as(app, org.other_employee.email).get("/").get_data(as_text=True)
    assert "Nur Markt: VerBIS-Schulung" in other and "Nur für Markt: Stellensuche" in other
    assert "Neu: Videoberatung kompakt" not in other


def test_start_page_shows_at_most_three_news_with_unread_marked(app: Flask, org, news) -> None:
    for n in range(4):
        add_news(app, title=f"Meldung {n}", publish_at=utcnow() - timedelta(minutes=n))
    client = client_as(app, org.employee.email)
    home = client.get("/").get_data(as_text=True)
    section = home[home.index('id="news-heading"') : home.index('id="new-in-department-heading"')]
    assert section.count('href="/neuigkeiten/') == 3 and "Meldung 0" in section and "Meldung 3" not in section
    assert section.count(">Neu<") == 3
    client.get("/neuigkeiten/" + section.split('href="/neuigkeiten/')[1].split('"')[0])
    home = client.get("/").get_data(as_text=True)
    section = home[home.index('id="news-heading"') : home.index('id="new-in-department-heading"')]
    assert section.count(">Neu<") == 2


def test_detail_lists_linked_published_material(app: Flask, org) -> None:
    with app.app_context():
        material = MaterialFactory(title="Videoberatung vorbereiten")
        archived = MaterialFactory(title="Altes Handbuch", status="archived")
        db.session.commit()
    news_id = add_news(app, title="Neue Anleitung", materials=[material, archived])
    html = client_as(app, org.employee.email).get(f"/neuigkeiten/{news_id}").get_data(as_text=True)
    assert "Material zu dieser Neuigkeit" in html and "Videoberatung vorbereiten" in html
    assert "Altes Handbuch" not in html


# Demo data -------------------------------------------------------------------------------------------------------
def test_demo_news_are_realistic_and_link_published_material(make_app, tmp_path) -> None:
    app = make_app(QK_DEMO_LOGINS_FILE=str(tmp_path / "demo-logins.txt"))
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    now = utcnow()
    with app.app_context():
        items = db.session.scalars(select(NewsItem)).all()
        assert len(items) >= 6
        assert any(item.pinned for item in items)
        assert any(item.publish_at > now for item in items)  # one scheduled
        assert any([d.name for d in item.departments] == ["Leistungsgewährung"] for item in items)
        assert all(item.author is not None and item.author.is_editor for item in items)
        assert all(material.status == "published" for item in items for material in item.materials)
        assert all(item.materials for item in items)
