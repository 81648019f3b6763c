"""Reads for the needs pages: a person's needs, the editors' list and counts, the unmet needs, matching material."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select, union_all
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from quali_kompass.catalogue import search
from quali_kompass.catalogue.models import Material, Tool, Topic, material_departments
from quali_kompass.needs.models import STATES, UNMET_STATES, URGENCIES, Need
from quali_kompass.organisation.models import Department, Membership, Person, Team

MATCH_LIMIT = 5  # materials shown while a person types a need
CANDIDATE_LIMIT = 10  # materials offered to an editor per search


def _with_details(statement: Select) -> Select:
    return statement.options(
        joinedload(Need.tool),
        joinedload(Need.topic).joinedload(Topic.parent),
        joinedload(Need.team),
        joinedload(Need.department),
    )


def person_needs(person_id: int) -> Select:
    """A person's needs, newest first, with everything the page shows."""
    statement = select(Need).where(Need.person_id == person_id).order_by(Need.created_at.desc(), Need.id.desc())
    return _with_details(statement).options(selectinload(Need.materials))


def visible_to_editor(statement: Select, editor: Person) -> Select:
    """Limit a statement over needs to the departments the editor edits."""
    allowed = editor.editable_department_ids
    return statement if allowed is None else statement.where(Need.department_id.in_(allowed))


@dataclass(frozen=True)
class NeedFilters:
    """The filters of the editors' list, by their names in the URL; unknown values count as not set."""

    status: str = ""
    fachbereich: int | None = None
    thema: int | None = None
    werkzeug: int | None = None

    @classmethod
    def from_args(cls, args: Any) -> NeedFilters:
        def number(name: str) -> int | None:
            value = args.get(name, type=int)
            return value if value and value > 0 else None

        status = args.get("status", "")
        return cls(
            status=status if status in (*STATES, "unerfuellt") else "",
            fachbereich=number("fachbereich"),
            thema=number("thema"),
            werkzeug=number("werkzeug"),
        )

    def url_args(self) -> dict[str, Any]:
        values = {"status": self.status, "fachbereich": self.fachbereich, "thema": self.thema}
        values["werkzeug"] = self.werkzeug
        return {name: value for name, value in values.items() if value}


def editor_needs(editor: Person, filters: NeedFilters) -> Select:
    """The needs an editor answers, filtered, unmet and urgent first, then newest."""
    statement = visible_to_editor(select(Need), editor)
    if filters.status == "unerfuellt":
        statement = statement.where(Need.state.in_(UNMET_STATES))
    elif filters.status:
        statement = statement.where(Need.state == filters.status)
    if filters.fachbereich:
        statement = statement.where(Need.department_id == filters.fachbereich)
    if filters.thema:
        subtopics = select(Topic.id).where(Topic.parent_id == filters.thema)
        statement = statement.where(or_(Need.topic_id == filters.thema, Need.topic_id.in_(subtopics)))
    if filters.werkzeug:
        statement = statement.where(Need.tool_id == filters.werkzeug)
    unmet_first = case((Need.state.in_(UNMET_STATES), 0), else_=1)
    urgent_first = case({"high": 0, "medium": 1}, value=Need.urgency, else_=2)
    return _with_details(statement).order_by(unmet_first, urgent_first, Need.created_at.desc(), Need.id.desc())


def _state_counts() -> list:
    return [func.sum(case((Need.state == state, 1), else_=0)).label(state) for state in STATES]


def counts_by(editor: Person, dimension: str) -> Select:
    """Needs per department, topic or tool (name, total, one column per state), the most first."""
    if dimension == "department":
        name, join = Department.name, (Department, Department.id == Need.department_id)
    elif dimension == "topic":
        parent = aliased(Topic)
        name = case((parent.id.is_(None), Topic.name), else_=parent.name + " › " + Topic.name)
        statement = (
            select(name.label("name"), func.count(Need.id).label("total"), *_state_counts())
            .select_from(Need)
            .outerjoin(Topic, Topic.id == Need.topic_id)
            .outerjoin(parent, parent.id == Topic.parent_id)
            .group_by(Need.topic_id, Topic.name, parent.id, parent.name)
        )
        return visible_to_editor(statement, editor).order_by(func.count(Need.id).desc(), name)
    else:
        name, join = Tool.name, (Tool, Tool.id == Need.tool_id)
    statement = (
        select(name.label("name"), func.count(Need.id).label("total"), *_state_counts())
        .select_from(Need)
        .outerjoin(*join)
        .group_by(join[0].id, name)
    )
    return visible_to_editor(statement, editor).order_by(func.count(Need.id).desc(), name)


@dataclass
class UnmetGroup:
    """Unmet needs of one tool and topic: how many people share them, and how urgent they are."""

    tool_id: int | None
    topic_id: int | None
    tool: str | None
    topic: str | None
    needs: int = 0
    people: int = 0
    urgency: dict[str, int] = field(default_factory=dict)


def unmet_groups(session: Session, editor: Person) -> list[UnmetGroup]:
    """The unmet needs by (tool, topic), sorted by the number of distinct people sharing them (two statements).

    A personal need counts its person; a team need counts the team's current members (its lead too, who
    stated it, if they are a member).
    """
    unmet = Need.state.in_(UNMET_STATES)
    parent = aliased(Topic)
    topic_name = case((parent.id.is_(None), Topic.name), else_=parent.name + " › " + Topic.name)
    per_group = visible_to_editor(
        select(
            Need.tool_id,
            Need.topic_id,
            Tool.name.label("tool"),
            topic_name.label("topic"),
            func.count(Need.id).label("needs"),
            *[func.sum(case((Need.urgency == urgency, 1), else_=0)).label(urgency) for urgency in URGENCIES],
        )
        .select_from(Need)
        .outerjoin(Tool, Tool.id == Need.tool_id)
        .outerjoin(Topic, Topic.id == Need.topic_id)
        .outerjoin(parent, parent.id == Topic.parent_id)
        .where(unmet)
        .group_by(Need.tool_id, Need.topic_id, Tool.name, Topic.name, parent.id, parent.name),
        editor,
    )
    groups = {
        (row.tool_id, row.topic_id): UnmetGroup(
            row.tool_id, row.topic_id, row.tool, row.topic, row.needs, 0, {u: getattr(row, u) or 0 for u in URGENCIES}
        )
        for row in session.execute(per_group)
    }
    personal = visible_to_editor(
        select(Need.tool_id, Need.topic_id, Need.person_id.label("person_id")).where(unmet, Need.team_id.is_(None)),
        editor,
    )
    members = visible_to_editor(
        select(Need.tool_id, Need.topic_id, Membership.person_id.label("person_id"))
        .join(Membership, and_(Membership.team_id == Need.team_id, Membership.end_date.is_(None)))
        .where(unmet, Need.team_id.is_not(None)),
        editor,
    )
    people = union_all(personal, members).subquery("need_people")
    counts = select(people.c.tool_id, people.c.topic_id, func.count(people.c.person_id.distinct())).group_by(
        people.c.tool_id, people.c.topic_id
    )
    for tool_id, topic_id, count in session.execute(counts):
        if (tool_id, topic_id) in groups:
            groups[(tool_id, topic_id)].people = count
    return sorted(
        groups.values(),
        key=lambda g: (-g.people, -g.needs, -g.urgency["high"], g.tool or "\uffff", g.topic or "\uffff"),
    )


def _for_department(department_id: int | None) -> Any:
    """Published material for everyone, or for this department."""
    for_all = Material.all_departments.is_(True)
    if department_id is None:
        return for_all
    own = select(material_departments.c.material_id).where(material_departments.c.department_id == department_id)
    return or_(for_all, Material.id.in_(own))


def matching_materials(session: Session, text: str, department_id: int | None, limit: int = MATCH_LIMIT) -> list:
    """The best published matches of the catalogue search for a department (two statements, none if no words)."""
    match = search.find(session, text) if text.strip() else None
    if match is None or not match.can_match:
        return []
    ranks = search.ranking(match)
    statement = (
        select(Material)
        .join(ranks, ranks.c.material_id == Material.id)
        .where(Material.status == "published", _for_department(department_id))
        .order_by(ranks.c.rank.desc(), Material.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def linkable_materials(ids: list[int]) -> Select:
    """Published materials by id, for an editor's answer."""
    return select(Material).where(Material.id.in_(ids), Material.status == "published")


def need_detail(need_id: int) -> Select:
    return _with_details(select(Need).where(Need.id == need_id)).options(selectinload(Need.materials))


def current_department_id(person_id: int) -> Select:
    """The department of a person's current team (one statement; none without a team)."""
    return (
        select(Team.department_id)
        .join(Membership, Membership.team_id == Team.id)
        .where(Membership.person_id == person_id, Membership.end_date.is_(None))
    )


def team_choices(team_ids: frozenset[int]) -> Select:
    return select(Team).where(Team.id.in_(team_ids)).options(joinedload(Team.department)).order_by(Team.name)
