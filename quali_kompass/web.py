"""Helpers shared by the views of all features."""

from __future__ import annotations

from typing import Any

from flask import abort, flash

from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db


def get_or_404(model: type, object_id: int) -> Any:
    """The object with this id, or a 404 page."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def show_refusal(form, error: ServiceError) -> None:
    """Show a refused change at its field, or as a message if it belongs to no field."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field and form is not None else None
    if field is not None:
        field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]
    else:
        flash(error.message, "error")
