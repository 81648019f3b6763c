"""Uploaded files: the type decided by the content, stored under generated names, never left behind half-written.

A file is written to a temporary name in the upload folder and renamed to its final name once its database row
is flushed. Files written in a transaction that does not commit are removed again; files replaced in a transaction
are removed only once it commits, so that a failed request loses nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from flask import abort, current_app, send_file
from flask_babel import gettext as _
from PIL import Image
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from quali_kompass.catalogue.models import StoredFile
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Person

HEAD_BYTES = 4096
# Readable by the app's group too, so that a reverse proxy in that group can send the file (QK_ACCEL_REDIRECT);
# mkstemp alone would leave it to the owner.
FILE_MODE = 0o640
CHUNK_BYTES = 1024 * 1024
EXTENSIONS = {
    "video/mp4": ".mp4",
    "video/webm": ".webm",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "text/vtt": ".vtt",
    "application/pdf": ".pdf",
}
TYPE_NAMES = {
    "video/mp4": "MP4",
    "video/webm": "WebM",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/webp": "WebP",
    "text/vtt": "WebVTT (.vtt)",
    "application/pdf": "PDF",
}
# Shown in the page (player, poster, captions); everything else is offered as a download.
INLINE_TYPES = frozenset({"video/mp4", "video/webm", "image/png", "image/jpeg", "image/webp", "text/vtt"})
# ISO base media brands of still images (HEIF, AVIF, …): an ``ftyp`` box, but not a video.
IMAGE_BRANDS = (b"hei", b"hev", b"mif1", b"msf1", b"avif", b"avis", b"jp2 ", b"crx ")
# File name endings that fit each type; a download whose name ends otherwise gets the type's own ending.
NAME_SUFFIXES = {
    "video/mp4": (".mp4", ".m4v"),
    "video/webm": (".webm",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe"),
    "image/webp": (".webp",),
    "text/vtt": (".vtt",),
    "application/pdf": (".pdf",),
}
# Images are opened with Pillow (guide PDF); larger ones are refused before anything decodes them.
IMAGE_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
MAX_IMAGE_PIXELS = 40_000_000
STORAGE_NAME = re.compile(r"[0-9a-f]{32}\.[a-z0-9]{2,5}")

_WRITTEN = "qk_files_written"  # final paths of files written in the current transaction
_DOOMED = "qk_files_doomed"  # files to remove once the current transaction commits


class FileTooLarge(ServiceError):
    """The file is larger than allowed for its purpose (shown with status 413)."""


def detect_type(head: bytes) -> str | None:
    """The content type by the file's signature (its first bytes), or None if it is none of the known ones."""
    if len(head) >= 12 and head[4:8] == b"ftyp" and int.from_bytes(head[:4], "big") >= 8:
        return None if head[8:12].startswith(IMAGE_BRANDS) else "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        doctype = head.find(b"\x42\x82", 4, 64)  # the EBML DocType element
        return "video/webm" if doctype != -1 and b"webm" in head[doctype + 2 : doctype + 12] else None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    text = head.removeprefix(b"\xef\xbb\xbf")
    if text.startswith(b"WEBVTT") and (len(text) == 6 or text[6:7] in (b" ", b"\t", b"\r", b"\n")):
        return "text/vtt"
    return None


def type_names(content_types: Iterable[str]) -> str:
    return ", ".join(TYPE_NAMES[content_type] for content_type in content_types)


def clean_display_name(name: str | None, content_type: str) -> str:
    """The file's own name as the person knows it: no folders, no control characters, at most 255 characters."""
    return clean_file_name(name, _("Datei") + EXTENSIONS[content_type])


def clean_file_name(name: str | None, fallback: str) -> str:
    """A file name as sent by a browser, without folders, control or direction characters; ``fallback`` if empty."""
    name = PurePosixPath((name or "").replace("\\", "/")).name
    name = unicodedata.normalize("NFC", "".join(char for char in name if unicodedata.category(char)[0] != "C"))
    name = name.strip().lstrip(".").strip()
    if not name:
        name = fallback
    if len(name) > 255:
        stem, dot, suffix = name.rpartition(".")
        name = f"{stem[: 254 - len(suffix)]}.{suffix}" if dot and len(suffix) <= 10 else name[:255]
    return name


def upload_dir() -> Path:
    return Path(current_app.config["QK_UPLOAD_DIR"])


def path_of(stored: StoredFile) -> Path:
    """Where the file lies; only generated names are ever turned into paths."""
    if not STORAGE_NAME.fullmatch(stored.storage_name):
        raise ValueError(f"unexpected storage name {stored.storage_name!r}")
    return upload_dir() / stored.storage_name


def store(upload: FileStorage, allowed: Iterable[str], max_bytes: int, person: Person | None) -> StoredFile:
    """Check and keep an uploaded file; add its row to the session (flushed). Raises ServiceError, writes nothing."""
    allowed = tuple(allowed)
    head = upload.stream.read(HEAD_BYTES)
    if not head:
        raise ServiceError(_("Die Datei ist leer. Bitte wählen Sie eine andere Datei aus."))
    content_type = detect_type(head)
    if content_type not in allowed:
        raise ServiceError(
            _(
                "Diese Datei hat keinen erlaubten Dateityp. Erlaubt sind hier: %(types)s. "
                "Entscheidend ist der Inhalt der Datei, nicht ihre Endung.",
                types=type_names(allowed),
            )
        )
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{secrets.token_hex(16)}{EXTENSIONS[content_type]}"
    descriptor, temp_name = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".part")
    temp = Path(temp_name)
    try:
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(descriptor, "wb") as out:
            os.fchmod(out.fileno(), FILE_MODE)
            chunk = head
            while chunk:
                size += len(chunk)
                if size > max_bytes:
                    raise FileTooLarge(
                        _(
                            "Die Datei ist zu groß. Erlaubt sind hier höchstens %(megabytes)d MB.",
                            megabytes=max_bytes // (1024 * 1024),
                        )
                    )
                digest.update(chunk)
                out.write(chunk)
                chunk = upload.stream.read(CHUNK_BYTES)
        if content_type == "text/vtt":
            _check_text(temp)
        if content_type in IMAGE_FORMATS:
            _check_image(temp, content_type)
        stored = StoredFile(
            storage_name=final.name,
            display_name=clean_display_name(upload.filename, content_type),
            content_type=content_type,
            size=size,
            sha256=digest.hexdigest(),
            uploaded_by_id=person.id if person is not None else None,
        )
        db.session.add(stored)
        db.session.flush()
        db.session.info.setdefault(_WRITTEN, []).append(final)
        os.replace(temp, final)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return stored


def _check_text(path: Path) -> None:
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ServiceError(
            _("Die Untertiteldatei ist nicht in UTF-8 gespeichert. Bitte speichern Sie sie als UTF-8.")
        ) from None


def _check_image(path: Path, content_type: str) -> None:
    """Refuse images that Pillow cannot read to the end or that would decode to too many pixels."""
    try:
        # Opening reads the header only; verify() checks the structure (for PNG every chunk) without decoding.
        with Image.open(path, formats=[IMAGE_FORMATS[content_type]]) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise Image.DecompressionBombError
            image.verify()
    except Image.DecompressionBombError:
        raise ServiceError(
            _(
                "Das Bild hat zu viele Bildpunkte. Erlaubt sind höchstens %(megapixels)d Millionen Bildpunkte, "
                "zum Beispiel 8000 × 5000. Bitte verkleinern Sie das Bild.",
                megapixels=MAX_IMAGE_PIXELS // 1_000_000,
            )
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ServiceError(
            _(
                "Das Bild ist beschädigt oder unvollständig und lässt sich nicht öffnen. "
                "Bitte speichern Sie es neu und laden Sie es noch einmal hoch."
            )
        ) from None


def served_name(stored: StoredFile) -> str:
    """The name a file is saved under by the browser: its display name, ending as its type does."""
    name = stored.display_name
    if not name.lower().endswith(NAME_SUFFIXES[stored.content_type]):
        name = f"{name[: 255 - len(EXTENSIONS[stored.content_type])]}{EXTENSIONS[stored.content_type]}"
    return name


def discard(stored: StoredFile) -> None:
    """Delete the row now and the file once the transaction commits."""
    db.session.info.setdefault(_DOOMED, []).append(path_of(stored))
    db.session.delete(stored)


def serve(stored: StoredFile) -> Response:
    """Send the file with Range support; inline for what the page plays or shows, a download otherwise.

    With ``QK_ACCEL_REDIRECT`` the answer names the file for the reverse proxy (nginx's X-Accel-Redirect), which
    sends it: a long video download then holds no app worker. The permission check has happened by then.
    """
    path = path_of(stored)
    if not path.is_file():
        abort(404)
    as_attachment = stored.content_type not in INLINE_TYPES
    if prefix := current_app.config.get("QK_ACCEL_REDIRECT"):
        response = current_app.response_class(mimetype=stored.content_type)
        response.headers["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{stored.storage_name}"
        _set_disposition(response, served_name(stored), as_attachment)
    else:
        response = send_file(
            path,
            mimetype=stored.content_type,
            as_attachment=as_attachment,
            download_name=served_name(stored),
            conditional=True,
            etag=stored.sha256,
            max_age=None,
        )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Even if opened on its own, the file runs nothing and loads nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response


def _set_disposition(response: Response, name: str, as_attachment: bool) -> None:
    """Content-Disposition as ``send_file`` writes it: an ASCII name, and the exact one in UTF-8 when it differs."""
    names = {"filename": name}
    if not name.isascii():
        names = {
            "filename": unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii"),
            "filename*": f"UTF-8''{quote(name, safe='!#$&+^`|~')}",
        }
    response.headers.set("Content-Disposition", "attachment" if as_attachment else "inline", **names)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    for path in session.info.pop(_DOOMED, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    """A transaction that ended without commit (rollback, close) takes the files it wrote with it."""
    if transaction.parent is not None:
        return
    for path in session.info.pop(_WRITTEN, []):
        path.unlink(missing_ok=True)
    session.info.pop(_DOOMED, None)
