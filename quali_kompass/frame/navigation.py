"""The main navigation, by role: each entry shows only to people who may open it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    label: Any
    endpoint: str
    visible: Callable[[Any], bool]
    # Endpoints of the same area, so that the entry is marked current on their pages too.
    prefix: str | tuple[str, ...] = ""

    def is_current(self) -> bool:
        endpoint = request.endpoint or ""
        return endpoint == self.endpoint or bool(self.prefix and endpoint.startswith(self.prefix))


NAVIGATION = (
    NavItem(_l("Mein Kompass"), "frame.home", lambda person: True),
    NavItem(
        _l("Katalog"),
        "catalogue.browse",
        lambda person: True,
        ("catalogue.browse", "catalogue.material", "feedback.give"),
    ),
    NavItem(_l("Neuigkeiten"), "news.index", lambda person: True, ("news.index", "news.item")),
    NavItem(
        _l("Qualifizierungsbedarf"),
        "needs.my_needs",
        lambda person: True,
        ("needs.my_needs", "needs.new_need"),
    ),
    NavItem(_l("Mein Team"), "organisation.my_teams", lambda person: person.is_lead, "organisation.my_team"),
    NavItem(
        _l("Pflichtschulungen"),
        "curricula.requirement_list",
        lambda person: person.can_manage_organisation or person.is_lead,
        ("curricula.requirement",),
    ),
    NavItem(
        _l("Verwaltung"),
        "organisation.admin_overview",
        lambda person: person.can_manage_organisation,
        "organisation.admin_",
    ),
    NavItem(
        _l("Redaktion"),
        "catalogue.editor_materials",
        lambda person: person.can_edit_catalogue,
        (
            "catalogue.editor_",
            "catalogue.topic",
            "catalogue.tool",
            "news.editor_",
            # not feedback.give: that is the material page's form
            "feedback.overview",
            "feedback.material",
            "feedback.reply",
            # not surveys.answer: that is a member's page
            "surveys.overview",
            "surveys.new",
            "surveys.survey",
            # not needs.my_needs / needs.new_need: those are everyone's pages
            "needs.overview",
            "needs.need",
            "needs.unmet",
        ),
    ),
    NavItem(_l("Statistik"), "statistics.overview", lambda person: True, "statistics."),
    NavItem(_l("Protokoll"), "audit.log", lambda person: person.can_read_audit_log, "audit."),
    NavItem(_l("Mein Konto"), "accounts.account", lambda person: True),
)


def navigation() -> list[NavItem]:
    if not current_user.is_authenticated:
        return []
    return [item for item in NAVIGATION if item.visible(current_user)]
