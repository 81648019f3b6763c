"""Forms of the news editor pages; times are wall-clock times in Europe/Berlin."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, StringField, TextAreaField, TimeField
from wtforms.validators import AnyOf, InputRequired

from quali_kompass.catalogue.sessions import in_berlin
from quali_kompass.forms import max_length, required, strip
from quali_kompass.news.models import NewsItem
from quali_kompass.organisation.forms import MultiCheckboxField


class NewsForm(FlaskForm):
    title = StringField(_l("Überschrift"), validators=[required(), max_length(200)], filters=[strip])
    body = TextAreaField(
        _l("Text"),
        validators=[required(), max_length(50_000)],
        description=_l(
            "Absätze durch eine Leerzeile trennen. **fett**, *kursiv*, Listen mit „- “ am Zeilenanfang, "
            "Links als [Text](https://…)."
        ),
        render_kw={"rows": 12},
    )
    publish_day = DateField(
        _l("Veröffentlichen am"),
        validators=[InputRequired(message=_l("Bitte geben Sie das Datum der Veröffentlichung an."))],
        description=_l("Liegt der Zeitpunkt in der Zukunft, erscheint die Neuigkeit erst dann."),
    )
    publish_time = TimeField(
        _l("Uhrzeit der Veröffentlichung"),
        validators=[InputRequired(message=_l("Bitte geben Sie die Uhrzeit der Veröffentlichung an."))],
    )
    pinned = BooleanField(_l("Oben anheften"), description=_l("Angeheftete Neuigkeiten stehen vor allen anderen."))
    all_departments = BooleanField(_l("Für alle Fachbereiche"))
    department_ids = MultiCheckboxField(_l("Fachbereiche"), coerce=int)
    material_ids = MultiCheckboxField(_l("Verknüpftes Material (optional)"), coerce=int)

    def fill_from(self, item: NewsItem) -> None:
        """Show a stored item, its time in Berlin."""
        moment = in_berlin(item.publish_at)
        self.publish_day.data = moment.date()
        self.publish_time.data = moment.time().replace(second=0, microsecond=0)
        self.department_ids.data = [department.id for department in item.departments]
        self.material_ids.data = [material.id for material in item.materials]


class DeleteForm(FlaskForm):
    # Sent by the confirmation page's button only: a bare POST deletes nothing.
    confirm = HiddenField(validators=[AnyOf(("yes",), message=_l("Bitte bestätigen Sie das Löschen."))])
