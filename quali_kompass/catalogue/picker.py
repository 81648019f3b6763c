"""Choosing material out of thousands in a form: a search narrows the options, a choice made survives it.

A form that links material (a completion record, a mandatory training, a plan proposal, a news item) offers at most
``PICKER_LIMIT`` options: all published material by title while there is no more, else the first ones by title or,
after a search with the catalogue's full-text search, the best matches. What the form already holds stays an option,
so a choice survives a new search and the posted value is still a valid choice. The search is a button of the form
itself: pressing it shows the form again with everything typed so far and nothing saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import request
from flask_babel import gettext, ngettext
from sqlalchemy import func, select
from wtforms import Field

from quali_kompass.catalogue import search
from quali_kompass.catalogue.models import Material
from quali_kompass.extensions import db
from quali_kompass.i18n import format_count
from quali_kompass.web import MAX_ID

PICKER_LIMIT = 50
QUERY_FIELD = "material_search"
SEARCH_BUTTON = "material_picker"
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class MaterialPicker:
    """The options one form offers, and what the person searched for."""

    options: list[tuple[int, str]]
    shown: int  # options from the search or the list by title (without the kept choices)
    total: int  # how many match the search; without one, how many are available
    query: str
    available: int  # how much published material there is
    searched: bool = False  # this page answers the search button: the search field gets the focus

    @property
    def summary(self) -> str | None:
        """What the list holds, for the hint under the field; nothing while it holds everything."""
        if self.query:
            if not self.total:
                return gettext("Keine Treffer für „%(query)s“. Versuchen Sie ein anderes Stichwort.", query=self.query)
            if self.total > self.shown:
                return gettext(
                    "Die %(shown)s besten von %(total)s Treffern für „%(query)s“. Ein genaueres Stichwort grenzt "
                    "die Auswahl weiter ein.",
                    shown=format_count(self.shown),
                    total=format_count(self.total),
                    query=self.query,
                )
            return ngettext(
                "%(count)s Treffer für „%(query)s“.",
                "%(count)s Treffer für „%(query)s“.",
                self.total,
                count=format_count(self.total),
                query=self.query,
            )
        if self.searchable:
            return gettext(
                "Die ersten %(shown)s von %(total)s Materialien nach Titel. Suchen Sie nach einem Stichwort, um die "
                "Auswahl einzugrenzen.",
                shown=format_count(self.shown),
                total=format_count(self.total),
            )
        return None

    @property
    def searchable(self) -> bool:
        """More material is available than one list shows."""
        return self.available > PICKER_LIMIT


def material_picker(query: str, chosen: Iterable[int | None] = (), searched: bool = False) -> MaterialPicker:
    """The options for a form out of the published material."""
    listed = select(Material.id, Material.title).where(Material.status == "published")
    available_count = select(func.count()).select_from(listed.subquery()).scalar_subquery()
    query = query.strip()[:MAX_QUERY_LENGTH]
    # One statement lists the page and counts what it was cut from (and all that is available).
    if query:
        ranks = search.ranking(search.find(db.session, query))
        statement = (
            listed.add_columns(func.count().over().label("total"), available_count.label("available"))
            .join(ranks, ranks.c.material_id == Material.id)
            .order_by(ranks.c.rank.desc())
        )
    else:  # what it was cut from is all that is available
        statement = listed.add_columns(available_count.label("total"), available_count.label("available"))
    rows = db.session.execute(statement.order_by(Material.title, Material.id).limit(PICKER_LIMIT)).all()
    if rows:
        total, count = rows[0].total, rows[0].available
    else:  # nothing matched: the count of what is available needs a statement of its own
        total, count = 0, db.session.scalar(select(available_count)) or 0
    shown_ids = {row.id for row in rows}
    kept_ids = {material_id for material_id in chosen if material_id and material_id not in shown_ids}
    kept = (
        db.session.execute(listed.where(Material.id.in_(kept_ids)).order_by(Material.title, Material.id)).all()
        if kept_ids
        else []
    )
    return MaterialPicker(
        options=[(row.id, row.title) for row in [*kept, *rows]],
        shown=len(rows),
        total=total,
        query=query,
        available=count,
        searched=searched,
    )


def searching() -> bool:
    """Whether the form was sent with its material search button rather than to be saved."""
    return request.method == "POST" and SEARCH_BUTTON in request.form


def offer(field: Field, placeholder: tuple[int | str, str] | None = None) -> MaterialPicker:
    """Fill a select or checkbox field with the options for this request; returns the picker for the template."""
    held = field.data if isinstance(field.data, list) else [field.data]
    chosen = [value for value in held if isinstance(value, int) and 0 < value <= MAX_ID]  # else no material's id
    picker = material_picker(request.values.get(QUERY_FIELD, ""), chosen, searching())
    field.choices = ([placeholder] if placeholder else []) + picker.options
    return picker
