"""Forms for completion records: recording one, resetting one, confirming attendance."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from quali_kompass.forms import max_length, optional_int, strip
from quali_kompass.organisation.forms import MultiCheckboxField


class RecordForm(FlaskForm):
    material_id = SelectField(
        _l("Material"),
        coerce=optional_int,
        validators=[InputRequired(message=_l("Bitte wählen Sie ein Material aus."))],
    )
    completed_on = DateField(_l("Erledigt am"), validators=[InputRequired(message=_l("Bitte geben Sie das Datum an."))])
    note = TextAreaField(
        _l("Notiz"),
        validators=[DataRequired(message=_l("Bitte geben Sie eine Notiz an.")), max_length(2000)],
        filters=[strip],
        description=_l("Zum Beispiel, wo und wie die Schulung stattgefunden hat. Die Person sieht die Notiz."),
    )


class ResetForm(FlaskForm):
    """One per completion on the page: the prefix keeps the fields' ids apart."""

    reason = TextAreaField(
        _l("Grund"),
        validators=[DataRequired(message=_l("Bitte geben Sie einen Grund an.")), max_length(2000)],
        filters=[strip],
        description=_l("Die Person sieht, wer den Nachweis zurückgesetzt hat und warum."),
    )


class AttendanceForm(FlaskForm):
    # Which people may be chosen is the service's decision (registered, and the viewer's own people).
    person_ids = MultiCheckboxField(_l("Teilnehmende"), coerce=int, validate_choice=False, validators=[Optional()])
