"""Qualification needs: stating one (with matching material), the editors' answers, the unmet list, access."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import Flask
from sqlalchemy import func, select

from quali_kompass.audit.models import AuditEvent
from quali_kompass.extensions import db
from quali_kompass.needs.models import Need, need_materials
from quali_kompass.notifications.models import Notification
from quali_kompass.organisation.models import Person
from tests.conftest import build_org, login
from tests.factories import MaterialFactory, PersonFactory, ToolFactory, TopicFactory
from tests.test_notifications import body, mail_settings, subject


def count(app: Flask, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def add_need(app: Flask, person, **fields) -> int:
    with app.app_context():
        person = db.session.get(Person, person.id)
        team = person.current_team
        fields.setdefault("department_id", team.department_id if team else None)
        fields.setdefault("text", "Serienbriefe in der E-Akte")
        need = Need(person_id=person.id, **fields)
        db.session.add(need)
        db.session.commit()
        return need.id


@pytest.fixture
def catalogue(app: Flask, org, create) -> SimpleNamespace:
    """A tool, a topic, a published material for all, one for department B only, and a draft."""
    tool = create(ToolFactory, name="E-Akte")
    topic = create(TopicFactory, name="Digitale Akte")
    serienbriefe = create(MaterialFactory, title="Serienbriefe in der E-Akte erstellen", topic=topic, tools=[tool])
    other = create(MaterialFactory, title="Serienbriefe im Markt und Integration", departments=[org.dept_b])
    draft = create(MaterialFactory, title="Serienbriefe: Entwurf", status="draft")
    return SimpleNamespace(tool=tool, topic=topic, serienbriefe=serienbriefe, other=other, draft=draft)


# Stating a need ---------------------------------------------------------------------------------------------
def test_stating_a_need_matched_by_a_search_hit(app: Flask, org, catalogue) -> None:
    client = app.test_client()
    login(client, org.employee.email)
    # Without JavaScript: the button shows the matching material, and nothing is written.
    page = client.post("/bedarf/neu", data={"text": "Serienbriefe", "urgency": "high", "suchen": "1"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Das passt schon? Dann brauchen Sie keinen Bedarf zu melden." in html
    assert f'href="/katalog/{catalogue.serienbriefe.id}"' in html
    assert "Serienbriefe: Entwurf" not in html and "Serienbriefe im Markt und Integration" not in html
    assert 'aria-live="polite"' in html
    assert count(app, Need) == 0

    # Still stated: it reaches the editors, with the department of the person's team.
    response = client.post(
        "/bedarf/neu",
        data={"tool_id": catalogue.tool.id, "topic_id": 0, "text": "Serienbriefe mit Anlagen", "urgency": "high"},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/bedarf"
    with app.app_context():
        need = db.session.scalars(select(Need)).one()
        assert (need.person_id, need.team_id, need.department_id) == (org.employee.id, None, org.dept_a.id)
        assert (need.tool_id, need.topic_id, need.text, need.urgency, need.state) == (
            catalogue.tool.id,
            None,
            "Serienbriefe mit Anlagen",
            "high",
            "open",
        )
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "need")) == "need_stated"
    page = client.get("/bedarf").get_data(as_text=True)
    assert "Vielen Dank! Ihr Bedarf ist bei der Redaktion angekommen." in page
    assert "Serienbriefe mit Anlagen" in page and "offen" in page


def test_the_catalogue_links_to_the_needs_form_with_its_search(app: Flask, org, catalogue) -> None:
    client = app.test_client()
    login(client, org.employee.email)
    page = client.get("/katalog?suche=Xylophon").get_data(as_text=True)
    assert 'href="/bedarf/neu' in page
    form = client.get(f"/bedarf/neu?suche=Serienbriefe&werkzeug={catalogue.tool.id}").get_data(as_text=True)
    assert ">\r\nSerienbriefe</textarea>" in form
    assert f'<option selected value="{catalogue.tool.id}">E-Akte</option>' in form


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"tool_id": 0, "topic_id": 0, "text": "   ", "urgency": "medium"},
            "text",
            "Bitte wählen Sie ein Werkzeug oder ein Thema oder beschreiben Sie Ihren Bedarf in eigenen Worten.",
        ),
        ({"text": "x" * 1001, "urgency": "medium"}, "text", "Bitte geben Sie höchstens 1000 Zeichen ein."),
        ({"text": "Excel", "urgency": "sofort"}, "urgency", "Bitte wählen Sie, wie dringend der Bedarf ist."),
        ({"tool_id": 9999, "urgency": "low"}, "tool_id", "Dieses Werkzeug gibt es nicht mehr."),
    ],
)
def test_an_invalid_need_is_refused_in_german_and_nothing_is_written(
    app: Flask, org, data: dict, field: str, message: str
) -> None:
    client = app.test_client()
    login(client, org.employee.email)
    response = client.post("/bedarf/neu", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and f'id="{field}-error"' in html
    assert count(app, Need) == 0


def test_a_lead_states_a_need_for_their_own_team_only(app: Flask, org, catalogue) -> None:
    client = app.test_client()
    login(client, org.lead.email)
    form = client.get("/bedarf/neu").get_data(as_text=True)
    assert "Für mein Team: Leistung Team 1 (Leistungsgewährung)" in form
    assert "Integration Nord" not in form

    refused = client.post("/bedarf/neu", data={"team_id": org.team_b.id, "text": "Excel", "urgency": "low"})
    assert refused.status_code == 400
    assert "Sie können Bedarf nur für Teams melden, die Sie leiten." in refused.get_data(as_text=True)
    assert count(app, Need) == 0

    stated = client.post("/bedarf/neu", data={"team_id": org.team_a.id, "topic_id": catalogue.topic.id})
    assert stated.status_code == 302
    with app.app_context():
        need = db.session.scalars(select(Need)).one()
        assert (need.person_id, need.team_id, need.department_id) == (org.lead.id, org.team_a.id, org.dept_a.id)
        assert need.urgency == "medium"  # the default


def test_an_employee_cannot_state_a_need_for_a_team(app: Flask, org) -> None:
    client = app.test_client()
    login(client, org.employee.email)
    assert "Für wen" not in client.get("/bedarf/neu").get_data(as_text=True)
    response = client.post("/bedarf/neu", data={"team_id": org.team_a.id, "text": "Excel", "urgency": "low"})
    assert response.status_code == 400
    assert count(app, Need) == 0


# Matching material as JSON ---------------------------------------------------------------------------------------
def test_matches_return_published_material_of_the_persons_department_only(app: Flask, org, catalogue) -> None:
    client = app.test_client()
    login(client, org.employee.email)
    response = client.get("/bedarf/passende-angebote?suche=Serienbriefe", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.is_json
    data = response.get_json()
    assert data["matches"] == [
        {
            "title": "Serienbriefe in der E-Akte erstellen",
            "kind": "Anleitung",
            "url": f"/katalog/{catalogue.serienbriefe.id}",
        }
    ]
    assert data["hint"] == "Das passt schon? Dann brauchen Sie keinen Bedarf zu melden."

    # Department B's material is found by its own people; drafts by no one, not even their editor.
    other = app.test_client()
    login(other, org.other_employee.email)
    titles = [m["title"] for m in other.get("/bedarf/passende-angebote?suche=Serienbriefe").get_json()["matches"]]
    assert sorted(titles) == ["Serienbriefe im Markt und Integration", "Serienbriefe in der E-Akte erstellen"]
    editor = app.test_client()
    login(editor, org.editor.email)
    titles = [m["title"] for m in editor.get("/bedarf/passende-angebote?suche=Entwurf").get_json()["matches"]]
    assert titles == []


def test_matches_are_at_most_five(app: Flask, org, create) -> None:
    for number in range(7):
        create(MaterialFactory, title=f"Videoberatung Teil {number}")
    client = app.test_client()
    login(client, org.employee.email)
    assert len(client.get("/bedarf/passende-angebote?suche=Videoberatung").get_json()["matches"]) == 5
    empty = client.get("/bedarf/passende-angebote?suche=").get_json()
    assert empty == {"matches": [], "hint": ""}


def test_match_errors_are_json(app: Flask, org) -> None:
    client = app.test_client()
    anonymous = client.get("/bedarf/passende-angebote?suche=E-Akte", headers={"Accept": "application/json"})
    assert anonymous.status_code == 401 and anonymous.is_json and "error" in anonymous.get_json()
    login(client, org.employee.email)
    too_long = client.get("/bedarf/passende-angebote?suche=" + "a" * 1001, headers={"Accept": "application/json"})
    assert too_long.status_code == 400 and too_long.is_json
    assert too_long.get_json()["error"] == "Bitte geben Sie höchstens 1000 Zeichen ein."


# Editors answer ---------------------------------------------------------------------------------------------
def test_an_editor_links_a_material_and_the_person_is_notified_by_mail(make_app, smtp_server) -> None:
    app = make_app(**mail_settings(smtp_server.port))
    org = build_org(app)
    with app.app_context():
        tool = ToolFactory(name="E-Akte")
        material = MaterialFactory(title="Serienbriefe in der E-Akte erstellen", tools=[tool])
        db.session.commit()
        material_id, tool_id = material.id, tool.id
    need_id = add_need(app, org.employee, tool_id=tool_id, urgency="high")

    editor = app.test_client()
    login(editor, org.editor.email)
    page = editor.get(f"/redaktion/bedarfe/{need_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Erika Beispiel" not in html and "erika.beispiel" not in html  # no names to editors
    assert "Leistungsgewährung" in html and "Serienbriefe in der E-Akte" in html
    assert f'value="{material_id}"' in html  # found by the tool's name, ready to link

    response = editor.post(
        f"/redaktion/bedarfe/{need_id}?suche=E-Akte",
        data={"material_ids": [material_id], "state": "met", "reply": "Die Anleitung zeigt es Schritt für Schritt."},
    )
    assert response.status_code == 302
    with app.app_context():
        need = db.session.get(Need, need_id)
        assert need.state == "met" and need.answered_by_id == org.editor.id and need.answered_at is not None
        assert db.session.scalars(select(need_materials.c.material_id)).all() == [material_id]
        notification = db.session.scalars(select(Notification)).one()
        assert (notification.person_id, notification.kind, notification.mail_state) == (
            org.employee.id,
            "need_answered",
            "sent",
        )
    messages = smtp_server.messages()
    assert [message["To"] for message in messages] == ["erika.beispiel@jobcenter-test.de"]
    assert subject(messages[0]) == "Quali-Kompass: Passendes Angebot für Ihren Bedarf: E-Akte"
    text = body(messages[0])
    assert "Serienbriefe in der E-Akte erstellen" in text
    assert "Antwort der Redaktion: Die Anleitung zeigt es Schritt für Schritt." in text
    assert "https://quali.jobcenter.de/bedarf#bedarf-" in text

    person = app.test_client()
    login(person, org.employee.email)
    page = person.get("/bedarf").get_data(as_text=True)
    assert "erfüllt" in page and f'href="/katalog/{material_id}"' in page
    assert "Die Anleitung zeigt es Schritt für Schritt." in page
    assert "Passendes Angebot für Ihren Bedarf: E-Akte" in person.get("/benachrichtigungen").get_data(as_text=True)


def test_a_team_need_notifies_the_lead_who_stated_it(app: Flask, org) -> None:
    need_id = add_need(app, org.lead, team_id=org.team_a.id, text="Videoberatung mit Dolmetscher")
    editor = app.test_client()
    login(editor, org.editor.email)
    page = editor.get(f"/redaktion/bedarfe/{need_id}").get_data(as_text=True)
    assert "Lena Leitung" not in page and "Team Leistung Team 1" in page
    response = editor.post(
        f"/redaktion/bedarfe/{need_id}", data={"state": "in_progress", "reply": "Wir drehen ein Video."}
    )
    assert response.status_code == 302
    with app.app_context():
        notification = db.session.scalars(select(Notification)).one()
        assert notification.person_id == org.lead.id and notification.params["team"] == "Leistung Team 1"
        assert db.session.get(Need, need_id).state == "in_progress"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"state": "declined", "reply": "  "}, "Bitte begründen Sie die Ablehnung."),
        ({"state": "met"}, "Bitte wählen Sie mindestens ein Angebot, das den Bedarf erfüllt"),
        ({"state": "gelesen"}, "Bitte wählen Sie, wie es mit dem Bedarf weitergeht."),
    ],
)
def test_an_answer_is_refused_without_what_it_needs(app: Flask, org, data: dict, message: str) -> None:
    need_id = add_need(app, org.employee)
    editor = app.test_client()
    login(editor, org.editor.email)
    response = editor.post(f"/redaktion/bedarfe/{need_id}", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Need, need_id).state == "open"
    assert count(app, Notification) == 0


def test_drafts_cannot_be_linked(app: Flask, org, create) -> None:
    draft = create(MaterialFactory, title="Entwurf", status="draft")
    need_id = add_need(app, org.employee)
    editor = app.test_client()
    login(editor, org.editor.email)
    response = editor.post(f"/redaktion/bedarfe/{need_id}", data={"state": "met", "material_ids": [draft.id]})
    assert response.status_code == 400
    assert "Bitte wählen Sie nur veröffentlichte Angebote aus dem Katalog." in response.get_data(as_text=True)


def test_declining_with_a_reply(app: Flask, org) -> None:
    need_id = add_need(app, org.employee)
    editor = app.test_client()
    login(editor, org.editor.email)
    response = editor.post(
        f"/redaktion/bedarfe/{need_id}", data={"state": "declined", "reply": "Das regelt die BA zentral."}
    )
    assert response.status_code == 302
    with app.app_context():
        need = db.session.get(Need, need_id)
        assert (need.state, need.reply) == ("declined", "Das regelt die BA zentral.")
        assert db.session.scalars(select(Notification.params)).one()["state"] == "declined"


# The editors' overview and the unmet list ---------------------------------------------------------------------
def test_overview_counts_and_lists_needs_without_names(app: Flask, org, catalogue) -> None:
    add_need(app, org.employee, tool_id=catalogue.tool.id, urgency="high")
    add_need(app, org.lead, tool_id=catalogue.tool.id, topic_id=catalogue.topic.id, state="met")
    add_need(app, org.other_employee, text="Excel für Fortgeschrittene", urgency="low")
    client = app.test_client()
    login(client, org.editor.email)
    page = client.get("/redaktion/bedarfe")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "3 Bedarfe" in html
    for name in ("Erika Beispiel", "Lena Leitung", "Olga Weit"):
        assert name not in html
    assert "Nach Fachbereich" in html and "Nach Thema" in html and "Nach Werkzeug" in html
    filtered = client.get(f"/redaktion/bedarfe?status=unerfuellt&werkzeug={catalogue.tool.id}").get_data(as_text=True)
    assert "1 Bedarf<" in filtered


def test_unmet_needs_are_sorted_by_the_number_of_people_sharing_them(app: Flask, org, create) -> None:
    e_akte = create(ToolFactory, name="E-Akte")
    verbis = create(ToolFactory, name="VerBIS")
    for _ in range(3):  # team A has six current members now
        create(PersonFactory, team=org.team_a)
    # VerBIS: two people; one of them twice, which still counts them once.
    add_need(app, org.employee, tool_id=verbis.id, urgency="high")
    add_need(app, org.employee, tool_id=verbis.id, urgency="high")
    add_need(app, org.other_employee, tool_id=verbis.id, urgency="low")
    # E-Akte: a need for team A (six members) and a personal one of a member: six people.
    add_need(app, org.lead, tool_id=e_akte.id, team_id=org.team_a.id)
    add_need(app, org.head, tool_id=e_akte.id)
    # Met and declined needs are no longer unmet.
    add_need(app, org.other_lead, text="Excel", state="met")
    add_need(app, org.other_lead, text="Word", state="declined")
    client = app.test_client()
    login(client, org.editor.email)
    page = client.get("/redaktion/bedarfe/offen")
    assert page.status_code == 200
    with app.app_context():
        from quali_kompass.needs.queries import unmet_groups

        editor = db.session.get(Person, org.editor.id)
        groups = unmet_groups(db.session, editor)
    assert [(g.tool, g.people, g.needs, g.urgency) for g in groups] == [
        ("E-Akte", 6, 2, {"low": 0, "medium": 2, "high": 0}),
        ("VerBIS", 2, 3, {"low": 1, "medium": 0, "high": 2}),
    ]
    html = page.get_data(as_text=True)
    assert html.index("E-Akte") < html.index("VerBIS")
    assert "Excel" not in html


def test_an_editor_of_department_a_sees_only_its_needs(app: Flask, org) -> None:
    with app.app_context():
        editor = db.session.get(Person, org.editor.id)
        editor.editor_departments.append(db.session.merge(org.dept_a))
        db.session.commit()
    own = add_need(app, org.employee, text="Bescheide erklären")
    other = add_need(app, org.other_employee, text="Arbeitgeberbesuche planen")
    client = app.test_client()
    login(client, org.editor.email)
    overview = client.get("/redaktion/bedarfe").get_data(as_text=True)
    assert "Bescheide erklären" in overview and "Arbeitgeberbesuche planen" not in overview
    assert "Markt und Integration" not in overview
    assert "Arbeitgeberbesuche planen" not in client.get("/redaktion/bedarfe/offen").get_data(as_text=True)
    assert client.get(f"/redaktion/bedarfe/{own}").status_code == 200
    assert client.get(f"/redaktion/bedarfe/{other}").status_code == 403
    assert client.post(f"/redaktion/bedarfe/{other}", data={"state": "in_progress"}).status_code == 403
    assert client.get("/redaktion/bedarfe/99999").status_code == 404


@pytest.mark.parametrize("role", ["employee", "lead", "head", "admin", "auditor"])
def test_only_editors_open_the_editor_pages(app: Flask, org, role: str) -> None:
    need_id = add_need(app, org.employee)
    client = app.test_client()
    login(client, getattr(org, role).email)
    for url in ("/redaktion/bedarfe", "/redaktion/bedarfe/offen", f"/redaktion/bedarfe/{need_id}"):
        assert client.get(url).status_code == 403, url


def test_navigation_offers_needs_to_everyone_and_the_editor_pages_to_editors(app: Flask, org) -> None:
    client = app.test_client()
    login(client, org.employee.email)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/bedarf"' in page and 'href="/redaktion/bedarfe"' not in page
    editor = app.test_client()
    login(editor, org.editor.email)
    assert 'href="/redaktion/bedarfe"' in editor.get("/redaktion").get_data(as_text=True)


# Statements per page, whatever the number of needs ---------------------------------------------------------------
# (role, URL, statements) – the login session, the person and what they may review (for the navigation) are loaded
# on every page in one statement.
PAGES = [
    ("employee", "/bedarf", 3),  # the needs with their tool, topic, team and department; their materials
    ("employee", "/bedarf/neu", 3),  # the tools and the topics for the form
    # and the department of the person's team, the look-up in the vocabulary and the matching material
    ("employee", "/bedarf/neu?suche=Serienbriefe", 6),
    ("employee", "/bedarf/passende-angebote?suche=Serienbriefe", 4),  # JSON: no navigation
    # the editor's departments, one page of needs and their number, three counts, the choices of three filters
    ("editor", "/redaktion/bedarfe", 10),
    ("editor", "/redaktion/bedarfe/{need}", 6),  # the need with its materials, the search for its tool
    ("editor", "/redaktion/bedarfe/offen", 5),  # the editor's departments, needs per group, people per group
]


@pytest.mark.parametrize(("role", "url", "expected"), PAGES)
def test_statements_per_page_do_not_grow_with_the_needs(
    app: Flask, org, catalogue, create, count_queries, role: str, url: str, expected: int
) -> None:
    client = app.test_client()
    login(client, getattr(org, role).email)
    counts = []
    first_need = None
    for round_ in range(2):
        for number in range(3 if round_ == 0 else 12):
            with app.app_context():
                tool = ToolFactory()
                db.session.commit()
            need_id = add_need(
                app,
                [org.employee, org.lead, org.other_employee][number % 3],
                tool_id=tool.id if number % 2 else catalogue.tool.id,
                topic_id=catalogue.topic.id if number % 3 else None,
                team_id=org.team_a.id if number % 4 == 1 else None,
                urgency=("low", "medium", "high")[number % 3],
                state=("open", "in_progress", "met", "declined")[number % 4],
            )
            first_need = first_need or need_id
            if number % 4 == 2:
                with app.app_context():
                    link = {"need_id": need_id, "material_id": catalogue.serienbriefe.id}
                    db.session.execute(need_materials.insert().values(**link))
                    db.session.commit()
        target = url.format(need=first_need)
        client.get(target)
        with count_queries() as counter:
            response = client.get(target)
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
    assert counts[1] == expected, "\n".join(counter.statements)
