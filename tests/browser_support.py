"""Helpers for the browser tests: a live server, the page list, login, axe-core and reflow checks."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.access import EXPECTED_ACCESS, NOT_PAGES
from tests.factories import TEST_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 320, "height": 640}

_axe = Axe()


@dataclass
class LiveServer:
    """The app served over HTTP in a background thread, with the sample organisation."""

    url: str
    app: Flask
    org: SimpleNamespace
    values: dict[str, Any]


class _QuietRequestHandler(WSGIRequestHandler):
    """Keep the access log of every page and stylesheet out of the test output; errors still show."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free local port; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def page_paths(app: Flask, role: str, values: dict[str, Any]) -> list[str]:
    """The paths of every page ``role`` may open; public pages belong to the anonymous walk only."""
    paths = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        allowed = EXPECTED_ACCESS.get(rule.endpoint, frozenset())
        public = "anonymous" in allowed
        if role not in allowed or (public and role != "anonymous"):
            continue
        paths.append(rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1])
    return paths


def new_context(browser: Browser, server: LiveServer, viewport: dict[str, int] = DESKTOP) -> BrowserContext:
    context = browser.new_context(base_url=server.url, viewport=viewport, locale="de-DE")
    context.set_default_timeout(10_000)
    return context


def log_in(page: Page, email: str, password: str = TEST_PASSWORD) -> None:
    """Log in through the login form, as a person would."""
    page.goto("/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    submit(page, "Anmelden")
    assert "/anmelden" not in page.url, f"login as {email} failed: {page.locator('main').inner_text()}"


def submit(page: Page, button: str) -> None:
    """Press a form's submit button and wait for the answer."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def axe_violations(page: Page, label: str | None = None) -> list[str]:
    """Run axe-core with the WCAG 2.1 A/AA rules; one readable line per rule and page."""
    results = _axe.run(page, options=AXE_OPTIONS).response
    where = label or page.url
    lines = []
    for violation in results["violations"]:
        targets = [" ".join(node["target"]) for node in violation["nodes"]]
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}\n"
            + "\n".join(f"    {target}" for target in targets)
        )
    return lines


# Elements sticking out to the right, outside a table wrapper that scrolls on its own.
_OVERFLOW_SCRIPT = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.table-wrapper') && !el.classList.contains('table-wrapper')) continue;
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 && box.width > 0) {
      const id = el.id ? '#' + el.id : '';
      const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
      culprits.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(box.right)} px)`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, culprits: culprits.slice(0, 5)};
}"""


def horizontal_overflow(page: Page) -> str | None:
    """None if the page fits the viewport's width, else a description of what sticks out."""
    overflow = page.evaluate(_OVERFLOW_SCRIPT)
    if overflow is None:
        return None
    culprits = "; ".join(overflow["culprits"]) or "?"
    return f"{page.url}: scrollWidth {overflow['scrollWidth']} > {overflow['width']} px: {culprits}"


# The focused element and whether it shows a focus indicator (outline or box-shadow); with ``walk``, null once
# the focus leaves the page or comes back to an element seen before.
_FOCUS_SCRIPT = """walk => {
  const el = document.activeElement;
  if (walk) {
    if (!el || el === document.body || el.dataset.focusWalked) return null;
    el.dataset.focusWalked = '1';
  }
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== 'none';
  const text = (el.getAttribute('aria-label') || el.innerText || el.value || '').trim();
  const label = `${el.tagName.toLowerCase()} "${el.id ? '#' + el.id : text.slice(0, 40)}"`;
  return {visible: outline || shadow, tag: el.tagName.toLowerCase(), id: el.id, text, label,
          outline: style.outline, shadow: style.boxShadow};
}"""


def focused(page: Page) -> dict[str, Any]:
    """Describe the focused element and whether it shows a focus indicator."""
    return page.evaluate(_FOCUS_SCRIPT, False)


def unfocusable_indicators(page: Page, limit: int = 200) -> list[str]:
    """Tab through the page once; the elements that take the focus without showing it."""
    hidden = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = page.evaluate(_FOCUS_SCRIPT, True)
        if element is None:
            break
        if not element["visible"]:
            hidden.append(element["label"])
    return hidden
