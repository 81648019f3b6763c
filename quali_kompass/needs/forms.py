"""Forms of the needs: stating one, and an editor's answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import Optional

from quali_kompass.forms import max_length, strip
from quali_kompass.needs.models import MAX_REPLY, MAX_TEXT
from quali_kompass.organisation.forms import MultiCheckboxField

URGENCY_LABELS = {"low": _l("niedrig"), "medium": _l("mittel"), "high": _l("hoch")}
STATE_LABELS = {
    "open": _l("offen"),
    "in_progress": _l("in Arbeit"),
    "met": _l("erfüllt"),
    "declined": _l("abgelehnt"),
}


class NeedForm(FlaskForm):
    # Choices are set by the view; the service checks what was chosen.
    team_id = SelectField(_l("Für wen melden Sie den Bedarf?"), coerce=int, validate_choice=False, default=0)
    tool_id = SelectField(_l("Werkzeug oder Fachverfahren"), coerce=int, validate_choice=False, default=0)
    topic_id = SelectField(_l("Thema"), coerce=int, validate_choice=False, default=0)
    text = TextAreaField(
        _l("Was möchten Sie lernen?"),
        validators=[Optional(), max_length(MAX_TEXT)],
        filters=[strip],
        description=_l(
            "Beschreiben Sie in eigenen Worten, was Ihnen fehlt, zum Beispiel „Serienbriefe in der E-Akte“. "
            "Höchstens %(max)d Zeichen.",
            max=MAX_TEXT,
        ),
        render_kw={"rows": 4, "maxlength": MAX_TEXT},
    )
    urgency = RadioField(
        _l("Wie dringend ist es?"),
        choices=list(URGENCY_LABELS.items()),
        default="medium",
        validate_choice=False,  # the service names a wrong value at the field
    )


class AnswerForm(FlaskForm):
    material_ids = MultiCheckboxField(_l("Erfüllt durch …"), coerce=int, validate_choice=False, validators=[Optional()])
    state = RadioField(
        _l("Wie geht es weiter?"),
        choices=[("met", _l("Erfüllt")), ("in_progress", _l("In Arbeit")), ("declined", _l("Abgelehnt"))],
        default="met",
        validate_choice=False,
    )
    reply = TextAreaField(
        _l("Antwort an die Beschäftigten"),
        validators=[Optional(), max_length(MAX_REPLY)],
        filters=[strip],
        description=_l("Pflicht bei „Abgelehnt“. Die Person, die den Bedarf gemeldet hat, liest die Antwort."),
        render_kw={"rows": 3, "maxlength": MAX_REPLY},
    )
