"""Writing audit entries; every feature calls ``record`` inside its own transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import insert

from quali_kompass.audit.models import AuditEvent
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Person

# Who acts when no one is logged in, e.g. "cli" for the command line.
_acting_label: ContextVar[str] = ContextVar("audit_acting_label", default="")


@contextmanager
def acting_as(label: str) -> Iterator[None]:
    """Mark the entries written inside the block, without a logged-in person, with ``label``."""
    token = _acting_label.set(label)
    try:
        yield
    finally:
        _acting_label.reset(token)


def record(
    action: str,
    obj: Any = None,
    *,
    actor: Person | None = None,
    label: str | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit entry to the session (the caller's transaction commits it)."""
    event = AuditEvent(**_entry(action, obj, actor, label, details))
    db.session.add(event)
    return event


def record_many(action: str, entries: Iterable[tuple[Any, dict[str, Any]]]) -> int:
    """``record`` for many objects, written in one INSERT: an organisation import writes thousands of entries, and
    the unit of work would take seconds for them. ``entries`` are (object, details); the number written."""
    actor = _logged_in()
    rows = [_entry(action, obj, actor, None, dict(details)) for obj, details in entries]
    if rows:
        # Through the session's connection (its transaction, after a flush as the session would do): the ORM's bulk
        # insert adds half as much time again.
        db.session.flush()
        db.session.connection().execute(insert(AuditEvent.__table__), rows)
    return len(rows)


def _entry(action: str, obj: Any, actor: Person | None, label: str | None, details: dict[str, Any]) -> dict[str, Any]:
    """The columns of one entry; the actor is the logged-in person unless given."""
    actor = actor or _logged_in()
    return {
        "action": action,
        "actor_id": actor.id if actor else None,
        "actor_label": actor.email if actor else details.pop("actor_label", "") or _acting_label.get(),
        "object_type": type(obj).__tablename__ if obj is not None else None,
        "object_id": getattr(obj, "id", None),
        "object_label": label if label is not None else _label(obj),
        "details": {key: _plain(value) for key, value in details.items()},
        "client_address": request.remote_addr if has_request_context() else None,
    }


def _logged_in() -> Person | None:
    return current_user if has_request_context() and current_user.is_authenticated else None


def _label(obj: Any) -> str:
    if obj is None:
        return ""
    for attribute in ("email", "name"):
        if value := getattr(obj, attribute, None):
            return str(value)[:254]
    return ""


def _plain(value: Any) -> Any:
    """Make a value storable as JSON."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)
