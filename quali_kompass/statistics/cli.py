"""The ``statistics-refresh`` and ``statistics-rebuild`` commands."""

from __future__ import annotations

from datetime import date, datetime

import click
from flask.cli import with_appcontext

from quali_kompass.curricula.status import berlin_today
from quali_kompass.extensions import db
from quali_kompass.statistics import services


def _day(value: str | None) -> date:
    if not value:
        return berlin_today()
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as error:
        raise click.BadParameter("expected YYYY-MM-DD", param_hint="--today") from error


TODAY = click.option(
    "--today", "today", default=None, help="The day to compute (YYYY-MM-DD; default: today in Berlin)."
)
BACKFILL = click.option(
    "--backfill-months",
    type=click.IntRange(0, 120),
    default=0,
    help="Also compute the snapshots of this many past month-ends from the records (for the 12-month trend).",
)


@click.command("statistics-refresh")
@TODAY
@BACKFILL
@with_appcontext
def statistics_refresh(today: str | None, backfill_months: int) -> None:
    """Write today's fulfilment snapshot of every team for the statistics (daily; idempotent)."""
    result = services.refresh(_day(today), backfill_months)
    db.session.commit()
    click.echo(f"Statistics refreshed: {result['teams']} team(s) today, {result['past_rows']} past month-end row(s).")


@click.command("statistics-rebuild")
@TODAY
@BACKFILL
@with_appcontext
def statistics_rebuild(today: str | None, backfill_months: int) -> None:
    """Recompute the statistics tables from all completion records (repair after a bulk change or an error)."""
    result = services.rebuild(_day(today), backfill_months)
    db.session.commit()
    click.echo(
        f"Statistics rebuilt: usage of {result['materials']} material(s), {result['teams']} team(s) today, "
        f"{result['past_rows']} past month-end row(s)."
    )
