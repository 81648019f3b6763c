"""The migrations build exactly the schema of the models, and can be rolled back and forth."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from quali_kompass import create_app
from quali_kompass.database import Base
from quali_kompass.extensions import db
from tests.conftest import POSTGRES_URL, ROOT, own_postgres_database, test_config

MIGRATIONS = str(ROOT / "migrations")


def schema_differences(database_url: str) -> list:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def test_models_match_migrations(migrated_database: str) -> None:
    url = migrated_database if POSTGRES_URL else f"sqlite:///{migrated_database}"
    assert schema_differences(url) == []


@pytest.fixture
def scratch_database(tmp_path: Path) -> Iterator[str]:
    """An empty database of its own, so that downgrading leaves the other tests' schema alone."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'scratch.sqlite'}"
        return
    with own_postgres_database("migration_check") as url:
        yield url


def test_upgrade_downgrade_upgrade(scratch_database: str) -> None:
    app = create_app(test_config(scratch_database))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        downgrade(directory=MIGRATIONS, revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        upgrade(directory=MIGRATIONS)
        db.engine.dispose()
    assert schema_differences(scratch_database) == []
