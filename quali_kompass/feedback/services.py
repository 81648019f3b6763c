"""Writes of feedback: give or change one's rating, answer a comment. Flush, never commit."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from quali_kompass.audit.services import record as audit
from quali_kompass.catalogue.models import Material
from quali_kompass.database import utcnow
from quali_kompass.errors import ServiceError
from quali_kompass.extensions import db
from quali_kompass.feedback.models import COMMENT_MAX, RATINGS, REPLY_MAX, MaterialFeedback
from quali_kompass.organisation.models import Person


def own_feedback(person_id: int, material: Material) -> MaterialFeedback | None:
    """The person's rating of the material's current version (or of the material, if it has no versions)."""
    version = material.current_version
    statement = select(MaterialFeedback).where(
        MaterialFeedback.person_id == person_id, MaterialFeedback.material_id == material.id
    )
    if version is None:
        statement = statement.where(MaterialFeedback.material_version_id.is_(None))
    else:
        statement = statement.where(MaterialFeedback.material_version_id == version.id)
    return db.session.scalar(statement)


def give_feedback(person: Person, material: Material, rating: int, comment: str) -> MaterialFeedback:
    """Rate the current version of a published material, or change one's rating of it.

    Deliberately not audited: the audit log names its actors, and feedback is read without names.
    Changing the comment takes back the editors' answer, which no longer fits it.
    """
    if material.status != "published":
        raise ServiceError(_("Nur veröffentlichtes Material kann bewertet werden."))
    if rating not in RATINGS:
        raise ServiceError(_("Bitte wählen Sie eine Bewertung von 1 bis 5."), "rating")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ServiceError(_("Bitte geben Sie höchstens %(max)d Zeichen ein.", max=COMMENT_MAX), "comment")
    feedback = own_feedback(person.id, material)
    if feedback is None:
        version = material.current_version
        feedback = MaterialFeedback(
            person_id=person.id,
            material_id=material.id,
            material_version_id=version.id if version else None,
            rating=rating,
            comment=comment,
        )
        try:
            with db.session.begin_nested():
                db.session.add(feedback)
        except IntegrityError:  # a parallel request was first: change that one
            feedback = own_feedback(person.id, material)
            if feedback is None:
                raise
        else:
            return feedback
    feedback.rating = rating
    if comment != feedback.comment:
        feedback.comment = comment
        feedback.reply = ""
        feedback.replied_at = None
    feedback.updated_at = utcnow()
    db.session.flush()
    return feedback


def reply(editor: Person, feedback: MaterialFeedback, text: str) -> None:
    """Answer a comment publicly (the answer and the comment appear under the material, without names)."""
    if not feedback.comment:
        raise ServiceError(_("Nur Kommentare können beantwortet werden."))
    text = (text or "").strip()
    if not text:
        raise ServiceError(_("Bitte geben Sie eine Antwort ein."), "reply")
    if len(text) > REPLY_MAX:
        raise ServiceError(_("Bitte geben Sie höchstens %(max)d Zeichen ein.", max=REPLY_MAX), "reply")
    changed = bool(feedback.reply)
    feedback.reply = text
    feedback.replied_at = utcnow()
    db.session.flush()
    # The material's title as label: the log shows who answered on which material, never whose comment it was.
    action = "feedback_reply_changed" if changed else "feedback_replied"
    audit(action, feedback, actor=editor, label=feedback.material.title)
