"""Uploads are judged by their content and never leave half a file behind; videos play only for who may see them."""

from __future__ import annotations

import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from quali_kompass.catalogue import files, video
from quali_kompass.catalogue.models import Material, StoredFile
from quali_kompass.extensions import db
from tests.conftest import login
from tests.factories import MaterialFactory
from tests.sample import TINY_PNG

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 4
WEBM = (
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
    b"\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02" + b"\x00" * 64
)
VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nWillkommen zur Schulung über die E-Akte.\n".encode()
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
REFUSED = "keinen erlaubten Dateityp"


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    return tmp_path / "uploads"


@pytest.fixture
def draft(app: Flask, org) -> int:
    """A draft training video for all departments."""
    with app.app_context():
        material = MaterialFactory(kind="video", status="draft", title="E-Akte im Überblick")
        db.session.commit()
        return material.id


def client_for(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    login(client, email)
    return client


def upload(client: FlaskClient, material_id: int, part: str, content: bytes, name: str, claimed: str = ""):
    """Send a file as the browser would, with whatever type the browser claims."""
    data = {"part": part, "file": (io.BytesIO(content), name, claimed or "application/octet-stream")}
    return client.post(f"/redaktion/material/{material_id}/video", data=data, content_type="multipart/form-data")


def files_on_disk(uploads: Path) -> list[Path]:
    return sorted(path for path in uploads.rglob("*") if path.is_file()) if uploads.exists() else []


def stored_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(StoredFile))


def material(app: Flask, material_id: int) -> SimpleNamespace:
    with app.app_context():
        found = db.session.get(Material, material_id)
        return SimpleNamespace(
            status=found.status,
            video=found.video_file,
            poster=found.poster_file,
            captions=found.captions_file,
            transcript=found.transcript,
        )


def published_video(app: Flask, org, material_id: int) -> SimpleNamespace:
    """Upload video, captions and poster as the editor, publish, and return the stored files."""
    editor = client_for(app, org.editor.email)
    assert upload(editor, material_id, "video", MP4, "Schulung Übersicht.mp4", "video/mp4").status_code == 302
    assert upload(editor, material_id, "captions", VTT, "untertitel.vtt", "text/vtt").status_code == 302
    assert upload(editor, material_id, "poster", TINY_PNG, "poster.png", "image/png").status_code == 302
    response = editor.post(f"/redaktion/material/{material_id}/veroeffentlichen", data={})
    assert response.status_code == 302
    return material(app, material_id)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (MP4, "video/mp4"),
        (WEBM, "video/webm"),
        (VTT, "text/vtt"),
        (b"\xef\xbb\xbf" + VTT, "text/vtt"),
        (TINY_PNG, "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"%PDF-1.7\n", "application/pdf"),
        (HTML, None),
        (SVG, None),
        (b"WEBVTTX is not a caption file", None),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", None),  # a still image in an ISO container
        (b"\x1a\x45\xdf\xa3\x9f\x42\x82\x88matroska", None),  # Matroska, but not WebM
        (b"", None),
    ],
)
def test_type_is_decided_by_the_content_signature(head: bytes, expected: str | None) -> None:
    assert files.detect_type(head) == expected


def test_editor_uploads_video_parts_with_names_kept_and_files_stored_under_generated_names(
    app: Flask, org, draft: int, uploads: Path
) -> None:
    editor = client_for(app, org.editor.email)
    response = upload(editor, draft, "video", MP4, "Schulung Übersicht.mp4", "video/mp4")
    assert response.status_code == 302
    assert "Das Video ist hochgeladen." in editor.get(response.headers["Location"]).text

    stored = material(app, draft).video
    assert stored.display_name == "Schulung Übersicht.mp4"
    assert stored.content_type == "video/mp4" and stored.size == len(MP4)
    assert re.fullmatch(r"[0-9a-f]{32}\.mp4", stored.storage_name)
    assert files_on_disk(uploads) == [uploads / stored.storage_name]
    assert (uploads / stored.storage_name).read_bytes() == MP4

    assert upload(editor, draft, "video", WEBM, "kurz.webm").status_code == 302
    replaced = material(app, draft).video
    assert replaced.content_type == "video/webm"
    # The old file is gone from disk and database.
    assert files_on_disk(uploads) == [uploads / replaced.storage_name]
    assert stored_count(app) == 1


@pytest.mark.parametrize(
    ("part", "content", "name", "claimed"),
    [
        ("video", HTML, "schulung.mp4", "video/mp4"),  # HTML dressed up as a video
        ("poster", SVG, "bild.svg", "image/svg+xml"),
        ("poster", SVG, "bild.png", "image/png"),
        ("video", TINY_PNG, "video.mp4", "video/mp4"),  # a real PNG, but not a video
        ("captions", MP4, "untertitel.vtt", "text/vtt"),
        ("captions", b"WEBVTT\n\n\xff\xfe kein UTF-8", "untertitel.vtt", "text/vtt"),
        ("video", b"", "leer.mp4", "video/mp4"),
    ],
)
def test_refused_uploads_get_a_german_message_and_write_nothing(
    app: Flask, org, draft: int, uploads: Path, part: str, content: bytes, name: str, claimed: str
) -> None:
    editor = client_for(app, org.editor.email)
    response = upload(editor, draft, part, content, name, claimed)
    assert response.status_code == 400
    assert any(text in response.text for text in (REFUSED, "UTF-8", "Die Datei ist leer"))
    if REFUSED in response.text:
        assert "Erlaubt sind hier:" in response.text
    assert stored_count(app) == 0
    assert files_on_disk(uploads) == []


def test_path_in_the_file_name_is_dropped(app: Flask, org, draft: int, uploads: Path, tmp_path: Path) -> None:
    editor = client_for(app, org.editor.email)
    assert upload(editor, draft, "captions", VTT, "../../etc/passwd").status_code == 302
    state = material(app, draft)
    assert state.captions.display_name == "passwd"
    assert {path.parent for path in files_on_disk(uploads)} == {uploads}
    assert not (tmp_path / "etc").exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("..\\..\\Windows\\bild.png", "bild.png"),
        ("/etc/passwd", "passwd"),
        ("Schulung\x00 Über\nsicht.mp4", "Schulung Übersicht.mp4"),
        ("..", "Datei.mp4"),
        (".htaccess", "htaccess"),
        ("", "Datei.mp4"),
        ("ä" * 300 + ".mp4", "ä" * 251 + ".mp4"),
    ],
)
def test_display_names_are_cleaned(app: Flask, name: str, expected: str) -> None:
    with app.test_request_context():
        assert files.clean_display_name(name, "video/mp4") == expected


def test_request_over_the_size_limit_gets_413_in_german_and_leaves_nothing(make_app, org_in, uploads: Path) -> None:
    app, draft_id = org_in(MAX_CONTENT_LENGTH=2048)
    editor = client_for(app, "ria.redaktion@jobcenter-test.de")
    response = upload(editor, draft_id, "video", MP4 + b"\x00" * 4096, "gross.mp4", "video/mp4")
    assert response.status_code == 413
    assert "Datei zu groß" in response.text
    assert stored_count(app) == 0
    assert files_on_disk(uploads) == []


def test_only_video_uploads_may_exceed_the_general_request_limit(org_in, uploads: Path) -> None:
    app, draft_id = org_in(QK_MAX_REQUEST_MB=1, QK_MAX_VIDEO_MB=3)
    editor = client_for(app, "ria.redaktion@jobcenter-test.de")
    padding = b"\x00" * (1024 * 1024 + 512 * 1024)
    assert upload(editor, draft_id, "video", MP4 + padding, "lang.mp4", "video/mp4").status_code == 302
    poster = upload(editor, draft_id, "poster", TINY_PNG + padding, "riesig.png", "image/png")
    assert poster.status_code == 413 and "Die Datei ist zu groß. Erlaubt sind hier höchstens 1 MB." in poster.text
    assert stored_count(app) == 1 and len(files_on_disk(uploads)) == 1
    # Any other request is held to the general limit before it is read.
    other = editor.post(f"/redaktion/material/{draft_id}/transkript", data={"transcript": "x" * len(padding)})
    assert other.status_code == 413 and "Datei zu groß" in other.text


def test_file_over_the_limit_of_its_kind_gets_413_and_leaves_nothing(org_in, uploads: Path) -> None:
    app, draft_id = org_in(QK_MAX_VIDEO_MB=1)
    editor = client_for(app, "ria.redaktion@jobcenter-test.de")
    response = upload(editor, draft_id, "video", MP4 + b"\x00" * (1024 * 1024), "gross.mp4", "video/mp4")
    assert response.status_code == 413
    assert "Die Datei ist zu groß. Erlaubt sind hier höchstens 1 MB." in response.text
    assert stored_count(app) == 0
    assert files_on_disk(uploads) == []


@pytest.fixture
def org_in(make_app):
    """An app with extra settings, its organisation and a draft video: ``app, draft_id = org_in(**settings)``."""
    from tests.conftest import build_org

    def factory(**settings):
        app = make_app(**settings)
        build_org(app)
        with app.app_context():
            material = MaterialFactory(kind="video", status="draft")
            db.session.commit()
            return app, material.id

    return factory


def test_failure_after_the_file_is_written_leaves_no_file_and_no_row(
    make_app, org_in, uploads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, draft_id = org_in(PROPAGATE_EXCEPTIONS=False)
    editor = client_for(app, "ria.redaktion@jobcenter-test.de")

    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(video, "record", broken_audit)
    response = upload(editor, draft_id, "video", MP4, "schulung.mp4", "video/mp4")
    assert response.status_code == 500
    assert stored_count(app) == 0
    assert material(app, draft_id).video is None
    assert files_on_disk(uploads) == []


def test_rollback_removes_files_written_in_the_transaction_and_keeps_replaced_ones(app: Flask, uploads: Path) -> None:
    with app.app_context():
        kept = files.store(FileStorage(io.BytesIO(VTT), filename="a.vtt"), ["text/vtt"], 1024, None)
        db.session.commit()
        files.discard(db.session.get(StoredFile, kept.id))
        written = files.store(FileStorage(io.BytesIO(VTT), filename="b.vtt"), ["text/vtt"], 1024, None)
        assert (uploads / written.storage_name).exists()
        db.session.rollback()
        assert files_on_disk(uploads) == [uploads / kept.storage_name]


def test_publishing_a_video_needs_the_video_and_captions(app: Flask, org, draft: int) -> None:
    editor = client_for(app, org.editor.email)
    page = editor.get(f"/redaktion/material/{draft}").text
    assert "Untertitel (WebVTT) fehlen – ohne Untertitel kann das Video nicht veröffentlicht werden." in page
    assert 'enctype="multipart/form-data"' in page

    assert upload(editor, draft, "video", MP4, "schulung.mp4").status_code == 302
    refused = editor.post(f"/redaktion/material/{draft}/veroeffentlichen", data={})
    assert refused.status_code == 400
    assert "ohne Untertitel kann das Video nicht veröffentlicht werden" in refused.text
    assert material(app, draft).status == "draft"

    assert upload(editor, draft, "captions", VTT, "untertitel.vtt").status_code == 302
    assert editor.post(f"/redaktion/material/{draft}/veroeffentlichen", data={}).status_code == 302
    assert material(app, draft).status == "published"


def test_employee_sees_the_player_with_captions_and_transcript(app: Flask, org, draft: int) -> None:
    published_video(app, org, draft)
    editor = client_for(app, org.editor.email)
    response = editor.post(f"/redaktion/material/{draft}/transkript", data={"transcript": "Willkommen.\r\nZeile zwei"})
    assert response.status_code == 302
    assert material(app, draft).transcript == "Willkommen.\nZeile zwei"

    state = material(app, draft)
    page = client_for(app, org.employee.email).get(f"/katalog/{draft}").text
    assert '<video class="material-video" controls preload="metadata"' in page
    assert f'poster="/katalog/{draft}/dateien/{state.poster.id}"' in page
    assert f'<source src="/katalog/{draft}/dateien/{state.video.id}" type="video/mp4">' in page
    captions_url = f"/katalog/{draft}/dateien/{state.captions.id}"
    assert f'<track kind="captions" srclang="de" label="Deutsch" src="{captions_url}" default>' in page
    assert "Transkript anzeigen" in page and "Zeile zwei" in page
    assert "<script" not in page.split("</header>", 1)[-1].split("<footer", 1)[0]


def test_video_is_served_with_range_support_and_safe_headers(app: Flask, org, draft: int) -> None:
    state = published_video(app, org, draft)
    employee = client_for(app, org.employee.email)
    url = f"/katalog/{draft}/dateien/{state.video.id}"

    whole = employee.get(url)
    assert whole.status_code == 200 and whole.data == MP4
    assert whole.headers["Content-Type"] == "video/mp4"
    assert whole.headers["X-Content-Type-Options"] == "nosniff"
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert "private" in whole.headers["Cache-Control"] and "public" not in whole.headers["Cache-Control"]
    assert whole.headers["Content-Disposition"].startswith("inline;")
    assert "filename*=UTF-8''Schulung%20%C3%9Cbersicht.mp4" in whole.headers["Content-Disposition"]

    part = employee.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(MP4)}"
    assert part.data == MP4[100:200]

    captions = employee.get(f"/katalog/{draft}/dateien/{state.captions.id}")
    assert captions.mimetype == "text/vtt" and captions.data == VTT


def test_files_follow_the_permission_of_their_material(app: Flask, org, draft: int) -> None:
    editor = client_for(app, org.editor.email)
    assert upload(editor, draft, "video", MP4, "entwurf.mp4").status_code == 302
    file_id = material(app, draft).video.id
    url = f"/katalog/{draft}/dateien/{file_id}"
    assert editor.get(url).status_code == 200

    employee = client_for(app, org.employee.email)
    assert employee.get(url).status_code == 404  # a draft stays unknown, its files too
    assert app.test_client().get(url).status_code == 302  # not logged in: to the login page

    with app.app_context():
        other = MaterialFactory(kind="video", title="Ein anderes Video").id
        db.session.commit()
    # The file exists, but not as part of this other material.
    assert employee.get(f"/katalog/{other}/dateien/{file_id}").status_code == 404
    assert employee.get(f"/katalog/{draft}/dateien/999999").status_code == 404


def test_only_editors_of_the_material_may_upload(app: Flask, org, draft: int, uploads: Path) -> None:
    employee = client_for(app, org.employee.email)
    assert upload(employee, draft, "video", MP4, "schulung.mp4").status_code == 403
    assert employee.post(f"/redaktion/material/{draft}/transkript", data={"transcript": "x"}).status_code == 403
    assert files_on_disk(uploads) == [] and stored_count(app) == 0


def test_uploads_are_refused_for_material_that_is_not_a_video(app: Flask, org, uploads: Path) -> None:
    with app.app_context():
        guide = MaterialFactory(kind="document", status="draft").id
        db.session.commit()
    editor = client_for(app, org.editor.email)
    response = upload(editor, guide, "video", MP4, "schulung.mp4")
    assert response.status_code == 400
    assert "nur bei Schulungsvideos" in response.text
    assert files_on_disk(uploads) == []
