"""Click-through guides: editors build them step by step, employees walk through them, print them, download a PDF."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image, ImageDraw
from pypdf import PdfReader
from sqlalchemy import func, select

from quali_kompass.audit.models import AuditEvent
from quali_kompass.catalogue.models import GuideStep, Material, StoredFile
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Person
from tests.conftest import login
from tests.factories import MaterialFactory

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'


def screenshot(text: str, kind: str = "PNG") -> bytes:
    """A small image that looks like an application window, with a label to tell the steps apart."""
    image = Image.new("RGB", (320, 200), "#f4f6f9")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 320, 24), fill="#004b87")
    draw.rectangle((20, 60, 140, 90), outline="#333333", fill="#ffffff")
    draw.text((26, 68), text, fill="#000000")
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


@pytest.fixture
def guide(app: Flask, org) -> int:
    """A draft click-through guide for department A."""
    with app.app_context():
        material = MaterialFactory(
            kind="guide",
            status="draft",
            title="Posteingang in der E-Akte zuordnen",
            departments=[db.session.get(Department, org.dept_a.id)],
        )
        db.session.commit()
        return material.id


@pytest.fixture
def editor(app: Flask, org) -> FlaskClient:
    client = app.test_client()
    login(client, org.editor.email)
    return client


def add_step(
    client: FlaskClient, material_id: int, instruction: str, alt: str = "", image: bytes | None = None, **extra
):
    data = {"instruction": instruction, "alt_text": alt, **extra}
    if image is not None:
        data["image"] = (io.BytesIO(image), "Bildschirmfoto.png", "image/png")
    return client.post(f"/redaktion/material/{material_id}/schritte", data=data, content_type="multipart/form-data")


def steps_of(app: Flask, material_id: int) -> list[tuple[int, str, str, tuple | None, int | None]]:
    with app.app_context():
        steps = db.session.scalars(
            select(GuideStep).where(GuideStep.material_id == material_id).order_by(GuideStep.position)
        )
        return [(s.position, s.instruction, s.alt_text, s.highlight, s.image_file_id) for s in steps]


def files_on_disk(app: Flask) -> set[str]:
    folder = Path(app.config["QK_UPLOAD_DIR"])
    return {path.name for path in folder.iterdir() if path.is_file()} if folder.exists() else set()


def build_three_steps(app: Flask, editor: FlaskClient, guide: int) -> list:
    for number, (instruction, alt) in enumerate(
        [
            ("Öffnen Sie den **Posteingang** Ihres Teams.", "E-Akte mit dem Menüpunkt Posteingang links oben"),
            ("Wählen Sie das Dokument aus.", "Liste der neuen Dokumente, das erste ist markiert"),
            ("Klicken Sie auf *Zuordnen*.", "Dialog Zuordnen mit dem Feld für die BG-Nummer"),
        ],
        start=1,
    ):
        response = add_step(
            editor,
            guide,
            instruction,
            alt,
            screenshot(f"Schritt {number}"),
            highlight_left="10",
            highlight_top="20.5",
            highlight_width="30",
            highlight_height="15",
        )
        assert response.status_code == 302, response.text
    return steps_of(app, guide)


def test_editor_builds_reorders_and_publishes_a_guide(app: Flask, org, guide: int, editor: FlaskClient) -> None:
    steps = build_three_steps(app, editor, guide)
    assert [s[0] for s in steps] == [1, 2, 3]
    assert steps[0][3] == (100, 205, 300, 150)  # per mille of the screenshot
    assert len(files_on_disk(app)) == 3

    page = editor.get(f"/redaktion/material/{guide}").text
    assert "Schritte der Klickstrecke" in page and "Klicken Sie auf *Zuordnen*." in page

    third = steps[2]
    moved = editor.post(
        f"/redaktion/material/{guide}/schritte/{_step_id(app, guide, 3)}/verschieben", data={"richtung": "hoch"}
    )
    assert moved.status_code == 302
    assert [s[1] for s in steps_of(app, guide)] == [steps[0][1], third[1], steps[1][1]]
    top = editor.post(
        f"/redaktion/material/{guide}/schritte/{_step_id(app, guide, 1)}/verschieben", data={"richtung": "hoch"}
    )
    assert top.status_code == 302 and steps_of(app, guide)[0][1] == steps[0][1]  # the first stays first

    published = editor.post(f"/redaktion/material/{guide}/veroeffentlichen", data={"change_note": ""})
    assert published.status_code == 302
    with app.app_context():
        assert db.session.get(Material, guide).status == "published"
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == guide)).all()
    assert actions.count("guide_step_added") == 3 and "guide_step_moved" in actions


def _step_id(app: Flask, material_id: int, position: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(GuideStep.id).where(GuideStep.material_id == material_id, GuideStep.position == position)
        )


def test_publishing_needs_steps_screenshots_and_alt_texts(app: Flask, org, guide: int, editor: FlaskClient) -> None:
    refused = editor.post(f"/redaktion/material/{guide}/veroeffentlichen", data={})
    assert refused.status_code == 400 and "noch keinen Schritt" in refused.text

    add_step(editor, guide, "Öffnen Sie die E-Akte.", "", screenshot("1"))
    add_step(editor, guide, "Klicken Sie auf Suchen.", "Suchmaske der E-Akte", screenshot("2"))
    editor_page = editor.get(f"/redaktion/material/{guide}").text
    assert "Alternativtext fehlt bei Schritt 1" in editor_page
    refused = editor.post(f"/redaktion/material/{guide}/veroeffentlichen", data={})
    assert refused.status_code == 400 and "Alternativtext fehlt bei Schritt 1" in refused.text
    with app.app_context():
        assert db.session.get(Material, guide).status == "draft"

    changed = editor.post(
        f"/redaktion/material/{guide}/schritte/{_step_id(app, guide, 1)}",
        data={"instruction": "Öffnen Sie die E-Akte.", "alt_text": "Startseite der E-Akte"},
        content_type="multipart/form-data",
    )
    assert changed.status_code == 302
    assert editor.post(f"/redaktion/material/{guide}/veroeffentlichen", data={}).status_code == 302


@pytest.mark.parametrize(
    ("fields", "image", "message"),
    [
        ({"instruction": ""}, screenshot("x"), "Bitte füllen Sie dieses Feld aus."),
        ({"instruction": "Klicken"}, None, "Bitte wählen Sie ein Bildschirmfoto aus"),
        ({"instruction": "Klicken"}, SVG, "keinen erlaubten Dateityp"),
        ({"instruction": "Klicken"}, b"%PDF-1.4 not an image", "keinen erlaubten Dateityp"),
        ({"instruction": "Klicken"}, b"", "Die Datei ist leer"),
        ({"instruction": "Klicken", "highlight_left": "10"}, screenshot("x"), "alle vier Angaben"),
        (
            {
                "instruction": "Klicken",
                "highlight_left": "80",
                "highlight_top": "0",
                "highlight_width": "30",
                "highlight_height": "5",
            },
            screenshot("x"),
            "ganz im Bildschirmfoto",
        ),
        ({"instruction": "Klicken", "highlight_top": "viel"}, screenshot("x"), "Keine gültige Dezimalzahl"),
        ({"instruction": "Klicken", "highlight_top": "-3"}, screenshot("x"), "zwischen 0 und 100"),
        ({"instruction": "x" * 5001}, screenshot("x"), "höchstens 5000 Zeichen"),
    ],
)
def test_bad_steps_are_refused_and_leave_nothing_behind(
    app: Flask, org, guide: int, editor: FlaskClient, fields: dict, image: bytes | None, message: str
) -> None:
    data = {"alt_text": "Bild", **fields}
    if image is not None:
        data["image"] = (io.BytesIO(image), "../../etc/Schritt.png", "image/png")
    response = editor.post(f"/redaktion/material/{guide}/schritte", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert message in response.text
    assert steps_of(app, guide) == []
    assert files_on_disk(app) == set()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0


def test_replacing_and_removing_steps_removes_their_screenshots(
    app: Flask, org, guide: int, editor: FlaskClient
) -> None:
    build_three_steps(app, editor, guide)
    before = files_on_disk(app)
    second = _step_id(app, guide, 2)
    replaced = editor.post(
        f"/redaktion/material/{guide}/schritte/{second}",
        data={
            "instruction": "Wählen Sie das neue Dokument aus.",
            "alt_text": "Liste der Dokumente",
            "image": (io.BytesIO(screenshot("neu", "WEBP")), "Neues Bild.webp", "image/webp"),
        },
        content_type="multipart/form-data",
    )
    assert replaced.status_code == 302, re.findall(r'role="alert".{0,400}', replaced.text, re.S)
    after = files_on_disk(app)
    assert len(after) == 3 and len(after - before) == 1  # the old screenshot went with the new one's arrival
    assert steps_of(app, guide)[1][3] is None  # empty highlight fields: no highlight

    removed = editor.post(f"/redaktion/material/{guide}/schritte/{_step_id(app, guide, 1)}/entfernen")
    assert removed.status_code == 302
    remaining = steps_of(app, guide)
    assert [s[0] for s in remaining] == [1, 2]
    assert remaining[0][1] == "Wählen Sie das neue Dokument aus."
    assert len(files_on_disk(app)) == 2
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 2


def test_employees_walk_through_one_step_at_a_time(app: Flask, org, guide: int, editor: FlaskClient) -> None:
    build_three_steps(app, editor, guide)
    editor.post(f"/redaktion/material/{guide}/veroeffentlichen", data={})
    employee = app.test_client()
    login(employee, org.employee.email)

    first = employee.get(f"/katalog/{guide}").text
    assert "Schritt 1 von 3" in first and "<title>Schritt 1 von 3 – Posteingang" in first
    assert "<strong>Posteingang</strong>" in first  # the instruction's Markdown, rendered
    assert 'alt="E-Akte mit dem Menüpunkt Posteingang links oben"' in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert 'x="100" y="205" width="300" height="150"' in first  # the highlight over the screenshot

    second = employee.get(f"/katalog/{guide}?schritt=2").text
    assert "Schritt 2 von 3" in second and 'rel="prev"' in second and 'rel="next"' in second
    assert 'aria-current="step"' in second
    last = employee.get(f"/katalog/{guide}?schritt=99").text  # out of range: the nearest step
    assert "Schritt 3 von 3" in last and "Das war der letzte Schritt." in last
    assert "Schritt 1 von 3" in employee.get(f"/katalog/{guide}?schritt=abc").text

    image_url = re.search(r'src="(/katalog/\d+/dateien/\d+)"', first).group(1)
    image = employee.get(image_url)
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.headers["X-Content-Type-Options"] == "nosniff"


def test_print_view_and_pdf_contain_every_step(app: Flask, org, guide: int, editor: FlaskClient) -> None:
    build_three_steps(app, editor, guide)
    editor.post(f"/redaktion/material/{guide}/veroeffentlichen", data={})
    employee = app.test_client()
    login(employee, org.employee.email)

    printed = employee.get(f"/katalog/{guide}/drucken").text
    for number in (1, 2, 3):
        assert f"Schritt {number} von 3" in printed
    assert printed.count("/dateien/") == 3
    assert "Klicken Sie auf <em>Zuordnen</em>." in printed

    pdf = employee.get(f"/katalog/{guide}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
    reader = PdfReader(io.BytesIO(pdf.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Posteingang in der E-Akte zuordnen" in text
    for number in (1, 2, 3):
        assert f"Schritt {number} von 3" in text
    assert "Öffnen Sie den Posteingang Ihres Teams." in text  # Markdown as plain text
    assert sum(len(page.images) for page in reader.pages) == 3
    assert reader.metadata.title == "Posteingang in der E-Akte zuordnen"

    document = employee.get(f"/katalog/{_document(app)}/pdf")
    assert document.status_code == 404  # only guides have a PDF


def _document(app: Flask) -> int:
    with app.app_context():
        material = MaterialFactory(kind="document", body="Text")
        db.session.commit()
        return material.id


def test_drafts_and_their_screenshots_stay_with_the_editors(app: Flask, org, guide: int, editor: FlaskClient) -> None:
    build_three_steps(app, editor, guide)
    preview = editor.get(f"/katalog/{guide}")
    assert preview.status_code == 200
    image_url = re.search(r'src="(/katalog/\d+/dateien/\d+)"', preview.text).group(1)
    employee = app.test_client()
    login(employee, org.employee.email)
    assert employee.get(f"/katalog/{guide}").status_code == 404
    assert employee.get(image_url).status_code == 404
    assert employee.get(f"/katalog/{guide}/pdf").status_code == 404
    assert employee.get(f"/katalog/{guide}/drucken").status_code == 404


def test_editors_outside_the_departments_cannot_touch_the_steps(
    app: Flask, org, guide: int, editor: FlaskClient
) -> None:
    build_three_steps(app, editor, guide)
    with app.app_context():
        limited = Person(
            name="Bea Bereich",
            email="bea.bereich@jobcenter-test.de",
            is_editor=True,
            password_hash=db.session.get(Person, org.editor.id).password_hash,
        )
        limited.editor_departments = [db.session.get(Department, org.dept_b.id)]
        db.session.add(limited)
        other = MaterialFactory(kind="guide", status="draft", departments=[db.session.get(Department, org.dept_b.id)])
        db.session.commit()
        other_id = other.id
    client = app.test_client()
    login(client, "bea.bereich@jobcenter-test.de")
    step = _step_id(app, guide, 1)
    assert add_step(client, guide, "Fremd", "x", screenshot("x")).status_code == 403
    assert client.get(f"/redaktion/material/{guide}/schritte/{step}").status_code == 403
    assert client.post(f"/redaktion/material/{guide}/schritte/{step}/entfernen").status_code == 403
    assert (
        client.post(f"/redaktion/material/{guide}/schritte/{step}/verschieben", data={"richtung": "runter"}).status_code
        == 403
    )
    # A step reached through another material's address is not found, even for a material one may edit.
    assert client.get(f"/redaktion/material/{other_id}/schritte/{step}").status_code == 404
    assert client.post(f"/redaktion/material/{other_id}/schritte/{step}/entfernen").status_code == 404
    assert len(steps_of(app, guide)) == 3


def test_steps_exist_only_for_guides(app: Flask, org, editor: FlaskClient) -> None:
    with app.app_context():
        document = MaterialFactory(kind="document", status="draft", body="Text")
        db.session.commit()
        document_id = document.id
    response = add_step(editor, document_id, "Klicken", "Bild", screenshot("x"))
    assert response.status_code == 400 and "nur bei Klickstrecken" in response.text
    assert files_on_disk(app) == set()


def test_empty_highlight_fields_mean_no_highlight(app: Flask, org, guide: int, editor: FlaskClient) -> None:
    """Browsers send empty fields as empty strings; that is "no rectangle", not an error."""
    empty = {f"highlight_{name}": "" for name in ("left", "top", "width", "height")}
    response = add_step(editor, guide, "Klicken Sie auf Suchen.", "Suchmaske", screenshot("x"), **empty)
    assert response.status_code == 302
    assert steps_of(app, guide)[0][3] is None


def live_code(html: str) -> list[str]:
    """Script elements, event-handler attributes and javascript: links that a browser would run."""
    found: list[str] = []

    class Finder(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "script":
                found.append("<script>")
            for name, value in attrs:
                if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                    found.append(f"<{tag} {name}={value!r}>")

    Finder().feed(html)
    return found


def test_script_in_step_texts_stays_text(app: Flask, org, guide: int, editor: FlaskClient) -> None:
    instruction = "Klicken Sie <script>alert(1)</script> auf [hier](javascript:alert(2)) <img src=x onerror=alert(3)>"
    alt = '"><script>alert(4)</script>'
    assert add_step(editor, guide, instruction, alt, screenshot("x")).status_code == 302
    editor.post(f"/redaktion/material/{guide}/veroeffentlichen", data={})
    employee = app.test_client()
    login(employee, org.employee.email)
    for url in (f"/katalog/{guide}", f"/katalog/{guide}/drucken", f"/redaktion/material/{guide}"):
        client = editor if url.startswith("/redaktion") else employee
        main = client.get(url).text.split("<main", 1)[1].split("</main>", 1)[0]
        assert live_code(main) == [], url  # shown as text at most
    assert employee.get(f"/katalog/{guide}/pdf").status_code == 200
