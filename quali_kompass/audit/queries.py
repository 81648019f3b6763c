"""Reading the audit log."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from quali_kompass.audit.models import AuditEvent

BERLIN = ZoneInfo("Europe/Berlin")

ACTION_LABELS = {
    "login": _l("Anmeldung"),
    "login_failed": _l("Fehlgeschlagene Anmeldung"),
    "login_throttled": _l("Anmeldung gesperrt (zu viele Versuche)"),
    "logout": _l("Abmeldung"),
    "password_changed": _l("Passwort geändert"),
    "password_reset_link_created": _l("Link zum Zurücksetzen erzeugt"),
    "password_reset": _l("Passwort über Link gesetzt"),
    "admin_created": _l("Administration angelegt (Kommandozeile)"),
    "department_created": _l("Fachbereich angelegt"),
    "department_renamed": _l("Fachbereich umbenannt"),
    "department_deleted": _l("Fachbereich gelöscht"),
    "department_head_added": _l("Fachbereichsleitung hinzugefügt"),
    "department_head_removed": _l("Fachbereichsleitung entfernt"),
    "team_created": _l("Team angelegt"),
    "team_changed": _l("Team geändert"),
    "team_deleted": _l("Team gelöscht"),
    "team_lead_added": _l("Führungskraft hinzugefügt"),
    "team_lead_removed": _l("Führungskraft entfernt"),
    "person_created": _l("Person angelegt"),
    "person_changed": _l("Person geändert"),
    "person_activated": _l("Person aktiviert"),
    "person_deactivated": _l("Person deaktiviert"),
    "person_moved": _l("Team gewechselt"),
    "roles_changed": _l("Rollen geändert"),
    "org_import_applied": _l("Organisation importiert"),
    "topic_created": _l("Thema angelegt"),
    "topic_changed": _l("Thema geändert"),
    "topic_deleted": _l("Thema gelöscht"),
    "tool_created": _l("Werkzeug angelegt"),
    "tool_changed": _l("Werkzeug geändert"),
    "tool_deleted": _l("Werkzeug gelöscht"),
    "material_created": _l("Material angelegt"),
    "material_changed": _l("Material geändert"),
    "material_published": _l("Material veröffentlicht"),
    "material_archived": _l("Material archiviert"),
    "session_date_added": _l("Termin angelegt"),
    "session_date_changed": _l("Termin geändert"),
    "session_date_cancelled": _l("Termin abgesagt"),
    "session_registered": _l("Zu Termin angemeldet"),
    "session_unregistered": _l("Von Termin abgemeldet"),
    "material_file_attached": _l("Datei zum Material hochgeladen"),
    "guide_step_added": _l("Schritt der Klickstrecke angelegt"),
    "guide_step_changed": _l("Schritt der Klickstrecke geändert"),
    "guide_step_moved": _l("Schritt der Klickstrecke verschoben"),
    "guide_step_removed": _l("Schritt der Klickstrecke entfernt"),
    "requirement_created": _l("Pflichtschulung festgelegt"),
    "requirement_rule_changed": _l("Regel einer Pflichtschulung geändert"),
    "requirement_ended": _l("Pflichtschulung aufgehoben"),
    "completion_marked": _l("Material als erledigt markiert"),
    "completion_undone": _l("Markierung als erledigt zurückgenommen"),
    "completion_recorded": _l("Nachweis erfasst"),
    "completion_reset": _l("Nachweis zurückgesetzt"),
    "attendance_confirmed": _l("Teilnahme bestätigt"),
    "plan_item_proposed": _l("Weiterbildung vorgeschlagen"),
    "plan_item_withdrawn": _l("Vorschlag zurückgezogen"),
    "plan_item_approved": _l("Vorschlag zugestimmt"),
    "plan_item_declined": _l("Vorschlag abgelehnt"),
    "need_stated": _l("Qualifizierungsbedarf gemeldet"),
    "need_answered": _l("Qualifizierungsbedarf beantwortet"),
    "retention_applied": _l("Aufbewahrungsfristen angewendet"),
    "reminders_created": _l("Erinnerungen erstellt (täglicher Lauf)"),
    "reminders_sent": _l("Erinnerung an Beschäftigte gesendet"),
    "survey_created": _l("Bedarfsabfrage angelegt"),
    "survey_opened": _l("Bedarfsabfrage versendet"),
    "survey_closed": _l("Bedarfsabfrage beendet"),
    "feedback_replied": _l("Kommentar zu Material beantwortet"),
    "feedback_reply_changed": _l("Antwort auf Kommentar geändert"),
    "news_created": _l("Neuigkeit angelegt"),
    "news_changed": _l("Neuigkeit geändert"),
    "news_deleted": _l("Neuigkeit gelöscht"),
}


def events(
    action: str = "",
    actor: str = "",
    object_type: str = "",
    since: date | None = None,
    until: date | None = None,
) -> Select:
    """Audit entries, newest first; dates are calendar days in Europe/Berlin."""
    statement = select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    if action:
        statement = statement.where(AuditEvent.action == action)
    if actor:
        statement = statement.where(AuditEvent.actor_label.like(f"%{actor.lower()}%"))
    if object_type:
        statement = statement.where(AuditEvent.object_type == object_type)
    if since:
        statement = statement.where(AuditEvent.occurred_at >= datetime.combine(since, time.min, BERLIN))
    if until:
        statement = statement.where(
            AuditEvent.occurred_at < datetime.combine(until + timedelta(days=1), time.min, BERLIN)
        )
    return statement


OBJECT_TYPE_LABELS = {
    "person": _l("Person"),
    "team": _l("Team"),
    "department": _l("Fachbereich"),
    "org_import": _l("Import"),
    "topic": _l("Thema"),
    "tool": _l("Werkzeug"),
    "material": _l("Material"),
    "session_date": _l("Termin"),
    "requirement": _l("Pflichtschulung"),
    "completion": _l("Nachweis"),
    "plan_item": _l("Qualifizierungsplan"),
    "need": _l("Qualifizierungsbedarf"),
    "survey": _l("Bedarfsabfrage"),
    "material_feedback": _l("Rückmeldung zu Material"),
    "news_item": _l("Neuigkeit"),
}
