"""Reads for the editor pages."""

from __future__ import annotations

from sqlalchemy import Select, and_, exists, not_, select
from sqlalchemy.orm import joinedload, selectinload

from quali_kompass.catalogue import queries
from quali_kompass.catalogue.models import Material, Topic, material_departments
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Department, Person


def editable_materials(editor: Person, status: str = "") -> Select:
    """The materials this editor may edit, newest change first."""
    statement = (
        select(Material)
        .options(joinedload(Material.topic).joinedload(Topic.parent), selectinload(Material.departments))
        .order_by(Material.updated_at.desc(), Material.id.desc())
    )
    if status:
        statement = statement.where(Material.status == status)
    allowed = editor.editable_department_ids
    if allowed is not None:
        own = material_departments.c.material_id == Material.id
        statement = statement.where(
            Material.all_departments.is_(False),
            exists().where(own),
            not_(exists().where(and_(own, material_departments.c.department_id.not_in(allowed)))),
        )
    return statement


def department_choices(editor: Person) -> list[tuple[int, str]]:
    """The departments this editor may give material to."""
    statement = queries.department_choices()
    if editor.editable_department_ids is not None:
        statement = statement.where(Department.id.in_(editor.editable_department_ids))
    return [(row.id, row.name) for row in db.session.execute(statement)]
