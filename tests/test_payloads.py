"""Hostile text through every text field, file name and import column (ASVS 5.2, 5.3.1, 5.3.3, 5.3.4).

Each role fills every form it finds with a payload of markup, event handlers, ``javascript:`` links, formula
starts, a right-to-left override, umlauts and emoji. Afterwards every page of every role is parsed as a browser
parses it, and no script, handler, script link or injected element may come out; in the CSV and XLSX exports no
cell with the payload may start a formula.
"""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from tests.forms_walk import (
    Form,
    forms_of,
    forms_with_input,
    html_pages,
    live_script,
    logged_in,
    role_people,
    sample_file,
)
from tests.sample import sample_url_values

pytestmark = pytest.mark.once  # escaping in pages and exports does not depend on the database: run once

MARKER = "qkx"
PAYLOAD = (
    '=HYPERLINK("https://example.org") qkx<qkx-tag qkx-attr=1><script>alert(1)</script>'
    '<img src=x onerror=alert(1)>"\'><a href="javascript:alert(1)">a</a>[m](javascript:alert(1)) '
    "\u202eGrüße Ä ß 📚👩\u200d💼"
)
SHORT_PAYLOAD = "@qkx<qkx-b onclick=1>Ö"  # for fields with a short limit, where the long one is refused
URL_PAYLOADS = ("javascript:alert('qkx')", "https://example.org/?<qkx-u>")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
IMPORT_CSV = (
    "Personalnummer;Name;E-Mail;Fachbereich;Team;Führungskraft E-Mail;Aktiv\n"
    f'P-9001;"{PAYLOAD.replace(chr(34), chr(34) * 2)}";payload.eins@jobcenter-test.de;'
    '"+SUM(1)qkx<qkx-d>";"=1+1qkx<qkx-t onfocus=1>";;ja\n'
    'P-9002;"-2+3 qkx<qkx-n>";payload.zwei@jobcenter-test.de;"+SUM(1)qkx<qkx-d>";"@qkx Team";;ja\n'
).encode()


def filled(form: Form, text: str, url: str, keep_emails: bool) -> dict[str, Any]:
    """The form as its page offers it, with the payload in every field a person types text into."""
    data = form.defaults()
    for field in form.fields:
        if field.kind == "file":
            data[field.name] = [sample_file(field.accept, text.replace("/", " "))]
        elif field.kind == "url":
            data[field.name] = [url]
        elif field.kind in ("text", "textarea", "search") or (field.kind == "email" and not keep_emails):
            data[field.name] = [text]
    return data


def submit_payloads(app: Flask, client: FlaskClient, role: str, form: Form) -> list[str]:
    """Send the long payload, and the short one where the long one is refused; check the answers' markup."""
    problems = []
    rounds = [(PAYLOAD, URL_PAYLOADS[0], False), (SHORT_PAYLOAD, URL_PAYLOADS[1], True)]
    for text, url, keep_emails in rounds:
        response = client.post(form.path, data=filled(form, text, url, keep_emails), content_type="multipart/form-data")
        where = f"POST {form.path} as {role}"
        assert response.status_code < 500, f"{where}: {response.status_code}"
        if response.mimetype == "text/html":
            problems += [f"{where}: {p}" for p in live_script(response.get_data(as_text=True), MARKER)]
        if response.status_code < 400:
            break
    return problems


def import_payloads(app: Flask, client: FlaskClient) -> None:
    """Import people whose name, department and team are payloads, through the upload and the confirmation."""
    upload = client.post("/verwaltung/import", data={"file": (io.BytesIO(IMPORT_CSV), f"{MARKER}<b>.csv")})
    assert upload.status_code == 302, upload.get_data(as_text=True)[:2000]
    preview = client.get(upload.headers["Location"])
    page = preview.get_data(as_text=True)
    apply = [f for f in forms_of(page, preview.request.path) if f.path.endswith("/uebernehmen")]
    assert apply, f"the preview offers no confirmation: {page[page.find('<main') :][:3000]}"
    apply = apply[0]
    assert client.post(apply.path, data=apply.defaults()).status_code == 302


def export_cells(client: FlaskClient, url: str) -> list[tuple[str, bool]]:
    """Each cell's text and whether a spreadsheet would compute it: in a CSV file a formula start does, in an
    XLSX file only a cell of the formula type (a text cell shows "=..." as it is)."""
    response = client.get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    if response.mimetype == "text/csv":
        text = response.get_data(as_text=True).lstrip("\ufeff")
        rows = csv.reader(io.StringIO(text), delimiter=";")
        return [(cell, cell.startswith(FORMULA_STARTS)) for row in rows for cell in row]
    workbook = load_workbook(io.BytesIO(response.data))
    return [
        (str(cell.value), cell.data_type == "f")
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def test_no_page_or_export_lets_input_run_as_script_or_formula(app: Flask, org: SimpleNamespace) -> None:
    values = sample_url_values(app, org)
    problems: list[str] = []
    submitted = 0
    for role in role_people(org):
        client = logged_in(app, org, role)
        for form in forms_with_input(app, org, values, role):
            problems += submit_payloads(app, client, role, form)
            submitted += 1
    admin = logged_in(app, org, "admin")
    import_payloads(app, admin)
    assert submitted > 40

    pages, shown = 0, 0
    for role in role_people(org):
        for url, html in html_pages(app, logged_in(app, org, role), values, role):
            pages += 1
            shown += MARKER in html
            problems += [f"GET {url} as {role}: {p}" for p in live_script(html, MARKER)]
    assert not problems, "\n".join(problems)
    assert shown > 30, "the payload should appear (as text) on many pages"

    lead = logged_in(app, org, "lead")
    exports = {
        f"/team/{org.team_a.id}/export.csv": lead,
        f"/team/{org.team_a.id}/export.xlsx": lead,
        "/statistik/export.csv": admin,
    }
    for url, client in exports.items():
        cells = [(text, formula) for text, formula in export_cells(client, url) if MARKER in text]
        formulas = [text for text, formula in cells if formula]
        assert not formulas, f"{url}: {formulas}"
        if "team" in url:
            assert cells, f"{url}: the renamed person should be in the export"


def test_the_check_finds_what_a_browser_would_run() -> None:
    """The page check itself: each of these would run or load something, or shows markup from input."""
    bad = [
        "<script>alert(1)</script>",
        '<script src="https://evil.example/x.js"></script>',
        "<img src=x onerror=alert(1)>",
        '<a href=" jav&#x09;ascript:alert(1)">x</a>',
        "<svg><a xlink:href='javascript:alert(1)'>x</a></svg>",
        "<iframe srcdoc='<script>1</script>'></iframe>",
        "<p qkx-attr=1>x</p>",
        "<qkx-tag>",
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        '<div style="background:url(javascript:alert(1))">',
    ]
    for snippet in bad:
        assert live_script(f"<!doctype html><html><body>{snippet}</body></html>", MARKER), snippet
    safe = '<script src="/static/js/app.js"></script><p>&lt;script&gt;qkx&lt;qkx-tag&gt;</p><a href="/katalog">k</a>'
    assert not live_script(f"<!doctype html><html><body>{safe}</body></html>", MARKER)
