"""The ``retention`` command."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from quali_kompass.audit.services import acting_as, record
from quali_kompass.curricula.status import berlin_today
from quali_kompass.database import utcnow
from quali_kompass.extensions import db
from quali_kompass.privacy.retention import apply_retention


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="Show what would be anonymised and deleted; write nothing.")
@with_appcontext
def retention(dry_run: bool) -> None:
    """Anonymise people who left long ago; delete old access-log entries and notifications (QK_*_DAYS)."""
    years = current_app.config["QK_RETENTION_YEARS"]
    days = current_app.config["QK_ACCESS_LOG_DAYS"]
    notification_days = current_app.config["QK_NOTIFICATION_DAYS"]
    result = apply_retention(berlin_today(), utcnow(), years, days, notification_days)
    if dry_run:
        db.session.rollback()
    else:
        with acting_as("cli"):
            record("retention_applied", retention_years=years, access_log_days=days, **result.as_dict())
        db.session.commit()
    click.echo(f"People anonymised (left more than {years} year(s) ago): {result.people}")
    click.echo(
        f"Deleted: {result.completions} completion(s), {result.plan_items} plan item(s), "
        f"{result.registrations} registration(s), {result.login_sessions} login session(s)."
    )
    click.echo(f"Access-log entries older than {days} day(s) deleted: {result.access_log_entries}")
    click.echo(
        f"Notifications deleted (older than {notification_days} day(s) or of anonymised people): {result.notifications}"
    )
    click.echo("Dry run: nothing was written." if dry_run else "Retention applied.")
