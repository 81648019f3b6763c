"""The editor's form for a session date; times are wall-clock times in Europe/Berlin."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, NumberRange, Optional

from quali_kompass.catalogue.models import SessionDate
from quali_kompass.catalogue.sessions import MAX_CAPACITY, in_berlin
from quali_kompass.forms import max_length, strip, valid_email


class SessionDateForm(FlaskForm):
    day = DateField(_l("Datum"), validators=[InputRequired(message=_l("Bitte geben Sie das Datum an."))])
    start_time = TimeField(
        _l("Beginn (Uhrzeit)"), validators=[InputRequired(message=_l("Bitte geben Sie die Anfangszeit an."))]
    )
    end_time = TimeField(
        _l("Ende (Uhrzeit)"), validators=[InputRequired(message=_l("Bitte geben Sie die Endzeit an."))]
    )
    place = StringField(
        _l("Ort"),
        validators=[Optional(), max_length(300)],
        filters=[strip],
        description=_l("Zum Beispiel Raum und Gebäude. Ort, Link zur Online-Teilnahme oder beides."),
    )
    online_url = StringField(
        _l("Link zur Online-Teilnahme"),
        validators=[Optional(), max_length(2000)],
        filters=[strip],
        description=_l("Nur angemeldete Personen sehen den Link. Beginnt mit https://"),
    )
    capacity = IntegerField(
        _l("Plätze"),
        validators=[
            InputRequired(message=_l("Bitte geben Sie die Zahl der Plätze an.")),
            NumberRange(
                min=1,
                max=MAX_CAPACITY,
                message=_l("Bitte geben Sie zwischen 1 und %(max)d Plätze an.", max=MAX_CAPACITY),
            ),
        ],
    )
    note = TextAreaField(
        _l("Hinweis (optional)"),
        validators=[Optional(), max_length(2000)],
        description=_l("Zum Beispiel, was mitzubringen ist."),
    )
    trainer_email = StringField(
        _l("Trainer/in (optional)"),
        validators=[Optional(), valid_email(), max_length(254)],
        filters=[strip],
        description=_l("E-Mail-Adresse der Person, die den Termin leitet. Sie kann die Teilnahme bestätigen."),
    )

    def fill_from(self, session_date: SessionDate) -> None:
        """Show a stored date in Berlin time."""
        starts, ends = in_berlin(session_date.starts_at), in_berlin(session_date.ends_at)
        self.day.data = starts.date()
        self.start_time.data = starts.time().replace(second=0, microsecond=0)
        self.end_time.data = ends.time().replace(second=0, microsecond=0)
        self.place.data = session_date.place
        self.online_url.data = session_date.online_url
        self.capacity.data = session_date.capacity
        self.note.data = session_date.note
        self.trainer_email.data = session_date.trainer.email if session_date.trainer else ""
