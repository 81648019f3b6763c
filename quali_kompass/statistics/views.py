"""The statistics page (everyone) and its CSV export (admins): aggregates only, from the aggregate tables."""

from __future__ import annotations

from time import monotonic
from typing import Any

from flask import Response, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from quali_kompass.accounts.login import permission_required
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import utcnow
from quali_kompass.statistics import blueprint, figures, queries
from quali_kompass.web import ListPage, page_links

TEAMS_PER_PAGE = 50
DEPARTMENTS_PER_PAGE = 50

CSV_TYPE = "text/csv; charset=utf-8"


def sees_teams(person: Any) -> bool:
    """Figures per team are for admins; everyone else sees departments and the organisation."""
    return person.can_manage_organisation


def _statistics(with_teams: bool) -> dict[str, Any]:
    """Everything the page and the export show, computed at most every QK_STATISTICS_CACHE_SECONDS: everyone sees
    the same sums, and computing them takes a few grouped counts over the whole catalogue."""
    seconds = current_app.config["QK_STATISTICS_CACHE_SECONDS"]
    if seconds <= 0:
        return _compute(with_teams)
    # By (with teams, language, day): (when they go stale, the figures). Each worker keeps its own.
    computed = current_app.extensions.setdefault("qk_statistics", {})
    key = (with_teams, str(get_locale()), berlin_today())
    now = monotonic()
    if key in computed and now < computed[key][0]:
        return computed[key][1]
    for stale in [each for each, (until, _data) in computed.items() if until <= now]:
        computed.pop(stale, None)
    data = _compute(with_teams)
    computed[key] = (now + seconds, data)
    return data


def _compute(with_teams: bool) -> dict[str, Any]:
    """One statement per table (seven, eight with the teams)."""
    today = berlin_today()
    department_tallies = queries.by_department()
    overall = figures.total(_("Alle Fachbereiche"), department_tallies)
    return {
        "today": today,
        "computed_at": utcnow(),
        "kinds": figures.kind_counts(queries.by_kind()),
        "topics": queries.by_topic(),
        "tools": queries.by_tool(),
        "usage": figures.usage_figures(queries.most_used()),
        "departments": figures.suppress(department_tallies) if not overall.suppressed else [],
        "overall": overall,
        "teams": _teams(overall) if with_teams else [],
        "trend": figures.trend(today, queries.past_months(today, 11), overall),
    }


def _teams(overall: figures.Figure) -> list[figures.Figure]:
    teams = queries.by_team()  # also when hidden: the same statements whatever the figures
    return [] if overall.suppressed else figures.suppress_teams(teams)


@blueprint.route("/statistik")
@login_required
def overview() -> str:
    with_teams = sees_teams(current_user)
    data = _statistics(with_teams)
    # Departments (hundreds) and teams (thousands in a federal deployment) a page at a time, the teams of one
    # department if chosen; each list's links keep the other's page. The export has them all.
    department_page = ListPage.within(
        data["departments"], request.args.get("fachbereiche_seite", 1, type=int), DEPARTMENTS_PER_PAGE
    )
    department = request.args.get("fachbereich", "")
    chosen = next((each for each in data["departments"] if str(each.id) == department), None)
    teams = [team for team in data["teams"] if chosen is None or team.group == chosen.label]
    page = ListPage.within(teams, request.args.get("seite", 1, type=int), TEAMS_PER_PAGE)
    pages = {"fachbereiche_seite": department_page, "seite": page}
    fixed = {"fachbereich": chosen.id} if chosen else {}
    return render_template(
        "statistics/overview.html",
        with_teams=with_teams,
        too_few=figures.TOO_FEW,
        department_page=department_page,
        department_args=page_links(pages, "fachbereiche_seite", "departments-heading", **fixed),
        team_page=page,
        team_args=page_links(pages, "seite", "teams-heading", **fixed),
        team_department=chosen,
        team_departments=[(department.id, department.label) for department in data["departments"]],
        **data,
    )


@blueprint.route("/statistik/export.csv")
@permission_required(sees_teams)
def export_csv() -> Response:
    data = _statistics(with_teams=True)
    content = figures.to_csv(
        data["kinds"],
        data["topics"],
        data["tools"],
        data["usage"],
        data["departments"],
        data["overall"],
        data["teams"],
        data["trend"].points,
    )
    response = Response(content, mimetype=CSV_TYPE)
    response.headers.set("Content-Disposition", "attachment", filename=figures.file_name(data["today"]))
    response.headers["Cache-Control"] = "no-store"
    return response
