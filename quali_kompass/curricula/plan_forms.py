"""Forms of the Qualifizierungsplan: a proposal, and the lead's approval or refusal."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import Optional

from quali_kompass.curricula.plan import MAX_TEXT, MAX_WISH
from quali_kompass.forms import max_length, required, strip


class ProposalForm(FlaskForm):
    material_id = SelectField(
        _l("Angebot aus dem Katalog"),
        coerce=int,
        validate_choice=False,  # the service checks that the material exists and is published
        description=_l("Wählen Sie ein Angebot – oder lassen Sie das Feld leer und beschreiben Sie Ihren Wunsch."),
    )
    wish = TextAreaField(
        _l("Eigener Wunsch (wenn kein Angebot passt)"),
        validators=[Optional(), max_length(MAX_WISH)],
        filters=[strip],
        description=_l("Zum Beispiel „Aufbaukurs Excel“ oder „Hospitation im Arbeitgeber-Service“."),
        render_kw={"rows": 2, "maxlength": MAX_WISH},
    )
    reason = TextAreaField(
        _l("Begründung"),
        validators=[required(), max_length(MAX_TEXT)],
        filters=[strip],
        description=_l("Wofür brauchen Sie die Qualifizierung? Höchstens %(max)d Zeichen.", max=MAX_TEXT),
        render_kw={"rows": 4, "maxlength": MAX_TEXT},
    )


class ApproveForm(FlaskForm):
    target_date = DateField(
        _l("Zieldatum (optional)"),
        validators=[Optional()],
        description=_l("Bis wann soll die Qualifizierung stattfinden? Nicht in der Vergangenheit."),
    )
    note = TextAreaField(
        _l("Hinweis (optional)"),
        validators=[Optional(), max_length(MAX_TEXT)],
        filters=[strip],
        render_kw={"rows": 2, "maxlength": MAX_TEXT},
    )


class DeclineForm(FlaskForm):
    note = TextAreaField(
        _l("Begründung der Ablehnung"),
        validators=[required(), max_length(MAX_TEXT)],
        filters=[strip],
        render_kw={"rows": 2, "maxlength": MAX_TEXT},
    )
