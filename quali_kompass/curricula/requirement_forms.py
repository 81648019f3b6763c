"""Forms of the requirement pages; the rule checks themselves live in ``requirements.rule_problems``."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional, ValidationError

from quali_kompass.curricula.requirements import DEFAULT_RENEWAL_WINDOW, RuleInput, rule_problems
from quali_kompass.curricula.status import berlin_today
from quali_kompass.forms import max_length, optional_int, strip

_DAY_MONTH = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.?\s*$")


class WholeNumberField(IntegerField):
    """An integer field whose parse error is German."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist and valuelist[0].strip():
            try:
                self.data = int(valuelist[0].strip())
            except ValueError as error:
                self.data = None
                raise ValueError(_l("Bitte geben Sie eine ganze Zahl ein.")) from error
        else:
            self.data = None


class DayField(DateField):
    """A date field whose parse error is German."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Bitte geben Sie ein gültiges Datum an.")) from error


class ChoiceField(SelectField):
    """A select field whose errors are German; shown like any select (``_forms.field``)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.type = "SelectField"

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Bitte wählen Sie einen Eintrag aus der Liste.")) from error

    def pre_validate(self, form) -> None:
        try:
            super().pre_validate(form)
        except ValidationError as error:
            raise ValidationError(_l("Bitte wählen Sie einen Eintrag aus der Liste.")) from error


class RuleFormMixin:
    """The due and recertification fields, shared by the new-requirement and the change-rule form."""

    due_kind = ChoiceField(
        _l("Fällig"),
        choices=[("days", _l("innerhalb einer Frist nach der Zuweisung")), ("date", _l("bis zu einem festen Datum"))],
        default="days",
    )
    due_days = WholeNumberField(
        _l("Frist in Tagen nach der Zuweisung"),
        validators=[Optional()],
        default=30,
        description=_l("1 bis 3650 Tage; nur bei einer Frist nach der Zuweisung."),
    )
    due_date = DayField(
        _l("Fester Termin"),
        validators=[Optional()],
        description=_l("Nur bei einem festen Datum. Wer später hinzukommt, hat 30 Tage Zeit."),
    )
    recertification = ChoiceField(
        _l("Auffrischung"),
        choices=[
            ("none", _l("keine")),
            ("months", _l("alle paar Monate nach dem Nachweis")),
            ("yearly", _l("jährlich bis zu einem Stichtag")),
        ],
        default="none",
    )
    recert_months = WholeNumberField(
        _l("Auffrischung alle … Monate"),
        validators=[Optional()],
        description=_l("1 bis 120 Monate; nur bei einer Auffrischung nach Monaten."),
    )
    recert_day_month = StringField(
        _l("Jährlicher Stichtag (TT.MM.)"),
        validators=[Optional()],
        filters=[strip],
        description=_l("Zum Beispiel 31.01.; nur bei einer jährlichen Auffrischung."),
    )
    renewal_window_days = WholeNumberField(
        _l("Erinnerung … Tage vor Ablauf"),
        validators=[Optional()],
        default=DEFAULT_RENEWAL_WINDOW,
        description=_l("0 bis 365 Tage. Ab dann gilt die Auffrischung als fällig."),
    )

    def rule_input(self) -> RuleInput:
        day = month = None
        if match := _DAY_MONTH.match(self.recert_day_month.data or ""):
            day, month = int(match.group(1)), int(match.group(2))
        return RuleInput(
            due_kind=self.due_kind.data,
            due_days=self.due_days.data,
            due_date=self.due_date.data,
            recertification=self.recertification.data,
            recert_months=self.recert_months.data,
            recert_month=month,
            recert_day=day,
            renewal_window_days=self.renewal_window_days.data,
        )

    def show_rule(self, rule) -> None:
        """Fill the fields from a stored rule."""
        for name in ("due_kind", "due_days", "due_date", "recertification", "recert_months", "renewal_window_days"):
            getattr(self, name).data = getattr(rule, name)
        if rule.recert_day and rule.recert_month:
            self.recert_day_month.data = f"{rule.recert_day:02d}.{rule.recert_month:02d}."

    def check_rule(self, today: date) -> bool:
        """Put the rule's problems at their fields; True if there are none."""
        problems = rule_problems(self.rule_input(), today)
        for name, message in problems:
            field = getattr(self, name)
            field.errors = [*field.errors, message]
        return not problems


class RequirementForm(RuleFormMixin, FlaskForm):
    material_id = ChoiceField(
        _l("Material"),
        coerce=optional_int,
        validators=[InputRequired(message=_l("Bitte wählen Sie ein Material."))],
        description=_l("Nur veröffentlichtes Material kann Pflicht werden."),
    )
    scope = ChoiceField(
        _l("Gilt für"), validators=[InputRequired(message=_l("Bitte wählen Sie, für wen die Pflichtschulung gilt."))]
    )
    effective_from = DayField(
        _l("Gilt ab"),
        validators=[InputRequired(message=_l("Bitte geben Sie an, ab wann die Pflichtschulung gilt."))],
        default=berlin_today,
        description=_l("Wer an diesem Tag zum Bereich gehört, bekommt die Schulung ab diesem Tag zugewiesen."),
    )
    note = TextAreaField(
        _l("Hinweis (optional)"),
        validators=[Optional(), max_length(2000)],
        description=_l("Zum Beispiel der Anlass oder die Vorgabe, auf der die Pflicht beruht."),
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self.check_rule(berlin_today()) and valid


class RuleChangeForm(RuleFormMixin, FlaskForm):
    valid_from = DayField(
        _l("Neue Regel gilt ab"),
        validators=[Optional()],
        default=berlin_today,
        description=_l("Ohne Angabe: ab heute."),
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self.check_rule(berlin_today()) and valid


class EndForm(FlaskForm):
    ended_on = DayField(
        _l("Aufgehoben ab"),
        validators=[InputRequired(message=_l("Bitte geben Sie an, ab wann die Pflichtschulung nicht mehr gilt."))],
        default=berlin_today,
    )
    confirm = BooleanField(
        _l("Ja, diese Pflichtschulung aufheben"),
        validators=[InputRequired(message=_l("Bitte bestätigen Sie, dass Sie die Pflichtschulung aufheben möchten."))],
    )
