"""Forms of the organisation pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from quali_kompass.curricula.status import berlin_today
from quali_kompass.forms import max_length, required, strip, valid_email


class NameForm(FlaskForm):
    name = StringField(_l("Name"), validators=[required(), max_length(120)], filters=[strip])


class TeamForm(FlaskForm):
    name = StringField(_l("Name des Teams"), validators=[required(), max_length(120)], filters=[strip])
    department_id = SelectField(
        _l("Fachbereich"), coerce=int, validators=[InputRequired(message=_l("Bitte wählen Sie einen Fachbereich."))]
    )


class PersonByEmailForm(FlaskForm):
    """Pick a person by e-mail address (scales to any number of people, unlike a select list)."""

    email = StringField(
        _l("E-Mail-Adresse der Person"), validators=[required(), valid_email(), max_length(254)], filters=[strip]
    )


class PersonForm(FlaskForm):
    name = StringField(_l("Name"), validators=[required(), max_length(200)], render_kw={"autocomplete": "off"})
    email = StringField(_l("E-Mail-Adresse"), validators=[required(), valid_email(), max_length(254)], filters=[strip])
    personnel_number = StringField(_l("Personalnummer (optional)"), validators=[Optional(), max_length(40)])
    locale = SelectField(_l("Sprache der Oberfläche"), choices=[("de", "Deutsch"), ("en", "English")])
    active = BooleanField(_l("Aktiv (kann sich anmelden)"), default=True)


class NewPersonForm(PersonForm):
    team_id = SelectField(_l("Team"), coerce=int, validators=[Optional()])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RolesForm(FlaskForm):
    is_editor = BooleanField(_l("Redaktion"))
    editor_department_ids = MultiCheckboxField(
        _l("Redaktion nur für diese Fachbereiche (keine Auswahl: alle Fachbereiche)"), coerce=int
    )
    is_admin = BooleanField(_l("Administration"))
    is_auditor = BooleanField(_l("Datenschutz / Personalrat (nur lesen)"))


class MoveForm(FlaskForm):
    team_id = SelectField(_l("Neues Team"), coerce=int)
    start_date = DateField(
        _l("Im neuen Team ab"),
        default=berlin_today,
        validators=[InputRequired(message=_l("Bitte geben Sie ein Datum an."))],
    )


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV-Datei aus dem Personalsystem"),
        validators=[
            FileRequired(message=_l("Bitte wählen Sie eine Datei aus.")),
            FileAllowed(["csv", "txt"], message=_l("Bitte wählen Sie eine CSV-Datei (.csv) aus.")),
        ],
    )
    deactivate_missing = BooleanField(_l("Personen deaktivieren, die in der Datei fehlen (vollständiger Abgleich)"))
