"""The ``send-reminders`` command, run daily by cron or a systemd timer."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from quali_kompass.audit.services import acting_as, record
from quali_kompass.curricula.status import berlin_today
from quali_kompass.extensions import db
from quali_kompass.notifications.services import daily_run, deliver_pending


@click.command("send-reminders")
@click.option(
    "--today", "day", type=click.DateTime(["%Y-%m-%d"]), help="Run as on this day (default: today in Berlin)."
)
@click.option("--no-mail", is_flag=True, help="Create the notifications in the app, but send no e-mail now.")
@with_appcontext
def send_reminders(day, no_mail: bool) -> None:
    """Create today's reminders and weekly digests, and send every pending notification by e-mail.

    Repeating the run on the same day creates and sends nothing twice.
    """
    today: date = day.date() if day else berlin_today()
    result = daily_run(today)
    with acting_as("cli"):
        record("reminders_created", label=today.isoformat(), **dict(result.created))
    db.session.commit()
    click.echo(f"Notifications created for {today}: {result.total}")
    for kind, count in sorted(result.created.items()):
        click.echo(f"  {kind}: {count}")
    if no_mail:
        click.echo("E-mail: not sent (--no-mail); the next run sends what is pending.")
        return
    base_url = current_app.config["QK_BASE_URL"]
    if not base_url:
        click.echo("Warning: QK_BASE_URL is not set, links in the e-mails point to http://localhost/.", err=True)
    # Links in mails are built with url_for, which needs the address of the app outside a request.
    with current_app.test_request_context(base_url=base_url or "http://localhost/"):
        delivery = deliver_pending()
    if not delivery.configured:
        click.echo("E-mail: QK_MAIL_SERVER is not set; the notifications are shown in the app only.")
        return
    click.echo(f"E-mails sent: {delivery.sent}, to retry: {delivery.retry}, given up: {delivery.failed}")
    if delivery.retry:
        raise SystemExit(1)  # let cron or the timer report that the mail server refused
