"""Team charts: the completion rate per mandatory material, and the fulfilled share over the last twelve months.

Pure shaping of figures the view already has: server-rendered SVG (no script) built with markupsafe, and the rows
of the data table that stands under each chart as its text alternative, with the same formatted numbers. Only team
totals: no figure of a single person, so no chart can rank people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import format_date, gettext
from markupsafe import Markup, escape

from quali_kompass.curricula.queries import Fulfilment, PersonItem
from quali_kompass.curricula.status import FULFILLED
from quali_kompass.i18n import format_share

MONTHS = 12
# viewBox widths: narrow enough that the text stays legible when a phone shrinks the chart to 320 px
RATES_WIDTH = 360
TREND_WIDTH = 480
BAR = "#1b365d"  # KERN's action blue: 12.6:1 against white
OUTLINE = "#6f6f6f"  # the 100 % track and the axis: 5.1:1 against white
GRID = "#6f6f6f"
TITLE_CHARS = 46  # longer titles are cut in the chart; the table has them whole


@dataclass(frozen=True)
class Row:
    """One bar or column: what it stands for and its numbers, formatted once for the chart and the table."""

    label: str  # the material's title, or the month
    fulfilled: int
    applicable: int
    share: float | None  # None: nothing applied (no bar, not 0 %)
    percent: str  # "67 %", or "–" without a share
    count: str  # "2 von 3"
    day: date | None = None  # the day a trend figure stands for


@dataclass(frozen=True)
class TeamCharts:
    rates: list[Row]  # per mandatory material, by title
    rates_svg: Markup | None  # None: no mandatory material applies
    trend: list[Row]  # per month, oldest first
    trend_svg: Markup | None  # None: nothing applied on any of the days


def trend_days(today: date, months: int = MONTHS) -> list[date]:
    """The last day of each of the ``months - 1`` previous months, then today (oldest first)."""
    days = [today]
    for _ in range(months - 1):
        days.append(days[-1].replace(day=1) - timedelta(days=1))
    return days[::-1]


def team_trend(today: date, past: Sequence[Any], items: Mapping[int, Sequence[PersonItem]]) -> list[Fulfilment]:
    """The fulfilment at each of ``trend_days``: past month-ends from the team's snapshots (``past``: rows with
    ``day``, ``applicable`` and ``fulfilled``; a month without one had nothing to count), today from the matrix's
    items, so that the last column always agrees with the matrix."""
    by_month = {row.day.replace(day=1): row for row in past}
    points = []
    for day in trend_days(today):
        if day == today:
            applicable = sum(len(person_items) for person_items in items.values())
            fulfilled = sum(item.status.fulfilled for person_items in items.values() for item in person_items)
            points.append(Fulfilment(day, applicable, fulfilled))
        elif (row := by_month.get(day.replace(day=1))) is not None:
            points.append(Fulfilment(day, row.applicable, row.fulfilled))
        else:
            points.append(Fulfilment(day, 0, 0))
    return points


def _row(label: str, fulfilled: int, applicable: int, day: date | None = None) -> Row:
    share = fulfilled / applicable if applicable else None
    return Row(
        label=label,
        fulfilled=fulfilled,
        applicable=applicable,
        share=share,
        percent=format_share(share),
        count=gettext("%(fulfilled)d von %(applicable)d", fulfilled=fulfilled, applicable=applicable),
        day=day,
    )


def rate_rows(items: Mapping[int, Sequence[PersonItem]]) -> list[Row]:
    """Per mandatory material: how many of the people it applies to have fulfilled it, by title."""
    tallies: dict[int, list[int]] = {}  # material id: [fulfilled, applicable]
    titles: dict[int, str] = {}
    for person_items in items.values():
        for item in person_items:
            tally = tallies.get(item.material_id)
            if tally is None:
                tally = tallies[item.material_id] = [0, 0]
                titles[item.material_id] = item.material.title
            tally[0] += item.status.state in FULFILLED
            tally[1] += 1
    ordered = sorted(tallies, key=lambda material_id: titles[material_id].casefold())
    return [_row(titles[material_id], *tallies[material_id]) for material_id in ordered]


def trend_rows(points: Sequence[Fulfilment]) -> list[Row]:
    """Per day of the trend: the month as label, the fulfilled and the applicable items."""
    return [_row(format_date(point.day, "MMMM yyyy"), point.fulfilled, point.applicable, point.day) for point in points]


def build(items: Mapping[int, Sequence[PersonItem]], points: Sequence[Fulfilment]) -> TeamCharts:
    """Both charts of a team page from the matrix's items and the fulfilment per day."""
    rates = rate_rows(items)
    trend = trend_rows(points)
    return TeamCharts(
        rates=rates,
        rates_svg=rates_svg(rates) if rates else None,
        trend=trend,
        trend_svg=trend_svg(trend) if any(row.share is not None for row in trend) else None,
    )


# SVG ---------------------------------------------------------------------------------------------------------------


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


# The parts are joined as plain strings with escaped text (Markup.format is slow for a chart of 60 bars).
def _text(x: float, y: float, content: str, anchor: str = "start", size: int = 15) -> Markup:
    return Markup(  # nosec B704  # numbers, the caller's fixed anchor and the escaped text
        f'<text x="{_number(x)}" y="{_number(y)}" font-size="{size}" text-anchor="{anchor}" fill="currentColor">'
        f"{escape(content)}</text>"
    )


def _rect(x: float, y: float, width: float, height: float, **paint: str) -> Markup:
    attributes = "".join(f' {name}="{escape(value)}"' for name, value in paint.items())
    return Markup(  # nosec B704  # numbers and escaped attribute values
        f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" height="{_number(height)}"{attributes} />'
    )


def _svg(prefix: str, width: int, height: float, title: str, description: str, body: list[Markup]) -> Markup:
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{0}-title" aria-describedby="{0}-desc"'
        ' viewBox="0 0 {1} {2}" width="100%" class="chart__svg">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>{5}</svg>'
    ).format(prefix, width, _number(height), title, description, Markup("").join(body))


def _cut(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


def rates_svg(rows: Sequence[Row], prefix: str = "chart-rates") -> Markup:
    """Horizontal bars, one per material: the title above, the share of 100 % and "67 % (2 von 3)" beside it."""
    track, row_height = 214, 58  # the rest of the width for "100 % (30 von 30)"
    body = []
    for index, row in enumerate(rows):
        top = index * row_height
        body.append(_text(0, top + 18, _cut(row.label)))
        body.append(_rect(0, top + 26, track, 22, fill="none", stroke=OUTLINE))
        if row.share:
            body.append(_rect(0, top + 26, track * row.share, 22, fill=BAR))
        body.append(_text(track + 10, top + 43, f"{row.percent} ({row.count})"))
    return _svg(
        prefix,
        RATES_WIDTH,
        len(rows) * row_height,
        gettext("Erfüllungsquote je Pflichtschulung"),
        gettext(
            "Balkendiagramm: je Pflichtschulung der Anteil der Personen, für die sie gilt, die sie erfüllt haben. "
            "Die Zahlen stehen auch in der Tabelle unter dem Diagramm."
        ),
        body,
    )


def trend_svg(rows: Sequence[Row], prefix: str = "chart-trend", description: str | None = None) -> Markup:
    """Columns, one per month: the share fulfilled at its end (today for the current month), "–" where none.

    ``description`` replaces the team page's text alternative (e.g. for the whole organisation's statistics).
    """
    left, plot, baseline = 48, 160, 184  # 24 above the plot for the 100 % label
    slot = (TREND_WIDTH - left - 4) / max(len(rows), 1)
    column = min(24, slot - 6)
    body = []
    for share in (0, 0.5, 1):
        y = baseline - plot * share
        body.append(
            Markup('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}" />').format(
                left, _number(y), TREND_WIDTH - 4, _number(y), GRID if share else OUTLINE, 0.5 if share else 1.5
            )
        )
        body.append(_text(left - 6, y + 4, format_share(share), anchor="end", size=12))
    for index, row in enumerate(rows):
        middle = left + slot * (index + 0.5)
        if row.share is None:
            body.append(_text(middle, baseline - 6, "–", anchor="middle", size=12))
        else:
            height = plot * row.share
            if height:
                body.append(_rect(middle - column / 2, baseline - height, column, height, fill=BAR))
            body.append(_text(middle, baseline - height - 6, row.percent, anchor="middle", size=12))
        if row.day is not None:
            body.append(_text(middle, baseline + 20, format_date(row.day, "MMM"), anchor="middle", size=12))
            body.append(_text(middle, baseline + 36, format_date(row.day, "yy"), anchor="middle", size=12))
    return _svg(
        prefix,
        TREND_WIDTH,
        baseline + 44,
        gettext("Anteil erfüllter Pflichtschulungen in den letzten 12 Monaten"),
        description
        or gettext(
            "Säulendiagramm: je Monat der Anteil der erfüllten Pflichtschulungen aller Teammitglieder am Monatsende, "
            "für den laufenden Monat heute. Die Zahlen stehen auch in der Tabelle unter dem Diagramm."
        ),
        body,
    )
