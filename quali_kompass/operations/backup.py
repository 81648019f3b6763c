"""Backup and restore of database and uploads in one archive, and the check of the upload folder against the rows.

The database is copied first, as one consistent snapshot taken while the app keeps writing (SQLite's online-backup
API; ``pg_dump`` on PostgreSQL, sharing the snapshot from which the list of files is read). Then the files that
snapshot references are added: uploads are never changed in place, so a file is the same whenever it is read.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import inspect, literal_column, select, table, text
from sqlalchemy.engine import URL

from quali_kompass.catalogue.files import FILE_MODE, STORAGE_NAME, upload_dir
from quali_kompass.catalogue.models import StoredFile
from quali_kompass.extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite", "postgresql": "database.dump"}
UPLOADS = "uploads/"
CHUNK_BYTES = 1024 * 1024
# One transaction: a failed restore leaves the database as it was.
RESTORE_OPTIONS = ("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction")


class BackupError(Exception):
    """Backup, restore or check failed; the message says why, for the person at the console."""


@dataclass
class BackupResult:
    path: Path
    kind: str
    revision: str | None
    files: int
    bytes: int
    missing: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    kind: str
    revision: str | None
    head: str | None
    files: int
    removed: int


@dataclass
class FileCheck:
    missing: list[StoredFile]
    orphans: list[Path]
    removed: list[Path] = field(default_factory=list)


# Where the database is ---------------------------------------------------------------------------------------
def database_kind(url: URL) -> str:
    kind = url.get_backend_name()
    if kind not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {kind}.")
    if kind == "sqlite" and url.database in (None, "", ":memory:"):
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return kind


def postgres_environment(url: URL) -> dict[str, str]:
    """Connection settings for pg_dump/pg_restore as libpq variables: the password never on the command line."""
    environment = dict(os.environ)
    values = {
        "PGHOST": url.host or url.query.get("host"),
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode"),
    }
    for name, value in values.items():
        if isinstance(value, tuple):
            value = value[0]
        if value:
            environment[name] = str(value)
    return environment


def run_tool(command: list[str], environment: dict[str, str]) -> None:
    try:
        completed = subprocess.run(  # nosec B603  # pg_dump/pg_restore, arguments built here, a list: no shell
            command, env=environment, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} was not found. Install the PostgreSQL client tools (the version of the server or newer)."
        ) from None
    if completed.returncode != 0:
        raise BackupError(f"{command[0]} failed (exit code {completed.returncode}):\n{completed.stderr.strip()}")


def head_revision() -> str | None:
    directory = current_app.extensions["migrate"].directory
    return ScriptDirectory(directory).get_current_head()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


# Backup ------------------------------------------------------------------------------------------------------
def create_backup(output: Path) -> BackupResult:
    """Write the archive into the folder ``output`` and return what it holds."""
    url = db.engine.url
    kind = database_kind(url)
    output.mkdir(parents=True, exist_ok=True)
    created_at = datetime.now(UTC)
    final = output / f"quali-kompass-backup-{created_at:%Y%m%d-%H%M%S}.tar.gz"
    if final.exists():
        raise BackupError(f"{final} exists already; try again in a second.")
    with tempfile.TemporaryDirectory(prefix="qk-backup-") as work:
        database_file = Path(work) / DATABASE_FILES[kind]
        if kind == "sqlite":
            storage_names, revision = _snapshot_sqlite(Path(url.database), database_file)
        else:
            storage_names, revision = _snapshot_postgres(url, database_file)
        partial = output / f".{final.name}.part"
        try:
            result = _write_archive(partial, database_file, kind, revision, storage_names, created_at)
            partial.chmod(0o600)  # the archive holds personal data
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
    result.path = final
    return result


def _snapshot_sqlite(source: Path, target: Path) -> tuple[list[str], str | None]:
    if not source.is_file():
        raise BackupError(f"The SQLite database {source} does not exist.")
    with (
        _sqlite(source) as origin,
        _sqlite(target) as copy,
    ):
        origin.backup(copy)  # one step: a consistent copy, writers wait a moment
    with _sqlite(target) as copy:
        names = [row[0] for row in copy.execute("SELECT storage_name FROM stored_file ORDER BY storage_name")]
        try:
            revision = copy.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            revision = None
    return names, revision[0] if revision else None


@contextmanager
def _sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(path, timeout=60)
    try:
        yield connection
    finally:
        connection.close()


def _snapshot_postgres(url: URL, target: Path) -> tuple[list[str], str | None]:
    """Dump with pg_dump from a snapshot that this transaction also reads the file list from."""
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            names = list(connection.scalars(select(StoredFile.storage_name).order_by(StoredFile.storage_name)))
            revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
            run_tool(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                postgres_environment(url),
            )
    return names, revision


def _write_archive(
    path: Path, database_file: Path, kind: str, revision: str | None, storage_names: list[str], created_at: datetime
) -> BackupResult:
    folder = upload_dir()
    entries: list[dict[str, Any]] = []
    missing: list[str] = []
    total = 0
    with tarfile.open(path, "w:gz") as archive:
        database_entry = {
            "name": DATABASE_FILES[kind],
            "size": database_file.stat().st_size,
            "sha256": sha256_of(database_file),
        }
        archive.add(database_file, arcname=DATABASE_FILES[kind])
        for name in storage_names:
            if not STORAGE_NAME.fullmatch(name):
                raise BackupError(f"Unexpected storage name {name!r} in stored_file.")
            try:
                stream = (folder / name).open("rb")
            except FileNotFoundError:
                missing.append(name)  # deleted since the snapshot, or missing before (see check-files)
                continue
            with stream:
                size = os.fstat(stream.fileno()).st_size
                info = tarfile.TarInfo(UPLOADS + name)
                info.size = size
                info.mtime = int(created_at.timestamp())
                info.mode = 0o600
                reader = _HashingReader(stream)
                archive.addfile(info, reader)
            entries.append({"name": name, "size": size, "sha256": reader.digest.hexdigest()})
            total += size
        manifest = {
            "format": FORMAT,
            "app": "quali-kompass",
            "app_version": _app_version(),
            "alembic_revision": revision,
            "database": {"kind": kind, **database_entry},
            "created_at": created_at.isoformat(),
            "files": entries,
            "missing_files": missing,
        }
        data = json.dumps(manifest, indent=2).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = int(created_at.timestamp())
        info.mode = 0o600
        archive.addfile(info, io.BytesIO(data))
    return BackupResult(path, kind, revision, len(entries), total, missing)


class _HashingReader:
    """Reads a file for tarfile and hashes what it read, so that each upload is read once."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.digest.update(chunk)
        return chunk


def _app_version() -> str:
    try:
        return metadata.version("quali-kompass")
    except metadata.PackageNotFoundError:
        return "unknown"


# Restore -----------------------------------------------------------------------------------------------------
def read_manifest(archive_path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.getmember(MANIFEST)
            stream = archive.extractfile(member)
            manifest = json.loads(stream.read()) if stream else None
    except (tarfile.TarError, KeyError, OSError, ValueError) as error:
        raise BackupError(f"{archive_path} is not a readable Quali-Kompass backup: {error}") from None
    valid = (
        isinstance(manifest, dict)
        and manifest.get("format") == FORMAT
        and isinstance(manifest.get("database"), dict)
        and {"kind", "name", "size", "sha256"} <= manifest["database"].keys()
        and isinstance(manifest.get("files"), list)
        and all(isinstance(entry, dict) and {"name", "size", "sha256"} <= entry.keys() for entry in manifest["files"])
    )
    if not valid:
        raise BackupError(f"{archive_path} is not a Quali-Kompass backup of format {FORMAT}.")
    return manifest


def target_is_empty() -> bool:
    """True if no table of the configured database holds a row and the upload folder holds no file."""
    with db.engine.connect() as connection:
        for name in inspect(connection).get_table_names():
            if name == "alembic_version":
                continue
            # table() quotes the name itself: no SQL is assembled from strings.
            if connection.scalar(select(literal_column("1")).select_from(table(name)).limit(1)) is not None:
                return False
    folder = upload_dir()
    return not (folder.is_dir() and any(entry.is_file() for entry in folder.iterdir()))


def restore_backup(archive_path: Path) -> RestoreResult:
    """Check the whole archive, then replace database and uploads by its content."""
    manifest = read_manifest(archive_path)
    url = db.engine.url
    kind = database_kind(url)
    if manifest["database"]["kind"] != kind:
        raise BackupError(
            f"The backup holds a {manifest['database']['kind']} database; the configured database is {kind}."
        )
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    # Staged inside the upload folder, so that the files reach their place by rename.
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=folder) as work:
        staging = Path(work)
        database_file = _extract_checked(archive_path, manifest, staging)
        db.session.remove()
        db.engine.dispose()
        if kind == "sqlite":
            _restore_sqlite(database_file, Path(url.database))
        else:
            run_tool(
                [*RESTORE_OPTIONS, f"--dbname={url.database}", str(database_file)],
                postgres_environment(url),
            )
        keep = {entry["name"] for entry in manifest["files"]}
        for name in keep:
            (staging / UPLOADS / name).chmod(FILE_MODE)
            os.replace(staging / UPLOADS / name, folder / name)
        removed = 0
        for entry in folder.iterdir():
            if entry.is_file() and entry.name not in keep:
                entry.unlink()  # its row is gone with the database that was replaced
                removed += 1
    db.engine.dispose()
    with db.engine.connect() as connection:
        revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
    if revision != manifest["alembic_revision"]:
        raise BackupError(
            f"The restored database is at revision {revision}, the backup says {manifest['alembic_revision']}."
        )
    return RestoreResult(kind, revision, head_revision(), len(keep), removed)


def _extract_checked(archive_path: Path, manifest: dict[str, Any], staging: Path) -> Path:
    """Extract the database and the files named in the manifest; every size and sha256 must match."""
    expected = {UPLOADS + entry["name"]: entry for entry in manifest["files"]}
    database = manifest["database"]
    expected[database["name"]] = database
    if database["name"] not in DATABASE_FILES.values() or any(
        not STORAGE_NAME.fullmatch(entry["name"]) for entry in manifest["files"]
    ):
        raise BackupError("The manifest names unexpected files; the archive is not used.")
    (staging / UPLOADS).mkdir()
    seen: set[str] = set()
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            for member in archive:
                if member.name == MANIFEST:
                    continue
                entry = expected.get(member.name)
                if entry is None or not member.isfile() or member.name in seen:
                    raise BackupError(f"The archive holds {member.name!r}, which its manifest does not list.")
                if member.size != entry["size"]:
                    raise BackupError(f"{member.name} in the archive does not match its manifest (size).")
                seen.add(member.name)
                stream = archive.extractfile(member)
                target = staging / member.name
                digest = hashlib.sha256()
                with stream, target.open("wb") as out:  # type: ignore[union-attr]
                    while chunk := stream.read(CHUNK_BYTES):  # type: ignore[union-attr]
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != entry["sha256"]:
                    raise BackupError(f"{member.name} in the archive does not match its manifest (sha256).")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{archive_path} cannot be read: {error}") from None
    if absent := sorted(set(expected) - seen):
        raise BackupError(f"The archive lacks {len(absent)} file(s) its manifest lists, e.g. {absent[0]}.")
    return staging / database["name"]


def _restore_sqlite(source: Path, target: Path) -> None:
    """Copy into the database through SQLite itself, which respects its locks and journal."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with _sqlite(source) as origin, _sqlite(target) as copy:
        origin.backup(copy)


# Check of the upload folder ----------------------------------------------------------------------------------
def check_files(repair: bool, min_age: timedelta) -> FileCheck:
    """Rows whose file is missing, and files older than ``min_age`` without a row; remove those if ``repair``.

    The age spares files of uploads in progress, which reach the folder just before their row is committed.
    """
    folder = upload_dir()
    cutoff = datetime.now(UTC) - min_age
    on_disk = {}
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.is_file():
                on_disk[entry.name] = entry
    rows = list(db.session.scalars(select(StoredFile).order_by(StoredFile.id)))
    known = {row.storage_name for row in rows}
    missing = [row for row in rows if row.storage_name not in on_disk and not (folder / row.storage_name).exists()]
    orphans = [
        path
        for name, path in sorted(on_disk.items())
        if name not in known and datetime.fromtimestamp(path.stat().st_mtime, UTC) <= cutoff
    ]
    if orphans:
        # A row committed since the list was read is no orphan.
        db.session.rollback()
        names = [path.name for path in orphans]
        recent = set(db.session.scalars(select(StoredFile.storage_name).where(StoredFile.storage_name.in_(names))))
        orphans = [path for path in orphans if path.name not in recent]
    result = FileCheck(missing, orphans)
    if repair:
        for path in orphans:
            path.unlink(missing_ok=True)
            result.removed.append(path)
    return result
