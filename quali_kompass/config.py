"""Settings, read from the environment (prefix ``QK_``); SQLite by default."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

INSTANCE_PATH = Path(os.environ.get("QK_INSTANCE_PATH", Path(__file__).resolve().parent.parent / "instance"))


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "ja", "on"}


def _secret_key() -> str:
    """Use QK_SECRET_KEY, else a key generated once and kept in the instance folder."""
    if key := os.environ.get("QK_SECRET_KEY"):
        return key
    path = INSTANCE_PATH / "secret_key"
    if not path.exists():
        INSTANCE_PATH.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Production-ready defaults; every value can be set through the environment."""

    def __init__(self) -> None:
        self.SECRET_KEY = _secret_key()
        self.SQLALCHEMY_DATABASE_URI = os.environ.get(
            "QK_DATABASE_URL", f"sqlite:///{INSTANCE_PATH / 'quali_kompass.sqlite'}"
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.QK_MAX_REQUEST_MB = _int("QK_MAX_REQUEST_MB", 20)
        self.QK_MAX_VIDEO_MB = _int("QK_MAX_VIDEO_MB", 500)
        # Mandatory trainings count as "bald fällig" this many days before they are due.
        self.QK_DUE_SOON_DAYS = _int("QK_DUE_SOON_DAYS", 14)
        # Large enough for a video; every other kind of upload is held to QK_MAX_REQUEST_MB by the file service.
        self.MAX_CONTENT_LENGTH = max(self.QK_MAX_REQUEST_MB, self.QK_MAX_VIDEO_MB) * 1024 * 1024
        self.QK_UPLOAD_DIR = os.environ.get("QK_UPLOAD_DIR", str(INSTANCE_PATH / "uploads"))
        # URL prefix of the reverse proxy's internal location for QK_UPLOAD_DIR (nginx: X-Accel-Redirect), e.g.
        # "/_geschuetzt/"; unset, the app sends files itself.
        self.QK_ACCEL_REDIRECT = os.environ.get("QK_ACCEL_REDIRECT", "")

        self.SESSION_COOKIE_NAME = "qk_session"
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        # Secure is set anyway on requests that arrive over HTTPS; this forces it on every response.
        self.SESSION_COOKIE_SECURE = _bool("QK_SECURE_COOKIES", False)
        self.QK_SESSION_IDLE = timedelta(minutes=_int("QK_SESSION_IDLE_MINUTES", 30))
        self.QK_SESSION_MAX = timedelta(hours=_int("QK_SESSION_MAX_HOURS", 12))
        self.PERMANENT_SESSION_LIFETIME = self.QK_SESSION_MAX

        self.WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session, which has its own limits

        self.RATELIMIT_STORAGE_URI = os.environ.get("QK_REDIS_URL") or "memory://"
        self.RATELIMIT_ENABLED = _bool("QK_RATELIMIT_ENABLED", True)
        self.RATELIMIT_HEADERS_ENABLED = False
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.QK_LOGIN_LIMIT_ACCOUNT = os.environ.get("QK_LOGIN_LIMIT_ACCOUNT", "5 per minute;20 per hour")
        self.QK_LOGIN_LIMIT_CLIENT = os.environ.get("QK_LOGIN_LIMIT_CLIENT", "30 per minute;200 per hour")
        self.QK_TRUSTED_PROXIES = _int("QK_TRUSTED_PROXIES", 0)
        # "json": one JSON object per line on stderr (production); "text": readable lines for local development.
        self.QK_LOG_FORMAT = os.environ.get("QK_LOG_FORMAT", "json").strip().lower()

        self.BABEL_DEFAULT_LOCALE = "de"
        self.BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
        self.QK_LANGUAGES = {"de": "Deutsch", "en": "English"}

        self.QK_BASE_URL = os.environ.get("QK_BASE_URL", "").rstrip("/")
        self.QK_MAIL_SERVER = os.environ.get("QK_MAIL_SERVER", "")
        self.QK_MAIL_PORT = _int("QK_MAIL_PORT", 25)
        self.QK_MAIL_USERNAME = os.environ.get("QK_MAIL_USERNAME", "")
        self.QK_MAIL_PASSWORD = os.environ.get("QK_MAIL_PASSWORD", "")
        self.QK_MAIL_STARTTLS = _bool("QK_MAIL_STARTTLS", False)
        self.QK_MAIL_SENDER = os.environ.get("QK_MAIL_SENDER", "quali-kompass@localhost")
        # Days before the due date on which people are reminded (besides on the day and weekly while overdue).
        self.QK_REMINDER_DAYS = os.environ.get("QK_REMINDER_DAYS", "14,3")
        self.QK_NOTIFICATION_DAYS = _int("QK_NOTIFICATION_DAYS", 365)

        self.QK_DEMO_LOGINS_FILE = str(INSTANCE_PATH / "demo-logins.txt")
        self.QK_PASSWORD_RESET_HOURS = 24
        self.QK_PAGE_SIZE = 50
        # The statistics page's figures are computed at most this often per worker (0: on every view).
        self.QK_STATISTICS_CACHE_SECONDS = _int("QK_STATISTICS_CACHE_SECONDS", 60)
        # People who left are anonymised this many years after their last team membership ended.
        self.QK_RETENTION_YEARS = _int("QK_RETENTION_YEARS", 3)
        # Access-log entries are deleted after this many days.
        self.QK_ACCESS_LOG_DAYS = _int("QK_ACCESS_LOG_DAYS", 365)
