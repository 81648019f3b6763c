"""The personal data export: every row of every table that refers to a person, built from the metadata."""

from __future__ import annotations

import base64
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Table, or_, select

from quali_kompass.database import Base, utcnow
from quali_kompass.extensions import db

PERSON_TABLE = "person"
# Columns never exported, whatever the table: password hashes and token digests.
SECRET_COLUMNS = frozenset({"password_hash", "token_digest"})
# Columns left out of single tables: an uploaded HR export holds the data of everyone in it.
OMITTED_COLUMNS: dict[str, frozenset[str]] = {"org_import": frozenset({"content"})}


def person_columns(table: Table) -> list[Column]:
    """The columns of ``table`` that refer to a person (by a foreign key to person.id)."""
    return [
        column
        for column in table.columns
        if any(fk.column.table.name == PERSON_TABLE and fk.column.name == "id" for fk in column.foreign_keys)
    ]


def person_tables() -> list[Table]:
    """The person table and every table that refers to a person, in a stable order."""
    tables = [table for table in Base.metadata.sorted_tables if person_columns(table)]
    return [Base.metadata.tables[PERSON_TABLE], *sorted(tables, key=lambda table: table.name)]


def omitted_columns(table: Table) -> list[str]:
    return [
        column.name
        for column in table.columns
        if column.name in SECRET_COLUMNS or column.name in OMITTED_COLUMNS.get(table.name, frozenset())
    ]


def _plain(value: Any) -> Any:
    """Make a database value storable as JSON."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def personal_data(person_id: int) -> dict[str, Any]:
    """Everything stored about one person, table by table, without secrets."""
    tables: dict[str, Any] = {}
    for table in person_tables():
        omitted = omitted_columns(table)
        columns = [column for column in table.columns if column.name not in omitted]
        if table.name == PERSON_TABLE:
            condition = table.c.id == person_id
            refers_by = ["id"]
        else:
            refers = person_columns(table)
            condition = or_(*(column == person_id for column in refers))
            refers_by = [column.name for column in refers]
        order = list(table.primary_key.columns)
        rows = db.session.execute(select(*columns).where(condition).order_by(*order)).mappings().all()
        tables[table.name] = {
            "refers_by": refers_by,
            "columns": [column.name for column in columns],
            "omitted_columns": omitted,
            "rows": [{name: _plain(value) for name, value in row.items()} for row in rows],
        }
    return {"person_id": person_id, "exported_at": utcnow().isoformat(), "tables": tables}
