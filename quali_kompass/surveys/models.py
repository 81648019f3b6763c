"""A needs survey of one department, its items (a topic or a tool each) and the answers of its members."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quali_kompass.catalogue.models import Tool, Topic
from quali_kompass.database import Base, UTCDateTime, utcnow
from quali_kompass.organisation.models import Department, Person

STATES = ("draft", "open", "closed")
LEVELS = (0, 1, 2)  # kein, etwas, hoher Bedarf


class Survey(Base):
    """A Bedarfsabfrage sent to the current members of one department.

    Drafts are seen by their editors only; "open" surveys can be answered until ``closes_on`` (inclusive) or until an
    editor ends them. Closing early sets ``closes_on`` to the day of closing, so that it is always the last day.
    A deleted department takes its surveys with it: their results have no one left to speak for.
    """

    __tablename__ = "survey"
    __table_args__ = (
        CheckConstraint(f"state IN {STATES}", name="state_known"),
        CheckConstraint("opens_on IS NULL OR opens_on <= closes_on", name="dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="", server_default="")
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default="draft", server_default="draft")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    department: Mapped[Department] = relationship()
    created_by: Mapped[Person | None] = relationship()
    items: Mapped[list[SurveyItem]] = relationship(
        back_populates="survey", order_by="SurveyItem.position", cascade="all, delete-orphan", passive_deletes=True
    )

    def is_open(self, today: date) -> bool:
        """Open for answers today."""
        return self.state == "open" and today <= self.closes_on

    def is_closed(self, today: date) -> bool:
        """Ended by an editor, or past its last day."""
        return self.state == "closed" or (self.state == "open" and today > self.closes_on)

    def can_manage(self, person: Person) -> bool:
        """Admins manage all surveys, editors those of the departments they may edit (all, unless limited)."""
        if person.is_admin:
            return True
        if not person.is_editor:
            return False
        allowed = person.editable_department_ids
        return allowed is None or self.department_id in allowed

    def can_answer(self, person: Person, today: date) -> bool:
        """The active current members of the department, while the survey is open."""
        team = person.current_team
        return person.active and team is not None and team.department_id == self.department_id and self.is_open(today)


class SurveyItem(Base):
    """One question of a survey: the need for a topic or for a tool.

    ``label`` keeps the name the people were asked about, so that the results still read right after the topic or
    tool has been renamed or deleted (the link then becomes NULL).
    """

    __tablename__ = "survey_item"
    __table_args__ = (
        UniqueConstraint("survey_id", "position", name="uq_survey_item_survey_position"),
        CheckConstraint("topic_id IS NULL OR tool_id IS NULL", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topic.id", ondelete="SET NULL"), index=True)
    tool_id: Mapped[int | None] = mapped_column(ForeignKey("tool.id", ondelete="SET NULL"), index=True)
    label: Mapped[str] = mapped_column(String(250))

    survey: Mapped[Survey] = relationship(back_populates="items")
    topic: Mapped[Topic | None] = relationship()
    tool: Mapped[Tool | None] = relationship()


class SurveyAnswer(Base):
    """A person's need for one item: 0 kein, 1 etwas, 2 hoher Bedarf. Never shown per person, only counted."""

    __tablename__ = "survey_answer"
    __table_args__ = (
        UniqueConstraint("survey_item_id", "person_id", name="uq_survey_answer_item_person"),
        CheckConstraint(f"level IN {LEVELS}", name="level_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_item_id: Mapped[int] = mapped_column(ForeignKey("survey_item.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    level: Mapped[int] = mapped_column(SmallInteger)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
