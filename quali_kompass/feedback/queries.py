"""Reads of feedback: the viewer's own and the answered comments, and the editors' aggregates (never names)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import joinedload

from quali_kompass.catalogue import editor_queries
from quali_kompass.catalogue.models import Material
from quali_kompass.extensions import db
from quali_kompass.feedback.models import MaterialFeedback
from quali_kompass.organisation.models import Person

LOW_AVERAGE = 3  # below this average …
LOW_MIN_RATINGS = 3  # … with at least this many ratings, a material is "niedrig bewertet"
REVIEW_MONTHS = 12  # published material not reviewed for this long is "lange nicht überprüft"


def own_and_answered(material_id: int, person_id: int) -> Select:
    """The person's ratings of this material and every answered comment on it, answers newest first."""
    return (
        select(MaterialFeedback)
        .where(
            MaterialFeedback.material_id == material_id,
            or_(MaterialFeedback.person_id == person_id, MaterialFeedback.reply != ""),
        )
        .options(joinedload(MaterialFeedback.material_version))
        .order_by(MaterialFeedback.replied_at.desc(), MaterialFeedback.id.desc())
    )


@dataclass(frozen=True)
class MaterialRatings:
    """One material's feedback in figures, for the editors' overview."""

    id: int
    title: str
    status: str
    last_reviewed: date | None
    average: float | None
    ratings: int
    comments: int

    @property
    def low(self) -> bool:
        return self.ratings >= LOW_MIN_RATINGS and self.average is not None and self.average < LOW_AVERAGE

    def review_overdue(self, cutoff: date) -> bool:
        return self.status == "published" and (self.last_reviewed is None or self.last_reviewed < cutoff)


def material_ratings(editor: Person) -> list[MaterialRatings]:
    """Every material (but drafts) the editor may edit, with its average, ratings and comments; one statement."""
    editable = editor_queries.editable_materials(editor).whereclause
    statement = (
        select(
            Material.id,
            Material.title,
            Material.status,
            Material.last_reviewed,
            func.avg(MaterialFeedback.rating).label("average"),
            func.count(MaterialFeedback.id).label("ratings"),
            func.count(case((MaterialFeedback.comment != "", MaterialFeedback.id))).label("comments"),
        )
        .outerjoin(MaterialFeedback, MaterialFeedback.material_id == Material.id)
        .where(Material.status != "draft")
        .group_by(Material.id, Material.title, Material.status, Material.last_reviewed)
        .order_by(Material.title, Material.id)
    )
    if editable is not None:
        statement = statement.where(editable)
    return [
        MaterialRatings(
            id=row.id,
            title=row.title,
            status=row.status,
            last_reviewed=row.last_reviewed,
            average=float(row.average) if row.average is not None else None,
            ratings=row.ratings,
            comments=row.comments,
        )
        for row in db.session.execute(statement)
    ]


def distribution(material_id: int) -> dict[int, int]:
    """How many people gave each rating (1–5) to the material, over all its versions."""
    counts = dict.fromkeys(range(1, 6), 0)
    rows = db.session.execute(
        select(MaterialFeedback.rating, func.count())
        .where(MaterialFeedback.material_id == material_id)
        .group_by(MaterialFeedback.rating)
    )
    counts.update({rating: count for rating, count in rows})
    return counts


def comments(material_id: int) -> Select:
    """The comments on a material, newest first, with the version they refer to."""
    return (
        select(MaterialFeedback)
        .where(MaterialFeedback.material_id == material_id, MaterialFeedback.comment != "")
        .options(joinedload(MaterialFeedback.material_version))
        .order_by(MaterialFeedback.updated_at.desc(), MaterialFeedback.id.desc())
    )
