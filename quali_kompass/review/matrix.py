"""The compliance matrix of a team: people by mandatory materials, shaped from ``items_for_people`` (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from quali_kompass.curricula.queries import PersonItem
from quali_kompass.curricula.rendering import COUNT_GROUPS
from quali_kompass.curricula.status import DONE, EXPIRED, FULFILLED, OVERDUE, RENEWAL_DUE, Status

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

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        """Read ``ueberfaellig``, ``material``, ``sortierung`` and ``seite``; unknown values fall back to defaults."""
        material = args.get("material", "")
        sort = args.get("sortierung", "name")
        page = args.get("seite", "1")
        return cls(
            only_overdue=args.get("ueberfaellig", "") == "1",
            material_id=int(material) if material.isdigit() else None,
            sort=sort if sort in SORTS else "name",
            page=max(int(page), 1) if page.isdigit() else 1,
        )

    def url_args(self) -> dict[str, Any]:
        """The filters as URL arguments (without the page), for links that keep them."""
        args: dict[str, Any] = {}
        if self.only_overdue:
            args["ueberfaellig"] = 1
        if self.material_id is not None:
            args["material"] = self.material_id
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
    """A person and their items by material id (missing: does not apply)."""

    person: Any
    items: dict[int, PersonItem]
    open_count: int
    late: bool


@dataclass(frozen=True)
class Page:
    """One page of rows, shaped for the ``pagination`` macro."""

    items: list[Row]
    page: int
    pages: int
    total: int

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


@dataclass(frozen=True)
class Matrix:
    columns: list[Column]  # the shown columns
    materials: list[Any]  # every mandatory material of the team, for the filter
    page: Page
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


def group_of(state: str) -> str:
    """Which count group a state belongs to: done, open or overdue (see ``rendering.COUNT_GROUPS``)."""
    return next(group for group, states in COUNT_GROUPS.items() if state in states)


def build(people: Sequence[Any], items: Mapping[int, list[PersonItem]], filters: Filters) -> Matrix:
    """The matrix of ``people`` (with ``id`` and ``name``) from their items, filtered, sorted and paginated."""
    materials: dict[int, Any] = {}
    for person in people:
        for item in items.get(person.id, []):
            materials.setdefault(item.material.id, item.material)
    all_materials = sorted(materials.values(), key=lambda material: material.title.casefold())
    shown = [m for m in all_materials if filters.material_id in (None, m.id)]
    shown_ids = {material.id for material in shown}

    rows = []
    for person in people:
        by_material = {item.material.id: item for item in items.get(person.id, []) if item.material.id in shown_ids}
        if filters.material_id is not None and not by_material:
            continue
        states = [item.status.state for item in by_material.values()]
        late = any(state in LATE for state in states)
        if filters.only_overdue and not late:
            continue
        open_count = sum(state not in FULFILLED for state in states)
        rows.append(Row(person, by_material, open_count, late))
    rows.sort(key=lambda row: row.person.name.casefold())
    if filters.sort == "offen":
        rows.sort(key=lambda row: -row.open_count)

    columns = []
    for material in shown:
        counts = dict.fromkeys(COUNT_GROUPS, 0)
        for row in rows:
            if material.id in row.items:
                counts[group_of(row.items[material.id].status.state)] += 1
        columns.append(Column(material, counts))

    pages = max((len(rows) + PER_PAGE - 1) // PER_PAGE, 1)
    number = min(filters.page, pages)
    page = Page(rows[(number - 1) * PER_PAGE : number * PER_PAGE], number, pages, len(rows))
    return Matrix(columns, all_materials, page, sum(row.open_count for row in rows), filters)
