"""Reads: the news of a person, the editors' list, and what is new in the person's department."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, exists, func, not_, or_, select
from sqlalchemy.orm import joinedload, selectinload, with_expression

from quali_kompass.catalogue.models import Material, MaterialVersion, material_departments
from quali_kompass.extensions import db
from quali_kompass.news.models import NewsItem, NewsRead, news_departments
from quali_kompass.organisation.models import Membership, Person, Team

LATEST_ON_HOME = 3
NEW_IN_DEPARTMENT = 5
NEW_IN_DEPARTMENT_DAYS = 30


def current_department_ids(person_id: int) -> Select:
    """The department of the person's current team (none without a team), as a subquery."""
    return (
        select(Team.department_id)
        .join(Membership, Membership.team_id == Team.id)
        .where(Membership.person_id == person_id, Membership.end_date.is_(None))
    )


def current_department_id(person_id: int) -> int | None:
    return db.session.scalar(current_department_ids(person_id).limit(1))


def for_person(person_id: int) -> ColumnElement[bool]:
    """News for everyone, or for the department of the person's current team."""
    return or_(
        NewsItem.all_departments.is_(True),
        exists().where(
            news_departments.c.news_id == NewsItem.id,
            news_departments.c.department_id.in_(current_department_ids(person_id)),
        ),
    )


def with_read_at(person_id: int):
    """Load ``NewsItem.read_at`` for this person, in the same statement."""
    read_at = (
        select(NewsRead.read_at)
        .where(NewsRead.news_id == NewsItem.id, NewsRead.person_id == person_id)
        .correlate(NewsItem)
        .scalar_subquery()
    )
    return with_expression(NewsItem.read_at, read_at)


def person_news(person_id: int, now: datetime) -> Select:
    """The published news for this person: pinned first, then newest."""
    return (
        select(NewsItem)
        .options(with_read_at(person_id))
        .where(NewsItem.publish_at <= now, for_person(person_id))
        .order_by(NewsItem.pinned.desc(), NewsItem.publish_at.desc(), NewsItem.id.desc())
    )


def latest_news(person_id: int, now: datetime, limit: int = LATEST_ON_HOME) -> list[NewsItem]:
    """The first few of ``person_news``, for the start page."""
    return list(db.session.scalars(person_news(person_id, now).limit(limit)))


def news_item(news_id: int, person_id: int) -> NewsItem | None:
    """One item with its departments, linked materials, author and the person's read time (three statements)."""
    return db.session.scalar(
        select(NewsItem)
        .options(
            with_read_at(person_id),
            joinedload(NewsItem.author),
            selectinload(NewsItem.departments),
            selectinload(NewsItem.materials),
        )
        .where(NewsItem.id == news_id)
        .execution_options(populate_existing=True)
    )


def editable_news(editor: Person) -> Select:
    """The news this editor may edit, newest publication first."""
    statement = (
        select(NewsItem)
        .options(joinedload(NewsItem.author), selectinload(NewsItem.departments))
        .order_by(NewsItem.publish_at.desc(), NewsItem.id.desc())
    )
    allowed = editor.editable_department_ids
    if allowed is not None:
        own = news_departments.c.news_id == NewsItem.id
        statement = statement.where(
            NewsItem.all_departments.is_(False),
            exists().where(own),
            not_(exists().where(and_(own, news_departments.c.department_id.not_in(allowed)))),
        )
    return statement


# Neu in Ihrem Fachbereich ----------------------------------------------------------------------------------------
def _material_for_person(person_id: int) -> ColumnElement[bool]:
    return and_(
        Material.status == "published",
        or_(
            Material.all_departments.is_(True),
            exists().where(
                material_departments.c.material_id == Material.id,
                material_departments.c.department_id.in_(current_department_ids(person_id)),
            ),
        ),
    )


def new_materials(person_id: int, now: datetime, limit: int = NEW_IN_DEPARTMENT) -> list[tuple[Material, datetime]]:
    """Material for the person's department first published in the last days, newest first, with that time."""
    # A new version moves Material.published_at; the first version's time is when the material was new.
    first_published = func.coalesce(
        select(func.min(MaterialVersion.published_at))
        .where(MaterialVersion.material_id == Material.id)
        .correlate(Material)
        .scalar_subquery(),
        Material.published_at,
    )
    since = now - timedelta(days=NEW_IN_DEPARTMENT_DAYS)
    statement = (
        select(Material, first_published)
        # published_at is never before the first version's time: the index narrows the search to the last days
        .where(Material.published_at >= since, _material_for_person(person_id), first_published >= since)
        .order_by(first_published.desc(), Material.id.desc())
        .limit(limit)
    )
    return [(material, published) for material, published in db.session.execute(statement)]


def recompletion_versions(person_id: int, now: datetime, limit: int = NEW_IN_DEPARTMENT) -> list[MaterialVersion]:
    """New versions that must be completed again, of material for the person's department, newest first."""
    since = now - timedelta(days=NEW_IN_DEPARTMENT_DAYS)
    statement = (
        select(MaterialVersion)
        .join(Material, Material.id == MaterialVersion.material_id)
        .options(joinedload(MaterialVersion.material))
        .where(
            MaterialVersion.recompletion_required.is_(True),
            MaterialVersion.published_at >= since,
            MaterialVersion.published_at <= now,
            _material_for_person(person_id),
        )
        .order_by(MaterialVersion.published_at.desc(), MaterialVersion.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(statement))
