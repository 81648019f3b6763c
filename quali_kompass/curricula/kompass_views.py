"""Mein Kompass: the record of completed qualifications (print view and PDF) and the calendar file."""

from __future__ import annotations

from flask import make_response, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quali_kompass.catalogue.rendering import KIND_LABELS
from quali_kompass.curricula import blueprint, kompass, queries, record_pdf
from quali_kompass.curricula import calendar as ics
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import utcnow
from quali_kompass.extensions import db


def _record() -> dict:
    today = berlin_today()
    items = queries.person_items(current_user.id, today)
    rows = kompass.record_rows(kompass.standing_completions(current_user.id), items)
    return {"person": current_user, "team": current_user.current_team, "rows": rows, "today": today}


@blueprint.route("/kompass/nachweis")
@login_required
def record() -> str:
    return render_template("curricula/record.html", kinds=KIND_LABELS, **_record())


@blueprint.route("/kompass/nachweis.pdf")
@login_required
def record_download() -> Response:
    data = _record()
    return record_pdf.download(data["person"], data["team"], data["rows"], data["today"])


@blueprint.route("/kompass/termine.ics")
@login_required
def calendar_file() -> Response:
    now = utcnow()
    items = queries.person_items(current_user.id, berlin_today(now))
    registrations = db.session.scalars(kompass.upcoming_registrations(current_user.id, now)).all()
    events = kompass.calendar_events(
        current_user,
        items,
        list(registrations),
        lambda material_id: url_for("catalogue.material", material_id=material_id, _external=True),
    )
    response = make_response(ics.render(events, now, name="Quali-Kompass – Meine Termine"))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="quali-kompass-termine.ics"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response
