"""Hostile uploads on every upload route: refused with a German message and nothing written, or stored safely.

Every route whose form has a file field is listed in ``TARGETS``; ``test_every_upload_route_is_covered`` fails when
a new one appears without being added here. For each target the same table of hostile files, sizes and file names
is sent as a browser would send it. A refused upload must leave every table and the whole test folder as it was;
an accepted one lies under a generated name in the upload folder and comes back with safe headers.
"""

from __future__ import annotations

import inspect
import io
import re
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType, SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.test import TestResponse
from wtforms import FileField
from wtforms.fields.core import UnboundField

from quali_kompass.catalogue import files
from quali_kompass.catalogue.models import GuideStep, Material, StoredFile
from quali_kompass.extensions import db
from quali_kompass.organisation.models import OrgImport
from tests.conftest import build_org
from tests.factories import MaterialFactory
from tests.sample import TINY_PNG, _png_chunk
from tests.test_files_video import HTML, REFUSED, SVG, VTT, WEBM, client_for

CSV_HEADER = "Personalnummer;Name;E-Mail;Fachbereich;Team;Führungskraft E-Mail;Aktiv"
CSV = f"{CSV_HEADER}\n4711;Jürgen Müller;juergen.mueller@jobcenter-test.de;Leistung;Team 1;;ja\n".encode()


def png(width: int, height: int, pixels: bytes = b"\x00\x00\x00\x00\x00") -> bytes:
    """A PNG whose header declares the given size (the pixel data need not match)."""
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
        + _png_chunk(b"IDAT", zlib.compress(pixels))
        + _png_chunk(b"IEND", b"")
    )


OTHER_PNG = png(2, 1, b"\x00" + b"\xff" * 8)
HOSTILE = {
    "html with a script": HTML,
    "svg with a script": SVG,
    "windows program": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"PE\x00\x00",
    "zip archive": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 30 + b"PK\x05\x06" + b"\x00" * 18,
    "pdf": b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    "gif then html": b"GIF89a\x01\x00\x01\x00\x80\x00\x00;<html><script>alert(1)</script></html>",
    "png cut after the signature": TINY_PNG[:8],
    "png cut before its end": TINY_PNG[:-12],
    "webm cut after four bytes": WEBM[:4],
    "pdf cut after five bytes": b"%PDF-",
    "png declaring 100000 x 100000 pixels": png(100_000, 100_000),
    "empty file": b"",
}
CSV_ONLY = {
    "csv cut inside a quoted value": f'{CSV_HEADER}\n4711;"Jürgen Mül'.encode(),
    "csv cut inside a character": CSV[: CSV.index("ü".encode()) + 1],
    "csv with a million empty lines": f"{CSV_HEADER}\n".encode() + b"\n" * 1_000_000,
    "csv of a single 10 MB line": b"x" * (10 * 1024 * 1024),
}
IMPORT_REFUSALS = {
    "html with a script": "fehlen diese Pflichtspalten",
    "svg with a script": "fehlen diese Pflichtspalten",
    "windows program": "Die Datei ist keine lesbare CSV-Datei.",
    "zip archive": "Die Datei ist keine lesbare CSV-Datei.",
    "pdf": "fehlen diese Pflichtspalten",
    "gif then html": "Die Datei ist keine lesbare CSV-Datei.",
    "png cut after the signature": "fehlen diese Pflichtspalten",
    "png cut before its end": "Die Datei ist keine lesbare CSV-Datei.",
    "webm cut after four bytes": "fehlen diese Pflichtspalten",
    "pdf cut after five bytes": "fehlen diese Pflichtspalten",
    "png declaring 100000 x 100000 pixels": "Die Datei ist keine lesbare CSV-Datei.",
    "empty file": "Die Datei ist leer.",
    "csv cut inside a quoted value": "In Zeile 2 wird ein Anführungszeichen nicht geschlossen",
    "csv cut inside a character": "Die Datei endet mitten in einem Zeichen",
    "csv with a million empty lines": "Die Datei enthält nur die Kopfzeile und keine Personen.",
    "csv of a single 10 MB line": "Zeile 1 enthält einen Wert mit mehr als 131072 Zeichen.",
}
# File names as a hostile browser might send them; None: no file is chosen at all.
NAMES = [
    "../../etc/passwd",
    "..\\..\\win.ini",
    "/etc/passwd",
    "C:\\x\\y.png",
    "Bild\x00 mit\x01 Steuer\x1b[31mzeichen\t.png",  # a browser sends CR and LF as %0D and %0A
    "bild\u202egnp.exe",
    "x" * 1000,
    "...",
    ".",
]
INFORMAL = re.compile(r"\b(du|dich|dir|dein|deine|deinen|wähle|lade)\b")


@dataclass(frozen=True)
class Target:
    """One upload route: how to reach it, what it accepts and a file it takes."""

    name: str
    endpoint: str
    url: Callable[[SimpleNamespace], str]
    field: str
    file_name: str
    valid: bytes
    fields: dict[str, str] = field(default_factory=dict)
    admin: bool = False
    images: bool = False

    def post(self, client: FlaskClient, site: SimpleNamespace, content: bytes, name: str | None, **kw) -> TestResponse:
        data: dict[str, Any] = dict(self.fields)
        if name is not None:
            data[self.field] = (io.BytesIO(content), name, "application/octet-stream")
        return client.post(self.url(site), data=data, content_type="multipart/form-data", **kw)


STEP = {"instruction": "Klicken Sie auf „Speichern“.", "alt_text": "Die Maske mit dem Knopf Speichern"}
TARGETS = [
    Target(
        "video", "catalogue.editor_video_upload", lambda s: s.video_url, "file", "film.webm", WEBM, {"part": "video"}
    ),
    Target(
        "poster",
        "catalogue.editor_video_upload",
        lambda s: s.video_url,
        "file",
        "bild.png",
        TINY_PNG,
        {"part": "poster"},
        images=True,
    ),
    Target(
        "captions",
        "catalogue.editor_video_upload",
        lambda s: s.video_url,
        "file",
        "untertitel.vtt",
        VTT,
        {"part": "captions"},
    ),
    Target(
        "new guide step",
        "catalogue.editor_guide_step_add",
        lambda s: s.steps_url,
        "image",
        "bild.png",
        TINY_PNG,
        STEP,
        images=True,
    ),
    Target(
        "changed guide step",
        "catalogue.editor_guide_step",
        lambda s: s.step_url,
        "image",
        "bild.png",
        TINY_PNG,
        STEP,
        images=True,
    ),
    Target(
        "organisation import",
        "organisation.admin_import",
        lambda s: "/verwaltung/import",
        "file",
        "personal.csv",
        CSV,
        admin=True,
    ),
]
MEDIA = [target for target in TARGETS if target.endpoint != "organisation.admin_import"]
IMPORT = next(target for target in TARGETS if target.endpoint == "organisation.admin_import")


# The routes --------------------------------------------------------------------------------------------------
def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _names_in(code: CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names |= _names_in(const)
    return names


def upload_endpoints(app: Flask) -> set[str]:
    """Endpoints taking POST whose view uses a form with a file field, or reads ``request.files`` itself."""
    file_forms = {
        form.__name__
        for form in _subclasses(FlaskForm)
        if any(
            isinstance(value, UnboundField) and issubclass(value.field_class, FileField)
            for klass in form.__mro__
            for value in vars(klass).values()
        )
    }
    found = set()
    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or ()):
            continue
        view = inspect.unwrap(app.view_functions[rule.endpoint])
        code = getattr(view, "__code__", None)
        if code is None:
            continue
        if _names_in(code) & file_forms or "request.files" in inspect.getsource(view):
            found.add(rule.endpoint)
    return found


def test_every_upload_route_is_covered(app: Flask) -> None:
    assert upload_endpoints(app) == {target.endpoint for target in TARGETS}


# Fixtures and helpers ----------------------------------------------------------------------------------------
def make_site(app: Flask) -> SimpleNamespace:
    """The organisation, a draft video and a draft guide with one step; editor and admin logged in."""
    build_org(app)
    with app.app_context():
        video = MaterialFactory(kind="video", status="draft", title="E-Akte im Überblick").id
        guide = MaterialFactory(kind="guide", status="draft", title="Zuordnen in der E-Akte").id
        db.session.commit()
    editor = client_for(app, "ria.redaktion@jobcenter-test.de")
    admin = client_for(app, "adam.admin@jobcenter-test.de")
    site = SimpleNamespace(
        app=app,
        editor=editor,
        admin=admin,
        video=video,
        guide=guide,
        video_url=f"/redaktion/material/{video}/video",
        steps_url=f"/redaktion/material/{guide}/schritte",
    )
    response = editor.post(
        site.steps_url, data={**STEP, "image": (io.BytesIO(TINY_PNG), "erster.png")}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    with app.app_context():
        site.step = db.session.scalars(select(GuideStep.id).where(GuideStep.material_id == guide)).one()
    site.step_url = f"/redaktion/material/{guide}/schritte/{site.step}"
    return site


@pytest.fixture
def site(app: Flask) -> SimpleNamespace:
    return make_site(app)


def client_of(site: SimpleNamespace, target: Target) -> FlaskClient:
    return site.admin if target.admin else site.editor


def row_counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def files_under(folder: Path) -> set[Path]:
    """Every file in the test's folder (uploads and anything that might escape them), but not the database."""
    return {path for path in folder.rglob("*") if path.is_file() and ".sqlite" not in path.name}


def snapshot(app: Flask, tmp_path: Path) -> tuple[dict[str, int], set[Path]]:
    return row_counts(app), files_under(tmp_path)


def assert_refused(response: TestResponse, message: str, before: tuple, after: tuple, case: str) -> None:
    assert response.status_code in (400, 413), f"{case}: {response.status_code}"
    assert message in response.text, f"{case}: {message!r} not on the page"
    assert '<html lang="de"' in response.text and not INFORMAL.search(response.text), case
    assert after[0] == before[0], f"{case}: rows written"
    assert after[1] == before[1], f"{case}: files written {after[1] ^ before[1]}"


def media_refusal(target: Target, case: str) -> str:
    if case == "empty file":
        return "Die Datei ist leer."
    if target.images and case.startswith("png cut"):
        return "Das Bild ist beschädigt oder unvollständig"
    if target.images and case == "png declaring 100000 x 100000 pixels":
        return "Das Bild hat zu viele Bildpunkte."
    return REFUSED


def served(site: SimpleNamespace, material_id: int, stored: StoredFile) -> TestResponse:
    return site.editor.get(f"/katalog/{material_id}/dateien/{stored.id}")


def assert_served_safely(response: TestResponse, stored: StoredFile, content: bytes) -> None:
    assert response.status_code == 200 and response.data == content
    assert response.mimetype == stored.content_type
    assert response.mimetype not in ("text/html", "image/svg+xml")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert not re.search(r"[\x00-\x1f\x7f\u202e/\\]", disposition)
    assert disposition.lower().rstrip('"').endswith(files.NAME_SUFFIXES[stored.content_type])


# Hostile content ---------------------------------------------------------------------------------------------
def test_files_that_are_not_what_their_name_claims_are_refused_and_nothing_is_written(
    app: Flask, site: SimpleNamespace, tmp_path: Path
) -> None:
    for target in MEDIA:
        for case, content in HOSTILE.items():
            before = snapshot(app, tmp_path)
            response = target.post(site.editor, site, content, target.file_name)
            label = f"{target.name}: {case}"
            assert_refused(response, media_refusal(target, case), before, snapshot(app, tmp_path), label)


def test_import_files_that_are_no_csv_or_are_cut_off_are_refused_and_nothing_is_written(
    app: Flask, site: SimpleNamespace, tmp_path: Path
) -> None:
    for case, content in {**HOSTILE, **CSV_ONLY}.items():
        before = snapshot(app, tmp_path)
        response = IMPORT.post(site.admin, site, content, IMPORT.file_name)
        assert_refused(response, IMPORT_REFUSALS[case], before, snapshot(app, tmp_path), case)


def test_a_guide_pdf_shows_an_image_bomb_stored_earlier_as_missing_instead_of_opening_it(
    app: Flask, site: SimpleNamespace, uploads: Path
) -> None:
    with app.app_context():
        stored = db.session.get(GuideStep, site.step).image_file
        (uploads / stored.storage_name).write_bytes(png(100_000, 100_000))
    response = site.editor.get(f"/katalog/{site.guide}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"


# Sizes -------------------------------------------------------------------------------------------------------
def test_sizes_beyond_the_limits_get_413_before_anything_is_written(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    app = make_app(QK_MAX_REQUEST_MB=1, QK_MAX_VIDEO_MB=1)
    site = make_site(app)
    for target in TARGETS:
        padding = (b"\n" if target is IMPORT else b"\x00") * (1024 * 1024 + 1024)
        cases = {
            "a file over the limit": (target.valid + padding, {}),
            # The request claims far more than it carries: refused on the claim, before the body is read.
            "a declared length far over the limit": (
                target.valid,
                {"environ_overrides": {"CONTENT_LENGTH": str(10**12)}},
            ),
        }
        for case, (content, options) in cases.items():
            before = snapshot(app, tmp_path)
            response = target.post(client_of(site, target), site, content, target.file_name, **options)
            label = f"{target.name}: {case}"
            assert response.status_code == 413, label
            assert_refused(response, "zu groß", before, snapshot(app, tmp_path), label)


def test_a_body_shorter_than_its_declared_length_is_refused_and_nothing_is_written(
    app: Flask, site: SimpleNamespace, tmp_path: Path
) -> None:
    for target in TARGETS:
        before = snapshot(app, tmp_path)
        # The connection ends long before the declared length: the form is never complete.
        overrides = {"CONTENT_LENGTH": str(1024 * 1024), "wsgi.input": io.BytesIO(b"--x\r\n")}
        response = target.post(
            client_of(site, target), site, target.valid, target.file_name, environ_overrides=overrides
        )
        label = f"{target.name}: short body"
        assert response.status_code == 400, label
        assert_refused(response, "Die Anfrage konnte nicht verarbeitet werden", before, snapshot(app, tmp_path), label)


# File names --------------------------------------------------------------------------------------------------
def assert_clean_name(name: str, original: str) -> None:
    assert name and len(name) <= 255, original
    assert not re.search(r"[\x00-\x1f\x7f\u202e/\\]", name), original
    assert not name.startswith("."), original


def test_file_names_with_paths_and_control_characters_are_cleaned_and_files_stay_in_the_upload_folder(
    app: Flask, site: SimpleNamespace, tmp_path: Path, uploads: Path
) -> None:
    for target in MEDIA:
        check_names(app, site, tmp_path, uploads, target)


def check_names(app: Flask, site: SimpleNamespace, tmp_path: Path, uploads: Path, target: Target) -> None:
    names = []
    for original in NAMES:
        label = f"{target.name}: {original!r}"
        before = files_under(tmp_path)
        response = target.post(site.editor, site, target.valid, original)
        assert response.status_code == 302, label
        new = files_under(tmp_path) - before
        with app.app_context():
            stored = db.session.scalars(select(StoredFile).order_by(StoredFile.id.desc()).limit(1)).one()
            assert new == {uploads / stored.storage_name}, label
            assert files.STORAGE_NAME.fullmatch(stored.storage_name), label
            assert_clean_name(stored.display_name, label)
            names.append(stored.display_name)
            material_id = site.guide if target.images and target.field == "image" else site.video
            assert_served_safely(served(site, material_id, stored), stored, target.valid)
    assert {"passwd", "win.ini", "bildgnp.exe", "x" * 255}.issubset(names)

    before = snapshot(app, tmp_path)
    response = target.post(site.editor, site, b"", None)  # no file chosen: nothing sent
    if target.name == "changed guide step":
        assert response.status_code == 302  # the screenshot is kept, only the texts are saved
    else:
        assert_refused(response, "Bitte wählen Sie", before, snapshot(app, tmp_path), f"{target.name}: no file")


def test_served_names_end_as_the_type_of_the_content(app: Flask, site: SimpleNamespace) -> None:
    assert IMPORT.post(site.editor, site, b"", None).status_code == 403  # editors may not import
    target = next(target for target in MEDIA if target.name == "new guide step")
    for original, expected in [
        ("bild\u202egnp.exe", "bildgnp.exe.png"),
        ("..\\..\\win.ini", "win.ini.png"),
        ("Seite.html", "Seite.html.png"),
        ("Foto.PNG", "Foto.PNG"),
        ("...", "Datei.png"),
    ]:
        assert target.post(site.editor, site, TINY_PNG, original).status_code == 302
        with app.app_context():
            stored = db.session.scalars(select(StoredFile).order_by(StoredFile.id.desc()).limit(1)).one()
            response = served(site, site.guide, stored)
        assert_served_safely(response, stored, TINY_PNG)
        assert files.served_name(stored) == expected, original
        assert re.search(f'filename="?{re.escape(expected)}"?$', response.headers["Content-Disposition"]), original


def test_import_file_names_are_cleaned_and_nothing_lands_on_disk(
    app: Flask, site: SimpleNamespace, tmp_path: Path
) -> None:
    before = files_under(tmp_path)
    for original in NAMES:
        name = f"{original}.csv"
        response = IMPORT.post(site.admin, site, CSV, name)
        assert response.status_code == 302, original
        with app.app_context():
            upload = db.session.scalars(select(OrgImport).order_by(OrgImport.id.desc()).limit(1)).one()
            assert_clean_name(upload.filename, original)
            assert upload.filename.endswith("csv"), original
            page = site.admin.get(f"/verwaltung/import/{upload.id}")
        assert page.status_code == 200 and upload.filename[:40] in page.text
    assert files_under(tmp_path) == before
    for original in ("...", "bild\u202egnp.exe", "", "../../etc/passwd"):
        snap = snapshot(app, tmp_path)
        response = IMPORT.post(site.admin, site, CSV, original)
        message = "Bitte wählen Sie eine Datei aus." if not original else "Bitte wählen Sie eine CSV-Datei (.csv) aus."
        assert_refused(response, message, snap, snapshot(app, tmp_path), repr(original))


# The same name twice -----------------------------------------------------------------------------------------
def test_the_same_name_twice_gives_two_files_and_replacing_one_leaves_the_other(
    app: Flask, site: SimpleNamespace, uploads: Path
) -> None:
    steps = next(target for target in MEDIA if target.name == "new guide step")
    assert steps.post(site.editor, site, OTHER_PNG, "erster.png").status_code == 302  # as the fixture's step
    with app.app_context():
        first, second = db.session.scalars(select(GuideStep).order_by(GuideStep.position)).all()
        first_file, second_file = first.image_file, second.image_file
    assert first_file.display_name == second_file.display_name == "erster.png"
    assert first_file.storage_name != second_file.storage_name
    assert_served_safely(served(site, site.guide, first_file), first_file, TINY_PNG)
    assert_served_safely(served(site, site.guide, second_file), second_file, OTHER_PNG)

    # The same name on two materials, and the first one replaced.
    with app.app_context():
        other_video = MaterialFactory(kind="video", status="draft").id
        db.session.commit()
    other_url = f"/redaktion/material/{other_video}/video"
    for url in (site.video_url, other_url):
        data = {"part": "poster", "file": (io.BytesIO(TINY_PNG), "erster.png")}
        assert site.editor.post(url, data=data, content_type="multipart/form-data").status_code == 302

    changed = next(target for target in MEDIA if target.name == "changed guide step")
    assert changed.post(site.editor, site, OTHER_PNG, "erster.png").status_code == 302
    with app.app_context():
        replaced = db.session.get(GuideStep, first.id).image_file
        kept_poster = db.session.get(Material, other_video).poster_file
    assert replaced.id != first_file.id and not (uploads / first_file.storage_name).exists()
    assert_served_safely(served(site, site.guide, replaced), replaced, OTHER_PNG)
    assert_served_safely(served(site, site.guide, second_file), second_file, OTHER_PNG)
    assert_served_safely(served(site, other_video, kept_poster), kept_poster, TINY_PNG)
    assert site.editor.get(f"/katalog/{site.guide}/dateien/{first_file.id}").status_code == 404


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    return tmp_path / "uploads"
