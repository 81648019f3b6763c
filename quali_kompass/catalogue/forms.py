"""Forms of the editor pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, NumberRange, Optional, ValidationError

from quali_kompass.catalogue.rendering import LEVEL_LABELS, SOURCE_LABELS
from quali_kompass.forms import max_length, required, strip, valid_email
from quali_kompass.organisation.forms import MultiCheckboxField


class MaterialForm(FlaskForm):
    kind = SelectField(_l("Art"), validators=[InputRequired(message=_l("Bitte wählen Sie die Art des Materials."))])
    title = StringField(_l("Titel"), validators=[required(), max_length(200)], filters=[strip])
    summary = TextAreaField(
        _l("Kurzbeschreibung"),
        validators=[Optional(), max_length(2000)],
        description=_l("Zwei, drei Sätze: Worum geht es, für wen ist es gedacht?"),
    )
    topic_id = SelectField(
        _l("Thema"), coerce=int, validators=[InputRequired(message=_l("Bitte wählen Sie ein Thema."))]
    )
    all_departments = BooleanField(_l("Für alle Fachbereiche"))
    department_ids = MultiCheckboxField(_l("Fachbereiche"), coerce=int)
    tool_ids = MultiCheckboxField(_l("Fachverfahren und Werkzeuge"), coerce=int)
    duration_minutes = IntegerField(
        _l("Dauer in Minuten (optional)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=10000, message=_l("Bitte geben Sie eine Dauer zwischen 1 und 10000 Minuten an.")),
        ],
    )
    level = SelectField(_l("Niveau"), choices=list(LEVEL_LABELS.items()))
    source = SelectField(_l("Herkunft"), choices=list(SOURCE_LABELS.items()))
    language = SelectField(_l("Sprache des Materials"), choices=[("de", "Deutsch"), ("en", "English")])
    contact_name = StringField(_l("Ansprechperson (optional)"), validators=[Optional(), max_length(200)])
    contact_email = StringField(
        _l("E-Mail-Adresse der Ansprechperson (optional)"),
        validators=[Optional(), valid_email(), max_length(254)],
        filters=[strip],
    )
    last_reviewed = DateField(_l("Zuletzt geprüft am (optional)"), validators=[Optional()])
    body = TextAreaField(
        _l("Text der Anleitung"),
        validators=[Optional(), max_length(200_000)],
        description=_l(
            "Absätze durch eine Leerzeile trennen. **fett**, *kursiv*, Listen mit „- “ am Zeilenanfang, "
            "Überschriften mit „## “, Links als [Text](https://…)."
        ),
        render_kw={"rows": 16},
    )
    external_url = StringField(
        _l("Adresse des Links"),
        validators=[Optional(), max_length(2000)],
        filters=[strip],
        description=_l("Zum Beispiel die Adresse eines E-Learnings der BA, beginnend mit https://"),
    )


class PublishForm(FlaskForm):
    change_note = TextAreaField(
        _l("Was hat sich geändert?"),
        validators=[Optional(), max_length(2000)],
        description=_l("Bei der ersten Veröffentlichung können Sie das Feld leer lassen."),
    )
    recompletion_required = BooleanField(
        _l("Erneute Bearbeitung erforderlich"),
        description=_l(
            "Wer das Material schon erledigt hat, muss es nach dieser Änderung noch einmal bearbeiten. "
            "Nur wählen, wenn sich Inhalte wesentlich geändert haben."
        ),
    )
    recompletion_grace_days = IntegerField(
        _l("Frist für die erneute Bearbeitung in Tagen"),
        default=30,
        validators=[
            Optional(),
            NumberRange(min=1, max=365, message=_l("Bitte geben Sie eine Frist zwischen 1 und 365 Tagen an.")),
        ],
        description=_l("Nur bei erneuter Bearbeitung: So viele Tage nach der Veröffentlichung ist sie fällig."),
    )


class VideoFileForm(FlaskForm):
    """One upload of the video editor: the video itself, its poster image or its captions."""

    part = HiddenField(validators=[AnyOf(("video", "poster", "captions"), message=_l("Unbekannter Teil des Videos."))])
    file = FileField(_l("Datei"), validators=[FileRequired(message=_l("Bitte wählen Sie eine Datei aus."))])


class TranscriptForm(FlaskForm):
    transcript = TextAreaField(_l("Transkript (optional)"), validators=[Optional(), max_length(200_000)])


def _within_percent(form, field) -> None:
    # A value that is no number at all has its own message already.
    if field.data is not None and not 0 <= field.data <= 100:
        raise ValidationError(_l("Bitte geben Sie einen Wert zwischen 0 und 100 an."))


def _percent(label) -> DecimalField:
    return DecimalField(label, places=1, validators=[Optional(), _within_percent], render_kw={"inputmode": "decimal"})


class GuideStepForm(FlaskForm):
    """One step of a click-through guide; the screenshot is required for a new step only."""

    image = FileField(
        _l("Bildschirmfoto"),
        description=_l("PNG, JPEG oder WebP. Entfernen Sie vorher alle echten Namen und Sozialdaten aus dem Bild."),
    )
    instruction = TextAreaField(
        _l("Anweisung"),
        validators=[required(), max_length(5000)],
        description=_l("Was ist in diesem Schritt zu tun? Zum Beispiel: Klicken Sie oben rechts auf „Zuordnen“."),
        render_kw={"rows": 4},
    )
    alt_text = StringField(
        _l("Alternativtext"),
        validators=[Optional(), max_length(500)],
        filters=[strip],
        description=_l(
            "Beschreibt das Bildschirmfoto für alle, die es nicht sehen können. Pflicht vor dem Veröffentlichen."
        ),
    )
    highlight_left = _percent(_l("Markierung: Abstand von links (%)"))
    highlight_top = _percent(_l("Markierung: Abstand von oben (%)"))
    highlight_width = _percent(_l("Markierung: Breite (%)"))
    highlight_height = _percent(_l("Markierung: Höhe (%)"))

    def highlight_percentages(self) -> tuple:
        fields = (self.highlight_left, self.highlight_top, self.highlight_width, self.highlight_height)
        return tuple(field.data for field in fields)

    def show_highlight(self, highlight: tuple[int, int, int, int] | None) -> None:
        """Fill the percentage fields from a stored highlight (per mille)."""
        for name, value in zip(("left", "top", "width", "height"), highlight or (None,) * 4, strict=True):
            getattr(self, f"highlight_{name}").data = None if value is None else value / 10
