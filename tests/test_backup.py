"""Backup while the app writes, restore into a fresh instance, and the check of the upload folder."""

from __future__ import annotations

import io
import json
import os
import tarfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from quali_kompass.audit.models import AuditEvent
from quali_kompass.audit.services import record
from quali_kompass.catalogue import files
from quali_kompass.catalogue.models import StoredFile
from quali_kompass.database import Base
from quali_kompass.extensions import db
from quali_kompass.operations.backup import target_is_empty
from tests.conftest import POSTGRES_URL, own_postgres_database
from tests.sample import TINY_PNG, sample_url_values

# Tables the writer thread adds rows to while the backup runs; the backup may hold any prefix of them.
WRITTEN_DURING_BACKUP = {"audit_event", "stored_file"}
OLD = time.time() - 2 * 3600


def _pdf(number: int) -> bytes:
    return b"%PDF-1.4\n" + f"Backup-Test {number}\n".encode() * (number + 1) + b"%%EOF\n"


def _store(data: bytes, name: str) -> StoredFile:
    allowed = ["image/png", "application/pdf"]
    return files.store(FileStorage(io.BytesIO(data), filename=name), allowed, 1024 * 1024, None)


@pytest.fixture
def filled(app: Flask, org: SimpleNamespace) -> Flask:
    """The sample data of every kind (with a poster and a guide image) and a few PDF files."""
    sample_url_values(app, org)
    with app.app_context():
        for number in range(3):
            _store(_pdf(number), f"Handout {number}.pdf")
        db.session.commit()
    return app


@pytest.fixture
def fresh_app(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[Flask]:
    """An instance on an empty database (a new SQLite file, or a new PostgreSQL database) and upload folder."""
    uploads = str(tmp_path / "restored-uploads")
    if POSTGRES_URL:
        with own_postgres_database("restore") as url:
            app = make_app(SQLALCHEMY_DATABASE_URI=url, QK_UPLOAD_DIR=uploads)
            yield app
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    else:
        yield make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'restored.sqlite'}", QK_UPLOAD_DIR=uploads)


class Writer(threading.Thread):
    """Keeps writing audit entries and uploads through its own app context, as requests would."""

    def __init__(self, app: Flask) -> None:
        super().__init__(daemon=True)
        self.app = app
        self.stop = threading.Event()
        self.commits = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                with self.app.app_context():
                    record("backup_test_write", label=f"write {self.commits}")
                    if self.commits % 3 == 0:
                        _store(TINY_PNG + f"{self.commits}".encode(), f"written {self.commits}.png")
                    db.session.commit()
                self.commits += 1
        except BaseException as error:
            self.error = error

    def wait_for(self, commits: int) -> None:
        deadline = time.monotonic() + 30
        while self.commits < commits:
            assert self.error is None, self.error
            assert time.monotonic() < deadline, "the writer got stuck"
            time.sleep(0.01)


def rows(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ordered by primary key."""
    result = {}
    with app.app_context():
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            result[table.name] = [tuple(row) for row in db.session.execute(select(table).order_by(*order))]
        db.session.rollback()
    return result


def upload_files(app: Flask) -> dict[str, bytes]:
    folder = Path(app.config["QK_UPLOAD_DIR"])
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


def run_backup(app: Flask, output: Path) -> Path:
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(output)])
    assert result.exit_code == 0, result.output
    [archive] = output.glob("quali-kompass-backup-*.tar.gz")
    assert f"Backup written: {archive}" in result.output
    return archive


def manifest_of(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        return json.loads(tar.extractfile("manifest.json").read())


def test_backup_while_writing_restores_everything_in_the_snapshot(filled: Flask, fresh_app: Flask, tmp_path: Path):
    writer = Writer(filled)
    writer.start()
    try:
        writer.wait_for(10)
        before = writer.commits
        archive = run_backup(filled, tmp_path / "backups")
        writer.wait_for(writer.commits + 5)
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert writer.error is None
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    manifest = manifest_of(archive)
    assert manifest["database"]["kind"] == ("postgresql" if POSTGRES_URL else "sqlite")
    assert manifest["alembic_revision"]
    assert manifest["missing_files"] == []

    result = fresh_app.test_cli_runner().invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert f"{len(manifest['files'])} file(s)" in result.output

    source, restored = rows(filled), rows(fresh_app)
    assert set(restored) == set(source)
    for name, restored_rows in restored.items():
        if name in WRITTEN_DURING_BACKUP:
            # One writer commits in id order: the snapshot holds every row up to its newest one, and only those.
            newest = max((row[0] for row in restored_rows), default=0)
            assert restored_rows == [row for row in source[name] if row[0] <= newest], name
        else:
            assert restored_rows == source[name], name
    with fresh_app.app_context():
        written = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "backup_test_write")).all()
        assert before <= len(written) < writer.commits
        stored = {row.storage_name: row for row in db.session.scalars(select(StoredFile))}
    assert len(stored) == len(manifest["files"]) > 5

    source_files, restored_files = upload_files(filled), upload_files(fresh_app)
    assert set(restored_files) == set(stored)
    for name, content in restored_files.items():
        assert content == source_files[name], name
        assert len(content) == stored[name].size

    check = fresh_app.test_cli_runner().invoke(args=["check-files"])
    assert check.exit_code == 0, check.output


def test_restore_refuses_a_database_that_is_not_empty(filled: Flask, fresh_app: Flask, tmp_path: Path):
    archive = run_backup(filled, tmp_path / "backups")
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["restore", str(archive)]).exit_code == 0
    with fresh_app.app_context():
        record("after_restore")
        db.session.commit()
    orphan = Path(fresh_app.config["QK_UPLOAD_DIR"]) / ("f" * 32 + ".png")
    orphan.write_bytes(TINY_PNG)

    refused = runner.invoke(args=["restore", str(archive)])
    assert refused.exit_code != 0
    assert "not empty" in refused.output
    with fresh_app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "after_restore")) is not None

    replaced = runner.invoke(args=["restore", str(archive), "--yes"])
    assert replaced.exit_code == 0, replaced.output
    assert "Deleted 1 file(s)" in replaced.output
    assert not orphan.exists()
    assert rows(fresh_app) == rows(filled)
    assert upload_files(fresh_app) == upload_files(filled)


def test_restore_refuses_a_tampered_archive(filled: Flask, fresh_app: Flask, tmp_path: Path):
    archive = run_backup(filled, tmp_path / "backups")
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as original, tarfile.open(tampered, "w:gz") as copy:
        for member in original:
            data = original.extractfile(member).read()
            if member.name.startswith("uploads/") and member.name.endswith(".pdf") and b"Backup-Test" in data:
                data = data.replace(b"Backup-Test", b"Backup-Text", 1)
            copy.addfile(member, io.BytesIO(data))

    result = fresh_app.test_cli_runner().invoke(args=["restore", str(tampered)])
    assert result.exit_code != 0
    assert "does not match its manifest" in result.output
    with fresh_app.app_context():
        assert target_is_empty()


def test_restore_refuses_a_backup_of_the_other_database_kind(filled: Flask, fresh_app: Flask, tmp_path: Path):
    archive = run_backup(filled, tmp_path / "backups")
    other = tmp_path / "other.tar.gz"
    manifest = manifest_of(archive)
    manifest["database"]["kind"] = "sqlite" if POSTGRES_URL else "postgresql"
    data = json.dumps(manifest).encode()
    with tarfile.open(archive) as original, tarfile.open(other, "w:gz") as copy:
        for member in original:
            content = data if member.name == "manifest.json" else original.extractfile(member).read()
            member.size = len(content)
            copy.addfile(member, io.BytesIO(content))

    result = fresh_app.test_cli_runner().invoke(args=["restore", str(other)])
    assert result.exit_code != 0
    assert "the configured database is" in result.output


@pytest.mark.skipif(not POSTGRES_URL, reason="pg_dump is used on PostgreSQL only")
def test_backup_without_pg_dump_fails_clearly(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    result = app.test_cli_runner().invoke(args=["backup", "--output", str(tmp_path / "backups")])
    assert result.exit_code != 0
    assert "pg_dump was not found" in result.output
    assert not list((tmp_path / "backups").iterdir())


def test_check_files_reports_missing_files_and_repairs_orphans_only(filled: Flask):
    runner = filled.test_cli_runner()
    clean = runner.invoke(args=["check-files"])
    assert clean.exit_code == 0, clean.output
    assert "0 missing file(s), 0 file(s) without a row." in clean.output

    folder = Path(filled.config["QK_UPLOAD_DIR"])
    with filled.app_context():
        lost = db.session.scalars(select(StoredFile).order_by(StoredFile.id)).first()
        lost_name, lost_id = lost.storage_name, lost.id
    (folder / lost_name).unlink()
    orphan = folder / ("a" * 32 + ".pdf")
    orphan.write_bytes(_pdf(9))
    os.utime(orphan, (OLD, OLD))
    crashed_upload = folder / ".upload-abc.part"
    crashed_upload.write_bytes(b"%PDF-")
    os.utime(crashed_upload, (OLD, OLD))
    in_progress = folder / ("b" * 32 + ".png")  # an upload whose row is not committed yet
    in_progress.write_bytes(TINY_PNG)

    report = runner.invoke(args=["check-files"])
    assert report.exit_code == 1
    assert f"Missing file: {lost_name} (stored file {lost_id}" in report.output
    assert f"File without a row: {orphan.name}" in report.output
    assert f"File without a row: {crashed_upload.name}" in report.output
    assert in_progress.name not in report.output
    assert orphan.exists()

    repaired = runner.invoke(args=["check-files", "--repair"])
    assert repaired.exit_code == 1  # the missing file is still missing
    assert f"Deleted: {orphan.name}" in repaired.output
    assert not orphan.exists() and not crashed_upload.exists()
    assert in_progress.exists()
    with filled.app_context():
        assert db.session.get(StoredFile, lost_id) is not None

    (folder / lost_name).write_bytes(b"again")
    in_progress.unlink()
    assert runner.invoke(args=["check-files", "--repair"]).exit_code == 0
