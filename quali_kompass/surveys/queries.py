"""Reading surveys: lists, the aggregated results and the demand they report; never an answer per person.

Suppression rule (the same everywhere, so that nobody can be singled out, not even by differencing):

* A survey's results are published only once it is closed — while it is open, a count that grows by one after a
  colleague says "done" would give away that colleague's answers — and only if at least ``MIN_GROUP`` people
  answered it. Every respondent answers every item, so each item's counts add up to the number of respondents.
* An item's row is published only if each of its three counts is 0 or at least ``MIN_GROUP``. A single count of
  1–4 hides the whole row: showing the other two counts would give the hidden one away by subtraction from the
  number of respondents.
* The demand for the unmet-needs list adds up only published rows. Any difference between two such sums (other
  departments, a later day) is then itself a sum of published counts, each 0 or at least ``MIN_GROUP``, and tells
  no more than the result pages do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from flask_login import current_user
from sqlalchemy import Select, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased, joinedload

from quali_kompass.catalogue.models import Tool, Topic
from quali_kompass.curricula.status import berlin_today
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Membership, Person, Team
from quali_kompass.surveys.models import LEVELS, Survey, SurveyAnswer, SurveyItem

MIN_GROUP = 5
MAX_ITEMS = 20
DEMAND_DAYS = 365  # surveys closed within this many days count for the unmet-needs list


# Lists ----------------------------------------------------------------------------------------------------------
def manageable_surveys(person: Person) -> Select:
    """The surveys this editor or admin manages, newest first, with their department."""
    statement = select(Survey).options(joinedload(Survey.department)).order_by(Survey.created_at.desc(), Survey.id)
    allowed = None if person.is_admin else person.editable_department_ids
    if allowed is not None:
        statement = statement.where(Survey.department_id.in_(allowed))
    return statement


def closed_condition(today: date):
    """SQL for Survey.is_closed."""
    return or_(Survey.state == "closed", and_(Survey.state == "open", Survey.closes_on < today))


def open_surveys_for(person_id: int, today: date) -> Select:
    """The open surveys of the person's current department that they have not answered yet (one statement)."""
    answered = (
        select(SurveyItem.id)
        .join(SurveyAnswer, SurveyAnswer.survey_item_id == SurveyItem.id)
        .where(SurveyItem.survey_id == Survey.id, SurveyAnswer.person_id == person_id)
    )
    return (
        select(Survey)
        .join(Team, Team.department_id == Survey.department_id)
        .join(Membership, and_(Membership.team_id == Team.id, Membership.end_date.is_(None)))
        .where(
            Membership.person_id == person_id,
            Survey.state == "open",
            Survey.closes_on >= today,
            ~exists(answered),
        )
        .order_by(Survey.closes_on, Survey.id)
    )


def my_open_surveys() -> list[Survey]:
    """For the start page's notice: the logged-in person's unanswered open surveys."""
    if not current_user.is_authenticated:
        return []
    return list(db.session.scalars(open_surveys_for(current_user.id, berlin_today())))


def my_answers(survey: Survey, person_id: int) -> dict[int, int]:
    """The person's own answers, by item id, to fill in their form again (shown to them only)."""
    rows = db.session.execute(
        select(SurveyAnswer.survey_item_id, SurveyAnswer.level)
        .join(SurveyItem, SurveyItem.id == SurveyAnswer.survey_item_id)
        .where(SurveyItem.survey_id == survey.id, SurveyAnswer.person_id == person_id)
    )
    return {item_id: level for item_id, level in rows}


def respondent_counts(survey_ids: Iterable[int]) -> dict[int, int]:
    """The number of people who answered each survey (one statement)."""
    ids = list(survey_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(SurveyItem.survey_id, func.count(func.distinct(SurveyAnswer.person_id)))
        .join(SurveyAnswer, SurveyAnswer.survey_item_id == SurveyItem.id)
        .where(SurveyItem.survey_id.in_(ids))
        .group_by(SurveyItem.survey_id)
    )
    return dict(rows.all())


# Results --------------------------------------------------------------------------------------------------------
def publishable(count: int) -> bool:
    """May this number of people be shown? Nobody (0) or a group of at least MIN_GROUP."""
    return count == 0 or count >= MIN_GROUP


def shown_count(count: int) -> int | None:
    """A count of people as it may be shown: None for 1 to MIN_GROUP - 1."""
    return count if publishable(count) else None


@dataclass(frozen=True)
class ItemResult:
    label: str
    counts: tuple[int, int, int] | None  # kein, etwas, hoher Bedarf; None: suppressed (a count between 1 and 4)

    @property
    def suppressed(self) -> bool:
        return self.counts is None


@dataclass(frozen=True)
class Results:
    respondents: int | None  # None: fewer than MIN_GROUP (but at least one)
    published: bool  # closed and at least MIN_GROUP respondents
    items: list[ItemResult]


def _item_counts(survey: Survey) -> dict[int, list[int]]:
    """Answers per item and level, counted in SQL (one statement)."""
    counts: dict[int, list[int]] = {item.id: [0] * len(LEVELS) for item in survey.items}
    rows = db.session.execute(
        select(SurveyAnswer.survey_item_id, SurveyAnswer.level, func.count())
        .join(SurveyItem, SurveyItem.id == SurveyAnswer.survey_item_id)
        .where(SurveyItem.survey_id == survey.id)
        .group_by(SurveyAnswer.survey_item_id, SurveyAnswer.level)
    )
    for item_id, level, count in rows:
        counts[item_id][level] = count
    return counts


def suppress_row(counts: Iterable[int]) -> tuple[int, ...] | None:
    """The row's counts, or None if any of them is between 1 and MIN_GROUP - 1 (see the module's docstring)."""
    row = tuple(counts)
    return row if all(publishable(count) for count in row) else None


def results(survey: Survey, today: date) -> Results:
    """The survey's aggregated results under the suppression rule (two statements)."""
    respondents = respondent_counts([survey.id]).get(survey.id, 0)
    published = survey.is_closed(today) and respondents >= MIN_GROUP
    if not published:
        return Results(shown_count(respondents), False, [])
    counts = _item_counts(survey)
    return Results(
        respondents,
        True,
        [ItemResult(item.label, suppress_row(counts[item.id])) for item in survey.items],  # type: ignore[arg-type]
    )


# Demand for the unmet-needs list --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Demand:
    label: str
    kind: str  # "topic" or "tool"
    high: int  # answers "hoher Bedarf", from published rows only
    some: int  # answers "etwas Bedarf"
    surveys: int  # in how many surveys the topic or tool was asked


def survey_demand(department_ids: frozenset[int] | None = None, today: date | None = None) -> list[Demand]:
    """Needs reported by closed surveys of the last DEMAND_DAYS days, by topic and tool (one statement).

    Only item rows that the result pages publish are added up (see the module's docstring); topics and tools that
    were deleted since are left out, as there is nothing in the catalogue to match them against. ``department_ids``
    limits the surveys to these departments (None: all). Sorted by "hoher Bedarf", then "etwas Bedarf".
    """
    today = today or berlin_today()
    respondents = (
        select(SurveyItem.survey_id, func.count(func.distinct(SurveyAnswer.person_id)).label("people"))
        .join(SurveyAnswer, SurveyAnswer.survey_item_id == SurveyItem.id)
        .group_by(SurveyItem.survey_id)
        .subquery()
    )
    levels = [
        func.count(case((SurveyAnswer.level == level, literal(1)))).label(name)
        for level, name in zip(LEVELS, ("none", "some", "high"), strict=True)
    ]
    per_item = (
        select(SurveyItem.id, SurveyItem.survey_id, SurveyItem.topic_id, SurveyItem.tool_id, *levels)
        .join(Survey, Survey.id == SurveyItem.survey_id)
        .join(SurveyAnswer, SurveyAnswer.survey_item_id == SurveyItem.id)
        .where(
            closed_condition(today),
            Survey.closes_on >= today - timedelta(days=DEMAND_DAYS),
            or_(SurveyItem.topic_id.is_not(None), SurveyItem.tool_id.is_not(None)),
        )
        .group_by(SurveyItem.id, SurveyItem.survey_id, SurveyItem.topic_id, SurveyItem.tool_id)
    )
    if department_ids is not None:
        per_item = per_item.where(Survey.department_id.in_(department_ids))
    per_item = per_item.subquery()
    none, some, high = per_item.c.none, per_item.c.some, per_item.c.high

    def ok(column):
        return or_(column == 0, column >= MIN_GROUP)

    parent = aliased(Topic)
    topic_label = case((parent.name.is_not(None), parent.name + " › " + Topic.name), else_=Topic.name)
    label = func.coalesce(Tool.name, topic_label)
    statement = (
        select(
            label.label("label"),
            per_item.c.tool_id,
            func.sum(high).label("high"),
            func.sum(some).label("some"),
            func.count(per_item.c.id).label("surveys"),
        )
        .select_from(per_item)
        .join(respondents, respondents.c.survey_id == per_item.c.survey_id)
        .outerjoin(Topic, Topic.id == per_item.c.topic_id)
        .outerjoin(parent, parent.id == Topic.parent_id)
        .outerjoin(Tool, Tool.id == per_item.c.tool_id)
        .where(
            respondents.c.people >= MIN_GROUP,
            ok(none),
            ok(some),
            ok(high),
            or_(Topic.id.is_not(None), Tool.id.is_not(None)),  # SQLite does not enforce ON DELETE SET NULL
        )
        .group_by(per_item.c.topic_id, per_item.c.tool_id, label)
        .order_by(func.sum(high).desc(), func.sum(some).desc(), label)
    )
    return [
        Demand(row.label, "tool" if row.tool_id is not None else "topic", row.high, row.some, row.surveys)
        for row in db.session.execute(statement)
        if row.high or row.some
    ]
