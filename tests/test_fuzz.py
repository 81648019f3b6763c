"""Property-based fuzzing of every form and query parameter (ASVS 5.1.3, 5.1.4, 7.4.1).

Hypothesis fills every form each role finds on its pages, and every query parameter and id in a URL, with
anything: control characters, NUL, huge numbers, wrong choices, random files. The app must never answer 500; a
refusal is a German message on the page, and a refused form writes nothing.
"""

from __future__ import annotations

import io
import os
import re
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update
from werkzeug.datastructures import MultiDict

from quali_kompass.extensions import db
from quali_kompass.organisation.models import Person
from tests.forms_walk import Field, Form, forms_with_input, logged_in, page_urls, role_people, row_counts
from tests.sample import sample_url_values

# Fewer examples on PostgreSQL, where the suite's time is tightest; every example there still sends NUL and
# out-of-range numbers, which only PostgreSQL refuses.
EXAMPLES = int(os.environ.get("QK_FUZZ_EXAMPLES", "6" if os.environ.get("QK_TEST_DATABASE_URL") else "12"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples in every run: a failure in CI is one anyone can repeat
    database=None,
    suppress_health_check=list(HealthCheck),
)

# Tables that a refused request may write: the security log records refused logins and password checks, the access
# log records who looked at personal data, and a login session notes when it was last used.
LOGGED_ANYWAY = frozenset({"audit_event", "access_log", "login_session"})

# Strings that have broken web apps: control characters, NUL, huge and negative numbers, odd encodings and markup.
NASTY = [
    "\x00",
    "a\x00b",
    "\r\n\t\x0b\x0c",
    "\x1b[31m",
    "\u202ephp.exe",
    "\ufeff",
    "𝕏" * 3,
    "👩\u200d💼",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "31.12.2026",
    "9999-12-31",
    "0001-01-01",
    "25:61",
    "'; DROP TABLE person; --",
    "<script>alert(1)</script>",
    "%s%n%x",
    "{{7*7}}",
    "../../etc/passwd",
    "A" * 5000,
]
any_text = st.one_of(st.sampled_from(NASTY), st.text(max_size=40), st.text(max_size=300))


def field_values(f: Field) -> st.SearchStrategy[list[Any]]:
    """What a person, a broken browser or an attacker might send for one field (an empty list: left out)."""
    if f.kind == "file":
        upload = st.tuples(st.binary(max_size=200), st.text(max_size=30)).map(lambda b: (io.BytesIO(b[0]), b[1]))
        return st.lists(upload, max_size=1)
    choices = [f.value, *f.options] if f.value or f.options else [""]
    one = st.one_of(st.sampled_from(choices), any_text, st.integers().map(str))
    return st.lists(one, max_size=3 if f.multiple or f.kind == "checkbox" else 1)


def form_data(form: Form) -> st.SearchStrategy[dict[str, list[Any]]]:
    names = {f.name: f for f in form.fields if f.name != "csrf_token"}
    return st.fixed_dictionaries({name: field_values(f) for name, f in names.items()})


def german_refusal(response) -> bool:
    """A refusal a person can read: a German page with an error message, or a JSON error for scripts."""
    if response.is_json:
        return "error" in response.get_json()
    page = response.get_data(as_text=True)
    return '<html lang="de"' in page and bool(re.search(r"kern-error|kern-alert--danger|<h1", page))


def keep_german(app: Flask, person_id: int) -> None:
    """The language form may switch the person to English; the next refusal is checked for German."""
    with app.app_context():
        db.session.execute(update(Person).where(Person.id == person_id).values(locale="de"))
        db.session.commit()


def fuzz_form(app: Flask, client: FlaskClient, form: Form, person_id: int, role: str) -> None:
    @FUZZ
    @given(data=form_data(form))
    def check(data: dict[str, list[Any]]) -> None:
        before = row_counts(app)
        fields = MultiDict([(name, value) for name, values in data.items() for value in values])
        response = client.post(form.path, data=fields, content_type="multipart/form-data")
        where = f"POST {form.path} as {role} with {dict(fields)!r:.300}"
        assert response.status_code < 500, where
        # A refusal is a 4xx (the app's rule), or a page shown again with an error on it.
        page = response.get_data(as_text=True)
        if response.status_code >= 400 or re.search(r"kern-error|kern-alert--danger", page):
            assert german_refusal(response), f"{where}: {response.status_code} without a German message"
            after = row_counts(app)
            changed = {t for t in after if after[t] != before[t] and t not in LOGGED_ANYWAY}
            assert not changed, f"{where}: refused ({response.status_code}) but wrote to {sorted(changed)}"
        keep_german(app, person_id)

    check()


@pytest.mark.parametrize("role", ["employee", "lead", "department_head", "editor", "admin"])
def test_no_form_input_gives_a_500_and_a_refusal_writes_nothing(app: Flask, org: SimpleNamespace, role: str) -> None:
    values = sample_url_values(app, org)
    forms = forms_with_input(app, org, values, role)
    assert forms, f"{role} found no form"
    client = logged_in(app, org, role)
    person_id = role_people(org)[role].id
    for form in forms:
        fuzz_form(app, client, form, person_id, role)


# Query parameters of lists, searches and filters (German names, as the pages use them).
QUERY_NAMES = [
    *("seite", "suche", "sortierung", "status", "fachbereich", "team", "material", "thema", "oberthema"),
    *("werkzeug", "aktion", "objekt", "person", "von", "bis", "ueberfaellig", "schritt", "next"),
]


@pytest.mark.parametrize("role", ["employee", "lead", "editor", "admin"])
def test_no_query_parameter_or_id_in_a_url_gives_a_500(app: Flask, org: SimpleNamespace, role: str) -> None:
    values = sample_url_values(app, org)
    client = logged_in(app, org, role)
    urls = page_urls(app, values, role)
    id_routes = [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and "_id" in str(rule.arguments)]

    @FUZZ
    @given(
        url=st.sampled_from(urls),
        query=st.dictionaries(st.sampled_from(QUERY_NAMES), any_text, max_size=4),
    )
    def check_query(url: str, query: dict[str, str]) -> None:
        response = client.get(url, query_string=query)
        assert response.status_code < 500, f"GET {url} {query!r:.200}: {response.status_code}"

    @FUZZ
    @given(rule=st.sampled_from(id_routes), number=st.one_of(st.integers(min_value=0), st.just(2**63)))
    def check_ids(rule: Any, number: int) -> None:
        arguments = {name: number if name.endswith("_id") else values[name] for name in rule.arguments}
        url = rule.build(arguments, append_unknown=False)[1]
        response = client.get(url)
        assert response.status_code < 500, f"GET {url}: {response.status_code}"
        if response.status_code >= 400:
            assert german_refusal(response), f"GET {url}: {response.status_code} without a German message"

    check_query()
    check_ids()
