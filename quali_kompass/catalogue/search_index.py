"""Keeping the search index right: every change to searchable text re-indexes its material before the commit.

A session event notes which materials changed (their fields, tools, topic, guide steps, or the name of a tool or
topic they use) and re-indexes exactly those in the same transaction, whichever code path made the change
(services, demo data, command line). Only bulk UPDATE statements that bypass the ORM go unnoticed; after such a
change, or after a change to the analyser, ``flask --app quali_kompass search-reindex`` rebuilds everything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import bindparam, delete, event, inspect, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased

from quali_kompass.catalogue import rendering
from quali_kompass.catalogue.models import (
    GuideStep,
    Material,
    SearchPosting,
    SearchTerm,
    Tool,
    Topic,
    material_tools,
)
from quali_kompass.catalogue.search_analysis import document_scores

# Points per occurrence of a term in a field (at most three occurrences count): a title match always outweighs
# any number of matches in the longer texts.
TITLE_WEIGHT = 100
SUMMARY_WEIGHT = 30
TOOL_WEIGHT = 20  # the names of the material's tools, topic and main topic
STEP_WEIGHT = 15  # instruction and alternative text of a click-through guide step
BODY_WEIGHT = 10  # written guide (Markdown, as the reader sees it)
TRANSCRIPT_WEIGHT = 10  # video transcript
BATCH = 500  # materials per round trip: well below the bound-parameter limits of SQLite and PostgreSQL

_PENDING = "quali_kompass.search_pending"
_MATERIAL_FIELDS = ("kind", "title", "summary", "body", "transcript", "topic_id", "topic", "tools", "steps")
_STEP_FIELDS = ("instruction", "alt_text", "material_id", "material")

_terms = SearchTerm.__table__
_postings = SearchPosting.__table__


def searchable_fields(material: Any, steps: Iterable[Any], names: Iterable[str]) -> list[tuple[str, int, str]]:
    """(field, weight, text) of a material as the catalogue shows it: body, steps, transcript only for their kind.

    ``names`` are those of its tools and topics; ``material`` and ``steps`` may be rows or model objects.
    """
    fields = [
        ("title", TITLE_WEIGHT, material.title or ""),
        ("summary", SUMMARY_WEIGHT, material.summary or ""),
        ("tools", TOOL_WEIGHT, " · ".join(names)),
    ]
    if material.kind == "document":
        fields.append(("body", BODY_WEIGHT, rendering.markdown_to_text(material.body or "")))
    if material.kind == "guide":
        for step in steps:
            # Instructions are Markdown, like written guides.
            fields.append(
                ("step", STEP_WEIGHT, f"{rendering.markdown_to_text(step.instruction or '')}\n{step.alt_text or ''}")
            )
    if material.kind == "video":
        fields.append(("transcript", TRANSCRIPT_WEIGHT, material.transcript or ""))
    return fields


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def reindex(session: Session, material_ids: Iterable[int]) -> None:
    """Bring the index of these materials up to date with the database (within the current transaction)."""
    ids = sorted({material_id for material_id in material_ids if material_id is not None})
    connection = session.connection()
    for batch in _batches(ids):
        _reindex_batch(connection, batch)


def rebuild(session: Session) -> int:
    """Empty the index and index every material again; returns how many materials were indexed."""
    connection = session.connection()
    connection.execute(delete(_postings))
    connection.execute(delete(_terms))
    ids = list(connection.scalars(select(Material.id).order_by(Material.id)))
    for batch in _batches(ids):
        _reindex_batch(connection, batch)
    return len(ids)


def _scores(connection: Connection, ids: list[int]) -> dict[int, dict[str, int]]:
    """The term scores of each material, read from the database as it is now."""
    materials = connection.execute(
        select(Material.id, Material.kind, Material.title, Material.summary, Material.body, Material.transcript).where(
            Material.id.in_(ids)
        )
    ).all()
    steps: dict[int, list[Any]] = defaultdict(list)
    for step in connection.execute(
        select(GuideStep.material_id, GuideStep.instruction, GuideStep.alt_text)
        .where(GuideStep.material_id.in_(ids))
        .order_by(GuideStep.material_id, GuideStep.position)
    ):
        steps[step.material_id].append(step)
    names: dict[int, list[str]] = defaultdict(list)
    for material_id, name in connection.execute(
        select(material_tools.c.material_id, Tool.name)
        .join(Tool, Tool.id == material_tools.c.tool_id)
        .where(material_tools.c.material_id.in_(ids))
        .order_by(material_tools.c.material_id, Tool.name)
    ):
        names[material_id].append(name)
    parent = aliased(Topic)
    for material_id, topic, main_topic in connection.execute(
        select(Material.id, Topic.name, parent.name)
        .join(Topic, Topic.id == Material.topic_id)
        .outerjoin(parent, parent.id == Topic.parent_id)
        .where(Material.id.in_(ids))
    ):
        names[material_id].extend(name for name in (topic, main_topic) if name)
    return {
        material.id: document_scores(_merged(searchable_fields(material, steps[material.id], names[material.id])))
        for material in materials
    }


def _merged(fields: list[tuple[str, int, str]]) -> list[tuple[int, str]]:
    """One (weight, text) per field name: all steps of a guide count as one text, so that a word in many steps
    does not outweigh the title."""
    texts: dict[str, tuple[int, list[str]]] = {}
    for name, weight, text in fields:
        texts.setdefault(name, (weight, []))[1].append(text)
    return [(weight, "\n".join(parts)) for weight, parts in texts.values()]


def _term_ids(connection: Connection, terms: set[str]) -> dict[str, int]:
    """The ids of these terms, adding those the vocabulary does not have yet (safe against a parallel insert)."""
    found: dict[str, int] = {}
    ordered = sorted(terms)
    for start in range(0, len(ordered), BATCH):
        chunk = ordered[start : start + BATCH]
        found.update(connection.execute(select(_terms.c.term, _terms.c.id).where(_terms.c.term.in_(chunk))).all())
    missing = [term for term in ordered if term not in found]
    if not missing:
        return found
    dialect_insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    connection.execute(
        dialect_insert(_terms).on_conflict_do_nothing(index_elements=["term"]),
        [{"term": term, "reversed_term": term[::-1], "document_count": 0} for term in missing],
    )
    for start in range(0, len(missing), BATCH):
        chunk = missing[start : start + BATCH]
        found.update(connection.execute(select(_terms.c.term, _terms.c.id).where(_terms.c.term.in_(chunk))).all())
    return found


def _reindex_batch(connection: Connection, ids: list[int]) -> None:
    scores = _scores(connection, ids)
    old: dict[int, set[int]] = defaultdict(set)
    for material_id, term_id in connection.execute(
        select(_postings.c.material_id, _postings.c.term_id).where(_postings.c.material_id.in_(ids))
    ):
        old[material_id].add(term_id)
    term_ids = _term_ids(connection, {term for terms in scores.values() for term in terms})
    rows = []
    changes: dict[int, int] = defaultdict(int)
    for material_id in ids:  # a material deleted meanwhile has no scores: its postings just go
        new = {term_ids[term]: score for term, score in scores.get(material_id, {}).items()}
        rows.extend({"material_id": material_id, "term_id": term_id, "score": score} for term_id, score in new.items())
        for term_id in new.keys() - old[material_id]:
            changes[term_id] += 1
        for term_id in old[material_id] - new.keys():
            changes[term_id] -= 1
    connection.execute(delete(_postings).where(_postings.c.material_id.in_(ids)))
    if rows:
        connection.execute(_postings.insert(), rows)
    _count_documents(connection, changes)


def _count_documents(connection: Connection, changes: dict[int, int]) -> None:
    """Add the changes to the terms' material counts, one statement per distinct change, in id order."""
    by_change: dict[int, list[int]] = defaultdict(list)
    for term_id, change in sorted(changes.items()):
        if change:
            by_change[change].append(term_id)
    for change, term_ids in sorted(by_change.items()):
        for start in range(0, len(term_ids), BATCH):
            connection.execute(
                update(_terms)
                .where(_terms.c.id.in_(term_ids[start : start + BATCH]))
                .values(document_count=_terms.c.document_count + bindparam("change", change))
            )


# Session events ------------------------------------------------------------------------------------------
def _changed(obj: Any, names: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _pending(session: Session) -> dict[str, set]:
    return session.info.setdefault(_PENDING, {"objects": set(), "ids": set(), "topics": set(), "tools": set()})


def _note_changes(session: Session, flush_context: Any, instances: Any) -> None:
    """Before a flush: note the materials whose searchable text changes (new ones have no id yet)."""
    pending = None
    for obj in session.new:
        if isinstance(obj, Material | GuideStep):
            pending = pending or _pending(session)
            pending["objects"].add(obj)
    for obj in session.dirty:
        if isinstance(obj, Material) and _changed(obj, _MATERIAL_FIELDS):
            (pending := pending or _pending(session))["objects"].add(obj)
        elif isinstance(obj, GuideStep) and _changed(obj, _STEP_FIELDS):
            pending = pending or _pending(session)
            pending["objects"].add(obj)
            # A step moved to another material changes the one it leaves, too.
            pending["ids"].update(inspect(obj).attrs.material_id.history.deleted)
            pending["objects"].update(inspect(obj).attrs.material.history.deleted)
        elif isinstance(obj, Topic) and _changed(obj, ("name", "parent_id", "parent")):
            (pending := pending or _pending(session))["topics"].add(obj.id)
        elif isinstance(obj, Tool) and _changed(obj, ("name",)):
            (pending := pending or _pending(session))["tools"].add(obj.id)
    deleted = []
    for obj in session.deleted:
        if isinstance(obj, Material) and obj.id is not None:
            deleted.append(obj.id)
        elif isinstance(obj, GuideStep):
            (pending := pending or _pending(session))["ids"].add(obj.material_id)
    if deleted:
        # The postings go before the material does, so that the terms' counts stay right on SQLite too
        # (where foreign keys do not cascade).
        _forget(session.connection(), deleted)


def _forget(connection: Connection, material_ids: list[int]) -> None:
    changes: dict[int, int] = defaultdict(int)
    for (term_id,) in connection.execute(select(_postings.c.term_id).where(_postings.c.material_id.in_(material_ids))):
        changes[term_id] -= 1
    connection.execute(delete(_postings).where(_postings.c.material_id.in_(material_ids)))
    _count_documents(connection, changes)


def _material_ids(session: Session, pending: dict[str, set]) -> set[int]:
    ids = set(pending["ids"])
    for obj in pending["objects"]:
        if inspect(obj).transient or inspect(obj).detached:  # added in a savepoint that was rolled back
            continue
        ids.add(obj.id if isinstance(obj, Material) else obj.material_id)
    connection = session.connection()
    if pending["topics"]:
        subtopics = select(Topic.id).where(Topic.parent_id.in_(pending["topics"]))
        ids.update(
            connection.scalars(
                select(Material.id).where(Material.topic_id.in_(pending["topics"]) | Material.topic_id.in_(subtopics))
            )
        )
    if pending["tools"]:
        ids.update(
            connection.scalars(
                select(material_tools.c.material_id).where(material_tools.c.tool_id.in_(pending["tools"]))
            )
        )
    ids.discard(None)
    return ids


def _index_before_commit(session: Session) -> None:
    """Before the commit: flush, then re-index what changed, in the same transaction."""
    # The commit's own flush comes after this event: flush now, so that the last changes are noted too.
    session.flush()
    while session.info.get(_PENDING):
        pending = session.info.pop(_PENDING)
        reindex(session, _material_ids(session, pending))
        session.flush()


def _drop_pending(session: Session, previous_transaction: Any) -> None:
    # A rolled-back savepoint may leave changes of the outer transaction to index: keep the notes then
    # (indexing a material once too often does no harm).
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)


def install() -> None:
    """Listen to the sessions of Flask-SQLAlchemy (once, however many apps are created)."""
    for name, listener in (
        ("before_flush", _note_changes),
        ("before_commit", _index_before_commit),
        ("after_soft_rollback", _drop_pending),
    ):
        if not event.contains(FlaskSession, name, listener):
            event.listen(FlaskSession, name, listener)


install()
