"""Structured logs: one JSON object per line, a request id per request, no secrets, no forged lines.

Every record carries the request id (also sent back as ``X-Request-ID``), the method and the path without its
query string; tokens in paths are masked, values of secret-looking keys are replaced, and user-supplied
newlines and control characters are escaped, so one log line is always one record (OWASP ASVS 4.0.3 V7).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler
from werkzeug.wrappers import Response

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9-]{8,64}")
MASK = "…"
REDACTED = "[entfernt]"
# Keys whose values never reach a log: form fields, headers, extras, view arguments.
SENSITIVE_KEY = re.compile(r"passw|token|secret|cookie|authori[sz]ation|session|csrf|api[_-]?key", re.IGNORECASE)
# "password=..." or "token: ..." inside a message.
_SENSITIVE_PAIR = re.compile(
    r"""(?P<key>[\w-]*(?:passw|token|secret|cookie|authori[sz]ation|session|csrf)[\w-]*)"""
    r"""(?P<sep>['"]?\s*(?:=(?!=)|:)\s*['"]?)(?P<value>[^\s&,;'"}=]+)""",
    re.IGNORECASE,
)
# A path with a query string inside a message (e.g. the development server's access line).
_PATH_QUERY = re.compile(r"(?P<path>(?:^|(?<=[\s\"']))/[^\s?\"']*)\?[^\s\"']*")
# Control characters json.dumps leaves alone with ensure_ascii=False, and Unicode line separators.
_UNESCAPED_BREAKS = re.compile("[\x7f-\x9f\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Attributes every LogRecord has; anything else on a record came in through ``extra``.
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_CONTEXT_FIELDS = ("request_id", "method", "path", "remote_addr", "person_id")
# Paths of routes with a secret in them (reset links), built from the URL rules by ``install``.
_secret_paths: dict[str, re.Pattern[str]] = {}


# Request id -------------------------------------------------------------------------------------------------
def request_id() -> str | None:
    """The id of the current request: a well-formed incoming ``X-Request-ID``, else a new one; None outside."""
    if not has_request_context():
        return None
    if "qk_request_id" not in g:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.qk_request_id = incoming if REQUEST_ID_PATTERN.fullmatch(incoming) else uuid.uuid4().hex
    return g.qk_request_id


# Cleaning values ----------------------------------------------------------------------------------------------
def mask_path(path: str) -> str:
    """Drop the query string and replace secret path segments (reset tokens) with an ellipsis."""
    path = path.split("?", 1)[0]
    for pattern in _secret_paths.values():
        path = pattern.sub(lambda match: match.group("prefix") + MASK, path)
    return path


def redact_text(text: str) -> str:
    """Hide ``key=value`` secrets, query strings and secret path segments inside free text."""
    text = _SENSITIVE_PAIR.sub(lambda m: m.group("key") + m.group("sep") + REDACTED, text)
    text = _PATH_QUERY.sub(lambda m: m.group("path"), text)
    for pattern in _secret_paths.values():
        text = pattern.sub(lambda match: match.group("prefix") + MASK, text)
    return text


def redact(value: Any) -> Any:
    """Replace the values of secret-looking keys in mappings (nested), keep everything else."""
    if isinstance(value, dict):
        return {key: REDACTED if SENSITIVE_KEY.search(str(key)) else redact(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact(item) for item in value)
    return value


def escape_controls(text: str) -> str:
    r"""Write newlines and other control characters as ``\n``, ``\r``, ``\x1b``, so they cannot start a line."""
    table = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return _CONTROL.sub(lambda m: table.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


def _secret_path_pattern(rule: str) -> re.Pattern[str] | None:
    """``/passwort-zuruecksetzen/<token>`` -> a pattern whose group ``prefix`` ends before the token."""
    parts = re.split(r"(<[^>]+>)", rule)
    names = [part.strip("<>").split(":")[-1] for part in parts[1::2]]
    if not any(SENSITIVE_KEY.search(name) for name in names):
        return None
    pattern, secret_seen = "", False
    for index, part in enumerate(parts):
        if index % 2 == 0:
            pattern += re.escape(part)
        elif SENSITIVE_KEY.search(names[index // 2]) and not secret_seen:
            pattern = f"(?P<prefix>{pattern})[^/?#\\s\"']+"
            secret_seen = True
        else:
            pattern += "[^/?#\\s\"']+"
    return re.compile(pattern)


# Filter and formatters ----------------------------------------------------------------------------------------
class RequestContextFilter(logging.Filter):
    """Add the request's id, method, path, client address and person id; redact secrets in the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name in _CONTEXT_FIELDS:
            if not hasattr(record, name):
                setattr(record, name, None)
        if has_request_context():
            record.request_id = request_id()
            record.method = request.method
            record.path = mask_path(request.path)
            record.remote_addr = request.remote_addr
            record.person_id = _person_id()
        # Render the message once with its arguments redacted, so secrets passed as arguments never show.
        if record.args:
            args = record.args
            record.args = redact(args) if isinstance(args, dict) else tuple(redact(arg) for arg in args)
        record.msg = redact_text(record.getMessage())
        record.args = None
        for name, value in list(vars(record).items()):
            if name in _RECORD_ATTRIBUTES:
                continue
            if SENSITIVE_KEY.search(name):
                setattr(record, name, REDACTED)
            elif name == "path" and isinstance(value, str):
                record.path = mask_path(value)
            else:
                setattr(record, name, redact(value))
        return True


def _person_id() -> int | None:
    """The logged-in person's id, if Flask-Login loaded them already; never a query, never the e-mail address."""
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        from sqlalchemy import inspect

        identity = inspect(user).identity  # read from the identity map: no SQL, even after a rollback
        return identity[0] if identity else None
    except Exception:  # a log line must never fail because of the person
        return None


def load_person() -> None:
    """Load the logged-in person now (at most one query), so the following log lines name them."""
    try:
        from flask_login import current_user

        current_user._get_current_object()
    except Exception:  # nosec B110  # e.g. the database is gone; the log line goes out without the person
        pass


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {
        name: value
        for name, value in vars(record).items()
        if name not in _RECORD_ATTRIBUTES and name not in _CONTEXT_FIELDS and not name.startswith("_")
    }


def _traceback(record: logging.LogRecord) -> str | None:
    if record.exc_info and record.exc_info[0] is not None:
        return redact_text("".join(traceback.format_exception(*record.exc_info)).rstrip())
    if record.exc_text:
        return redact_text(record.exc_text)
    return None


class JsonFormatter(logging.Formatter):
    """One JSON object per line; json.dumps escapes newlines, the rest of the breaks are escaped here."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in _CONTEXT_FIELDS:
            if getattr(record, name, None) is not None:
                entry[name] = getattr(record, name)
        entry.update(_extras(record))
        if exc := _traceback(record):
            entry["exc_info"] = exc
        text = json.dumps(entry, ensure_ascii=False, default=str)
        return _UNESCAPED_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class TextFormatter(logging.Formatter):
    """Readable lines for local development; newlines in values are escaped, a traceback is indented."""

    def format(self, record: logging.LogRecord) -> str:
        time_text = datetime.fromtimestamp(record.created, UTC).strftime("%H:%M:%S")
        fields = {name: getattr(record, name, None) for name in _CONTEXT_FIELDS} | _extras(record)
        details = " ".join(f"{name}={value}" for name, value in fields.items() if value is not None)
        line = f"{time_text} {record.levelname:<7} {record.name}: {record.getMessage()}"
        line = escape_controls(f"{line}  [{details}]" if details else line)
        if exc := _traceback(record):
            line += "".join(f"\n    | {escape_controls(part)}" for part in exc.split("\n"))
        return line


class _StderrHandler(logging.StreamHandler):
    """Write to whatever ``sys.stderr`` is at the time (test runners swap it)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def make_handler(stream: Any = None, log_format: str = "json") -> logging.Handler:
    """A handler with the request filter and the formatter; ``stream`` None writes to the current stderr."""
    handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(TextFormatter() if log_format == "text" else JsonFormatter())
    return handler


# Wiring -------------------------------------------------------------------------------------------------------
def configure(log_format: str = "json") -> None:
    """Send every log record of the process through one handler on the root logger (replacing ours, if any)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "qk_handler", False):
            root.removeHandler(handler)
    handler = make_handler(log_format=log_format)
    handler.qk_handler = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    package = logging.getLogger("quali_kompass")
    if package.level == logging.NOTSET:
        package.setLevel(logging.INFO)
    package.removeHandler(default_handler)


def _start_request() -> None:
    g.qk_request_started = time.perf_counter()
    request_id()


def _finish_request(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = request_id() or ""
    started = g.get("qk_request_started")
    duration = round((time.perf_counter() - started) * 1000, 1) if started is not None else None
    logging.getLogger("quali_kompass.access").info(
        "%s %s %s", request.method, mask_path(request.path), response.status_code,
        extra={"status": response.status_code, "duration_ms": duration},
    )  # fmt: skip
    return response


def install(app: Flask) -> None:
    """Configure logging (``QK_LOG_FORMAT``), give every request an id and write one access line per request.

    Call it once the blueprints are registered, so the URL rules with tokens in them are known.
    """
    configure(app.config.get("QK_LOG_FORMAT", "json"))
    app.logger.removeHandler(default_handler)
    learn_secret_paths(app)
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)
    # Registered first, so it runs last of the after-request functions and logs the final status.
    app.after_request_funcs.setdefault(None, []).insert(0, _finish_request)


def learn_secret_paths(app: Flask) -> None:
    """Remember the URL rules with a secret argument (``<token>``), so their paths are masked in every log."""
    for rule in app.url_map.iter_rules():
        if pattern := _secret_path_pattern(rule.rule):
            _secret_paths[rule.rule] = pattern
