"""Command-line commands: ``flask --app quali_kompass <command>``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import func, select

from quali_kompass.accounts.passwords import generate_password
from quali_kompass.accounts.services import normalise_email, set_password
from quali_kompass.audit.services import acting_as, record
from quali_kompass.database import utcnow
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.organisation import importer
from quali_kompass.organisation.models import OrgImport, Person
from quali_kompass.organisation.services import save_person


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="", help="Display name (default: the part of the address before the @).")
@with_appcontext
def create_admin(email: str, name: str) -> None:
    """Create an admin account with a generated password, or make an existing person admin."""
    email = normalise_email(email)
    if "@" not in email:
        raise click.BadParameter("not an e-mail address", param_hint="EMAIL")
    password = generate_password()
    person = db.session.scalar(select(Person).where(Person.email == email))
    try:
        if person is None:
            person = save_person(None, {"name": name or email.split("@")[0], "email": email})
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    person.is_admin = True
    person.active = True
    set_password(person, password)
    record("admin_created", person, actor_label="cli")
    db.session.commit()
    click.echo(f"Admin: {email}\nPassword: {password}")


@click.command("demo-data")
@click.option("--if-empty", is_flag=True, help="Do nothing if there are people already.")
@with_appcontext
def demo_data(if_empty: bool) -> None:
    """Load the demo Jobcenter into an empty database and print its logins."""
    from quali_kompass.demo import load_demo, write_logins

    if db.session.scalar(select(func.count(Person.id))):
        if if_empty:
            return
        raise click.ClickException("The database is not empty; the demo data goes only into an empty one.")
    logins = load_demo()
    db.session.commit()
    path = write_logins(logins, current_app.config["QK_DEMO_LOGINS_FILE"])
    click.echo(f"Demo data loaded. Logins (also in {path}):")
    for role, email, password in logins:
        click.echo(f"  {role:<28} {email:<42} {password}")


@click.command("import-org")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
@click.option(
    "--deactivate-missing",
    is_flag=True,
    help="Deactivate active people who are missing from the file (never admins).",
)
@with_appcontext
def import_org(file: Path, dry_run: bool, deactivate_missing: bool) -> None:
    """Import the organisation from an HR export (CSV), as the import page in the browser does."""
    content = file.read_bytes()
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        if dry_run:
            result = importer.preview_import(content, deactivate_missing=deactivate_missing)
            db.session.rollback()
        else:
            now = utcnow()
            upload = OrgImport(
                created_at=now,
                filename=file.name[:255],
                content=content,
                deactivate_missing=deactivate_missing,
                status="applied",
                applied_at=now,
                summary={},
            )
            db.session.add(upload)
            db.session.flush()
            with acting_as("cli"):
                result = importer.apply_upload(upload, None)
            if result.valid:
                upload.summary = {**result.summary(), "source": "cli"}
                upload.content = b""
                db.session.commit()
            else:
                db.session.rollback()
        if not result.valid:
            for error in result.errors:
                click.echo(error.text, err=True)
            click.echo(f"{len(result.errors)} error(s) in {file.name}: nothing was written.", err=True)
            raise click.exceptions.Exit(1)
        for note in result.notes:
            click.echo(note)
    counts = result.counts
    click.echo(
        f"People: {counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged, "
        f"{counts['deactivated']} deactivated."
    )
    click.echo(f"Departments created: {counts['departments_created']}, teams created: {counts['teams_created']}.")
    click.echo(f"Leads: {counts['leads_added']} added, {counts['leads_removed']} removed.")
    click.echo("Dry run: nothing was written." if dry_run else f"Import of {result.rows} line(s) applied.")


@click.command("search-reindex")
@with_appcontext
def search_reindex() -> None:
    """Rebuild the full-text index of the catalogue from scratch (after an update of the search, or a bulk change)."""
    from quali_kompass.catalogue import search_index

    count = search_index.rebuild(db.session)
    db.session.commit()
    click.echo(f"Search index rebuilt: {count} material(s) indexed.")


from quali_kompass.notifications.cli import send_reminders  # noqa: E402
from quali_kompass.operations.cli import backup, check_files_command, restore  # noqa: E402
from quali_kompass.operations.deploy_check import check_deploy  # noqa: E402
from quali_kompass.privacy.cli import retention  # noqa: E402
from quali_kompass.statistics.cli import statistics_rebuild, statistics_refresh  # noqa: E402

commands = [
    backup,
    check_deploy,
    check_files_command,
    create_admin,
    demo_data,
    import_org,
    restore,
    retention,
    search_reindex,
    send_reminders,
    statistics_rebuild,
    statistics_refresh,
]
