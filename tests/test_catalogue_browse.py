"""Employees browse the published catalogue, filter it, and open, read and print one material."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quali_kompass.catalogue.rendering import render_markdown
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from tests.conftest import login
from tests.factories import MaterialFactory, PersonFactory, ToolFactory, TopicFactory


def titles(page: str) -> list[str]:
    """The titles of the material cards, in the order shown."""
    return re.findall(r'<h2 class="kern-heading-small"><a class="kern-link" href="/katalog/\d+">([^<]+)</a>', page)


@pytest.fixture
def employee(app: Flask, org) -> FlaskClient:
    client = app.test_client()
    login(client, org.employee.email)
    return client


@pytest.fixture
def catalogue(app: Flask, org) -> SimpleNamespace:
    """Material that differs in one property each, besides drafts and archived material."""
    with app.app_context():
        dept_a, dept_b = db.session.merge(org.dept_a), db.session.merge(org.dept_b)
        e_akte = TopicFactory(name="E-Akte")
        mail = TopicFactory(name="Posteingang", parent=e_akte)
        video_call = TopicFactory(name="Videoberatung")
        verbis = ToolFactory(name="VerBIS")
        now = utcnow()
        items = SimpleNamespace(
            e_akte=e_akte,
            mail=mail,
            video_call=video_call,
            verbis=verbis,
            for_all=MaterialFactory(
                title="Alpha für alle", topic=e_akte, duration_minutes=10, published_at=now - timedelta(days=3)
            ),
            for_a=MaterialFactory(
                title="Beta für A",
                topic=mail,
                departments=[dept_a],
                tools=[verbis],
                duration_minutes=45,
                kind="link",
                external_url="https://www.arbeitsagentur.de/e-learning",
                published_at=now - timedelta(days=1),
            ),
            for_b=MaterialFactory(
                title="Gamma für B",
                topic=video_call,
                departments=[dept_b],
                duration_minutes=90,
                level="advanced",
                source="ba",
                kind="video",
                published_at=now - timedelta(days=2),
            ),
            draft=MaterialFactory(title="Delta Entwurf", topic=e_akte, status="draft", departments=[dept_a]),
            archived=MaterialFactory(title="Epsilon archiviert", topic=e_akte, status="archived"),
        )
        db.session.commit()
        return SimpleNamespace(**{name: getattr(value, "id", value) for name, value in vars(items).items()})


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Beta für A", "Gamma für B", "Alpha für alle"]),
        ("fachbereich={dept_a}", ["Beta für A", "Alpha für alle"]),
        ("fachbereich={dept_b}", ["Gamma für B", "Alpha für alle"]),
        ("thema={e_akte}", ["Beta für A", "Alpha für alle"]),  # the main topic includes its subtopic
        ("thema={mail}", ["Beta für A"]),
        ("thema={video_call}", ["Gamma für B"]),
        ("werkzeug={verbis}", ["Beta für A"]),
        ("art=link", ["Beta für A"]),
        ("art=video", ["Gamma für B"]),
        ("niveau=advanced", ["Gamma für B"]),
        ("niveau=basic", ["Beta für A", "Alpha für alle"]),
        ("quelle=ba", ["Gamma für B"]),
        ("quelle=inhouse", ["Beta für A", "Alpha für alle"]),
        ("dauer=bis-15", ["Alpha für alle"]),
        ("dauer=15-60", ["Beta für A"]),
        ("dauer=ueber-60", ["Gamma für B"]),
        ("fachbereich={dept_a}&art=document", ["Alpha für alle"]),  # filters combine
        ("sortierung=titel", ["Alpha für alle", "Beta für A", "Gamma für B"]),
        ("sortierung=dauer", ["Alpha für alle", "Beta für A", "Gamma für B"]),
        ("art=unbekannt&sortierung=quatsch&thema=abc", ["Beta für A", "Gamma für B", "Alpha für alle"]),
    ],
)
def test_filters_and_sorting(employee: FlaskClient, org, catalogue, query: str, expected: list[str]) -> None:
    url = "/katalog?" + query.format(dept_a=org.dept_a.id, dept_b=org.dept_b.id, **vars(catalogue))
    response = employee.get(url)
    assert response.status_code == 200
    assert titles(response.text) == expected
    assert "Delta Entwurf" not in response.text and "Epsilon archiviert" not in response.text


def test_the_form_shows_the_chosen_filters(employee: FlaskClient, org, catalogue) -> None:
    page = employee.get(f"/katalog?thema={catalogue.mail}&niveau=basic&sortierung=titel").text
    assert f'<option value="{catalogue.mail}" selected>E-Akte › Posteingang</option>' in page
    assert '<option value="basic" selected>Einstieg</option>' in page
    assert '<option value="titel" selected>Titel</option>' in page
    assert '<label class="kern-label" for="fachbereich">Fachbereich</label>' in page
    assert "Filter zurücksetzen" in page and "1 Angebot gefunden" in page
    assert 'type="search"' in page and 'value="relevanz"' not in page  # relevance only while searching


def test_cards_show_the_facts(employee: FlaskClient, catalogue) -> None:
    page = employee.get("/katalog").text
    for text in ("Link", "Schulungsvideo", "Anleitung", "10 Min.", "45 Min.", "Vertiefung", "Einstieg"):
        assert text in page, text
    assert "für alle Fachbereiche" in page and "Leistungsgewährung" in page and "Markt und Integration" in page
    assert "VerBIS" in page and "E-Akte › Posteingang" in page and "hauseigen" in page and ">BA<" in page


def test_empty_result_says_so_kindly(employee: FlaskClient, catalogue) -> None:
    page = employee.get("/katalog?werkzeug=999999").text
    assert titles(page) == []
    assert "Zu diesen Filtern gibt es noch kein Angebot" in page


def test_pagination_keeps_the_filters(app: Flask, employee: FlaskClient, create) -> None:
    topic = create(TopicFactory)
    for number in range(25):
        create(MaterialFactory, title=f"Kurs {number:02d}", topic=topic, level="advanced")
    create(MaterialFactory, title="Anderes Niveau", topic=topic)
    first = employee.get(f"/katalog?niveau=advanced&thema={topic.id}&sortierung=titel").text
    assert len(titles(first)) == 20 and "25 Angebote gefunden" in first
    links = re.findall(r'href="(/katalog\?[^"]*seite=2[^"]*)"', first)
    assert len(links) == 1
    second_url = links[0].replace("&amp;", "&")
    assert "niveau=advanced" in second_url and f"thema={topic.id}" in second_url and "sortierung=titel" in second_url
    second = employee.get(second_url).text
    assert titles(second) == [f"Kurs {number:02d}" for number in range(20, 25)]


def test_navigation_marks_the_catalogue_current(employee: FlaskClient, catalogue) -> None:
    current = '<a href="/katalog" aria-current="page">Katalog</a>'
    assert current in employee.get("/katalog").text
    assert current in employee.get(f"/katalog/{catalogue.for_all}").text
    assert '<a href="/katalog" >Katalog</a>' in employee.get("/").text


def test_anonymous_people_are_sent_to_the_login(client: FlaskClient, catalogue) -> None:
    for url in ("/katalog", f"/katalog/{catalogue.for_all}", f"/katalog/{catalogue.for_all}/drucken"):
        response = client.get(url)
        assert response.status_code == 302 and "/anmelden" in response.location, url


def test_material_page_shows_everything(app: Flask, employee: FlaskClient) -> None:
    with app.app_context():
        material = MaterialFactory(
            title="VerBIS: Profiling",
            summary="Wie Sie ein Profiling anlegen.",
            topic=TopicFactory(name="Fachverfahren"),
            tools=[ToolFactory(name="ATLAS")],
            duration_minutes=30,
            level="advanced",
            source="ba",
            language="de",
            contact_name="Karl Kontakt",
            contact_email="karl.kontakt@jobcenter-test.de",
            last_reviewed=date(2026, 3, 5),
            body="Erster Absatz.",
            versions=[
                {"change_note": "Erste Fassung"},
                {"change_note": "Neue Maske", "recompletion_required": True},
            ],
        )
        db.session.commit()
        material_id = material.id
    page = employee.get(f"/katalog/{material_id}").text
    for text in (
        '<h1 class="kern-heading-large">VerBIS: Profiling</h1>',
        "Wie Sie ein Profiling anlegen.",
        "Anleitung",
        "ATLAS",
        "30 Min.",
        "Vertiefung",
        "BA",
        "Deutsch",
        'href="mailto:karl.kontakt@jobcenter-test.de"',
        "Karl Kontakt",
        "05.03.2026",
        "für alle Fachbereiche",
        "<p>Erster Absatz.</p>",
        "Neue Maske",
        "Erste Fassung",
        "erneute Bearbeitung erforderlich",
        f'href="/katalog/{material_id}/drucken"',
    ):
        assert text in page, text
    rows = re.findall(
        r'<th scope="row" class="kern-table__cell">(\d+)</th>\s*<td[^>]*>[^<]*</td>\s*'
        r"<td[^>]*>([^<]*)</td>\s*<td[^>]*>(ja|nein)[^<]*</td>",
        page,
    )
    assert rows == [("2", "Neue Maske", "ja"), ("1", "Erste Fassung", "nein")]
    assert "Bearbeiten" not in page  # an employee may not edit


def test_a_video_without_its_file_says_so(employee: FlaskClient, catalogue) -> None:
    page = employee.get(f"/katalog/{catalogue.for_b}").text
    assert "Schulungsvideo" in page and "Das Video ist noch nicht hochgeladen." in page
    assert "<video" not in page


def test_a_guide_without_steps_says_so(app: Flask, employee: FlaskClient, create) -> None:
    guide = create(MaterialFactory, kind="guide", title="Klickstrecke VerBIS")
    page = employee.get(f"/katalog/{guide.id}").text
    assert "Diese Klickstrecke hat noch keine Schritte." in page
    assert "Schritt 1 von" not in page


def test_external_link_is_marked_and_opens_safely(employee: FlaskClient, catalogue) -> None:
    page = employee.get(f"/katalog/{catalogue.for_a}").text
    link = re.search(r'<a [^>]*href="https://www.arbeitsagentur.de/e-learning"[^>]*>(.*?)</a>', page, re.S)
    assert link is not None
    assert 'rel="noopener noreferrer external"' in link.group(0)
    assert "target=" not in link.group(0)
    assert "extern" in link.group(1) and "kern-icon--open-in-new" in link.group(1)
    assert "www.arbeitsagentur.de" in page


def test_an_external_address_that_is_not_a_web_address_is_not_linked(app: Flask, employee: FlaskClient, create) -> None:
    material = create(MaterialFactory, kind="link", external_url="javascript:alert(1)")
    page = employee.get(f"/katalog/{material.id}").text
    assert "javascript:" not in page
    assert "noch keine Adresse hinterlegt" in page


def test_written_guide_is_sanitised(employee: FlaskClient, create) -> None:
    body = (
        "## Schritte\n\n"
        "Text <script>alert('x')</script> und <img src=x onerror=alert(1)>\n\n"
        '<a href="https://ba.de" onclick="steal()">BA</a> [böse](javascript:alert(1)) '
        '<a href="javascript:alert(2)">auch böse</a> [Mail](mailto:hilfe@jobcenter-test.de)\n\n'
        '<p style="color:red" class="x">Stil</p>'
    )
    material = create(MaterialFactory, body=body)
    page = employee.get(f"/katalog/{material.id}").text
    content = page[page.index('<div class="material-body">') :]
    content = content[: content.index("</div>")]
    for forbidden in ("<script", "alert(", "onclick", "onerror", "<img", "javascript:", "style=", 'class="x"'):
        assert forbidden not in content, forbidden
    assert "<h2>Schritte</h2>" in content
    assert '<a href="https://ba.de" rel="noopener noreferrer">BA</a>' in content
    assert '<a href="mailto:hilfe@jobcenter-test.de" rel="noopener noreferrer">Mail</a>' in content


def test_render_markdown_keeps_only_safe_markup() -> None:
    html = render_markdown(
        "# Titel\n\n*kursiv* `code`\n\n> Zitat\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[rel](/verwaltung)"
    )
    assert "<h2>Titel</h2>" in html and "<em>kursiv</em>" in html and "<code>code</code>" in html
    assert "<blockquote>" in html and "<table>" in html and "<td>1</td>" in html
    assert 'href="/verwaltung"' not in html  # only http(s) and mailto links
    assert str(render_markdown("<b>fett</b> &amp; <u>x</u>")) == "<p>fett &amp; x</p>"


def test_drafts_are_hidden_from_employees_but_open_to_their_editor(
    app: Flask, org, employee: FlaskClient, create, catalogue
) -> None:
    for url in (f"/katalog/{catalogue.draft}", f"/katalog/{catalogue.draft}/drucken"):
        assert employee.get(url).status_code == 404, url
    assert employee.get("/katalog/999999").status_code == 404

    editor = app.test_client()
    login(editor, org.editor.email)
    page = editor.get(f"/katalog/{catalogue.draft}")
    assert page.status_code == 200
    assert "Entwurf" in page.text and "Delta Entwurf" in page.text
    assert "Delta Entwurf" not in editor.get("/katalog").text  # the catalogue lists published material only

    # An editor limited to another department may not edit the draft, so it stays hidden.
    with app.app_context():
        limited = PersonFactory(is_editor=True)
        limited.editor_departments.append(db.session.merge(org.dept_b))
        db.session.commit()
        limited_email = limited.email
    other = app.test_client()
    login(other, limited_email)
    assert other.get(f"/katalog/{catalogue.draft}").status_code == 404


def test_edit_link_for_editors_who_may_edit(app: Flask, org, employee: FlaskClient, catalogue) -> None:
    editor = app.test_client()
    login(editor, org.editor.email)
    page = editor.get(f"/katalog/{catalogue.for_all}").text
    if "catalogue.editor_material" in app.view_functions:
        assert f'href="/redaktion/material/{catalogue.for_all}"' in page and "Bearbeiten" in page
    assert "Bearbeiten" not in employee.get(f"/katalog/{catalogue.for_all}").text


def test_archived_material_is_readable_by_link_with_a_note(employee: FlaskClient, catalogue) -> None:
    assert "Epsilon archiviert" not in employee.get("/katalog").text
    response = employee.get(f"/katalog/{catalogue.archived}")
    assert response.status_code == 200
    assert "Dieses Angebot ist archiviert." in response.text
    assert "Dieses Angebot ist archiviert." in employee.get(f"/katalog/{catalogue.archived}/drucken").text


def test_print_view(employee: FlaskClient, create) -> None:
    material = create(MaterialFactory, title="Druckbare Anleitung", body="**Wichtig:** Schritt eins.")
    page = employee.get(f"/katalog/{material.id}/drucken").text
    assert '<h1 class="kern-heading-large">Druckbare Anleitung</h1>' in page
    assert "<strong>Wichtig:</strong> Schritt eins." in page
    assert "css/print.css" in page
    assert "Hauptnavigation" not in page and "Abmelden" not in page  # without the site's frame
    assert "Anleitung" in page and "15 Min." in page and "Eine kurze Beschreibung." in page


def test_print_view_of_a_link_shows_the_address(employee: FlaskClient, catalogue) -> None:
    page = employee.get(f"/katalog/{catalogue.for_a}/drucken").text
    assert ">https://www.arbeitsagentur.de/e-learning</a>" in page
