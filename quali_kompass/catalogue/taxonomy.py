"""Topics (two levels) and tools that editors maintain: reads for the editor pages, and changes.

Each change flushes and writes the audit log; the caller commits.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import selectinload

from quali_kompass.audit.services import record
from quali_kompass.catalogue.models import Material, Tool, Topic, material_tools
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db


# Reads ----------------------------------------------------------------------------------------------
def main_topics() -> Select:
    """Main topics with their subtopics (two statements), in name order."""
    return select(Topic).where(Topic.parent_id.is_(None)).options(selectinload(Topic.children)).order_by(Topic.name)


def material_counts_by_topic() -> dict[int, int]:
    """Number of materials (any status) per topic, in one GROUP BY statement."""
    rows = db.session.execute(select(Material.topic_id, func.count(Material.id)).group_by(Material.topic_id))
    return {topic_id: count for topic_id, count in rows}


def material_counts_by_tool() -> dict[int, int]:
    """Number of materials (any status) per tool, in one GROUP BY statement."""
    statement = select(material_tools.c.tool_id, func.count(material_tools.c.material_id)).group_by(
        material_tools.c.tool_id
    )
    return {tool_id: count for tool_id, count in db.session.execute(statement)}


def topic_material_count(topic: Topic) -> int:
    return db.session.scalar(select(func.count(Material.id)).where(Material.topic_id == topic.id)) or 0


def tool_material_count(tool: Tool) -> int:
    return (
        db.session.scalar(select(func.count(material_tools.c.material_id)).where(material_tools.c.tool_id == tool.id))
        or 0
    )


def all_tools() -> Select:
    return select(Tool).order_by(Tool.name)


# Topics ---------------------------------------------------------------------------------------------
def save_topic(topic: Topic | None, name: str, parent: Topic | None) -> Topic:
    """Create or change a topic; a subtopic's parent must be a main topic (no third level)."""
    name = name.strip()
    if parent is not None:
        if topic is not None and parent.id == topic.id:
            raise ServiceError(_("Ein Thema kann nicht sein eigenes Oberthema sein."), "parent_id")
        if parent.parent_id is not None:
            raise ServiceError(
                _("Themen haben höchstens zwei Ebenen. Bitte wählen Sie ein Hauptthema als Oberthema."), "parent_id"
            )
        if topic is not None and _has_subtopics(topic):
            raise ServiceError(
                _("Das Thema hat Unterthemen und kann deshalb nicht selbst Unterthema werden."), "parent_id"
            )
    _check_unique_topic(topic, name, parent)
    if topic is None:
        topic = Topic(name=name, parent=parent)
        db.session.add(topic)
        db.session.flush()
        record("topic_created", topic, parent=parent.name if parent else None)
        return topic
    changes = {}
    if topic.name != name:
        changes["name"] = (topic.name, name)
    if topic.parent_id != (parent.id if parent else None):
        changes["parent"] = (topic.parent.name if topic.parent else None, parent.name if parent else None)
    if changes:
        topic.name = name
        topic.parent = parent
        db.session.flush()
        record("topic_changed", topic, **changes)
    return topic


def _has_subtopics(topic: Topic) -> bool:
    return bool(db.session.scalar(select(exists().where(Topic.parent_id == topic.id))))


def _check_unique_topic(topic: Topic | None, name: str, parent: Topic | None) -> None:
    """Names are unique among the topics of one parent, ignoring case (also of umlauts, unlike SQLite's lower())."""
    siblings = select(Topic.name).where(
        Topic.parent_id == parent.id if parent is not None else Topic.parent_id.is_(None)
    )
    if topic is not None:
        siblings = siblings.where(Topic.id != topic.id)
    if name.casefold() in {other.casefold() for other in db.session.scalars(siblings)}:
        if parent is None:
            raise ServiceError(_("Ein Hauptthema mit diesem Namen gibt es schon."), "name")
        raise ServiceError(
            _("Unter „%(parent)s“ gibt es schon ein Thema mit diesem Namen.", parent=parent.name), "name"
        )


def delete_topic(topic: Topic) -> None:
    if _has_subtopics(topic):
        raise ServiceError(_("Das Thema hat noch Unterthemen. Bitte verschieben oder löschen Sie diese zuerst."))
    if db.session.scalar(select(exists().where(Material.topic_id == topic.id))):
        raise ServiceError(
            _("Das Thema ist noch Materialien zugeordnet. Bitte ordnen Sie diese zuerst einem anderen Thema zu.")
        )
    record("topic_deleted", topic, parent=topic.parent.name if topic.parent else None)
    db.session.delete(topic)
    db.session.flush()


# Tools ----------------------------------------------------------------------------------------------
def save_tool(tool: Tool | None, name: str, description: str) -> Tool:
    name = name.strip()
    description = (description or "").strip()
    others = select(Tool.name)
    if tool is not None:
        others = others.where(Tool.id != tool.id)
    if name.casefold() in {other.casefold() for other in db.session.scalars(others)}:
        raise ServiceError(_("Ein Werkzeug mit diesem Namen gibt es schon."), "name")
    if tool is None:
        tool = Tool(name=name, description=description)
        db.session.add(tool)
        db.session.flush()
        record("tool_created", tool)
        return tool
    values = {"name": name, "description": description}
    changes = {key: (getattr(tool, key), value) for key, value in values.items() if getattr(tool, key) != value}
    if changes:
        tool.name = name
        tool.description = description
        db.session.flush()
        record("tool_changed", tool, **changes)
    return tool


def delete_tool(tool: Tool) -> None:
    if db.session.scalar(select(exists().where(material_tools.c.tool_id == tool.id))):
        raise ServiceError(_("Das Werkzeug ist noch Materialien zugeordnet. Bitte entfernen Sie es dort zuerst."))
    record("tool_deleted", tool)
    db.session.delete(tool)
    db.session.flush()
