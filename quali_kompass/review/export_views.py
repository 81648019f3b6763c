"""Downloads and print view of a team's mandatory trainings; each one is written to the access log."""

from __future__ import annotations

from flask import Response, abort, render_template
from flask_login import current_user

from quali_kompass.accounts.login import permission_required
from quali_kompass.curricula.status import berlin_today
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Team
from quali_kompass.review import blueprint, exports
from quali_kompass.review.models import AccessLogEntry
from quali_kompass.web import get_or_404

lead_required = permission_required(lambda person: person.is_lead)

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reviewable_team(team_id: int) -> Team:
    team = get_or_404(Team, team_id)
    if not current_user.can_review_team(team):
        abort(403)
    return team


def _log(action: str, team: Team, details: dict | None = None) -> None:
    db.session.add(AccessLogEntry(action=action, viewer_id=current_user.id, team_id=team.id, details=details or {}))
    db.session.commit()


def _download(content: bytes, mimetype: str, name: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=name)
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/team/<int:team_id>/export.csv")
@lead_required
def team_export_csv(team_id: int) -> Response:
    team = _reviewable_team(team_id)
    today = berlin_today()
    content = exports.to_csv(exports.team_rows(team, today))
    _log("team_exported", team, {"format": "csv"})
    return _download(content, CSV_TYPE, exports.file_name(team, today, "csv"))


@blueprint.route("/team/<int:team_id>/export.xlsx")
@lead_required
def team_export_xlsx(team_id: int) -> Response:
    team = _reviewable_team(team_id)
    today = berlin_today()
    content = exports.to_xlsx(exports.team_rows(team, today), team.name)
    _log("team_exported", team, {"format": "xlsx"})
    return _download(content, XLSX_TYPE, exports.file_name(team, today, "xlsx"))


@blueprint.route("/team/<int:team_id>/drucken")
@lead_required
def team_print(team_id: int) -> str:
    team = _reviewable_team(team_id)
    today = berlin_today()
    rows = exports.team_rows(team, today)
    _log("team_printed", team)
    return render_template(
        "review/export_print.html",
        team=team,
        rows=rows,
        today=today,
        day=exports.german_day,
    )
