"""Feedback on material: rating and changing it, refused input, the editors' pages without names, answers."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from quali_kompass.audit.models import AuditEvent
from quali_kompass.catalogue.models import Material, MaterialVersion
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.feedback import views as feedback_views
from quali_kompass.feedback.models import MaterialFeedback
from quali_kompass.organisation.models import Department, Person, Team
from tests.conftest import login
from tests.factories import MaterialFactory, PersonFactory


def _client(app: Flask, person) -> FlaskClient:
    client = app.test_client()
    login(client, person.email)
    return client


def _rate(client: FlaskClient, material_id: int, rating, comment: str = ""):
    data = {"comment": comment}
    if rating is not None:
        data["rating"] = str(rating)
    return client.post(f"/katalog/{material_id}/rueckmeldung", data=data)


def _rows(app: Flask, material_id: int | None = None) -> list[MaterialFeedback]:
    with app.app_context():
        statement = select(MaterialFeedback).order_by(MaterialFeedback.id)
        if material_id is not None:
            statement = statement.where(MaterialFeedback.material_id == material_id)
        rows = db.session.scalars(statement).all()
        db.session.expunge_all()
        return rows


def _add_version(app: Flask, material_id: int, number: int) -> int:
    with app.app_context():
        version = MaterialVersion(material_id=material_id, number=number, change_note=f"Fassung {number}")
        db.session.add(version)
        db.session.commit()
        return version.id


def _material(app: Flask, versions: int = 1, **kwargs) -> int:
    with app.app_context():
        material = MaterialFactory(versions=[{} for _ in range(versions)], **kwargs)
        db.session.commit()
        return material.id


def _give(app: Flask, person_id: int, material_id: int, rating: int, comment: str = "", reply: str = "") -> None:
    """A rating straight in the database, for the current version."""
    with app.app_context():
        material = db.session.get(Material, material_id)
        version = material.current_version
        db.session.add(
            MaterialFeedback(
                person_id=person_id,
                material_id=material_id,
                material_version_id=version.id if version else None,
                rating=rating,
                comment=comment,
                reply=reply,
                replied_at=utcnow() if reply else None,
            )
        )
        db.session.commit()


def _people(app: Flask, count: int, team: Team) -> list[int]:
    with app.app_context():
        people = [PersonFactory(team=db.session.get(Team, team.id)) for _ in range(count)]
        db.session.commit()
        return [person.id for person in people]


def _section(html: str, heading: str) -> str:
    """The HTML of the section under the h2 ``heading``, up to the next section."""
    start = html.index(f">{heading}</h2>")
    end = html.find("</section>", start)
    return html[start:end]


# Rating -----------------------------------------------------------------------------------------------------
def test_employee_rates_with_a_comment_and_changes_the_rating(app: Flask, org) -> None:
    material_id = _material(app)
    client = _client(app, org.employee)
    page = client.get(f"/katalog/{material_id}").get_data(as_text=True)
    assert "<legend" in page and "War das hilfreich?" in page
    assert all(f'value="{rating}"' in page for rating in range(1, 6))
    assert "1 – gar nicht" in page and "5 – sehr" in page

    response = _rate(client, material_id, 4, "  Gut erklärt, die Screenshots helfen.  ")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/katalog/{material_id}#rueckmeldung")
    [row] = _rows(app)
    assert (row.person_id, row.rating, row.comment) == (org.employee.id, 4, "Gut erklärt, die Screenshots helfen.")
    page = client.get(f"/katalog/{material_id}").get_data(as_text=True)
    assert "Danke für Ihre Rückmeldung!" in page
    assert "Ihre Bewertung: 4 von 5 (ziemlich)" in page
    assert re.search(r'<input[^>]*checked[^>]*value="4"|<input[^>]*value="4"[^>]*checked', page)
    assert "Gut erklärt, die Screenshots helfen." in page  # in the comment field, to change it

    assert _rate(client, material_id, 2, "Gut erklärt, die Screenshots helfen.").status_code == 302
    [changed] = _rows(app)
    assert (changed.id, changed.rating) == (row.id, 2)
    assert "Ihre Bewertung ist geändert." in client.get(f"/katalog/{material_id}").get_data(as_text=True)


def test_a_new_version_may_be_rated_anew(app: Flask, org) -> None:
    material_id = _material(app)
    client = _client(app, org.employee)
    _rate(client, material_id, 2, "Veraltet.")
    version_2 = _add_version(app, material_id, 2)
    page = client.get(f"/katalog/{material_id}").get_data(as_text=True)
    assert "Ihre Bewertung:" not in page  # the rating was of version 1
    _rate(client, material_id, 5)
    _rate(client, material_id, 4)
    rows = _rows(app, material_id)
    assert [(row.rating, row.material_version_id == version_2) for row in rows] == [(2, False), (4, True)]


def test_material_without_versions_keeps_one_rating_per_person(app: Flask, org) -> None:
    material_id = _material(app, versions=0)
    client = _client(app, org.employee)
    _rate(client, material_id, 3)
    _rate(client, material_id, 5)
    [row] = _rows(app)
    assert (row.rating, row.material_version_id) == (5, None)
    with app.app_context():  # the database holds it too, for parallel requests
        db.session.add(MaterialFeedback(person_id=org.employee.id, material_id=material_id, rating=1))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


@pytest.mark.parametrize(
    ("rating", "comment", "message"),
    [
        (0, "", "Bitte wählen Sie eine Bewertung von 1 bis 5."),
        (6, "", "Bitte wählen Sie eine Bewertung von 1 bis 5."),
        ("x", "", "Bitte wählen Sie eine Bewertung von 1 bis 5."),
        (None, "Ohne Bewertung", "Bitte wählen Sie eine Bewertung von 1 bis 5."),
        (3, "x" * 1001, "Bitte geben Sie höchstens 1000 Zeichen ein."),
    ],
)
def test_refused_input_shows_a_german_message_and_writes_nothing(
    app: Flask, org, rating, comment: str, message: str
) -> None:
    material_id = _material(app)
    client = _client(app, org.employee)
    response = _rate(client, material_id, rating, comment)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert "Bitte prüfen Sie Ihre Eingaben." in html
    assert 'aria-invalid="true"' in html or "kern-fieldset--error" in html
    assert _rows(app) == []


def test_drafts_cannot_be_rated_and_archived_material_no_more(app: Flask, org) -> None:
    draft_id = _material(app, versions=0, status="draft")
    archived_id = _material(app, status="archived")
    for person in (org.employee, org.editor):
        assert _rate(_client(app, person), draft_id, 4).status_code == 404
    client = _client(app, org.employee)
    assert "War das hilfreich?" not in client.get(f"/katalog/{archived_id}").get_data(as_text=True)
    response = _rate(client, archived_id, 4)
    assert response.status_code == 302
    assert "Nur veröffentlichtes Material kann bewertet werden." in client.get("/katalog").get_data(as_text=True)
    assert _rows(app) == []


# The editors' pages ---------------------------------------------------------------------------------------
@pytest.fixture
def rated(app: Flask, org) -> SimpleNamespace:
    """A material rated 2, 3 and 5 by three people of both departments, two of them with comments."""
    material_id = _material(app, title="E-Akte: Posteingang bearbeiten")
    _give(app, org.employee.id, material_id, 2, "Der Abschnitt zur Weiterleitung fehlt.")
    _give(app, org.other_employee.id, material_id, 3)
    _give(app, org.head.id, material_id, 5, "Sehr übersichtlich.")
    return SimpleNamespace(material_id=material_id)


RATERS = ("employee", "other_employee", "head")


def _assert_no_raters(html: str, org) -> None:
    for role in RATERS:
        person = getattr(org, role)
        assert person.name not in html, f"{role}'s name on the page"
        assert person.email not in html, f"{role}'s e-mail on the page"
        assert person.email.split("@")[0] not in html


def test_editor_sees_average_counts_and_comments_without_names(app: Flask, org, rated) -> None:
    client = _client(app, org.editor)
    overview = client.get("/redaktion/rueckmeldungen")
    assert overview.status_code == 200
    html = overview.get_data(as_text=True)
    table = _section(html, "Alle Bewertungen")
    assert "E-Akte: Posteingang bearbeiten" in table
    assert re.search(r">3,3</td>\s*<td[^>]*>3</td>\s*<td[^>]*>2</td>", table), table
    assert "noch nie" in table
    _assert_no_raters(html, org)

    page = client.get(f"/redaktion/rueckmeldungen/{rated.material_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Durchschnitt 3,3 aus 3 Bewertungen" in html
    assert re.search(r"5 – sehr</th>\s*<td[^>]*>1</td>\s*<td[^>]*>33 %</td>", html)
    assert re.search(r"4 – ziemlich</th>\s*<td[^>]*>0</td>", html)
    comments = _section(html, "Kommentare")
    assert comments.index("Sehr übersichtlich.") < comments.index("Der Abschnitt zur Weiterleitung fehlt.")
    assert comments.count("zu Version 1") == 2
    _assert_no_raters(html, org)
    for role in RATERS:  # nor any person identifier
        assert f"person/{getattr(org, role).id}" not in html and "person_id" not in html


def test_a_reply_appears_under_the_material_without_names(app: Flask, org, rated) -> None:
    with app.app_context():
        feedback_id = db.session.scalar(select(MaterialFeedback.id).where(MaterialFeedback.person_id == org.head.id))
    editor = _client(app, org.editor)
    response = editor.post(
        f"/redaktion/rueckmeldungen/kommentar/{feedback_id}/antwort",
        data={f"antwort-{feedback_id}-reply": "Danke! Wir ergänzen das Beispiel im Herbst."},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/redaktion/rueckmeldungen/{rated.material_id}#kommentar-{feedback_id}"
    )
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "feedback_replied")).one()
        assert (event.actor_id, event.object_label) == (org.editor.id, "E-Akte: Posteingang bearbeiten")
        assert org.head.email not in str(event.details)

    for viewer in (org.lead, org.other_employee, org.employee):
        html = _client(app, viewer).get(f"/katalog/{rated.material_id}").get_data(as_text=True)
        section = _section(html, "Ihre Rückmeldung")
        assert "Antwort der Redaktion" in section
        assert "Sehr übersichtlich." in section and "Danke! Wir ergänzen das Beispiel im Herbst." in section
        # The unanswered comment and the ratings of others stay with the editors.
        if viewer is not org.employee:
            assert "Der Abschnitt zur Weiterleitung fehlt." not in section
        if viewer is org.lead:
            assert "Ihre Bewertung:" not in section
        assert org.head.name not in html and org.head.email not in html
        assert org.editor.name not in section

    refused = editor.post(f"/redaktion/rueckmeldungen/kommentar/{feedback_id}/antwort", data={})
    assert refused.status_code == 400
    assert "Bitte füllen Sie dieses Feld aus." in refused.get_data(as_text=True)


def test_changing_the_comment_takes_back_the_answer(app: Flask, org) -> None:
    material_id = _material(app)
    _give(app, org.employee.id, material_id, 2, "Zu lang.", reply="Wir kürzen es.")
    client = _client(app, org.employee)
    page = client.get(f"/katalog/{material_id}").get_data(as_text=True)
    assert "wird die Antwort der Redaktion darauf entfernt" in page
    _rate(client, material_id, 3, "Zu lang.")  # same comment: the answer stays
    assert _rows(app)[0].reply == "Wir kürzen es."
    _rate(client, material_id, 3, "Immer noch zu lang.")
    [row] = _rows(app)
    assert (row.comment, row.reply, row.replied_at) == ("Immer noch zu lang.", "", None)


def test_leads_admins_and_employees_never_reach_the_editor_pages(app: Flask, org, rated) -> None:
    with app.app_context():
        feedback_id = db.session.scalar(select(MaterialFeedback.id).limit(1))
        # A lead who is an editor too still reads no feedback: their own people rate.
        db.session.get(Person, org.other_lead.id).is_editor = True
        db.session.commit()
    urls = ["/redaktion/rueckmeldungen", f"/redaktion/rueckmeldungen/{rated.material_id}"]
    for person in (org.lead, org.head, org.admin, org.employee, org.auditor, org.other_lead):
        client = _client(app, person)
        for url in urls:
            assert client.get(url).status_code == 403, (person.email, url)
        reply = client.post(f"/redaktion/rueckmeldungen/kommentar/{feedback_id}/antwort", data={"x": "y"})
        assert reply.status_code == 403
        html = client.get(f"/katalog/{rated.material_id}").get_data(as_text=True)
        assert "Der Abschnitt zur Weiterleitung fehlt." not in html or person is org.employee
        assert "Sehr übersichtlich." not in html or person is org.head
        assert "/redaktion/rueckmeldungen" not in html
    lead_editor = _client(app, org.other_lead)
    assert "/redaktion/rueckmeldungen" not in lead_editor.get("/redaktion").get_data(as_text=True)


def test_editor_limited_to_a_department_sees_only_its_material(app: Flask, org) -> None:
    with app.app_context():
        dept_a = db.session.get(Department, org.dept_a.id)
        dept_b = db.session.get(Department, org.dept_b.id)
        limited = PersonFactory(name="Lea Begrenzt", email="lea.begrenzt@jobcenter-test.de", is_editor=True)
        limited.editor_departments = [dept_a]
        db.session.commit()
    own_id = _material(app, title="Material für Leistung", departments=[dept_a])
    other_id = _material(app, title="Material für Markt und Integration", departments=[dept_b])
    everyone_id = _material(app, title="Material für alle")
    for material_id in (own_id, other_id, everyone_id):
        _give(app, org.employee.id, material_id, 4, "Kommentar")
    with app.app_context():
        other_feedback = db.session.scalar(select(MaterialFeedback.id).where(MaterialFeedback.material_id == other_id))
    client = _client(app, limited)
    html = client.get("/redaktion/rueckmeldungen").get_data(as_text=True)
    assert "Material für Leistung" in html
    assert "Material für Markt und Integration" not in html and "Material für alle" not in html
    assert client.get(f"/redaktion/rueckmeldungen/{own_id}").status_code == 200
    assert client.get(f"/redaktion/rueckmeldungen/{other_id}").status_code == 403
    assert client.get(f"/redaktion/rueckmeldungen/{everyone_id}").status_code == 403
    answer = {f"antwort-{other_feedback}-reply": "Antwort"}
    assert client.post(f"/redaktion/rueckmeldungen/kommentar/{other_feedback}/antwort", data=answer).status_code == 403
    assert _rows(app, other_id)[0].reply == ""


def test_low_rated_and_not_reviewed_lists(app: Flask, org) -> None:
    raters = _people(app, 4, org.team_a)
    today = berlin_today()
    low = _material(app, title="Niedrig: drei Bewertungen", last_reviewed=today)
    few = _material(app, title="Niedrig, aber nur zwei Bewertungen", last_reviewed=today)
    good = _material(app, title="Gut bewertet", last_reviewed=today - timedelta(days=300))
    stale = _material(app, title="Vor 13 Monaten überprüft", last_reviewed=today - timedelta(days=400))
    _material(app, title="Nie überprüft")
    _material(app, title="Archiviert, nie überprüft", status="archived")
    _material(app, title="Entwurf, nie überprüft", status="draft", versions=0)
    for person_id, rating in zip(raters, (1, 2, 3, 2), strict=True):
        _give(app, person_id, low, rating)
    for person_id in raters[:2]:
        _give(app, person_id, few, 1)
    for person_id in raters:
        _give(app, person_id, good, 5)
    _give(app, raters[0], stale, 4)

    html = _client(app, org.editor).get("/redaktion/rueckmeldungen").get_data(as_text=True)
    low_section = _section(html, "Niedrig bewertet")
    assert "Niedrig: drei Bewertungen" in low_section and ">2,0</td>" in low_section
    assert "nur zwei Bewertungen" not in low_section and "Gut bewertet" not in low_section
    review = _section(html, "Lange nicht überprüft")
    assert "Vor 13 Monaten überprüft" in review and "Nie überprüft" in review
    assert "Gut bewertet" not in review and "Niedrig: drei" not in review
    assert "Archiviert" not in review and "Entwurf" not in review
    everything = _section(html, "Alle Bewertungen")
    assert "Gut bewertet" in everything and "Nie überprüft" not in everything  # no ratings yet


def test_each_list_of_the_overview_comes_a_page_at_a_time(app: Flask, org, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feedback_views, "OVERVIEW_PER_PAGE", 2)
    today = berlin_today()
    for title in ("A nie überprüft", "B nie überprüft", "C nie überprüft"):
        _give(app, org.employee.id, _material(app, title=title), 4)
    _give(app, org.employee.id, _material(app, title="D überprüft", last_reviewed=today), 5)
    client = _client(app, org.editor)

    first = client.get("/redaktion/rueckmeldungen").get_data(as_text=True)
    review, everything = _section(first, "Lange nicht überprüft"), _section(first, "Alle Bewertungen")
    assert "3 Materialien" in review and "A nie" in review and "B nie" in review and "C nie" not in review
    assert "4 Materialien" in everything and "C nie" not in everything
    assert "/redaktion/rueckmeldungen?pruefen_seite=2#review-heading" in first
    # the second page of one list keeps the page of the other
    later = client.get("/redaktion/rueckmeldungen?pruefen_seite=2&seite=2").get_data(as_text=True)
    review, everything = _section(later, "Lange nicht überprüft"), _section(later, "Alle Bewertungen")
    assert "C nie" in review and "A nie" not in review
    assert "C nie" in everything and "D überprüft" in everything and "A nie" not in everything
    assert "/redaktion/rueckmeldungen?pruefen_seite=1&amp;seite=2#review-heading" in later


def test_own_feedback_is_in_the_personal_data_export_and_not_in_the_editors(app: Flask, org, rated) -> None:
    own = _client(app, org.employee).get("/konto/meine-daten.json").get_json()
    [row] = own["tables"]["material_feedback"]["rows"]
    assert (row["rating"], row["comment"]) == (2, "Der Abschnitt zur Weiterleitung fehlt.")
    with app.app_context():
        feedback_id = db.session.scalar(select(MaterialFeedback.id).where(MaterialFeedback.person_id == org.head.id))
    editor = _client(app, org.editor)
    editor.post(
        f"/redaktion/rueckmeldungen/kommentar/{feedback_id}/antwort", data={f"antwort-{feedback_id}-reply": "Danke"}
    )
    export = editor.get("/konto/meine-daten.json").get_json()
    assert export["tables"].get("material_feedback", {"rows": []})["rows"] == []
    assert str(org.head.id) not in str([event.get("details") for event in export["tables"]["audit_event"]["rows"]])


# Statements per page ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # the session with the person and what they may review (1, for the permission and the navigation), the
        # editor's departments (1), the materials with their figures (1, GROUP BY)
        ("/redaktion/rueckmeldungen", 3),
        # the session with the person, the material and its departments, the editor's departments, the comments
        # with their versions, the distribution
        ("/redaktion/rueckmeldungen/{material}", 6),
    ],
)
def test_statements_per_editor_page(app: Flask, org, count_queries, url: str, expected: int) -> None:
    def count() -> int:
        client.get(path)
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200
        return counter.count, counter.statements

    material_id = _material(app, versions=2)
    _give(app, org.employee.id, material_id, 2, "Kommentar eins")
    client = _client(app, org.editor)
    path = url.format(material=material_id)
    before, statements = count()
    assert before == expected, "\n".join(statements)
    # More materials, ratings and comments must not mean more statements.
    people = _people(app, 6, org.team_a)
    for index in range(3):
        other = _material(app, versions=1)
        for person_id in people:
            _give(app, person_id, other, index + 1, f"Kommentar {person_id}")
    for person_id in people:
        _give(app, person_id, material_id, 4, f"Noch ein Kommentar {person_id}")
    after, statements = count()
    assert after == expected, "\n".join(statements)


# Demo data ------------------------------------------------------------------------------------------------
def test_demo_has_ratings_low_rated_material_and_answers(make_app, tmp_path) -> None:
    from quali_kompass.feedback import queries

    app = make_app(QK_DEMO_LOGINS_FILE=str(tmp_path / "demo-logins.txt"))
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        editor = db.session.scalars(select(Person).where(Person.is_editor.is_(True))).first()
        rows = queries.material_ratings(editor)
        rated = [row for row in rows if row.ratings]
        assert len(rated) == 15
        assert 1 <= sum(row.low for row in rows) <= 5
        assert sum(row.comments for row in rows) >= 15
        replies = db.session.scalar(
            select(func.count()).select_from(MaterialFeedback).where(MaterialFeedback.reply != "")
        )
        assert 2 <= replies <= 4
        assert (
            db.session.scalar(
                select(func.count()).select_from(MaterialFeedback).where(MaterialFeedback.person_id == editor.id)
            )
            == 0
        )
