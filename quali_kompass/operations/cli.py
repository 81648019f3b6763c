"""The ``backup``, ``restore`` and ``check-files`` commands."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from quali_kompass.operations.backup import BackupError, check_files, create_backup, restore_backup, target_is_empty


@click.command("backup")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder for the archive.",
)
@with_appcontext
def backup(output: Path) -> None:
    """Write database and uploads into one archive (.tar.gz) while the app keeps running.

    SQLite is copied with its online-backup API, PostgreSQL with pg_dump (client tools needed). The archive holds
    personal data: keep it as safe as the database.
    """
    try:
        result = create_backup(output)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    except SQLAlchemyError as error:
        raise click.ClickException(f"The database cannot be read: {getattr(error, 'orig', None) or error}") from error
    click.echo(f"Backup written: {result.path}")
    click.echo(f"Database: {result.kind} at revision {result.revision}; files: {result.files} ({result.bytes} bytes).")
    if result.missing:
        click.echo(
            f"{len(result.missing)} file(s) of the database were not in the upload folder "
            "(deleted meanwhile, or missing; see check-files):",
            err=True,
        )
        for name in result.missing:
            click.echo(f"  {name}", err=True)


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace a database and upload folder that are not empty.")
@with_appcontext
def restore(archive: Path, yes: bool) -> None:
    """Replace the configured database and upload folder by a backup; stop the app first.

    The whole archive is checked (database kind, size and sha256 of every file) before anything is changed.
    Files in the upload folder that the backup does not hold are deleted, as their rows are gone.
    """
    try:
        if not yes and not target_is_empty():
            raise click.ClickException(
                "The database or the upload folder is not empty. Restoring replaces everything in them; "
                "run again with --yes to do so."
            )
        result = restore_backup(archive)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    except SQLAlchemyError as error:
        raise click.ClickException(f"The database cannot be used: {getattr(error, 'orig', None) or error}") from error
    click.echo(f"Restored {result.kind} database at revision {result.revision} and {result.files} file(s).")
    if result.removed:
        click.echo(f"Deleted {result.removed} file(s) from the upload folder that the backup does not hold.")
    if result.revision != result.head:
        click.echo(
            f"This version of the app expects revision {result.head}: "
            "run `flask --app quali_kompass db upgrade` before starting it."
        )


@click.command("check-files")
@click.option("--repair", is_flag=True, help="Delete files without a row (never rows).")
@click.option(
    "--min-age",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="Minutes a file without a row must be old to count; spares uploads in progress.",
)
@with_appcontext
def check_files_command(repair: bool, min_age: int) -> None:
    """Report rows whose file is missing and files without a row; --repair deletes those files.

    A row whose file is missing is only reported, never deleted: a material, guide or video still refers to it, and
    deleting the row would lose that reference silently. An editor or admin uploads the file again where it is used.
    Exits with 1 while problems remain.
    """
    result = check_files(repair, timedelta(minutes=min_age))
    for row in result.missing:
        click.echo(f"Missing file: {row.storage_name} (stored file {row.id}, {row.display_name!r})")
    for path in result.orphans:
        verb = "Deleted" if path in result.removed else "File without a row"
        click.echo(f"{verb}: {path.name}")
    remaining = len(result.missing) + len(result.orphans) - len(result.removed)
    click.echo(
        f"{len(result.missing)} missing file(s), {len(result.orphans)} file(s) without a row"
        f"{f', {len(result.removed)} deleted' if repair else ''}."
    )
    if remaining:
        raise click.exceptions.Exit(1)
