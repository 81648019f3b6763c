"""Editors create material as drafts, publish versions with change notes, archive; limited editors stay in scope."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from quali_kompass.audit.models import AuditEvent
from quali_kompass.catalogue.models import Material, MaterialVersion, Tool, Topic
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Person
from tests.conftest import login


@pytest.fixture
def catalogue(app: Flask, org) -> SimpleNamespace:
    """Two topics and a tool; a second editor limited to department A."""
    with app.app_context():
        main = Topic(name="Digitale Akte")
        sub = Topic(name="E-Akte Posteingang", parent=main)
        tool = Tool(name="E-Akte")
        limited = Person(
            name="Lea Begrenzt",
            email="lea.begrenzt@jobcenter-test.de",
            is_editor=True,
            password_hash=db.session.get(Person, org.editor.id).password_hash,
        )
        limited.editor_departments = [db.session.get(Department, org.dept_a.id)]
        db.session.add_all([main, sub, tool, limited])
        db.session.commit()
        return SimpleNamespace(main=main, sub=sub, tool=tool, limited=limited)


def material_form(org, catalogue, **overrides) -> dict:
    data = {
        "kind": "document",
        "title": "Posteingang in der E-Akte bearbeiten",
        "summary": "Wie Sie Post in der E-Akte zuordnen.",
        "topic_id": catalogue.sub.id,
        "department_ids": [org.dept_a.id],
        "tool_ids": [catalogue.tool.id],
        "duration_minutes": "20",
        "level": "basic",
        "source": "inhouse",
        "language": "de",
        "body": "## Schritt 1\n\nÖffnen Sie den **Posteingang**.",
    }
    data.update(overrides)
    return data


def editor_client(app: Flask, email: str):
    client = app.test_client()
    login(client, email)
    return client


def material_by_title(app: Flask, title: str) -> Material:
    with app.app_context():
        return db.session.scalar(
            select(Material).where(Material.title == title).options(selectinload(Material.departments))
        )


def test_editor_creates_publishes_and_versions_a_written_guide(app: Flask, org, catalogue) -> None:
    client = editor_client(app, org.editor.email)
    response = client.post("/redaktion/material/neu", data=material_form(org, catalogue), follow_redirects=True)
    assert "ist als Entwurf gespeichert" in response.text
    material = material_by_title(app, "Posteingang in der E-Akte bearbeiten")
    assert material.status == "draft"

    published = client.post(f"/redaktion/material/{material.id}/veroeffentlichen", data={}, follow_redirects=True)
    assert "Version 1 ist veröffentlicht." in published.text

    second = client.post(f"/redaktion/material/{material.id}/veroeffentlichen", data={"recompletion_required": "y"})
    assert second.status_code == 400 and "Bitte beschreiben Sie kurz, was sich geändert hat." in second.text
    client.post(
        f"/redaktion/material/{material.id}/veroeffentlichen",
        data={
            "change_note": "Neuer Ablauf seit dem Update im März",
            "recompletion_required": "y",
            "recompletion_grace_days": "45",
        },
    )
    too_long = client.post(
        f"/redaktion/material/{material.id}/veroeffentlichen",
        data={"change_note": "Noch einmal", "recompletion_required": "y", "recompletion_grace_days": "400"},
    )
    assert too_long.status_code == 400 and "zwischen 1 und 365 Tagen" in too_long.text
    with app.app_context():
        versions = db.session.execute(
            select(
                MaterialVersion.number,
                MaterialVersion.change_note,
                MaterialVersion.recompletion_required,
                MaterialVersion.recompletion_grace_days,
            )
            .where(MaterialVersion.material_id == material.id)
            .order_by(MaterialVersion.number)
        ).all()
        assert versions == [
            (1, "Erste Veröffentlichung", False, 30),
            (2, "Neuer Ablauf seit dem Update im März", True, 45),
        ]
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "material")).all()
        assert sorted(actions) == ["material_created", "material_published", "material_published"]
    page = client.get(f"/redaktion/material/{material.id}").text
    assert "Neuer Ablauf seit dem Update im März" in page and "ja, innerhalb von 45 Tagen" in page


def test_publishing_needs_the_content_of_the_kind(app: Flask, org, catalogue) -> None:
    client = editor_client(app, org.editor.email)
    client.post(
        "/redaktion/material/neu", data=material_form(org, catalogue, kind="link", title="BA-Lernwelt", body="")
    )
    material = material_by_title(app, "BA-Lernwelt")
    refused = client.post(f"/redaktion/material/{material.id}/veroeffentlichen", data={})
    assert refused.status_code == 400 and "Die Adresse des Links fehlt." in refused.text
    assert material_by_title(app, "BA-Lernwelt").status == "draft"
    bad = client.post(
        f"/redaktion/material/{material.id}",
        data=material_form(org, catalogue, kind="link", title="BA-Lernwelt", external_url="javascript:alert(1)"),
    )
    assert bad.status_code == 400 and "https://" in bad.text
    client.post(
        f"/redaktion/material/{material.id}",
        data=material_form(org, catalogue, kind="link", title="BA-Lernwelt", external_url="https://lernwelt.example"),
    )
    done = client.post(f"/redaktion/material/{material.id}/veroeffentlichen", data={}, follow_redirects=True)
    assert "Version 1 ist veröffentlicht." in done.text


def test_invalid_input_keeps_what_was_typed_and_writes_nothing(app: Flask, org, catalogue) -> None:
    client = editor_client(app, org.editor.email)
    response = client.post(
        "/redaktion/material/neu",
        data=material_form(org, catalogue, title="", duration_minutes="-5", department_ids=[]),
    )
    assert response.status_code == 400
    assert "Bitte füllen Sie dieses Feld aus." in response.text
    assert "zwischen 1 und 10000 Minuten" in response.text
    assert "Wie Sie Post in der E-Akte zuordnen." in response.text
    no_department = client.post("/redaktion/material/neu", data=material_form(org, catalogue, department_ids=[]))
    assert no_department.status_code == 400 and "mindestens einen Fachbereich" in no_department.text
    unknown = client.post("/redaktion/material/neu", data=material_form(org, catalogue, kind="podcast"))
    assert unknown.status_code == 400 and "Not a valid choice" not in unknown.text
    with app.app_context():
        assert db.session.scalar(select(func.count(Material.id))) == 0


def test_limited_editors_work_only_in_their_departments(app: Flask, org, catalogue) -> None:
    editor = editor_client(app, org.editor.email)
    editor.post("/redaktion/material/neu", data=material_form(org, catalogue, title="Für alle", all_departments="y"))
    editor.post("/redaktion/material/neu", data=material_form(org, catalogue, title="Nur A"))
    for_all, only_a = material_by_title(app, "Für alle"), material_by_title(app, "Nur A")

    limited = editor_client(app, catalogue.limited.email)
    listing = limited.get("/redaktion").text
    assert "Nur A" in listing and "Für alle" not in listing
    assert limited.get(f"/redaktion/material/{for_all.id}").status_code == 403
    assert limited.post(f"/redaktion/material/{for_all.id}/veroeffentlichen", data={}).status_code == 403
    moved = limited.post(
        f"/redaktion/material/{only_a.id}",
        data=material_form(org, catalogue, title="Nur A", department_ids=[org.dept_b.id]),
    )
    assert moved.status_code == 400  # department B is not offered to this editor
    assert material_by_title(app, "Nur A").department_ids == {org.dept_a.id}
    created = limited.post(
        "/redaktion/material/neu", data=material_form(org, catalogue, title="Alle?", all_departments="y")
    )
    assert created.status_code == 400 and "nur Material Ihrer eigenen Fachbereiche" in created.text


def test_archived_material_leaves_the_editors_active_list_but_stays(app: Flask, org, catalogue) -> None:
    client = editor_client(app, org.editor.email)
    client.post("/redaktion/material/neu", data=material_form(org, catalogue))
    material = material_by_title(app, "Posteingang in der E-Akte bearbeiten")
    not_yet = client.post(f"/redaktion/material/{material.id}/archivieren", follow_redirects=True)
    assert "nie veröffentlicht" in not_yet.text
    client.post(f"/redaktion/material/{material.id}/veroeffentlichen", data={})
    archived = client.post(f"/redaktion/material/{material.id}/archivieren", follow_redirects=True)
    assert "ist archiviert" in archived.text
    assert material_by_title(app, material.title).status == "archived"
    assert material.title in client.get("/redaktion?status=archived").text
    assert material.title not in client.get("/redaktion?status=published").text


def test_employees_cannot_edit(app: Flask, org, catalogue) -> None:
    client = editor_client(app, org.employee.email)
    assert client.get("/redaktion").status_code == 403
    assert client.post("/redaktion/material/neu", data=material_form(org, catalogue)).status_code == 403
