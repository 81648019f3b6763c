"""The notifications page of the logged-in person."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quali_kompass.extensions import db
from quali_kompass.notifications import blueprint
from quali_kompass.notifications.messages import compose
from quali_kompass.notifications.models import Notification
from quali_kompass.notifications.services import mark_read

PER_PAGE = 20


@blueprint.route("/benachrichtigungen")
@login_required
def index() -> str:
    page = db.paginate(
        db.select(Notification)
        .where(Notification.person_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()),
        page=request.args.get("seite", 1, type=int),
        per_page=PER_PAGE,
        error_out=False,
    )
    entries = [(notification, compose(notification)) for notification in page.items]
    return render_template("notifications/index.html", page=page, entries=entries)


@blueprint.route("/benachrichtigungen/gelesen", methods=["POST"])
@login_required
def mark_all_read() -> Response:
    count = mark_read(current_user.id)
    db.session.commit()
    if count:
        flash(_("Alle Benachrichtigungen sind als gelesen markiert."), "success")
    return redirect(url_for("notifications.index"))


@blueprint.route("/benachrichtigungen/<int:notification_id>/gelesen", methods=["POST"])
@login_required
def mark_one_read(notification_id: int) -> Response:
    # Only the person's own notifications match; any other id changes nothing.
    mark_read(current_user.id, notification_id)
    db.session.commit()
    page = request.args.get("seite", type=int)
    return redirect(url_for("notifications.index", seite=page) + f"#benachrichtigung-{notification_id}")
