"""Forms of feedback: the rating on the material page, the editors' answer to a comment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import StopValidation

from quali_kompass.feedback.models import COMMENT_MAX, RATINGS, REPLY_MAX
from quali_kompass.forms import max_length, required, strip

RATING_LABELS = {
    1: _l("gar nicht"),
    2: _l("wenig"),
    3: _l("teilweise"),
    4: _l("ziemlich"),
    5: _l("sehr"),
}


def _rating(value: object) -> int | None:
    """Anything but a whole number becomes None, for the German message below (not WTForms' English one)."""
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _rating_chosen(form, field) -> None:
    if field.data not in RATINGS:
        raise StopValidation(_l("Bitte wählen Sie eine Bewertung von 1 bis 5."))


class FeedbackForm(FlaskForm):
    rating = RadioField(
        _l("War das hilfreich?"),
        choices=[(rating, label) for rating, label in RATING_LABELS.items()],
        coerce=_rating,
        validate_choice=False,
        validators=[_rating_chosen],
    )
    comment = TextAreaField(
        _l("Kommentar (freiwillig)"),
        validators=[max_length(COMMENT_MAX)],
        filters=[strip],
        description=_l(
            "Die Redaktion liest Ihren Kommentar ohne Ihren Namen. Beantwortet sie ihn, erscheinen Kommentar und "
            "Antwort ohne Namen auf dieser Seite. Bitte nennen Sie keine Namen und keine Daten von Kundinnen und "
            "Kunden."
        ),
        render_kw={"maxlength": COMMENT_MAX, "rows": 4},
    )


class ReplyForm(FlaskForm):
    """One per comment on the page: the prefix keeps the fields' ids apart."""

    reply = TextAreaField(
        _l("Antwort der Redaktion"),
        validators=[required(), max_length(REPLY_MAX)],
        filters=[strip],
        description=_l("Die Antwort erscheint mit dem Kommentar öffentlich auf der Seite des Materials."),
        render_kw={"maxlength": REPLY_MAX, "rows": 3},
    )
