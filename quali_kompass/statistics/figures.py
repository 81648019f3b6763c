"""The statistics as shown and exported: suppression of small groups, the trend, the CSV. Pure shaping.

Any figure about fewer than ``MINIMUM_PEOPLE`` people is replaced by "zu wenige Personen". Where a total is shown
beside its parts (the organisation beside its departments, a department beside its teams), hiding one small part
is not enough: the total minus the others would give it away. So the parts hidden in one total are at least two
and have at least ``MINIMUM_PEOPLE`` people together; if not, the smallest shown parts are hidden as well
(secondary suppression, as official statistics do it).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from quali_kompass.catalogue.models import KINDS
from quali_kompass.catalogue.rendering import KIND_LABELS
from quali_kompass.curricula.queries import Fulfilment
from quali_kompass.i18n import format_share
from quali_kompass.review import charts
from quali_kompass.review.exports import neutralised
from quali_kompass.statistics.models import MINIMUM_PEOPLE
from quali_kompass.statistics.queries import Count, Tally, Usage

TOO_FEW = _l("zu wenige Personen")


@dataclass(frozen=True)
class Figure:
    """A group's fulfilment of mandatory items, or only its label when suppressed."""

    label: str
    people: int
    applicable: int
    fulfilled: int
    suppressed: bool
    group: str = ""  # the department of a team
    id: int = 0
    day: date | None = None

    @property
    def share(self) -> float | None:
        return None if self.suppressed or not self.applicable else self.fulfilled / self.applicable

    @property
    def percent(self) -> str:
        return format_share(self.share)


def _figure(tally: Tally, suppressed: bool) -> Figure:
    return Figure(
        tally.label, tally.people, tally.applicable, tally.fulfilled, suppressed, tally.group, tally.id, tally.day
    )


def hidden_parts(people: Sequence[int], minimum: int = MINIMUM_PEOPLE) -> set[int]:
    """Which of the parts of a shown total to hide (their indexes): those under ``minimum`` people, then the
    smallest others until the hidden parts are none, or at least two with ``minimum`` people together."""
    hidden = {index for index, count in enumerate(people) if count < minimum}
    shown = sorted((count, index) for index, count in enumerate(people) if index not in hidden)
    while hidden and (len(hidden) < 2 or sum(people[index] for index in hidden) < minimum) and shown:
        hidden.add(shown.pop(0)[1])
    return hidden


def suppress(tallies: Sequence[Tally]) -> list[Figure]:
    """The parts of one shown total, small ones hidden (see ``hidden_parts``)."""
    hidden = hidden_parts([tally.people for tally in tallies])
    return [_figure(tally, index in hidden) for index, tally in enumerate(tallies)]


def suppress_teams(teams: Sequence[Tally]) -> list[Figure]:
    """Teams, hidden per department (whose total the department table shows), in the given order."""
    by_department: dict[str, list[int]] = defaultdict(list)
    for index, team in enumerate(teams):
        by_department[team.group].append(index)
    hidden: set[int] = set()
    for indexes in by_department.values():
        hidden |= {indexes[i] for i in hidden_parts([teams[index].people for index in indexes])}
    return [_figure(team, index in hidden) for index, team in enumerate(teams)]


def total(label: str, tallies: Sequence[Tally]) -> Figure:
    people = sum(tally.people for tally in tallies)
    days = [tally.day for tally in tallies if tally.day]
    return Figure(
        label,
        people,
        sum(tally.applicable for tally in tallies),
        sum(tally.fulfilled for tally in tallies),
        people < MINIMUM_PEOPLE,
        day=max(days) if days else None,
    )


# Catalogue and usage -----------------------------------------------------------------------------------------------
def kind_counts(counts: dict[str, int]) -> list[Count]:
    """Every kind in the catalogue's order, with its German label, also those without material."""
    return [Count(str(KIND_LABELS.get(kind, kind)), counts.get(kind, 0)) for kind in KINDS]


@dataclass(frozen=True)
class UsageFigure:
    usage: Usage
    kind_label: str
    suppressed: bool


def usage_figures(rows: Sequence[Usage]) -> list[UsageFigure]:
    return [UsageFigure(row, str(KIND_LABELS.get(row.kind, row.kind)), row.people < MINIMUM_PEOPLE) for row in rows]


# Trend -------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrendPoint:
    row: charts.Row  # as the team page's chart has it; no share when suppressed or without data
    people: int
    suppressed: bool
    known: bool  # whether there is a snapshot for the month


@dataclass(frozen=True)
class Trend:
    points: list[TrendPoint]
    svg: Markup | None


def trend(today: date, past: Sequence[Tally], current: Figure) -> Trend:
    """Twelve months, oldest first: the sums at past month-ends, and the current snapshot for this month."""
    by_month = {tally.day.replace(day=1): tally for tally in past if tally.day}
    points = []
    for day in charts.trend_days(today):
        if day == today:
            people, applicable, fulfilled = current.people, current.applicable, current.fulfilled
            known = current.day is not None
        elif (tally := by_month.get(day.replace(day=1))) is not None:
            people, applicable, fulfilled, known = tally.people, tally.applicable, tally.fulfilled, True
        else:
            people, applicable, fulfilled, known = 0, 0, 0, False
        suppressed = known and people < MINIMUM_PEOPLE
        shown = (0, 0) if suppressed or not known else (fulfilled, applicable)
        (row,) = charts.trend_rows([Fulfilment(day, shown[1], shown[0])])
        points.append(TrendPoint(row, people, suppressed, known))
    rows = [point.row for point in points]
    svg = None
    if any(row.share is not None for row in rows):
        svg = charts.trend_svg(
            rows,
            prefix="statistics-trend",
            description=_(
                "Säulendiagramm: je Monat der Anteil der erfüllten Pflichtschulungen aller Beschäftigten am "
                "Monatsende, für den laufenden Monat der neueste Stand. Die Zahlen stehen auch in der Tabelle unter "
                "dem Diagramm."
            ),
        )
    return Trend(points, svg)


# CSV ---------------------------------------------------------------------------------------------------------------
def _fulfilment_cells(figure: Figure) -> list[str]:
    if figure.suppressed:
        return [str(TOO_FEW), "", "", ""]
    return [str(figure.people), str(figure.fulfilled), str(figure.applicable), figure.percent]


def to_csv(
    kinds: Sequence[Count],
    topics: Sequence[Count],
    tools: Sequence[Count],
    usage: Sequence[UsageFigure],
    departments: Sequence[Figure],
    overall: Figure,
    teams: Sequence[Figure],
    trend_points: Sequence[TrendPoint],
) -> bytes:
    """All figures of the page in one table: UTF-8 with BOM, semicolons, CRLF (as the team export); every text
    cell that a spreadsheet would read as a formula is neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)

    def write(cells: Sequence[str]) -> None:
        writer.writerow([neutralised(cell) for cell in cells])

    write(
        [
            _("Auswertung"),
            _("Bezeichnung"),
            _("Materialien"),
            _("Personen"),
            _("Nachweise"),
            _("Erfüllt"),
            _("Pflichtschulungen insgesamt"),
            _("Anteil erfüllt"),
        ]
    )
    for section, counts in ((_("Katalog nach Art"), kinds), (_("Katalog nach Thema"), topics)):
        for count in counts:
            write([section, count.label, str(count.materials), "", "", "", "", ""])
    for count in tools:
        write([_("Katalog nach Werkzeug"), count.label, str(count.materials), "", "", "", "", ""])
    for figure in usage:
        people, records = (
            (str(TOO_FEW), "") if figure.suppressed else (str(figure.usage.people), str(figure.usage.completions))
        )
        write([_("Meistgenutzte Materialien"), figure.usage.title, "", people, records, "", "", ""])
    for figure in [*departments, overall]:
        people, fulfilled, applicable, percent = _fulfilment_cells(figure)
        write([_("Fachbereich"), figure.label, "", people, "", fulfilled, applicable, percent])
    for figure in teams:
        people, fulfilled, applicable, percent = _fulfilment_cells(figure)
        write([_("Team"), f"{figure.group} / {figure.label}", "", people, "", fulfilled, applicable, percent])
    for point in trend_points:
        if not point.known:
            cells = ["", "", "", "–"]
        elif point.suppressed:
            cells = [str(TOO_FEW), "", "", ""]
        else:
            cells = [str(point.people), str(point.row.fulfilled), str(point.row.applicable), point.row.percent]
        people, fulfilled, applicable, percent = cells
        label = format_date(point.row.day, "MMMM yyyy") if point.row.day else point.row.label
        write([_("Monat"), label, "", people, "", fulfilled, applicable, percent])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def file_name(today: date) -> str:
    return f"statistik-{today.isoformat()}.csv"
