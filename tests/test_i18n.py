"""German first, English complete, dates and times in Europe/Berlin."""

from __future__ import annotations

from datetime import UTC, datetime

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask import Flask, render_template_string
from sqlalchemy import select

from quali_kompass.audit.models import AuditEvent
from quali_kompass.extensions import db
from quali_kompass.organisation.models import Person
from tests.conftest import ROOT, login

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def extracted_messages() -> set[str]:
    """Every UI text of the code and templates, as the translators' tool finds it."""
    method_map = [
        ("quali_kompass/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),
    ]
    options = {"templates/**.html": {"extensions": "jinja2.ext.do"}, "templates/**.txt": {}}
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_text_has_an_english_translation() -> None:
    with open(ROOT / "quali_kompass/translations/en/LC_MESSAGES/messages.po", "rb") as po:
        catalogue = read_po(po)
    translated = {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalogue
        if message.id
        and message.string
        and not message.fuzzy
        and (isinstance(message.string, str) or all(message.string))
    }
    missing = sorted(extracted_messages() - translated)
    assert not missing, "run `make extract-messages` and translate:\n" + "\n".join(missing)


def test_language_switch_is_remembered_per_person(app: Flask, org) -> None:
    client = app.test_client()
    assert "Anmelden" in client.get("/anmelden").text
    client.post("/sprache", data={"locale": "en", "next": "/anmelden"})
    page = client.get("/anmelden").text
    assert '<html lang="en">' in page and "Log in" in page
    login(client, org.employee.email)
    client.post("/sprache", data={"locale": "en", "next": "/"})
    with app.app_context():
        assert db.session.scalar(select(Person.locale).where(Person.id == org.employee.id)) == "en"
    fresh = app.test_client()  # another browser: the saved choice follows the person
    login(fresh, org.employee.email)
    assert '<html lang="en">' in fresh.get("/").text


def test_the_browser_language_is_the_first_guess(app: Flask) -> None:
    client = app.test_client()
    assert '<html lang="en">' in client.get("/anmelden", headers={"Accept-Language": "en-GB,en"}).text
    assert '<html lang="de">' in client.get("/anmelden", headers={"Accept-Language": "fr"}).text


def test_times_are_shown_in_berlin_time(app: Flask, org) -> None:
    with app.app_context():
        db.session.add(
            AuditEvent(
                occurred_at=datetime(2026, 7, 1, 10, 0, tzinfo=UTC),
                action="department_created",
                actor_label="zeit@jobcenter-test.de",
            )
        )
        db.session.add(
            AuditEvent(
                occurred_at=datetime(2026, 1, 15, 23, 30, tzinfo=UTC),
                action="department_created",
                actor_label="zeit@jobcenter-test.de",
            )
        )
        db.session.commit()
    client = app.test_client()
    login(client, org.auditor.email)
    page = client.get("/protokoll/?person=zeit").text
    assert "01.07.2026, 12:00 Uhr" in page  # summer time, UTC+2
    assert "16.01.2026, 00:30 Uhr" in page  # winter time, UTC+1: already the next day in Berlin


def test_counts_in_page_texts_are_grouped_as_the_language_writes_them(app: Flask) -> None:
    template = '{{ ngettext("%(num)s Person", "%(num)s Personen", count) }} | {{ ngettext("%(num)s Treffer für „%(query)s“", "%(num)s Treffer für „%(query)s“", 2, query=query) }}'  # noqa: E501
    for language, expected in (("de", "65.605 Personen"), ("en", "65,605 people")):
        with app.test_request_context(headers={"Accept-Language": language}):
            rendered = render_template_string(template, count=65605, query="<b>Excel</b>")
        assert rendered.startswith(expected + " |"), rendered
        assert "&lt;b&gt;Excel&lt;/b&gt;" in rendered and "<b>" not in rendered
