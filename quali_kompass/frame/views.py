"""Start page, language switch and health check."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import text
from werkzeug.wrappers import Response

from quali_kompass.curricula import kompass, plan, queries
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import utcnow
from quali_kompass.extensions import csrf, db, limiter
from quali_kompass.frame import blueprint
from quali_kompass.frame.navigation import navigation
from quali_kompass.frame.security import safe_next_url
from quali_kompass.news import queries as news_queries


@blueprint.app_context_processor
def frame_context() -> dict:
    return {"navigation": navigation, "languages": current_app.config["QK_LANGUAGES"]}


@blueprint.route("/")
@login_required
def home() -> str:
    """Mein Kompass: the person's mandatory trainings by status, their plan and their latest records."""
    today = berlin_today()
    items = queries.person_items(current_user.id, today)
    plan_items = db.session.scalars(plan.person_plan(current_user.id)).all()
    now = utcnow()
    return render_template(
        "frame/home.html",
        groups=kompass.group_items(items),
        duty_items=items,
        all_done=bool(items) and all(item.status.fulfilled for item in items),
        approved=[item for item in plan_items if item.state == "approved"],
        pending=[item for item in plan_items if item.state == "proposed"],
        completions=kompass.latest_completions(current_user.id),
        today=today,
        news=news_queries.latest_news(current_user.id, now),
        new_materials=news_queries.new_materials(current_user.id, now),
        new_versions=news_queries.recompletion_versions(current_user.id, now),
    )


@blueprint.route("/sprache", methods=["POST"])
def set_language() -> Response:
    locale = request.form.get("locale", "")
    if locale in current_app.config["QK_LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
        with force_locale(locale):
            flash(
                _("Die Sprache ist jetzt Deutsch.") if locale == "de" else _("Die Sprache ist jetzt Englisch."),
                "success",
            )
    return redirect(safe_next_url(request.form.get("next")) or url_for("frame.home"))


@blueprint.route("/healthz")
@limiter.exempt
@csrf.exempt
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok"), 200
