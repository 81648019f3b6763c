"""Forms of the editors' topic and tool pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from quali_kompass.forms import max_length, required, strip


class TopicForm(FlaskForm):
    name = StringField(_l("Name des Themas"), validators=[required(), max_length(120)], filters=[strip])
    # 0 stands for "no parent": the topic is a main topic.
    parent_id = SelectField(
        _l("Oberthema"),
        coerce=int,
        default=0,
        description=_l("Ohne Oberthema ist das Thema ein Hauptthema. Unterthemen haben keine weiteren Unterthemen."),
    )


class ToolForm(FlaskForm):
    name = StringField(_l("Name des Werkzeugs"), validators=[required(), max_length(120)], filters=[strip])
    description = TextAreaField(
        _l("Beschreibung (optional)"),
        validators=[Optional(), max_length(1000)],
        filters=[strip],
        description=_l("Wofür das Fachverfahren oder Werkzeug im Jobcenter genutzt wird."),
        render_kw={"rows": 3},
    )
