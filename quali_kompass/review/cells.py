"""The cells of a compliance matrix, rendered in Python: a department page has thousands of them.

The markup is that of ``status_badge`` (curricula/_status.html) and the date line under it; each state's badge and
each phrase is translated once per page instead of once per cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext
from markupsafe import Markup, escape

from quali_kompass.curricula.rendering import state_display
from quali_kompass.i18n import format_day
from quali_kompass.review import blueprint
from quali_kompass.review.matrix import cell_date

# Filled with plain string operations: Markup.format costs tens of microseconds, and a page has thousands of cells.
BADGE = (
    '<span class="kern-badge kern-badge--{badge} status-badge"><span class="kern-icon kern-icon--{icon} '
    'kern-icon--small" aria-hidden="true"></span><span class="kern-label kern-label--small">{label}</span></span>'
)


class StatusCells:
    """Call with a matrix row's item (or None where the material does not apply) for the cell's content."""

    def __init__(self) -> None:
        self._badges: dict[str, str] = {}
        # Translated without values here; the day is put in per cell.
        self._phrases = {
            "done": gettext("am %(day)s"),
            "valid_until": gettext("gültig bis %(day)s"),
            "due": gettext("fällig %(day)s"),
        }
        self._not_applicable = Markup('<span aria-hidden="true">–</span><span class="kern-sr-only">{}</span>').format(
            gettext("gilt nicht")
        )

    def badge(self, state: str) -> str:
        if state not in self._badges:
            shown = state_display(state)
            self._badges[state] = BADGE.format(badge=shown.badge, icon=shown.icon, label=escape(shown.label))
        return self._badges[state]

    def __call__(self, item: Any) -> Markup:
        if item is None:
            return self._not_applicable
        status = item.status
        kind, day = cell_date(status)
        if day is None:
            return Markup(self.badge(status.state))  # nosec B704  # fixed markup with the escaped label
        line = escape(self._phrases[kind] % {"day": format_day(day)})
        html = f'{self.badge(status.state)}<br><span class="kern-body--small">{line}</span>'
        return Markup(html)  # nosec B704  # fixed markup with the escaped label and date line

    def row(self, items: Mapping[int, Any], material_ids: Sequence[int]) -> Markup:
        """The cells of one matrix row, for the materials in ``material_ids`` (a large team shows thousands)."""
        html = "".join(f'<td class="kern-table__cell">{self(items.get(each))}</td>' for each in material_ids)
        return Markup(html)  # nosec B704  # fixed markup around cells built as above


blueprint.add_app_template_global(StatusCells, "status_cells")
