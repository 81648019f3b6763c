"""The audit log page, for admins and auditors."""

from __future__ import annotations

from datetime import datetime

from flask import render_template, request
from sqlalchemy import select

from quali_kompass.accounts.login import permission_required
from quali_kompass.audit import blueprint
from quali_kompass.audit.models import AuditEvent
from quali_kompass.audit.queries import ACTION_LABELS, OBJECT_TYPE_LABELS, events
from quali_kompass.extensions import db


def _date_arg(name: str):
    value = request.args.get(name, "")
    try:
        return datetime.strptime(value, "%Y-%m-%d").date() if value else None
    except ValueError:
        return None


@blueprint.route("/")
@permission_required(lambda person: person.can_read_audit_log)
def log() -> str:
    filters = {
        "action": request.args.get("aktion", "") if request.args.get("aktion", "") in ACTION_LABELS else "",
        "actor": request.args.get("person", "").strip()[:254],
        "object_type": request.args.get("objekt", "")[:40],
        "since": _date_arg("von"),
        "until": _date_arg("bis"),
    }
    invalid_dates = [name for name in ("von", "bis") if request.args.get(name) and _date_arg(name) is None]
    page = db.paginate(events(**filters), page=request.args.get("seite", 1, type=int), per_page=50, error_out=False)
    object_types = db.session.scalars(
        select(AuditEvent.object_type).where(AuditEvent.object_type.is_not(None)).distinct()
    ).all()
    return render_template(
        "audit/log.html",
        page=page,
        filters=filters,
        actions=ACTION_LABELS,
        object_type_labels=OBJECT_TYPE_LABELS,
        object_types=sorted(object_types),
        invalid_dates=invalid_dates,
    )
