"""Helpers shared by the views of all features."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any

from flask import abort, flash
from werkzeug.routing import IntegerConverter

from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db

# The largest id a database integer column holds; a larger number in a URL names nothing (404), rather than
# reaching the database, which refuses it (SQLite: OverflowError, PostgreSQL: out of range).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: non-negative numbers up to MAX_ID."""

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max)


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


@dataclass(frozen=True)
class ListPage:
    """One page of a list computed in Python, shaped like Flask-SQLAlchemy's pagination for the ``pagination``
    macro."""

    items: list
    page: int
    per_page: int
    total: int

    @classmethod
    def of(cls, rows: list, number: int, per_page: int) -> ListPage:
        """Page ``number`` (from 1) of ``rows``."""
        return cls(rows[(number - 1) * per_page : number * per_page], number, per_page, len(rows))

    @classmethod
    def within(cls, rows: list, number: int, per_page: int) -> ListPage:
        """Page ``number`` of ``rows``, moved into the pages there are (a nonsense number gives the first or last)."""
        last = max(1, ceil(len(rows) / per_page))
        return cls.of(rows, min(max(1, number), last), per_page)

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_links(pages: dict[str, ListPage], own: str, anchor: str, **fixed: Any) -> dict[str, Any]:
    """Address arguments for the page links of list ``own`` on a page with several lists: what else the address
    holds, the other lists' pages (leaving out first pages) and the list's heading to jump to."""
    others = {name: page.page for name, page in pages.items() if name != own and page.page > 1}
    return fixed | others | {"_anchor": anchor}
