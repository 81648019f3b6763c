"""Every page in a real browser: axe-core (WCAG 2.1 A/AA) for each role, error states, English,
keyboard use, and reflow at 320 px.

The page list comes from the URL map and tests/access.py, so new pages are checked without further work.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from quali_kompass import create_app
from quali_kompass.curricula.status import berlin_today
from quali_kompass.extensions import db
from tests.access import ROLES
from tests.browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    NARROW,
    LiveServer,
    axe_violations,
    focused,
    horizontal_overflow,
    log_in,
    new_context,
    page_paths,
    serve,
    submit,
    unfocusable_indicators,
)
from tests.conftest import IN_CI, POSTGRES_URL, _empty_tables, build_org, test_config
from tests.factories import TEST_PASSWORD
from tests.sample import role_person, sample_url_values

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(browser: Browser, migrated_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app with CSRF protection on, over HTTP, on its own copy of the migrated database."""
    if POSTGRES_URL:
        url = migrated_database
    else:
        path = tmp_path_factory.mktemp("browser") / "browser.sqlite"
        shutil.copy(migrated_database, path)
        url = f"sqlite:///{path}"
    uploads = tmp_path_factory.mktemp("browser-uploads")
    app = create_app(test_config(url, WTF_CSRF_ENABLED=True, QK_UPLOAD_DIR=str(uploads)))
    try:
        org = build_org(app)
        values = sample_url_values(app, org)
        with serve(app) as base_url:
            yield LiveServer(url=base_url, app=app, org=org, values=values)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if POSTGRES_URL:
            _empty_tables(url)


@pytest.fixture(scope="module")
def page_as(browser: Browser, server: LiveServer) -> Iterator[Callable[..., Page]]:
    """Open a new page as ``role``: one browser context per role, logged in once through the login form."""
    contexts: dict[str, BrowserContext] = {}

    def open_page(role: str, viewport: dict[str, int] = DESKTOP) -> Page:
        if role not in contexts:
            context = new_context(browser, server)
            if role != "anonymous":
                log_in(context.new_page(), role_person(server.org, role).email)
            contexts[role] = context
        page = contexts[role].new_page()
        page.set_viewport_size(viewport)
        return page

    yield open_page
    for context in contexts.values():
        context.close()


def visit(page: Page, path: str) -> str | None:
    """Open ``path``; a description of the problem unless it answered 200."""
    response = page.goto(path)
    if response is None or response.status != 200:
        return f"{path}: HTTP {response.status if response else 'no response'}, expected 200"
    return None


def test_axe_reports_a_known_violation(browser: Browser) -> None:
    """Guard against a silent pass: the checker must find what is plainly wrong."""
    page = browser.new_page()
    try:
        page.set_content('<html lang="de"><title>t</title><main><img src="x.png"><input id="a"></main></html>')
        found = "\n".join(axe_violations(page, "sample"))
    finally:
        page.close()
    assert "image-alt" in found and "label" in found, found


@pytest.mark.page_walk
@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_axe(page_as: Callable[..., Page], server: LiveServer, role: str) -> None:
    paths = page_paths(server.app, role, server.values)
    assert paths, f"no pages for {role}"
    page = page_as(role)
    problems: list[str] = []
    for path in paths:
        if problem := visit(page, path):
            problems.append(problem)
            continue
        problems += axe_violations(page, path)
    page.close()
    assert not problems, f"as {role}, {len(problems)} problem(s) on {len(paths)} pages:\n" + "\n".join(problems)


@pytest.mark.page_walk
@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_320_px_without_horizontal_scrolling(
    page_as: Callable[..., Page], server: LiveServer, role: str
) -> None:
    page = page_as(role, NARROW)
    problems = []
    for path in page_paths(server.app, role, server.values):
        if problem := visit(page, path) or horizontal_overflow(page):
            problems.append(problem)
    page.close()
    assert not problems, f"as {role} at 320 px:\n" + "\n".join(problems)


@pytest.mark.page_walk
@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_every_focusable_element_shows_its_focus(page_as: Callable[..., Page], server: LiveServer, role: str) -> None:
    page = page_as(role)
    problems = []
    for path in page_paths(server.app, role, server.values):
        if problem := visit(page, path):
            problems.append(problem)
            continue
        problems += [f"{path}: {element}" for element in unfocusable_indicators(page)]
    page.close()
    assert not problems, "focused without a visible outline or shadow:\n" + "\n".join(problems)


@pytest.mark.once  # what it checks is the page, not the database
def test_pages_with_form_errors_pass_axe_and_link_to_the_fields(
    page_as: Callable[..., Page], server: LiveServer
) -> None:
    problems: list[str] = []
    page = page_as("anonymous")
    page.goto("/anmelden")
    submit(page, "Anmelden")
    problems += axe_violations(page, "login, submitted empty")
    assert_summary_links_to_fields(page, {"email", "password"})
    page.close()

    page = page_as("admin")
    page.goto("/verwaltung/personen/neu")
    page.get_by_label("Name", exact=True).fill("Nora Neu")
    page.get_by_label("E-Mail-Adresse").fill("keine-adresse")
    submit(page, "Anlegen")
    problems += axe_violations(page, "new person, bad e-mail address")
    assert_summary_links_to_fields(page, {"email"})
    email = page.locator("#email")
    assert email.get_attribute("aria-invalid") == "true"
    assert "email-error" in (email.get_attribute("aria-describedby") or "").split()
    page.set_viewport_size(NARROW)
    if overflow := horizontal_overflow(page):
        problems.append(overflow)
    page.set_viewport_size(DESKTOP)

    page.goto("/konto")
    submit(page, "Passwort speichern")
    problems += axe_violations(page, "own account, password form submitted empty")
    assert_summary_links_to_fields(page, {"current_password", "new_password", "new_password_repeat"})
    page.close()
    assert not problems, "\n".join(problems)


def assert_summary_links_to_fields(page: Page, expected_fields: set[str]) -> None:
    summary = page.locator("#fehler")
    assert summary.is_visible(), "no error summary"
    links = summary.get_by_role("link")
    targets = {href.removeprefix("#") for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))")}
    assert expected_fields <= targets, f"error summary links to {sorted(targets)}, expected {sorted(expected_fields)}"
    for target in targets:
        field = page.locator(f"[id='{target}']")
        assert field.count() == 1, f"the error summary links to #{target}, which is not on the page once"
        assert field.evaluate("el => el.labels.length > 0"), f"#{target} has no label"
    href = links.first.get_attribute("href")
    links.first.click()
    assert page.evaluate("() => location.hash") == href


def test_error_pages_pass_axe(page_as: Callable[..., Page]) -> None:
    page = page_as("employee")
    problems: list[str] = []
    for path, status in [("/verwaltung", 403), ("/gibt-es-nicht", 404), ("/passwort-zuruecksetzen/falsch", 404)]:
        response = page.goto(path)
        assert response is not None and response.status == status, path
        problems += axe_violations(page, f"{path} ({status})")
    page.close()
    assert not problems, "\n".join(problems)


def test_english_interface(browser: Browser, server: LiveServer) -> None:
    """Switch the language in the page header; the pages stay whole and accessible."""
    context = new_context(browser, server)
    page = context.new_page()
    problems: list[str] = []
    try:
        # Someone no other browser test logs in as: the choice of language is saved with the person.
        log_in(page, server.org.other_lead.email)
        page.goto("/konto")
        header = page.locator("header form.language-switch")
        header.get_by_label("Sprache").select_option("en")
        with page.expect_navigation():
            header.get_by_role("button").click()
        assert page.url.endswith("/konto"), "the language switch leaves the page"
        for path, heading in [("/konto", "My account"), ("/", "Hello, Otto Anders"), ("/team", "My team")]:
            assert visit(page, path) is None, path
            assert page.evaluate("() => document.documentElement.lang") == "en", path
            assert page.locator("h1").inner_text().strip() == heading, path
            assert page.get_by_role("link", name="Skip to content").count() == 1, path
            assert page.locator("header").get_by_label("Language").input_value() == "en", path
            problems += axe_violations(page, f"{path} (English)")
        context.clear_cookies()
        page.goto("/anmelden")
        assert page.evaluate("() => document.documentElement.lang") == "de"
        log_in(page, server.org.other_lead.email)
        assert page.evaluate("() => document.documentElement.lang") == "en", "the choice is not saved with the person"
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_keyboard_only_login(browser: Browser, server: LiveServer) -> None:
    context = new_context(browser, server)
    page = context.new_page()
    keyboard = page.keyboard
    try:
        page.goto("/anmelden")

        keyboard.press("Tab")
        skip = focused(page)
        assert skip["text"] == "Zum Inhalt springen", f"the first Tab reaches {skip}"
        assert skip["visible"], f"no visible focus on the skip link: {skip}"
        assert page.get_by_role("link", name="Zum Inhalt springen").is_visible()

        keyboard.press("Enter")
        assert focused(page)["id"] == "inhalt", "the skip link does not move the focus to the content"

        keyboard.press("Tab")
        email = focused(page)
        assert email["id"] == "email", f"after the skip link, Tab reaches {email}, not the e-mail field"
        assert email["visible"], f"no visible focus on the e-mail field: {email}"
        keyboard.type(server.org.employee.email)

        keyboard.press("Tab")
        password = focused(page)
        assert password["id"] == "password", password
        assert password["visible"], f"no visible focus on the password field: {password}"
        keyboard.type(TEST_PASSWORD)

        with page.expect_navigation():
            keyboard.press("Enter")
        assert "Guten Tag" in page.locator("h1").inner_text()
    finally:
        context.close()


def test_video_pages_pass_axe_and_fit_320_px(page_as: Callable[..., Page], server: LiveServer) -> None:
    """A training video with poster, captions and transcript, for the one who watches and the one who edits."""
    from werkzeug.datastructures import FileStorage

    from quali_kompass.catalogue import files
    from tests.factories import MaterialFactory
    from tests.sample import TINY_PNG

    vtt = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nWillkommen.\n"
    mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
    with server.app.app_context():
        stored = {
            part: files.store(FileStorage(io.BytesIO(content), filename=name), [kind], 1024 * 1024, None)
            for part, content, name, kind in [
                ("video", mp4, "Schulung Übersicht.mp4", "video/mp4"),
                ("captions", vtt, "untertitel.vtt", "text/vtt"),
                ("poster", TINY_PNG, "poster.png", "image/png"),
            ]
        }
        material = MaterialFactory(
            kind="video",
            title="E-Akte im Überblick (Video)",
            transcript="Willkommen.\nIn diesem Video sehen Sie die E-Akte.",
            video_file=stored["video"],
            captions_file=stored["captions"],
            poster_file=stored["poster"],
        )
        db.session.commit()
        material_id = material.id
    problems: list[str] = []
    for role, path in [("employee", f"/katalog/{material_id}"), ("editor", f"/redaktion/material/{material_id}")]:
        for viewport in (DESKTOP, NARROW):
            page = page_as(role, viewport)
            if problem := visit(page, path):
                problems.append(problem)
            else:
                if viewport == DESKTOP:
                    problems += axe_violations(page, path)
                    if role == "employee":
                        page.get_by_text("Transkript anzeigen").click()
                        problems += axe_violations(page, f"{path} (transcript open)")
                elif overflow := horizontal_overflow(page):
                    problems.append(f"{path} at 320 px: {overflow}")
            page.close()
    assert not problems, "\n".join(problems)


def test_session_pages_pass_axe_and_fit_320_px(page_as: Callable[..., Page], server: LiveServer) -> None:
    """A session with an open, a full, a cancelled and a past date; the editor's page with a refused new date."""
    from datetime import timedelta

    from sqlalchemy import select

    from quali_kompass.catalogue.models import SessionDate, SessionRegistration
    from quali_kompass.database import utcnow
    from quali_kompass.organisation.models import Person
    from tests.factories import MaterialFactory

    with server.app.app_context():
        material = MaterialFactory(kind="session", title="Webinar: Videoberatung in der Praxis (Test)")
        employee = db.session.scalar(select(Person).where(Person.email == server.org.employee.email))
        for days, capacity, cancelled in [(-5, 10, False), (4, 10, False), (6, 1, False), (8, 10, True)]:
            start = utcnow() + timedelta(days=days)
            session_date = SessionDate(
                material=material,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                place="Schulungsraum 2.04, Haus A",
                online_url="https://video.example.org/raum-mit-einer-sehr-langen-adresse-zum-testen-der-breite",
                capacity=capacity,
                note="Bitte bringen Sie Ihre Zugangsdaten mit.",
                cancelled_at=utcnow() if cancelled else None,
            )
            db.session.add(session_date)
            db.session.flush()
            if days in (-5, 4, 6):
                db.session.add(SessionRegistration(session_date_id=session_date.id, person_id=employee.id))
        db.session.commit()
        material_id = material.id
    problems: list[str] = []
    for role, path in [("employee", f"/katalog/{material_id}"), ("editor", f"/redaktion/material/{material_id}")]:
        for viewport in (DESKTOP, NARROW):
            page = page_as(role, viewport)
            if problem := visit(page, path):
                problems.append(problem)
            elif viewport == DESKTOP:
                problems += axe_violations(page, path)
                if role == "editor":
                    submit(page, "Termin hinzufügen")
                    problems += axe_violations(page, f"{path}, new date submitted empty")
                    assert_summary_links_to_fields(page, {"day", "start_time", "end_time", "capacity"})
            elif overflow := horizontal_overflow(page):
                problems.append(f"{path} at 320 px: {overflow}")
            page.close()
    assert not problems, "\n".join(problems)


@pytest.mark.once  # what it checks is the page, not the database
def test_editor_builds_a_guide_and_an_employee_walks_it_by_keyboard(
    page_as: Callable[..., Page], server: LiveServer
) -> None:
    """The whole life of a click-through guide in the browser: built, refused without alt text, published, found
    by a part of a compound word, walked with the arrow keys, printed — every page passing axe."""
    from tests.test_guides import screenshot

    problems: list[str] = []
    editor = page_as("editor")
    editor.goto("/redaktion/material/neu")
    editor.get_by_label("Art").select_option(label="Klickstrecke")
    editor.get_by_label("Titel").fill("Anmeldung zur Datenschutzunterweisung im Lernportal")
    editor.get_by_label("Kurzbeschreibung").fill("Wie Sie sich im Lernportal zur jährlichen Unterweisung anmelden.")
    editor.get_by_label("Thema").select_option(index=0)
    editor.get_by_label("Für alle Fachbereiche").check()
    submit(editor, "Als Entwurf speichern")
    steps = [
        ("Öffnen Sie das **Lernportal** über das Intranet.", "Startseite des Intranets mit dem Link Lernportal"),
        ("Wählen Sie den Kurs *Datenschutz* aus.", ""),  # no alt text yet
        ("Klicken Sie auf **Anmelden**.", "Kursseite mit dem Knopf Anmelden rechts unten"),
    ]
    for number, (instruction, alt) in enumerate(steps, start=1):
        form = editor.locator("form", has=editor.get_by_role("button", name="Schritt hinzufügen"))
        form.get_by_label("Bildschirmfoto").set_input_files(
            {"name": f"schritt-{number}.png", "mimeType": "image/png", "buffer": screenshot(f"Schritt {number}")}
        )
        form.get_by_label("Anweisung").fill(instruction)
        form.get_by_label("Alternativtext").fill(alt)
        submit(editor, "Schritt hinzufügen")
        assert f"Schritt {number} ist angelegt." in editor.content()
    problems += axe_violations(editor, "editor page of a guide")
    assert "Alternativtext fehlt bei Schritt 2" in editor.content()
    assert editor.get_by_role("button", name="Veröffentlichen", exact=True).count() == 0

    editor.get_by_role("link", name=re.compile(r"^Bearbeiten\s*: Schritt 2$")).click()
    editor.get_by_label("Alternativtext").fill("Kursliste, der Kurs Datenschutz ist hervorgehoben")
    editor.get_by_label("Markierung: Abstand von links (%)").fill("5")
    editor.get_by_label("Markierung: Abstand von oben (%)").fill("30")
    editor.get_by_label("Markierung: Breite (%)").fill("40")
    editor.get_by_label("Markierung: Höhe (%)").fill("15")
    problems += axe_violations(editor, "editor's step page")
    submit(editor, "Schritt speichern")
    editor.get_by_role("button", name=re.compile(r"^Nach oben\s*: Schritt 3$")).click()
    editor.wait_for_load_state()
    assert "Schritt 3 ist jetzt Schritt 2." in editor.content()
    submit(editor, "Veröffentlichen")
    assert "Version 1 ist veröffentlicht." in editor.content()
    editor.close()

    page = page_as("employee")
    page.goto("/katalog")
    page.get_by_label("Suchbegriff").fill("unterweisung")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    page.get_by_role("link", name="Anmeldung zur Datenschutzunterweisung im Lernportal").click()
    heading = page.locator("#schritt")
    assert heading.inner_text() == "Schritt 1 von 3"
    problems += axe_violations(page, "guide player")
    for key, expected in [("ArrowRight", 2), ("ArrowRight", 3), ("ArrowLeft", 2)]:
        with page.expect_navigation():
            page.keyboard.press(key)
        assert heading.inner_text() == f"Schritt {expected} von 3"
        assert focused(page)["id"] == "schritt"  # the reader stays at the step, not the page top
    assert "Klicken Sie auf" in page.locator(".guide-instruction").inner_text()  # moved up by the editor
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert "Nächster Schritt" in focused(page)["text"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert heading.inner_text() == "Schritt 3 von 3"
    page.keyboard.press("ArrowRight")  # the last step: nowhere further to go
    page.wait_for_timeout(200)
    assert heading.inner_text() == "Schritt 3 von 3" and "Das war der letzte Schritt." in page.content()
    narrow = page_as("employee", NARROW)
    narrow.goto(page.url)
    if overflow := horizontal_overflow(narrow):
        problems.append(f"guide player at 320 px: {overflow}")
    narrow.close()

    page.get_by_role("link", name="Alle Schritte auf einer Seite (Druckansicht)").click()
    page.wait_for_load_state()
    assert page.locator(".guide-print__step").count() == 3
    assert page.evaluate("[...document.images].every(image => image.complete && image.naturalWidth > 0)")
    problems += axe_violations(page, "guide print view")
    page.close()
    assert not problems, "\n".join(problems)


def test_employee_marks_material_done_and_a_lead_confirms_attendance(
    page_as: Callable[..., Page], server: LiveServer
) -> None:
    """Nachweise in the browser: marked done on the material page, attendance confirmed for all participants, the
    lead's page per person refusing an empty record — every page passing axe and fitting 320 px."""
    from datetime import timedelta

    from sqlalchemy import select

    from quali_kompass.catalogue.models import SessionDate, SessionRegistration
    from quali_kompass.curricula.status import berlin_today
    from quali_kompass.database import utcnow
    from quali_kompass.organisation.models import Department, Person
    from tests.factories import MaterialFactory, RequirementFactory

    org = server.org
    with server.app.app_context():
        guide = MaterialFactory(kind="document", title="Anleitung: Posteingang der E-Akte sortieren (Nachweis-Test)")
        RequirementFactory(material=guide, department=db.session.get(Department, org.dept_a.id))
        session = MaterialFactory(kind="session", title="Präsenzschulung: E-Akte im Team (Nachweis-Test)")
        start = utcnow() - timedelta(hours=1)
        session_date = SessionDate(
            material=session, starts_at=start, ends_at=start + timedelta(hours=3), place="Raum 2.04", capacity=10
        )
        db.session.add(session_date)
        db.session.flush()
        for email in (org.employee.email, org.head.email, org.other_employee.email):
            person_id = db.session.scalar(select(Person.id).where(Person.email == email))
            db.session.add(SessionRegistration(session_date_id=session_date.id, person_id=person_id))
        db.session.commit()
        guide_id, session_id, date_id = guide.id, session.id, session_date.id
        employee_id = db.session.scalar(select(Person.id).where(Person.email == org.employee.email))
    problems: list[str] = []

    page = page_as("employee")
    page.goto(f"/katalog/{guide_id}")
    submit(page, "Als erledigt markieren")
    section = page.locator("section", has=page.locator("#nachweis"))
    assert f"Erledigt am {berlin_today():%d.%m.%Y}" in section.inner_text()
    assert section.get_by_role("button", name="Rückgängig machen").is_visible()
    assert "Damit ist Ihre Pflichtschulung „Anleitung: Posteingang der E-Akte sortieren" in page.content()
    problems += axe_violations(page, "material page, marked done")
    page.goto("/")
    done = page.locator("section", has=page.get_by_role("heading", name="Meine Pflichtschulungen"))
    assert "Anleitung: Posteingang der E-Akte sortieren (Nachweis-Test)" in done.inner_text()
    assert "Pflicht für Fachbereich Leistungsgewährung" in done.inner_text()
    assert "Erledigt am" in done.inner_text()
    page.close()

    lead = page_as("lead")
    lead.goto(f"/katalog/{session_id}")
    with lead.expect_navigation():
        lead.get_by_role("link", name=re.compile(r"^Teilnahme bestätigen")).first.click()
    assert lead.url.endswith(f"/termine/{date_id}/teilnahme")
    assert "Olga Weit" not in lead.content()  # another team's person
    problems += axe_violations(lead, "attendance page")
    submit(lead, "Alle bestätigen")
    assert "Die Teilnahme ist bestätigt (2 Personen)." in lead.content()
    assert lead.locator("main").inner_text().count("Teilnahme bestätigt") >= 2
    problems += axe_violations(lead, "attendance page, everyone confirmed")

    lead.goto(f"/nachweise/person/{employee_id}")
    assert "Präsenzschulung: E-Akte im Team (Nachweis-Test)" in lead.content()
    problems += axe_violations(lead, "completions of a person")
    lead.get_by_label("Notiz").fill("")
    submit(lead, "Nachweis erfassen")
    problems += axe_violations(lead, "completions of a person, record submitted empty")
    assert_summary_links_to_fields(lead, {"material_id", "note"})
    lead.close()

    for path in (f"/termine/{date_id}/teilnahme", f"/nachweise/person/{employee_id}"):
        narrow = page_as("lead", NARROW)
        if problem := visit(narrow, path):
            problems.append(problem)
        elif overflow := horizontal_overflow(narrow):
            problems.append(f"{path} at 320 px: {overflow}")
        narrow.close()
    assert not problems, "\n".join(problems)


def test_employee_proposes_the_lead_approves_and_the_record_downloads(
    page_as: Callable[..., Page], server: LiveServer
) -> None:
    problems: list[str] = []
    title = "E-Akte: Posteingang bearbeiten"
    page = page_as("employee")
    page.goto("/")
    page.get_by_role("link", name="Zum Qualifizierungsplan: Weiterbildung vorschlagen").click()
    page.wait_for_load_state()
    page.get_by_label("Angebot aus dem Katalog").select_option(label=title)
    page.get_by_label("Begründung").fill("Ich übernehme ab März den Posteingang unseres Teams.")
    submit(page, "Vorschlagen")
    assert f"Ihr Vorschlag „{title}“ ist an Ihre Führungskraft gegangen." in page.content()
    problems += axe_violations(page, "plan page with a proposal")

    lead = page_as("lead")
    lead.goto(f"/team/{server.org.team_a.id}")
    lead.get_by_role("link", name="Vorschläge für den Qualifizierungsplan").click()
    lead.wait_for_load_state()
    problems += axe_violations(lead, "the lead's proposals")
    form = lead.get_by_role("form", name=f"Zustimmen: {title}")
    form.get_by_label("Zieldatum (optional)").fill("2099-06-30")
    with lead.expect_navigation():
        form.get_by_role("button", name=re.compile(r"^Zustimmen")).click()
    assert f"Sie haben „{title}“ für Erika Beispiel zugestimmt." in lead.content()
    lead.close()

    page.reload()
    item = page.locator(".plan-item", has_text=title)
    assert "Vereinbart" in item.inner_text() and "Zugestimmt von Lena Leitung" in item.inner_text()
    assert "30.06.2099" in item.inner_text()
    page.goto("/")
    assert title in page.locator("#plan-heading + ul").inner_text()
    problems += axe_violations(page, "Mein Kompass")
    page.goto("/kompass/nachweis")
    problems += axe_violations(page, "record print view")

    pdf = page.request.get("/kompass/nachweis.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    ics = page.request.get("/kompass/termine.ics")
    assert ics.status == 200 and ics.headers["content-type"] == "text/calendar; charset=utf-8"
    assert ics.body().startswith(b"BEGIN:VCALENDAR\r\n")
    page.close()
    assert not problems, "\n".join(problems)


def test_lead_reads_the_team_matrix_and_a_persons_drill_down(page_as: Callable[..., Page], server: LiveServer) -> None:
    problems: list[str] = []
    lead = page_as("lead")
    lead.goto(f"/team/{server.org.team_a.id}")
    table = lead.get_by_role("region", name=re.compile(r"^Stand der Pflichtschulungen"))
    assert "Erika Beispiel" in table.inner_text()
    assert lead.locator(".compliance-matrix tfoot").count() == 1
    problems += axe_violations(lead, "team matrix")
    lead.get_by_label("nur Überfällige").check()
    with lead.expect_navigation():
        lead.get_by_role("button", name="Anwenden").click()
    assert "ueberfaellig=1" in lead.url
    problems += axe_violations(lead, "team matrix, filtered")
    lead.goto(f"/team/{server.org.team_a.id}")
    with lead.expect_navigation():
        table.get_by_role("link", name="Erika Beispiel", exact=True).click()
    assert lead.url.endswith(f"/team/person/{server.org.employee.id}")
    assert "Qualifizierungsstand: Erika Beispiel" in lead.content()
    problems += axe_violations(lead, "drill-down of a person")
    lead.close()
    assert not problems, "\n".join(problems)


def test_head_filters_the_department_overview_by_team(page_as: Callable[..., Page], server: LiveServer) -> None:
    problems: list[str] = []
    head = page_as("department_head")
    head.goto("/team")
    with head.expect_navigation():
        head.get_by_role("link", name="Übersicht Fachbereich Leistungsgewährung").click()
    assert head.url.endswith(f"/fachbereich/{server.org.dept_a.id}/pflichtschulungen")
    assert head.get_by_role("heading", level=1).inner_text() == "Fachbereich Leistungsgewährung: Pflichtschulungen"
    assert head.get_by_role("region", name=re.compile(r"^Pflichtschulungen je Team")).count() == 1
    problems += axe_violations(head, "department overview")
    head.get_by_label("Team", exact=True).select_option(label="Leistung Team 1")
    with head.expect_navigation():
        head.get_by_role("button", name="Anwenden").click()
    assert f"team={server.org.team_a.id}" in head.url
    table = head.get_by_role("region", name=re.compile(r"^Stand der Pflichtschulungen im Fachbereich"))
    assert "Erika Beispiel" in table.inner_text() and "Olga Weit" not in table.inner_text()
    problems += axe_violations(head, "department overview, filtered by team")
    head.close()
    assert not problems, "\n".join(problems)


def test_lead_downloads_the_team_export_as_csv_and_xlsx(page_as: Callable[..., Page], server: LiveServer) -> None:
    """The export links of the team page give files that open: CSV as Excel reads it, XLSX with openpyxl."""
    import csv

    from openpyxl import load_workbook

    from quali_kompass.organisation.models import Team
    from tests.factories import MaterialFactory, RequirementFactory

    org = server.org
    title = "Datenschutz im Team (Export-Test)"
    with server.app.app_context():
        RequirementFactory(material=MaterialFactory(title=title), team=db.session.get(Team, org.team_a.id))
        db.session.commit()
    header = ["Name", "Personalnummer", "Team", "Pflichtschulung", "Status", "Fällig am", "Erledigt am", "Gültig bis"]

    lead = page_as("lead")
    lead.goto(f"/team/{org.team_a.id}")
    with lead.expect_download() as csv_download:
        lead.get_by_role("link", name=re.compile(r"^CSV")).click()
    assert csv_download.value.suggested_filename.endswith(".csv")
    text = Path(csv_download.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == header
    assert ["Erika Beispiel", "", org.team_a.name, title] in [row[:4] for row in rows[1:]]

    with lead.expect_download() as xlsx_download:
        lead.get_by_role("link", name=re.compile(r"^Excel")).click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    values = list(workbook.active.iter_rows(values_only=True))
    assert list(values[0]) == header
    assert ("Erika Beispiel", None, org.team_a.name, title) in [row[:4] for row in values[1:]]

    lead.goto(f"/team/{org.team_a.id}/drucken")
    assert title in lead.content()
    problems = axe_violations(lead, "print view of the team")
    lead.close()
    assert not problems, "\n".join(problems)


def test_lead_confirms_attendance_of_several_people_from_the_team_page(
    page_as: Callable[..., Page], server: LiveServer
) -> None:
    """From the team page's "Teilnahme bestätigen" to the attendance page, some people confirmed in one submit."""
    from datetime import timedelta

    from quali_kompass.catalogue.models import SessionDate, SessionRegistration
    from quali_kompass.database import utcnow
    from quali_kompass.organisation.models import Team
    from tests.factories import MaterialFactory, PersonFactory

    org = server.org
    title = "Präsenzschulung: Widerspruchsstelle (Teilnahme-Test)"
    names = ["Bruno Besuch", "Clara Besuch", "Dora Besuch", "Emil Fehlt"]
    with server.app.app_context():
        team = db.session.get(Team, org.team_a.id)
        people = [PersonFactory(name=name, team=team) for name in names]
        start = utcnow() - timedelta(days=2)
        session_date = SessionDate(
            material=MaterialFactory(kind="session", title=title),
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Raum 3.01",
            capacity=10,
        )
        db.session.add(session_date)
        db.session.flush()
        db.session.add_all(SessionRegistration(session_date_id=session_date.id, person_id=p.id) for p in people)
        db.session.commit()
        date_id = session_date.id
    problems: list[str] = []

    lead = page_as("lead")
    lead.goto(f"/team/{org.team_a.id}")
    section = lead.locator("section", has=lead.locator("#attendance-heading"))
    row = section.get_by_role("row", name=re.compile(re.escape(title)))
    assert "4 Personen" in row.inner_text()
    problems += axe_violations(lead, "team page with dates to confirm")
    with lead.expect_navigation():
        row.get_by_role("link", name=re.compile(r"^Teilnahme bestätigen")).click()
    assert lead.url.endswith(f"/termine/{date_id}/teilnahme")
    problems += axe_violations(lead, "attendance page from the team page")
    for name in names[:3]:
        lead.get_by_label(name, exact=True).check()
    submit(lead, "Teilnahme bestätigen")
    assert "Die Teilnahme ist bestätigt (3 Personen)." in lead.content()
    assert lead.locator("main").inner_text().count("Teilnahme bestätigt") >= 3
    assert lead.get_by_label("Emil Fehlt", exact=True).is_visible()  # still open
    problems += axe_violations(lead, "attendance page, three confirmed")

    lead.goto(f"/team/{org.team_a.id}")
    section = lead.locator("section", has=lead.locator("#attendance-heading"))
    row = section.get_by_role("row", name=re.compile(re.escape(title)))
    assert "1 Person" in row.inner_text()
    lead.close()
    assert not problems, "\n".join(problems)


@pytest.mark.once  # what it checks is the page, not the database
def test_employee_rates_by_keyboard_and_the_editor_answers(page_as: Callable[..., Page], server: LiveServer) -> None:
    """Feedback in the browser: rated and commented with the keyboard alone, refused without a rating, read by the
    editor without names and answered; the answer appears under the material — every page passing axe."""
    from tests.factories import MaterialFactory

    title = "Anleitung: Wiedervorlagen in der E-Akte (Rückmeldungs-Test)"
    with server.app.app_context():
        material_id = MaterialFactory(title=title).id
        db.session.commit()
    problems: list[str] = []

    page = page_as("employee")
    page.goto(f"/katalog/{material_id}")
    problems += axe_violations(page, "material page with the feedback form")
    submit(page, "Speichern")  # without a rating
    assert "Bitte wählen Sie eine Bewertung von 1 bis 5." in page.content()
    problems += axe_violations(page, "material page, feedback refused")
    page.get_by_label("1 – gar nicht").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert page.get_by_label("4 – ziemlich").is_checked()
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "comment"
    page.keyboard.type("Gut erklärt, aber die Frist für Wiedervorlagen fehlt.")
    page.keyboard.press("Tab")
    assert "Speichern" in focused(page)["text"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Danke für Ihre Rückmeldung!" in page.content()
    assert "Ihre Bewertung: 4 von 5 (ziemlich)" in page.content()
    problems += axe_violations(page, "material page, rated")
    page.close()

    editor = page_as("editor")
    editor.goto("/redaktion")
    editor.get_by_role("link", name="Rückmeldungen", exact=True).click()
    editor.wait_for_load_state()
    problems += axe_violations(editor, "feedback overview")
    editor.get_by_role("link", name=title).first.click()
    editor.wait_for_load_state()
    main = editor.locator("main").inner_text()
    assert "Gut erklärt, aber die Frist für Wiedervorlagen fehlt." in main
    assert "Erika Beispiel" not in main and "erika.beispiel" not in editor.content()
    problems += axe_violations(editor, "feedback of a material")
    editor.locator("summary", has_text="Antworten").first.click()
    editor.get_by_label("Antwort der Redaktion").fill("Danke! Die Frist steht jetzt im zweiten Abschnitt.")
    problems += axe_violations(editor, "feedback of a material, answer form open")
    submit(editor, "Antwort veröffentlichen")
    assert "Ihre Antwort ist gespeichert" in editor.content()
    editor.close()

    lead = page_as("lead")
    lead.goto(f"/katalog/{material_id}")
    section = lead.locator("section", has=lead.locator("#rueckmeldung")).inner_text()
    assert "Danke! Die Frist steht jetzt im zweiten Abschnitt." in section
    assert "Gut erklärt, aber die Frist für Wiedervorlagen fehlt." in section
    assert "Erika Beispiel" not in section
    problems += axe_violations(lead, "material page with an answer")
    lead.close()
    narrow = page_as("employee", NARROW)
    for path in (f"/katalog/{material_id}",):
        if problem := visit(narrow, path):
            problems.append(problem)
        elif overflow := horizontal_overflow(narrow):
            problems.append(f"{path} at 320 px: {overflow}")
    narrow.close()
    assert not problems, "\n".join(problems)


def test_statistics_page_passes_axe_and_fits_320_px(page_as: Callable[..., Page], server: LiveServer) -> None:
    """The statistics with every part filled (a small team hidden, a trend over months) for an employee and an
    admin (who sees the teams too)."""
    from datetime import timedelta

    from quali_kompass.curricula import completions
    from quali_kompass.curricula.status import berlin_today
    from quali_kompass.organisation.models import Person
    from quali_kompass.statistics import services
    from tests.factories import DepartmentFactory, MaterialFactory, PersonFactory, RequirementFactory, TeamFactory

    with server.app.test_request_context():
        department = DepartmentFactory(name="Statistik-Test Fachbereich")
        since = berlin_today() - timedelta(days=120)
        big = [PersonFactory(team=TeamFactory(name="Statistik großes Team", department=department), team__since=since)]
        big += [PersonFactory(team=big[0].memberships[0].team, team__since=since) for _ in range(5)]
        small = TeamFactory(name="Statistik kleines Team", department=department)
        for _ in range(2):
            PersonFactory(team=small, team__since=since)
        material = MaterialFactory(title="Statistik-Test: Anleitung mit einem recht langen Titel zum Umbrechen")
        RequirementFactory(material=material)
        for person in big:
            completions.mark_done(db.session.get(Person, person.id), material)
        services.refresh(berlin_today(), backfill_months=11)
        db.session.commit()
    problems: list[str] = []
    for role in ("employee", "admin"):
        for viewport in (DESKTOP, NARROW):
            page = page_as(role, viewport)
            if problem := visit(page, "/statistik"):
                problems.append(problem)
            else:
                text = page.locator("main").inner_text()
                assert "zu wenige Personen" in text
                assert ("Erfüllte Pflichtschulungen je Team" in text) == (role == "admin")
                if viewport == DESKTOP:
                    problems += axe_violations(page, f"/statistik as {role}")
                elif overflow := horizontal_overflow(page):
                    problems.append(f"/statistik as {role} at 320 px: {overflow}")
            page.close()
    assert not problems, "\n".join(problems)


def test_editor_writes_news_for_a_department_and_an_employee_reads_it(
    browser: Browser, page_as: Callable[..., Page], server: LiveServer
) -> None:
    """News in the browser: written for department A with linked material, shown on the start page of an employee
    of A, opened (then no longer new), and not shown in department B — editor form, list and detail passing axe."""
    title = "Leistungsgewährung: neue Maske im Posteingang"
    problems: list[str] = []
    editor = page_as("editor")
    editor.goto("/redaktion/neuigkeiten/neu")
    problems += axe_violations(editor, "news editor form")
    editor.get_by_label("Überschrift").fill(title)
    editor.get_by_label("Text", exact=True).fill(
        "Ab heute ordnen Sie Post mit **einem Klick** zu. <script>alert(1)</script>"
        "Mehr im [Intranet](https://intranet.example.org/e-akte)."
    )
    editor.get_by_label("Leistungsgewährung", exact=True).check()
    editor.get_by_label("E-Akte: Posteingang bearbeiten", exact=True).check()
    submit(editor, "Speichern")
    assert f"Die Neuigkeit „{title}“ ist gespeichert." in editor.content()
    assert editor.locator(".news-preview strong").inner_text() == "einem Klick"
    assert editor.locator(".news-preview script").count() == 0
    problems += axe_violations(editor, "news editor form with preview")
    editor.locator(".sub-nav").get_by_role("link", name="Neuigkeiten", exact=True).click()
    editor.wait_for_load_state()
    assert title in editor.locator("main").inner_text()
    problems += axe_violations(editor, "news editor list")
    editor.close()

    page = page_as("employee")
    page.goto("/")
    section = page.locator("section", has=page.locator("#news-heading"))
    entry = section.locator("li", has=page.get_by_role("link", name=title))
    assert "Neu" in entry.inner_text()
    with page.expect_navigation():
        entry.get_by_role("link", name=title).click()
    assert page.locator("h1").inner_text() == title
    assert page.locator(".material-body strong").inner_text() == "einem Klick"
    assert page.evaluate("document.querySelectorAll('main script').length") == 0
    assert page.get_by_role("link", name="E-Akte: Posteingang bearbeiten").is_visible()
    problems += axe_violations(page, "news item")
    page.get_by_role("link", name="Alle Neuigkeiten").click()
    page.wait_for_load_state()
    entry = page.locator("li.news-entry", has=page.get_by_role("link", name=title))
    assert "Neu" not in entry.inner_text()  # read now
    problems += axe_violations(page, "news list")
    narrow = page_as("employee", NARROW)
    narrow.goto("/neuigkeiten")
    if overflow := horizontal_overflow(narrow):
        problems.append(f"news list at 320 px: {overflow}")
    narrow.close()
    page.close()

    context = new_context(browser, server)
    try:
        other = context.new_page()
        log_in(other, server.org.other_employee.email)  # department B
        other.goto("/neuigkeiten")
        assert title not in other.locator("main").inner_text()
        other.goto("/")
        assert title not in other.locator("main").inner_text()
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_employee_states_a_need_and_the_editor_meets_it(page_as: Callable[..., Page], server: LiveServer) -> None:
    """Qualification needs: matching material appears while typing; the editor links one; the answer arrives."""
    from sqlalchemy import select

    from quali_kompass.needs.models import Need

    problems: list[str] = []
    title = "E-Akte: Posteingang bearbeiten"
    text = "Posteingang der E-Akte im Team vertreten"
    page = page_as("employee")
    page.goto("/bedarf")
    problems += axe_violations(page, "my needs")
    page.get_by_role("link", name="Bedarf melden").click()
    page.wait_for_load_state()
    page.get_by_label("Was möchten Sie lernen?").press_sequentially("Posteingang", delay=20)
    live = page.locator("#need-matches[aria-live='polite']")
    live.get_by_role("link", name=title).wait_for()
    assert "Das passt schon? Dann brauchen Sie keinen Bedarf zu melden." in live.inner_text()
    problems += axe_violations(page, "needs form with matches")
    page.get_by_label("Was möchten Sie lernen?").fill(text)
    page.get_by_label("Werkzeug oder Fachverfahren").select_option(label="Videokommunikation (VIKO)")
    page.get_by_label("hoch").check()
    submit(page, "Bedarf melden")
    assert "Vielen Dank! Ihr Bedarf ist bei der Redaktion angekommen." in page.content()
    with server.app.app_context():
        need_id = db.session.scalar(select(Need.id).where(Need.text == text))

    editor = page_as("editor")
    editor.goto("/redaktion")
    editor.get_by_role("link", name="Gemeldeter Bedarf").click()
    editor.wait_for_load_state()
    assert text[:40] in editor.locator("main").inner_text()
    assert server.org.employee.name not in editor.content()
    problems += axe_violations(editor, "needs overview")
    editor.goto(f"/redaktion/bedarfe/{need_id}")
    editor.get_by_label("Im Katalog suchen").fill("Posteingang")
    submit(editor, "Suchen")
    problems += axe_violations(editor, "need with search results")
    editor.get_by_label(title).check()
    editor.get_by_label("Antwort an die Beschäftigten").fill("Hier steht, wie Sie den Posteingang übernehmen.")
    submit(editor, "Antwort senden")
    assert "Ihre Antwort ist gespeichert." in editor.content()
    problems += axe_violations(editor, "answered need")
    editor.get_by_role("link", name="Unerfüllt, nach Häufigkeit").click()
    editor.wait_for_load_state()
    problems += axe_violations(editor, "unmet needs")
    editor.close()

    page.goto("/bedarf")
    card = page.locator(f"#bedarf-{need_id}")
    assert "erfüllt" in card.inner_text() and "Hier steht, wie Sie den Posteingang übernehmen." in card.inner_text()
    assert card.get_by_role("link", name=title).is_visible()
    problems += axe_violations(page, "my needs, answered")
    page.goto("/benachrichtigungen")
    assert "Passendes Angebot für Ihren Bedarf: Videokommunikation (VIKO)" in page.locator("main").inner_text()
    problems += axe_violations(page, "notifications with the answer")
    narrow = page_as("employee", NARROW)
    for path in ("/bedarf", "/bedarf/neu"):
        narrow.goto(path)
        if overflow := horizontal_overflow(narrow):
            problems.append(f"{path} at 320 px: {overflow}")
    narrow.close()
    page.close()
    assert not problems, "\n".join(problems)


def test_editor_sends_a_survey_an_employee_answers_by_keyboard_and_results_stay_hidden(
    page_as: Callable[..., Page], server: LiveServer
) -> None:
    """A needs survey in the browser: refused without topics, created, sent, answered with the keyboard only,
    ended — and with a single respondent its results stay hidden. Every page passes axe."""
    from datetime import timedelta

    title = "Bedarfsabfrage Browser-Test"
    problems: list[str] = []
    editor = page_as("editor")
    editor.goto("/redaktion")
    editor.get_by_role("link", name="Bedarfsabfragen", exact=True).click()
    editor.wait_for_load_state()
    problems += axe_violations(editor, "survey list")
    editor.get_by_role("link", name="Neue Bedarfsabfrage anlegen").click()
    editor.wait_for_load_state()
    problems += axe_violations(editor, "new survey form")
    editor.get_by_label("Titel").fill(title)
    editor.get_by_label("Fachbereich").select_option(label="Leistungsgewährung")
    editor.get_by_label("Antworten möglich bis einschließlich").fill((berlin_today() + timedelta(days=14)).isoformat())
    submit(editor, "Als Entwurf speichern")
    assert "Bitte wählen Sie mindestens ein Thema oder Werkzeug." in editor.content()
    problems += axe_violations(editor, "new survey form with an error")
    editor.get_by_role("group", name="Themen").get_by_label("E-Akte", exact=True).check()
    editor.get_by_role("group", name="Fachverfahren und Werkzeuge").get_by_label("Videokommunikation (VIKO)").check()
    submit(editor, "Als Entwurf speichern")
    assert "ist als Entwurf gespeichert" in editor.content()
    problems += axe_violations(editor, "draft survey")
    survey_url = editor.url
    submit(editor, "Versenden")
    assert re.search(r"Die Bedarfsabfrage ist an \d+ Personen versendet\.", editor.content())
    problems += axe_violations(editor, "open survey")

    page = page_as("employee")
    page.goto("/")
    notice = page.locator(".open-surveys")
    problems += axe_violations(page, "start page with open surveys")
    with page.expect_navigation():
        notice.get_by_role("link", name=title).click()
    problems += axe_violations(page, "answer page")
    for _ in range(80):  # Tab to the first radio button
        page.keyboard.press("Tab")
        if (focused(page)["id"] or "").startswith("item-"):
            break
    assert focused(page)["id"].endswith("-0")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # E-Akte: hoher Bedarf
    assert focused(page)["id"].endswith("-2")
    page.keyboard.press("Tab")  # on to the next item
    page.keyboard.press("ArrowRight")  # Videokommunikation: etwas Bedarf
    assert focused(page)["id"].endswith("-1")
    page.keyboard.press("Tab")
    assert "Angaben speichern" in focused(page)["text"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Vielen Dank! Ihre Angaben sind gespeichert." in page.content()
    assert page.locator("input[type=radio]:checked").count() == 2
    problems += axe_violations(page, "answer page after saving")
    page.goto("/")
    assert title not in page.locator("main").inner_text()
    page.close()

    editor.goto(survey_url)
    assert "Antworten: weniger als 5 Personen" in editor.content()
    submit(editor, "Beenden")
    assert "Die Bedarfsabfrage ist beendet." in editor.content()
    assert "Es haben weniger als 5 Personen geantwortet." in editor.content()
    assert editor.locator("table.survey-results").count() == 0
    problems += axe_violations(editor, "closed survey with hidden results")
    editor.close()
    assert not problems, "\n".join(problems)


def test_admin_finds_material_by_searching_and_enter_does_what_the_field_suggests(
    page_as: Callable[..., Page], server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A catalogue larger than one list: Enter in the material search searches (keeping the note typed), Enter in
    the date field saves; the page passes axe after the search and fits 320 px."""
    from sqlalchemy import func, select

    from quali_kompass.catalogue import picker
    from quali_kompass.curricula.models import Completion
    from quali_kompass.organisation.models import Person
    from tests.factories import MaterialFactory

    monkeypatch.setattr(picker, "PICKER_LIMIT", 2)
    with server.app.app_context():
        for title in ("Zeiterfassung im Jobcenter (Auswahl-Test)", "Urlaubsplanung (Auswahl-Test)", "Dienstreisen"):
            MaterialFactory(title=title)
        db.session.commit()
        person_id = db.session.scalar(select(Person.id).where(Person.email == server.org.other_employee.email))
        before = db.session.scalar(select(func.count()).select_from(Completion))
    problems: list[str] = []

    admin = page_as("admin")
    admin.goto(f"/nachweise/person/{person_id}")
    admin.get_by_label("Notiz").fill("Nachgereicht vom Bildungsträger")
    admin.get_by_label("Material suchen").fill("Zeiterfassung")
    with admin.expect_navigation():
        admin.get_by_label("Material suchen").press("Enter")
    assert focused(admin)["id"] == "material_id-search"
    assert "1 Treffer für „Zeiterfassung“." in admin.locator("main").inner_text()
    assert admin.get_by_label("Notiz").input_value() == "Nachgereicht vom Bildungsträger"
    offered = admin.locator("#material_id option").all_inner_texts()
    assert "Zeiterfassung im Jobcenter (Auswahl-Test)" in offered and "Dienstreisen" not in offered
    problems += axe_violations(admin, "completions of a person, after a material search")
    admin.get_by_label("Material", exact=True).select_option(label="Zeiterfassung im Jobcenter (Auswahl-Test)")
    with admin.expect_navigation():
        admin.get_by_label("Erledigt am").press("Enter")
    assert "Der Nachweis für „Zeiterfassung im Jobcenter (Auswahl-Test)“ ist erfasst." in admin.content()
    with server.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Completion)) == before + 1
    admin.set_viewport_size(NARROW)
    if overflow := horizontal_overflow(admin):
        problems.append(f"completions of a person at 320 px: {overflow}")
    admin.close()
    assert not problems, "\n".join(problems)
