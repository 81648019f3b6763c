"""Walk the app as a browser would: every page each role can open, every form on it, and what a page lets run.

The payload and fuzzing suites use this to reach every form and query parameter without a list that could fall
behind the app: a new form is found on its page and attacked the day it appears.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any
from urllib.parse import urljoin, urlsplit

import html5lib
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from quali_kompass.database import Base
from quali_kompass.extensions import db
from tests.access import EXPECTED_ACCESS, NOT_PAGES
from tests.conftest import login
from tests.sample import TINY_PNG

# Inputs whose value a person types; everything else (hidden ids, boxes, lists) carries a choice of the page's.
TEXT_KINDS = frozenset({"text", "textarea", "search", "email", "url", "tel", "password", "number", "date", "time"})

# Sample files by what an input accepts, so that an upload reaches the code behind the signature check.
SAMPLE_FILES = {
    "image": TINY_PNG,
    ".vtt": b"WEBVTT\n\n00:00.000 --> 00:01.000\nHallo\n",
    "video": b"\x1a\x45\xdf\xa3" + b"\x00" * 60,
    ".csv": b"Personalnummer;Name;E-Mail;Fachbereich;Team\n",
}


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    value: str = ""
    options: tuple[str, ...] = ()
    checked: bool = False
    accept: str = ""
    multiple: bool = False


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)

    @property
    def path(self) -> str:
        return urlsplit(self.action).path

    @property
    def text_fields(self) -> list[Field]:
        return [f for f in self.fields if f.kind in TEXT_KINDS]

    def defaults(self) -> dict[str, Any]:
        """What a browser sends when the form is submitted untouched (a sample file in each file input)."""
        data: dict[str, Any] = {}
        for f in self.fields:
            if f.kind in ("checkbox", "radio"):
                if f.checked:
                    data.setdefault(f.name, []).append(f.value)
            elif f.kind == "select":
                data[f.name] = [f.value or (f.options[0] if f.options else "")]
            elif f.kind == "file":
                data[f.name] = [sample_file(f.accept, "Unterlage")]
            elif f.kind not in ("submit", "button", "reset", "image"):
                data.setdefault(f.name, []).append(f.value)
        return data


def sample_file(accept: str, stem: str) -> tuple[io.BytesIO, str]:
    """A small valid file for an input's ``accept`` attribute, under a file name built from ``stem``."""
    for key, content in SAMPLE_FILES.items():
        if key in accept:
            suffix = {"image": ".png", "video": ".webm"}.get(key, key)
            return io.BytesIO(content), f"{stem}{suffix}"
    return io.BytesIO(TINY_PNG), f"{stem}.png"


class _FormParser(HTMLParser):
    """Collects the forms of a page with their fields (the few attributes a browser needs to submit them)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._by_id: dict[str, Form] = {}
        self._textarea: dict[str, str] | None = None
        self._select: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["selected"] = a.get("value", "")
            return
        if tag == "form":
            self._form = Form(
                self.page, urljoin(self.page, a.get("action") or self.page), a.get("method", "get").lower()
            )
            self.forms.append(self._form)
            if a.get("id"):
                self._by_id[a["id"]] = self._form
            return
        form = self._by_id.get(a.get("form", ""), self._form)
        if form is None or "name" not in a or "disabled" in a:
            return
        if tag == "input":
            form.fields.append(
                Field(
                    a["name"],
                    a.get("type", "text").lower(),
                    a.get("value", "on" if a.get("type") in ("checkbox", "radio") else ""),
                    checked="checked" in a,
                    accept=a.get("accept", ""),
                    multiple="multiple" in a,
                )
            )
        elif tag == "textarea":
            self._textarea = {"name": a["name"], "text": ""}
            form.fields.append(Field(a["name"], "textarea"))
        elif tag == "select":
            self._select = {"name": a["name"], "options": [], "selected": "", "multiple": "multiple" in a, "form": form}
        elif tag == "button" and a.get("type", "submit") == "submit":
            form.fields.append(Field(a["name"], "button-value", a.get("value", "")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            form = self._form or self.forms[-1]
            form.fields = [
                Field(f.name, f.kind, self._textarea["text"]) if f.name == self._textarea["name"] else f
                for f in form.fields
            ]
            self._textarea = None
        elif tag == "select" and self._select is not None:
            s = self._select
            s["form"].fields.append(
                Field(s["name"], "select", s["selected"], tuple(s["options"]), multiple=s["multiple"])
            )
            self._select = None


def forms_of(html: str, page: str) -> list[Form]:
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms


# Pages ---------------------------------------------------------------------------------------------------------
def page_urls(app: Flask, values: dict[str, Any], role: str) -> list[str]:
    """Every GET route the role may open, built with the sample objects (query-free)."""
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "GET" not in rule.methods or rule.endpoint == "static" or role not in EXPECTED_ACCESS[rule.endpoint]:
            continue
        urls.append(rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1])
    return urls


def endpoint_of(app: Flask, path: str, method: str = "GET") -> str:
    adapter = app.url_map.bind("localhost")
    return adapter.match(path, method=method)[0]


# What a page lets run --------------------------------------------------------------------------------------------
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href"})
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:image/svg")
_EMBEDDING_TAGS = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base"})
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def live_script(html: str, marker: str) -> list[str]:
    """What a browser would run or load from this page beyond the app's own scripts, and any injected markup.

    The page is parsed as a browser parses it (html5lib). Found: scripts that are not the app's files, event
    handler attributes, script URLs in link and source attributes, embedding elements, refresh redirects, and any
    element or attribute whose name carries ``marker`` (markup that came from input).
    """
    problems = []
    for element in html5lib.parse(html, namespaceHTMLElements=False).iter():
        if not isinstance(element.tag, str):
            continue  # comments
        tag = _local(element.tag)
        if marker in tag:
            problems.append(f"element <{tag}> from input")
        if tag == "script" and (not element.get("src", "").startswith("/static/") or (element.text or "").strip()):
            problems.append(f"script {element.get('src')!r}: {(element.text or '')[:60]!r}")
        if tag in _EMBEDDING_TAGS:
            problems.append(f"embedding element <{tag}>")
        if tag == "meta" and element.get("http-equiv", "").lower() == "refresh":
            problems.append("meta refresh")
        for raw_name, value in element.attrib.items():
            name = _local(raw_name)
            if marker in name:
                problems.append(f"attribute {name} on <{tag}> from input")
            if name.startswith("on") or name == "srcdoc":
                problems.append(f"{name}={value[:60]!r} on <{tag}>")
            if name in _URL_ATTRIBUTES and _INVISIBLE.sub("", value).lower().startswith(_SCRIPT_SCHEMES):
                problems.append(f"{name}={value[:60]!r} on <{tag}>")
            if name == "style" and re.search(r"expression\(|javascript:|url\(", value, re.IGNORECASE):
                problems.append(f"style={value[:60]!r} on <{tag}>")
    return problems


# Database ----------------------------------------------------------------------------------------------------------
def row_counts(app: Flask) -> dict[str, int]:
    """The number of rows of every table, in one statement."""
    tables = [table.name for table in Base.metadata.sorted_tables]
    union = " UNION ALL ".join(f"SELECT '{name}', COUNT(*) FROM \"{name}\"" for name in tables)
    with app.app_context():
        counts = dict(db.session.execute(text(union)).all())
        db.session.remove()
    return counts


def table_fingerprint(app: Flask, skip: Iterable[str] = ()) -> dict[str, int]:
    """Row counts without the tables that change on every request (login sessions' last-seen time is no write)."""
    return {name: count for name, count in row_counts(app).items() if name not in set(skip)}


def role_people(org: SimpleNamespace) -> dict[str, Any]:
    """The person behind each role of the walk, in the order the walk goes (admins last: they change people)."""
    return {
        "employee": org.employee,
        "lead": org.lead,
        "department_head": org.head,
        "editor": org.editor,
        "admin": org.admin,
    }


def logged_in(app: Flask, org: SimpleNamespace, role: str) -> FlaskClient:
    client = app.test_client()
    login(client, role_people(org)[role].email)
    return client


def html_pages(app: Flask, client: FlaskClient, values: dict[str, Any], role: str) -> Iterator[tuple[str, str]]:
    """(url, html) of every page the role may open; files, exports and JSON are left out."""
    for url in page_urls(app, values, role):
        if endpoint_of(app, url) in NOT_PAGES:
            continue
        response = client.get(url)
        assert response.status_code < 500, f"GET {url} as {role}: {response.status_code}"
        if response.mimetype == "text/html":
            yield url, response.get_data(as_text=True)


# The forms found for each role: the sample objects get the same ids in every test, so a walk is done once.
_FORMS: dict[str, list[Form]] = {}


def forms_with_input(app: Flask, org: SimpleNamespace, values: dict[str, Any], role: str) -> list[Form]:
    """Every POST form the role finds on its pages that takes more than the CSRF token, one per action."""
    if role not in _FORMS:
        found: dict[str, Form] = {}
        for url, html in html_pages(app, logged_in(app, org, role), values, role):
            for form in forms_of(html, url):
                if form.method == "post" and any(f.name != "csrf_token" for f in form.fields):
                    found.setdefault(form.path, form)
        _FORMS[role] = list(found.values())
    return _FORMS[role]
