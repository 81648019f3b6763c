"""Declarative base and column types shared by all features."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so that migrations can address them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Row = TypeVar("Row")


def in_order(rows: Iterable[Row], ids: Sequence[int]) -> list[Row]:
    """Rows loaded by id (``WHERE id IN``, which keeps no order) in the order of ``ids``: a page that sorted ids
    first loads its few rows with their details afterwards. A row deleted between the two statements is left out."""
    by_id = {row.id: row for row in rows}  # type: ignore[attr-defined]
    return [by_id[row_id] for row_id in ids if row_id in by_id]


def utcnow() -> datetime:
    return datetime.now(UTC)


# SQLite: how long a writer waits for another one before giving up (an organisation import writes for seconds).
SQLITE_BUSY_TIMEOUT_MS = 20_000


@event.listens_for(Engine, "connect")
def _sqlite_settings(dbapi_connection, connection_record) -> None:
    """SQLite with a write-ahead log: pages keep reading while a write runs (with the default rollback journal a
    long write locks readers out), and writers queue for up to SQLITE_BUSY_TIMEOUT_MS."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # stored in the file; "memory" for an in-memory database
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()
