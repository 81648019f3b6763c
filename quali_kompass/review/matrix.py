"""The compliance matrix of a team or a department: people by mandatory materials, from ``items_for_people`` (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from quali_kompass.curricula.queries import PersonItem
from quali_kompass.curricula.rendering import COUNT_GROUPS
from quali_kompass.curricula.status import DONE, EXPIRED, FULFILLED, OVERDUE, RENEWAL_DUE, Status
from quali_kompass.web import ListPage

PER_PAGE = 50
SORTS = ("name", "offen")
LATE = frozenset({OVERDUE, EXPIRED})


@dataclass(frozen=True)
class Filters:
    """What the lead asked for in the URL."""

    only_overdue: bool = False
    material_id: int | None = None
    sort: str = "name"
    page: int = 1
    team_id: int | None = None  # only on the department overview

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        """Read ``ueberfaellig``, ``material``, ``team``, ``sortierung`` and ``seite``; nonsense gives defaults."""
        material = args.get("material", "")
        team = args.get("team", "")
        sort = args.get("sortierung", "name")
        page = args.get("seite", "1")
        return cls(
            only_overdue=args.get("ueberfaellig", "") == "1",
            material_id=int(material) if material.isdigit() else None,
            sort=sort if sort in SORTS else "name",
            page=max(int(page), 1) if page.isdigit() else 1,
            team_id=int(team) if team.isdigit() else None,
        )

    def url_args(self) -> dict[str, Any]:
        """The filters as URL arguments (without the page), for links that keep them."""
        args: dict[str, Any] = {}
        if self.only_overdue:
            args["ueberfaellig"] = 1
        if self.material_id is not None:
            args["material"] = self.material_id
        if self.team_id is not None:
            args["team"] = self.team_id
        if self.sort != "name":
            args["sortierung"] = self.sort
        return args


@dataclass(frozen=True)
class Column:
    """A mandatory material and how the shown people stand on it (done / open / overdue)."""

    material: Any
    counts: dict[str, int]


@dataclass(frozen=True)
class Row:
    """A person and their items by material id (missing: does not apply), with their team on a department page."""

    person: Any
    items: dict[int, PersonItem]
    open_count: int
    late: bool
    team: Any = None


@dataclass(frozen=True)
class TeamSummary:
    """How a team stands: its active people, their items by count group, and how many have nothing open."""

    team: Any
    people: int
    counts: dict[str, int]
    complete: int  # people with nothing open (nothing overdue either)

    @property
    def complete_share(self) -> float | None:
        """The share of people with nothing open, 0 to 1; None without people."""
        return self.complete / self.people if self.people else None


@dataclass(frozen=True)
class Matrix:
    columns: list[Column]  # the shown columns
    materials: list[Any]  # every mandatory material of the team (or department), for the filter
    page: ListPage
    open_total: int  # open items of all shown people
    filters: Filters = field(default_factory=Filters)

    @staticmethod
    def cell_date(status: Status) -> tuple[str, date | None]:
        return cell_date(status)


def cell_date(status: Status) -> tuple[str, date | None]:
    """The date that explains a status: ("done", day), ("valid_until", day) or ("due", day)."""
    if status.state == DONE:
        if status.valid_until is not None:
            return "valid_until", status.valid_until
        return "done", status.completed_on
    if status.state == RENEWAL_DUE:
        return "valid_until", status.valid_until
    return "due", status.due_on


# Which count group a state belongs to: done, open or overdue (see ``rendering.COUNT_GROUPS``).
GROUP_OF = {state: group for group, states in COUNT_GROUPS.items() for state in states}


def _materials(people: Sequence[Any], items: Mapping[int, list[PersonItem]]) -> list[Any]:
    """Every material that applies to one of ``people``, by title."""
    materials: dict[int, Any] = {}
    for person in people:
        for item in items.get(person.id, []):
            if item.material_id not in materials:
                materials[item.material_id] = item.material
    return sorted(materials.values(), key=lambda material: material.title.casefold())


def build(
    people: Sequence[Any],
    items: Mapping[int, list[PersonItem]],
    filters: Filters,
    teams: Mapping[int, Any] | None = None,
) -> Matrix:
    """The matrix of ``people`` (with ``id`` and ``name``) from their items, filtered, sorted and paginated.

    ``teams`` maps person ids to their team (with ``id`` and ``name``) on a department page: the rows carry it and
    ``filters.team_id`` applies. The material filter offers every material of ``people``; the columns are those of
    the people the team filter leaves.
    """
    all_materials = _materials(people, items)
    if teams is None and filters.team_id is not None:
        filters = replace(filters, team_id=None)  # no teams to filter by: not kept in links either
    if teams is not None and filters.team_id is not None:
        people = [person for person in people if teams[person.id].id == filters.team_id]
        present = {material.id for material in _materials(people, items)}
    else:
        present = {material.id for material in all_materials}
    shown = [m for m in all_materials if m.id in present and filters.material_id in (None, m.id)]
    shown_ids = {material.id for material in shown}

    rows = []
    every_material = shown_ids == {material.id for material in all_materials}
    for person in people:
        person_items = items.get(person.id, [])
        if every_material:
            by_material = {item.material_id: item for item in person_items}
        else:
            by_material = {item.material_id: item for item in person_items if item.material_id in shown_ids}
        if filters.material_id is not None and not by_material:
            continue
        states = [item.status.state for item in by_material.values()]
        late = any(state in LATE for state in states)
        if filters.only_overdue and not late:
            continue
        open_count = sum(state not in FULFILLED for state in states)
        rows.append(Row(person, by_material, open_count, late, teams[person.id] if teams is not None else None))
    rows.sort(key=lambda row: row.person.name.casefold())
    if filters.sort == "offen":
        rows.sort(key=lambda row: -row.open_count)

    counts_by_material = {material.id: dict.fromkeys(COUNT_GROUPS, 0) for material in shown}
    for row in rows:
        for material_id, item in row.items.items():
            counts_by_material[material_id][GROUP_OF[item.status.state]] += 1
    columns = [Column(material, counts_by_material[material.id]) for material in shown]

    page = ListPage.within(rows, filters.page, PER_PAGE)
    return Matrix(columns, all_materials, page, sum(row.open_count for row in rows), filters)


def team_summaries(
    teams: Sequence[Any], people: Sequence[Any], items: Mapping[int, list[PersonItem]], team_of: Mapping[int, Any]
) -> list[TeamSummary]:
    """For each of ``teams`` (also those without people): its people and their items by count group, unfiltered."""
    people_by_team: dict[int, list[Any]] = {team.id: [] for team in teams}
    for person in people:
        people_by_team.setdefault(team_of[person.id].id, []).append(person)
    summaries = []
    for team in teams:
        counts = dict.fromkeys(COUNT_GROUPS, 0)
        complete = 0
        for person in people_by_team[team.id]:
            states = [item.status.state for item in items.get(person.id, [])]
            for state in states:
                counts[GROUP_OF[state]] += 1
            complete += all(state in FULFILLED for state in states)
        summaries.append(TeamSummary(team, len(people_by_team[team.id]), counts, complete))
    return summaries


def summary_total(summaries: Sequence[TeamSummary]) -> TeamSummary:
    """The teams' summaries added up, for the whole department (``team`` is None)."""
    counts = {group: sum(summary.counts[group] for summary in summaries) for group in COUNT_GROUPS}
    return TeamSummary(
        None, sum(summary.people for summary in summaries), counts, sum(summary.complete for summary in summaries)
    )
