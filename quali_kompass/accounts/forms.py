"""Forms for logging in and for passwords."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import ValidationError

from quali_kompass.accounts.passwords import MAX_LENGTH, normalise
from quali_kompass.forms import max_length, new_password_fields, required


def _password_length(form: FlaskForm, field: PasswordField) -> None:
    """Count characters as the policy does (NFC): decomposed umlauts from some keyboards are longer."""
    if len(normalise(field.data or "")) > MAX_LENGTH:
        raise ValidationError(_l("Bitte geben Sie höchstens %(max)d Zeichen ein.", max=MAX_LENGTH))


class LoginForm(FlaskForm):
    email = StringField(
        _l("E-Mail-Adresse"), validators=[required(), max_length(254)], render_kw={"autocomplete": "username"}
    )
    password = PasswordField(
        _l("Passwort"),
        validators=[required(), _password_length],
        render_kw={"autocomplete": "current-password"},
    )


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Bisheriges Passwort"), validators=[required()], render_kw={"autocomplete": "current-password"}
    )
    new_password, new_password_repeat = new_password_fields()


class PasswordResetForm(FlaskForm):
    new_password, new_password_repeat = new_password_fields()


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Sprache der Oberfläche"), choices=[("de", "Deutsch"), ("en", "English")])
