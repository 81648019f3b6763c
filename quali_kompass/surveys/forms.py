"""Forms of the survey pages: a new survey, and the CSRF-protected shell of the answer form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from quali_kompass.curricula.requirement_forms import ChoiceField, DayField
from quali_kompass.forms import max_length, required, strip
from quali_kompass.organisation.forms import MultiCheckboxField


class IdCheckboxes(MultiCheckboxField):
    """Checkboxes of ids; unknown or malformed values are left to the service, which refuses them in German."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = [int(value) for value in valuelist if value.strip().isdigit()]


class SurveyForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[required(), max_length(200)], filters=[strip])
    intro = TextAreaField(
        _l("Einleitung (optional)"),
        validators=[Optional(), max_length(2000)],
        description=_l("Worum geht es, und was geschieht mit den Antworten?"),
    )
    department_id = ChoiceField(
        _l("Fachbereich"),
        coerce=int,
        validators=[InputRequired(message=_l("Bitte wählen Sie einen Fachbereich."))],
        description=_l("Alle aktiven Mitglieder seiner Teams werden gefragt."),
    )
    closes_on = DayField(
        _l("Antworten möglich bis einschließlich"),
        validators=[InputRequired(message=_l("Bitte geben Sie den letzten Tag der Bedarfsabfrage an."))],
    )
    topic_ids = IdCheckboxes(_l("Themen"))
    tool_ids = IdCheckboxes(_l("Fachverfahren und Werkzeuge"))


class ActionForm(FlaskForm):
    """Only the CSRF token: sending, closing, and the answer form (whose radio buttons are read per item)."""
