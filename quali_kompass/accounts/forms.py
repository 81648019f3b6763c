"""Forms for logging in and for passwords."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField

from quali_kompass.accounts.passwords import MAX_LENGTH
from quali_kompass.forms import max_length, new_password_fields, required


class LoginForm(FlaskForm):
    email = StringField(
        _l("E-Mail-Adresse"), validators=[required(), max_length(254)], render_kw={"autocomplete": "username"}
    )
    password = PasswordField(
        _l("Passwort"),
        validators=[required(), max_length(MAX_LENGTH)],
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
    locale = SelectField(_l("Sprache"), choices=[("de", "Deutsch"), ("en", "English")])
