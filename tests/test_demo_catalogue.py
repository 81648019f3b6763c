"""The demo catalogue: enough realistic material of every kind, with click-through guides and videos ready to use."""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from quali_kompass.catalogue.files import HEAD_BYTES, detect_type, path_of
from quali_kompass.catalogue.models import Material, StoredFile
from quali_kompass.catalogue.services import publishing_problems
from quali_kompass.database import utcnow
from quali_kompass.demo_media import MEDIA_DIR, manifest
from quali_kompass.extensions import db
from tests.conftest import login

EXPECTED_TYPES = {".webp": "image/webp", ".jpg": "image/jpeg", ".webm": "video/webm", ".vtt": "text/vtt"}
CUE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})$", re.MULTILINE)


@pytest.fixture
def demo(make_app, tmp_path: Path) -> Flask:
    """An app with the demo Jobcenter loaded through the command, as ``make run`` does."""
    app = make_app(QK_DEMO_LOGINS_FILE=str(tmp_path / "demo-logins.txt"))
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    return app


def _seconds(hours: str, minutes: str, seconds: str, millis: str) -> float:
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def test_demo_media_files_are_small_and_recognised_by_their_content() -> None:
    media = manifest()
    names = [step["image"] for guide in media["guides"].values() for step in guide["steps"]]
    for video in media["videos"].values():
        names += [video["video"], video["poster"], video["captions"]]
        assert (MEDIA_DIR / video["transcript"]).read_text(encoding="utf-8").strip()
    assert len(names) == len(set(names))
    for name in names:
        data = (MEDIA_DIR / name).read_bytes()
        assert detect_type(data[:HEAD_BYTES]) == EXPECTED_TYPES[Path(name).suffix], name
        limit = 2 * 1024 * 1024 if name.endswith(".webm") else 120 * 1024
        assert len(data) < limit, name
    assert sum((MEDIA_DIR / name).stat().st_size for name in names) < 5 * 1024 * 1024
    for guide in media["guides"].values():
        assert 3 <= len(guide["steps"]) <= 6
        for step in guide["steps"]:
            left, top, width, height = step["highlight"]
            assert left >= 0 and top >= 0 and width > 0 and height > 0
            assert left + width <= 1000 and top + height <= 1000
            assert step["instruction"] and step["alt_text"]
    for video in media["videos"].values():
        assert 15 <= video["seconds"] <= 40
        captions = (MEDIA_DIR / video["captions"]).read_text(encoding="utf-8")
        cues = [(_seconds(*match[:4]), _seconds(*match[4:])) for match in CUE.findall(captions)]
        assert len(cues) >= 3
        assert all(start < end <= video["seconds"] for start, end in cues)
        assert all(end <= later for (_, end), (later, _) in pairwise(cues))


def test_demo_catalogue_has_every_kind_ready_to_publish(demo: Flask) -> None:
    with demo.app_context():
        materials = db.session.scalars(select(Material)).all()
        assert len(materials) >= 40
        published = [material for material in materials if material.status == "published"]
        kinds = Counter(material.kind for material in published)
        assert kinds["guide"] >= 5
        assert kinds["video"] >= 2
        assert kinds["document"] >= 10
        assert kinds["link"] >= 5
        assert kinds["session"] >= 5
        statuses = Counter(material.status for material in materials)
        assert statuses["draft"] >= 1 and statuses["archived"] >= 1
        assert {material.source for material in published} == {"ba", "inhouse"}
        assert {material.level for material in published} == {"basic", "advanced"}
        for material in published:
            assert publishing_problems(material) == [], material.title
            assert material.versions and material.published_at is not None

        upload_dir = Path(demo.config["QK_UPLOAD_DIR"])
        for guide in (material for material in published if material.kind == "guide"):
            assert 3 <= len(guide.steps) <= 6
            assert [step.position for step in guide.steps] == list(range(1, len(guide.steps) + 1))
            for step in guide.steps:
                assert step.alt_text and step.instruction and step.highlight is not None
                assert step.image_file.content_type == "image/webp"
                assert path_of(step.image_file).parent == upload_dir
                assert path_of(step.image_file).is_file()
        for video in (material for material in published if material.kind == "video"):
            assert video.video_file.content_type == "video/webm"
            assert video.captions_file.content_type == "text/vtt"
            assert video.poster_file.content_type == "image/webp"
            assert len(video.transcript) > 100

        now = utcnow()
        for session in (material for material in published if material.kind == "session"):
            upcoming = [date for date in session.session_dates if date.starts_at > now and not date.cancelled]
            assert upcoming, session.title
            assert all(date.starts_at.weekday() < 5 for date in session.session_dates)

        stored = db.session.scalars(select(StoredFile)).all()
        assert len(stored) == sum(len(m.file_ids) for m in materials)
        for file in stored:
            head = path_of(file).read_bytes()[:HEAD_BYTES]
            assert file.content_type == detect_type(head), file.display_name
            assert file.size == path_of(file).stat().st_size
            assert file.uploaded_by_id is not None


def test_demo_guides_and_videos_open_for_employees(demo: Flask, tmp_path: Path) -> None:
    logins = (tmp_path / "demo-logins.txt").read_text(encoding="utf-8")
    email, password = next(line for line in logins.splitlines() if line.startswith("Beschäftigte")).split()[-2:]
    with demo.app_context():
        guide = db.session.scalars(select(Material).where(Material.kind == "guide").order_by(Material.id)).first()
        video = db.session.scalars(select(Material).where(Material.kind == "video").order_by(Material.id)).first()
        guide_id, image_id = guide.id, guide.steps[0].image_file_id
        video_id, captions_id = video.id, video.captions_file_id
    client = demo.test_client()
    login(client, email, password)
    assert client.get("/katalog").status_code == 200
    assert client.get(f"/katalog/{guide_id}").status_code == 200
    image = client.get(f"/katalog/{guide_id}/dateien/{image_id}")
    assert image.status_code == 200 and image.mimetype == "image/webp"
    assert client.get(f"/katalog/{video_id}").status_code == 200
    captions = client.get(f"/katalog/{video_id}/dateien/{captions_id}")
    assert captions.status_code == 200 and captions.get_data(as_text=True).startswith("WEBVTT")
