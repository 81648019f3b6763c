"""Editors maintain topics (two levels) and tools in the browser."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from quali_kompass.audit.models import AuditEvent
from quali_kompass.catalogue.models import Material, Tool, Topic
from quali_kompass.extensions import db
from tests.conftest import login


def as_editor(app: Flask, org):
    client = app.test_client()
    login(client, org.editor.email)
    return client


def topic_id(app: Flask, name: str) -> int | None:
    with app.app_context():
        return db.session.scalar(select(Topic.id).where(Topic.name == name))


def tool_id(app: Flask, name: str) -> int | None:
    with app.app_context():
        return db.session.scalar(select(Tool.id).where(Tool.name == name))


def add_material(app: Flask, topic: int, tools: list[int] = ()) -> int:
    with app.app_context():
        material = Material(kind="link", title="E-Akte im Überblick", topic_id=topic)
        material.tools = [db.session.get(Tool, i) for i in tools]
        db.session.add(material)
        db.session.commit()
        return material.id


def audit_actions(app: Flask, object_type: str) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(AuditEvent.action, AuditEvent.actor_label)
            .where(AuditEvent.object_type == object_type)
            .order_by(AuditEvent.id)
        )
        return [tuple(row) for row in rows]


def test_editor_creates_main_topic_and_subtopic(app: Flask, org) -> None:
    client = as_editor(app, org)
    response = client.post("/redaktion/themen", data={"name": "Digitale Akte", "parent_id": 0}, follow_redirects=True)
    assert "Das Thema „Digitale Akte“ ist angelegt." in response.text
    main = topic_id(app, "Digitale Akte")
    response = client.post(
        "/redaktion/themen", data={"name": " E-Akte Grundlagen ", "parent_id": main}, follow_redirects=True
    )
    assert "Das Thema „Digitale Akte › E-Akte Grundlagen“ ist angelegt." in response.text
    with app.app_context():
        sub = db.session.scalar(select(Topic).where(Topic.name == "E-Akte Grundlagen"))
        assert sub.parent_id == main
    page = client.get("/redaktion/themen").text
    assert "Digitale Akte" in page and "E-Akte Grundlagen" in page
    detail = client.get(f"/redaktion/themen/{main}").text
    assert "Unterthemen" in detail and "E-Akte Grundlagen" in detail


def test_no_third_level(app: Flask, org) -> None:
    client = as_editor(app, org)
    client.post("/redaktion/themen", data={"name": "Kommunikation", "parent_id": 0})
    main = topic_id(app, "Kommunikation")
    client.post("/redaktion/themen", data={"name": "Videoberatung", "parent_id": main})
    sub = topic_id(app, "Videoberatung")

    # A subtopic cannot be a parent; the choice list offers only main topics, the service checks anyway.
    response = client.post("/redaktion/themen", data={"name": "Bildschirm teilen", "parent_id": sub})
    assert response.status_code == 400
    assert topic_id(app, "Bildschirm teilen") is None

    # A topic with subtopics cannot become a subtopic.
    client.post("/redaktion/themen", data={"name": "Fachverfahren", "parent_id": 0})
    other = topic_id(app, "Fachverfahren")
    response = client.post(f"/redaktion/themen/{main}", data={"name": "Kommunikation", "parent_id": other})
    assert response.status_code == 400
    assert "Das Thema hat Unterthemen und kann deshalb nicht selbst Unterthema werden." in response.text
    with app.app_context():
        assert db.session.get(Topic, main).parent_id is None

    # Nor can a topic be its own parent.
    response = client.post(f"/redaktion/themen/{other}", data={"name": "Fachverfahren", "parent_id": other})
    assert response.status_code == 400


def test_a_subtopic_that_is_offered_as_parent_is_refused_by_the_service(app: Flask, org) -> None:
    """Even if a form offered a subtopic, the service keeps topics at two levels."""
    from quali_kompass.catalogue import taxonomy
    from quali_kompass.errors import ServiceError

    with app.test_request_context():
        main = taxonomy.save_topic(None, "Fachverfahren", None)
        sub = taxonomy.save_topic(None, "VerBIS", main)
        try:
            taxonomy.save_topic(None, "Stellenbörse", sub)
        except ServiceError as error:
            assert error.field == "parent_id"
            assert "höchstens zwei Ebenen" in error.message
        else:
            raise AssertionError("a third level was accepted")
        db.session.rollback()


def test_duplicate_topic_names_are_refused_in_german(app: Flask, org) -> None:
    client = as_editor(app, org)
    client.post("/redaktion/themen", data={"name": "Datenschutz und Informationssicherheit", "parent_id": 0})
    client.post("/redaktion/themen", data={"name": "Online-Services", "parent_id": 0})
    main = topic_id(app, "Online-Services")
    client.post("/redaktion/themen", data={"name": "jobcenter.digital", "parent_id": main})

    response = client.post("/redaktion/themen", data={"name": "DATENSCHUTZ und informationssicherheit", "parent_id": 0})
    assert response.status_code == 400
    assert "Ein Hauptthema mit diesem Namen gibt es schon." in response.text
    assert 'value="DATENSCHUTZ und informationssicherheit"' in response.text  # the input is kept

    response = client.post("/redaktion/themen", data={"name": "JOBCENTER.DIGITAL", "parent_id": main})
    assert response.status_code == 400
    assert "Unter „Online-Services“ gibt es schon ein Thema mit diesem Namen." in response.text

    # The same name under another parent is fine.
    response = client.post("/redaktion/themen", data={"name": "jobcenter.digital", "parent_id": 0})
    assert response.status_code == 302

    response = client.post("/redaktion/themen", data={"name": "", "parent_id": 0})
    assert response.status_code == 400 and "Bitte füllen Sie dieses Feld aus." in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count(Topic.id))) == 4


def test_umlauts_count_as_the_same_name_in_any_case(app: Flask, org) -> None:
    client = as_editor(app, org)
    client.post("/redaktion/themen", data={"name": "Übergänge", "parent_id": 0})
    response = client.post("/redaktion/themen", data={"name": "übergänge", "parent_id": 0})
    assert response.status_code == 400


def test_renaming_and_moving_a_topic(app: Flask, org) -> None:
    client = as_editor(app, org)
    client.post("/redaktion/themen", data={"name": "Kommunikation", "parent_id": 0})
    client.post("/redaktion/themen", data={"name": "Online-Services", "parent_id": 0})
    client.post("/redaktion/themen", data={"name": "Videoberatng", "parent_id": 0})
    first, second, topic = (topic_id(app, n) for n in ("Kommunikation", "Online-Services", "Videoberatng"))
    response = client.post(
        f"/redaktion/themen/{topic}", data={"name": "Videoberatung", "parent_id": first}, follow_redirects=True
    )
    assert "Das Thema ist gespeichert." in response.text
    client.post(f"/redaktion/themen/{topic}", data={"name": "Videoberatung", "parent_id": second})
    client.post(f"/redaktion/themen/{topic}", data={"name": "Videoberatung", "parent_id": 0})
    with app.app_context():
        assert db.session.get(Topic, topic).parent_id is None
        changes = db.session.scalars(
            select(AuditEvent.details).where(AuditEvent.action == "topic_changed").order_by(AuditEvent.id)
        ).all()
    assert changes == [
        {"name": ["Videoberatng", "Videoberatung"], "parent": [None, "Kommunikation"]},
        {"parent": ["Kommunikation", "Online-Services"]},
        {"parent": ["Online-Services", None]},
    ]


def test_topic_delete_is_refused_while_in_use(app: Flask, org) -> None:
    client = as_editor(app, org)
    client.post("/redaktion/themen", data={"name": "Digitale Akte", "parent_id": 0})
    main = topic_id(app, "Digitale Akte")
    client.post("/redaktion/themen", data={"name": "E-Akte Posteingang", "parent_id": main})
    sub = topic_id(app, "E-Akte Posteingang")

    response = client.post(f"/redaktion/themen/{main}/loeschen", follow_redirects=True)
    assert "Das Thema hat noch Unterthemen. Bitte verschieben oder löschen Sie diese zuerst." in response.text

    material = add_material(app, sub)
    response = client.post(f"/redaktion/themen/{sub}/loeschen", follow_redirects=True)
    assert "Das Thema ist noch Materialien zugeordnet." in response.text
    assert "1 Material ist diesem Thema zugeordnet." in response.text
    assert topic_id(app, "E-Akte Posteingang") == sub
    listing = client.get("/redaktion/themen").text
    assert "E-Akte Posteingang" in listing

    with app.app_context():
        db.session.delete(db.session.get(Material, material))
        db.session.commit()
    response = client.post(f"/redaktion/themen/{sub}/loeschen", follow_redirects=True)
    assert "Das Thema „Digitale Akte › E-Akte Posteingang“ ist gelöscht." in response.text
    response = client.post(f"/redaktion/themen/{main}/loeschen", follow_redirects=True)
    assert "Das Thema „Digitale Akte“ ist gelöscht." in response.text
    assert topic_id(app, "Digitale Akte") is None
    assert client.get(f"/redaktion/themen/{main}").status_code == 404
    assert [action for action, _ in audit_actions(app, "topic")] == [
        "topic_created",
        "topic_created",
        "topic_deleted",
        "topic_deleted",
    ]
    assert {actor for _, actor in audit_actions(app, "topic")} == {org.editor.email}


def test_editor_maintains_tools(app: Flask, org) -> None:
    client = as_editor(app, org)
    response = client.post(
        "/redaktion/werkzeuge",
        data={"name": "VerBIS", "description": "Vermittlungs-, Beratungs- und Informationssystem der BA"},
        follow_redirects=True,
    )
    assert "Das Werkzeug „VerBIS“ ist angelegt." in response.text
    assert "Vermittlungs-, Beratungs- und Informationssystem der BA" in response.text
    client.post("/redaktion/werkzeuge", data={"name": "E-Akte", "description": ""})
    verbis, e_akte = tool_id(app, "VerBIS"), tool_id(app, "E-Akte")

    response = client.post("/redaktion/werkzeuge", data={"name": "verbis", "description": "doppelt"})
    assert response.status_code == 400
    assert "Ein Werkzeug mit diesem Namen gibt es schon." in response.text
    assert "doppelt" in response.text
    response = client.post(f"/redaktion/werkzeuge/{e_akte}", data={"name": "VERBIS", "description": ""})
    assert response.status_code == 400

    response = client.post(
        f"/redaktion/werkzeuge/{e_akte}",
        data={"name": "E-Akte", "description": "Elektronische Akte"},
        follow_redirects=True,
    )
    assert "Das Werkzeug ist gespeichert." in response.text
    with app.app_context():
        assert db.session.get(Tool, e_akte).description == "Elektronische Akte"

    client.post("/redaktion/themen", data={"name": "Fachverfahren", "parent_id": 0})
    topic = topic_id(app, "Fachverfahren")
    add_material(app, topic, tools=[verbis])
    response = client.post(f"/redaktion/werkzeuge/{verbis}/loeschen", follow_redirects=True)
    assert "Das Werkzeug ist noch Materialien zugeordnet." in response.text
    assert tool_id(app, "VerBIS") == verbis
    listing = client.get("/redaktion/werkzeuge").text
    assert "VerBIS" in listing and "E-Akte" in listing

    response = client.post(f"/redaktion/werkzeuge/{e_akte}/loeschen", follow_redirects=True)
    assert "Das Werkzeug „E-Akte“ ist gelöscht." in response.text
    assert tool_id(app, "E-Akte") is None
    assert [action for action, _ in audit_actions(app, "tool")] == [
        "tool_created",
        "tool_created",
        "tool_changed",
        "tool_deleted",
    ]


def test_audit_log_names_the_actions(app: Flask, org) -> None:
    client = as_editor(app, org)
    client.post("/redaktion/themen", data={"name": "Kommunikation", "parent_id": 0})
    client.post("/redaktion/werkzeuge", data={"name": "Verschlüsselte E-Mail", "description": ""})
    auditor = app.test_client()
    login(auditor, org.auditor.email)
    page = auditor.get("/protokoll/").text
    assert "Thema angelegt" in page and "Werkzeug angelegt" in page


def test_only_editors_manage_topics_and_tools(app: Flask, org) -> None:
    client = app.test_client()
    login(client, org.employee.email)
    assert client.get("/redaktion/themen").status_code == 403
    assert client.post("/redaktion/themen", data={"name": "Heimlich", "parent_id": 0}).status_code == 403
    assert client.get("/redaktion/werkzeuge").status_code == 403
    assert client.post("/redaktion/werkzeuge", data={"name": "Heimlich"}).status_code == 403
    admin = app.test_client()
    login(admin, org.admin.email)
    assert admin.get("/redaktion/themen").status_code == 403
    anonymous = app.test_client().get("/redaktion/werkzeuge")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/anmelden")
    assert topic_id(app, "Heimlich") is None and tool_id(app, "Heimlich") is None


def test_unknown_topic_or_tool_is_404(app: Flask, org) -> None:
    client = as_editor(app, org)
    assert client.get("/redaktion/themen/999").status_code == 404
    assert client.post("/redaktion/werkzeuge/999/loeschen").status_code == 404
    assert client.post("/redaktion/themen", data={"name": "Neu", "parent_id": 999}).status_code == 400


def test_demo_taxonomy_has_two_levels_and_the_usual_tools(app: Flask) -> None:
    from quali_kompass.demo import load_demo_taxonomy

    with app.app_context():
        topics, tools = load_demo_taxonomy()
        db.session.commit()
        assert topics["Digitale Akte › E-Akte Posteingang"].parent is topics["Digitale Akte"]
        assert all(topic.parent is None or topic.parent.parent is None for topic in topics.values())
        assert {"E-Akte", "VerBIS", "ALLEGRO", "Serviceportal jobcenter.digital"} <= tools.keys()
