"""The transparency page, the personal data download and the access log page."""

from __future__ import annotations

import json

from flask import Response, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from quali_kompass.accounts.login import permission_required
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Team
from quali_kompass.privacy import blueprint
from quali_kompass.privacy.export import personal_data
from quali_kompass.review.models import AccessLogEntry

ACCESS_ACTION_LABELS = {
    "person_viewed": _l("Nachweise einer Person angesehen"),
    "team_exported": _l("Team-Übersicht exportiert"),
    "team_printed": _l("Team-Übersicht gedruckt"),
}


@blueprint.route("/transparenz")
@login_required
def transparency() -> str:
    """What is stored about a person, what is not, who sees what, and for how long."""
    config = current_app.config
    return render_template(
        "privacy/transparency.html",
        retention_years=config["QK_RETENTION_YEARS"],
        access_log_days=config["QK_ACCESS_LOG_DAYS"],
        notification_days=config["QK_NOTIFICATION_DAYS"],
        session_idle_minutes=int(config["QK_SESSION_IDLE"].total_seconds() // 60),
        session_max_hours=int(config["QK_SESSION_MAX"].total_seconds() // 3600),
        reset_hours=config["QK_PASSWORD_RESET_HOURS"],
    )


@blueprint.route("/konto/meine-daten.json")
@login_required
def my_data() -> Response:
    """Everything stored about the logged-in person, as a JSON download."""
    data = personal_data(current_user.id)
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="meine-daten-{current_user.id}.json"',
            "Cache-Control": "no-store",
        },
    )


@blueprint.route("/protokoll/zugriffe")
@permission_required(lambda person: person.can_read_audit_log)
def access_log() -> str:
    """Who looked at or exported whose records, newest first."""
    query = (
        select(AccessLogEntry)
        .options(
            joinedload(AccessLogEntry.viewer),
            joinedload(AccessLogEntry.subject),
            joinedload(AccessLogEntry.team).joinedload(Team.department),
        )
        .order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc())
    )
    page = db.paginate(
        query,
        page=request.args.get("seite", 1, type=int),
        per_page=current_app.config["QK_PAGE_SIZE"],
        error_out=False,
    )
    return render_template("privacy/access_log.html", page=page, actions=ACCESS_ACTION_LABELS)
