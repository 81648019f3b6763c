"""Reads for the editor pages."""

from __future__ import annotations

from sqlalchemy import Select, and_, exists, not_, select
from sqlalchemy.orm import joinedload, selectinload

from quali_kompass.catalogue.models import Material, Tool, Topic, material_departments
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


def topic_choices() -> list[tuple[int, str]]:
    """Topics for a select list: main topics, each followed by its subtopics."""
    topics = db.session.scalars(
        select(Topic).options(selectinload(Topic.children)).where(Topic.parent_id.is_(None)).order_by(Topic.name)
    ).all()
    choices = []
    for topic in topics:
        choices.append((topic.id, topic.name))
        choices.extend((child.id, f"{topic.name} › {child.name}") for child in topic.children)
    return choices


def department_choices(editor: Person) -> list[tuple[int, str]]:
    statement = select(Department).order_by(Department.name)
    if editor.editable_department_ids is not None:
        statement = statement.where(Department.id.in_(editor.editable_department_ids))
    return [(department.id, department.name) for department in db.session.scalars(statement)]


def tool_choices() -> list[tuple[int, str]]:
    return [(tool.id, tool.name) for tool in db.session.scalars(select(Tool).order_by(Tool.name))]
