"""Form helpers shared by all features: validators with German messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from quali_kompass.accounts.passwords import MAX_LENGTH, password_problem


def strip(value: str | None) -> str | None:
    """Field filter: ignore spaces around the input, as copied addresses often have them."""
    return value.strip() if isinstance(value, str) else value


def optional_int(value: object) -> int | None:
    """Coerce a select's value; its empty placeholder option means nothing chosen."""
    return None if value in (None, "") else int(value)


def required() -> DataRequired:
    return DataRequired(message=_l("Bitte füllen Sie dieses Feld aus."))


def max_length(limit: int) -> Length:
    return Length(max=limit, message=_l("Bitte geben Sie höchstens %(max)d Zeichen ein.", max=limit))


def valid_email() -> Email:
    return Email(
        message=_l("Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@jobcenter-ge.de."),
        check_deliverability=False,
    )


def acceptable_password(form, field) -> None:
    if problem := password_problem(field.data or ""):
        raise ValidationError(problem)


def new_password_fields() -> tuple[PasswordField, PasswordField]:
    """A new password and its repetition."""
    return (
        PasswordField(
            _l("Neues Passwort"),
            validators=[required(), acceptable_password],
            description=_l("Mindestens 12 Zeichen. Ein Satz aus mehreren Wörtern ist leicht zu merken und sicher."),
            render_kw={"autocomplete": "new-password", "maxlength": MAX_LENGTH},
        ),
        PasswordField(
            _l("Neues Passwort wiederholen"),
            validators=[
                required(),
                EqualTo("new_password", message=_l("Die beiden Passwörter stimmen nicht überein.")),
            ],
            render_kw={"autocomplete": "new-password", "maxlength": MAX_LENGTH},
        ),
    )
