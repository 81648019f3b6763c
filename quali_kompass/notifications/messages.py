"""How a notification reads: a title, paragraphs and a link, phrased in the current locale when shown or sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from quali_kompass.notifications.models import Notification


@dataclass(frozen=True)
class Message:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # a list under the paragraphs, e.g. the open trainings
    link: str | None = None  # a path in the app
    link_label: str = ""


def day(value: str | None) -> str:
    """An ISO date from the parameters, as the interface shows dates."""
    return format_date(date.fromisoformat(value), "dd.MM.yyyy") if value else ""


def _material_link(params: dict) -> str | None:
    material_id = params.get("material_id")
    return url_for("catalogue.material", material_id=material_id) if material_id else None


def _item_line(item: dict) -> str:
    if item.get("late"):
        return _("%(title)s – überfällig seit %(day)s", title=item["title"], day=day(item["due_on"]))
    return _("%(title)s – fällig am %(day)s", title=item["title"], day=day(item["due_on"]))


def compose(notification: Notification) -> Message:
    """The message of a notification in the current locale."""
    params = notification.params or {}
    kind = notification.kind
    title = params.get("title", "")
    open_material = _("Zur Schulung")
    if kind == "due_in":
        days = int(params.get("days_left", 0))
        return Message(
            ngettext(
                "Pflichtschulung in %(num)s Tag fällig: %(title)s",
                "Pflichtschulung in %(num)s Tagen fällig: %(title)s",
                days,
                title=title,
            ),
            [_("Bitte schließen Sie „%(title)s“ bis zum %(day)s ab.", title=title, day=day(params.get("due_on")))],
            link=_material_link(params),
            link_label=open_material,
        )
    if kind == "due_today":
        return Message(
            _("Pflichtschulung heute fällig: %(title)s", title=title),
            [_("„%(title)s“ ist heute fällig. Bitte schließen Sie die Schulung heute ab.", title=title)],
            link=_material_link(params),
            link_label=open_material,
        )
    if kind == "overdue":
        if params.get("expired"):
            text = _(
                "Ihr Nachweis für „%(title)s“ ist seit dem %(day)s nicht mehr gültig. Bitte wiederholen Sie die "
                "Schulung.",
                title=title,
                day=day(params.get("due_on")),
            )
        else:
            text = _(
                "„%(title)s“ war am %(day)s fällig und ist noch nicht erledigt. Bitte holen Sie die Schulung nach.",
                title=title,
                day=day(params.get("due_on")),
            )
        return Message(
            _("Pflichtschulung überfällig: %(title)s", title=title),
            [text],
            link=_material_link(params),
            link_label=open_material,
        )
    if kind == "renewal_open":
        return Message(
            _("Auffrischung fällig: %(title)s", title=title),
            [
                _(
                    "Ihr Nachweis für „%(title)s“ gilt bis zum %(day)s. Sie können die Schulung jetzt wiederholen.",
                    title=title,
                    day=day(params.get("valid_until")),
                )
            ],
            link=_material_link(params),
            link_label=open_material,
        )
    if kind == "assigned":
        return Message(
            _("Neue Pflichtschulung: %(title)s", title=title),
            [
                _(
                    "„%(title)s“ ist für Sie Pflicht. Bitte schließen Sie die Schulung bis zum %(day)s ab.",
                    title=title,
                    day=day(params.get("due_on")),
                )
            ],
            link=_material_link(params),
            link_label=open_material,
        )
    if kind in ("plan_approved", "plan_declined"):
        approved = kind == "plan_approved"
        paragraphs = [
            _("%(lead)s hat Ihrem Vorschlag „%(title)s“ zugestimmt.", lead=params.get("lead", ""), title=title)
            if approved
            else _("%(lead)s hat Ihren Vorschlag „%(title)s“ abgelehnt.", lead=params.get("lead", ""), title=title)
        ]
        if approved and params.get("target_date"):
            paragraphs.append(_("Zieldatum: %(day)s", day=day(params["target_date"])))
        if params.get("note"):
            paragraphs.append(_("Begründung: %(note)s", note=params["note"]) if not approved else params["note"])
        return Message(
            _("Vorschlag angenommen: %(title)s", title=title)
            if approved
            else _("Vorschlag abgelehnt: %(title)s", title=title),
            paragraphs,
            link=url_for("curricula.plan_page"),
            link_label=_("Zu Ihrem Qualifizierungsplan"),
        )
    if kind == "reminder":
        return Message(
            _("Erinnerung an Ihre offenen Pflichtschulungen"),
            [_("%(sender)s erinnert Sie an diese Pflichtschulungen:", sender=params.get("sender", ""))],
            [_item_line(item) for item in params.get("items", [])],
            link=url_for("frame.home"),
            link_label=_("Zu Mein Kompass"),
        )
    if kind == "digest":
        lines = [
            _("%(person)s (%(team)s): %(item)s", person=entry["person"], team=entry["team"], item=_item_line(entry))
            for entry in params.get("entries", [])
        ]
        total = int(params.get("total", len(lines)))
        paragraphs = [
            ngettext(
                "In Ihren Teams ist %(num)s Pflichtschulung überfällig:",
                "In Ihren Teams sind %(num)s Pflichtschulungen überfällig:",
                total,
            )
        ]
        if total > len(lines):
            paragraphs.append(_("Die ersten %(shown)d sehen Sie hier, alle in der Teamübersicht.", shown=len(lines)))
        return Message(
            _("Wochenübersicht: überfällige Pflichtschulungen in Ihren Teams"),
            paragraphs,
            lines,
            link=url_for("organisation.my_teams"),
            link_label=_("Zur Teamübersicht"),
        )
    if kind == "survey_open":
        survey_id = params.get("survey_id")
        return Message(
            _("Bedarfsabfrage: %(title)s", title=title),
            [
                _(
                    "Welche Schulungen brauchen Sie? Bitte geben Sie bis zum %(day)s an, bei welchen Themen und "
                    "Werkzeugen Sie Bedarf haben. Ihre Angaben werden nur zusammengefasst ausgewertet.",
                    day=day(params.get("closes_on")),
                )
            ],
            link=url_for("surveys.answer", survey_id=survey_id) if survey_id else None,
            link_label=_("Zur Bedarfsabfrage"),
        )
    if kind == "need_answered":
        return _need_answered(params, title)
    return Message(_("Benachrichtigung"))


def _need_answered(params: dict, title: str) -> Message:
    """An editor answered a qualification need (needs.services.answer)."""
    state = params.get("state")
    paragraphs = []
    if params.get("team"):
        team = params["team"]
        paragraphs.append(_("Es geht um den Bedarf, den Sie für Ihr Team %(team)s gemeldet haben.", team=team))
    if state == "met":
        heading = _("Passendes Angebot für Ihren Bedarf: %(title)s", title=title)
        paragraphs.append(_("Die Redaktion hat diese Angebote für Ihren Bedarf ausgewählt:"))
    elif state == "declined":
        heading = _("Antwort auf Ihren Bedarf: %(title)s", title=title)
        paragraphs.append(_("Die Redaktion erstellt zu diesem Bedarf kein eigenes Angebot."))
    else:
        heading = _("Ihr Bedarf ist in Arbeit: %(title)s", title=title)
        paragraphs.append(_("Die Redaktion arbeitet an einem Angebot für Ihren Bedarf."))
    items = list(params.get("materials") or []) if state == "met" else []
    if params.get("reply"):
        paragraphs.append(_("Antwort der Redaktion: %(reply)s", reply=params["reply"]))
    need_id = params.get("need_id")
    return Message(
        heading,
        paragraphs,
        items,
        link=url_for("needs.my_needs", _anchor=f"bedarf-{need_id}") if need_id else url_for("needs.my_needs"),
        link_label=_("Zu Ihrem Qualifizierungsbedarf"),
    )
