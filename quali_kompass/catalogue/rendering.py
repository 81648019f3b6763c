"""How catalogue material is shown: labels for its codes, and written guides from Markdown to safe HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from typing import Any

import markdown
import nh3
from flask_babel import format_date, format_time, gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

KIND_LABELS = {
    "video": _l("Schulungsvideo"),
    "guide": _l("Klickstrecke"),
    "document": _l("Anleitung"),
    "link": _l("Link"),
    "session": _l("Präsenzschulung / Webinar"),
}
LEVEL_LABELS = {"basic": _l("Einstieg"), "advanced": _l("Vertiefung")}
SOURCE_LABELS = {"ba": _l("BA"), "inhouse": _l("hauseigen")}
LANGUAGE_LABELS = {"de": _l("Deutsch"), "en": _l("Englisch")}
STATUS_LABELS = {"draft": _l("Entwurf"), "published": _l("veröffentlicht"), "archived": _l("archiviert")}

# What a written guide may contain once rendered; everything else is dropped (scripts with their content).
ALLOWED_TAGS = frozenset(
    {
        "p",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "a",
        "blockquote",
        "code",
        "pre",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "br",
        "hr",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_URL_PREFIXES = ("http://", "https://", "mailto:")
_HEADING_LEVELS = {"h1": "h2", "h5": "h4", "h6": "h4"}


def _keep_absolute_links(tag: str, attribute: str, value: str) -> str | None:
    """Only absolute http(s) and mailto links: no relative paths into the app, no javascript: or data:."""
    if tag == "a" and attribute == "href":
        return value if value.strip().lower().startswith(_URL_PREFIXES) else None
    return value


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_keep_absolute_links,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str) -> Markup:
    """The editor's Markdown as HTML with only the allowed tags and links left."""
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    # The page title is the h1: headings of the text start one level below it.
    for outside, inside in _HEADING_LEVELS.items():
        html = html.replace(f"<{outside}>", f"<{inside}>").replace(f"</{outside}>", f"</{inside}>")
    clean = sanitise_html(html)
    return Markup(clean)  # nosec B704  # nh3 has just removed every tag and attribute not allowed


_BLOCK_END = re.compile(r"</(?:p|li|h\d|td|th|tr|blockquote|pre)>|<br\s*/?>|<hr\s*/?>")


def markdown_to_text(text: str) -> str:
    """The editor's Markdown as the reader sees it, as plain text: one line per block, link targets dropped."""
    rendered = _BLOCK_END.sub(lambda match: match.group(0) + "\n", str(render_markdown(text)))
    return unescape(nh3.clean(rendered, tags=set())).strip()


@dataclass(frozen=True)
class GuidePosition:
    """Where a reader of a click-through guide is: the step shown, its number, and one title per step."""

    step: Any
    number: int
    count: int
    instruction: Markup
    titles: list[str]


def guide_position(steps: list, requested: int | None) -> GuidePosition:
    """The requested step (1-based), kept within the guide; the first step if none or nonsense was asked for."""
    count = len(steps)
    number = min(max(requested or 1, 1), count) if count else 0
    step = steps[number - 1] if count else None
    return GuidePosition(
        step=step,
        number=number,
        count=count,
        instruction=render_markdown(step.instruction) if step else Markup(""),
        titles=[markdown_to_text(item.instruction).split("\n", 1)[0] for item in steps],
    )


def safe_external_url(url: str) -> str | None:
    """The address of an external offer if it is a web address; None for anything else (javascript:, paths)."""
    url = (url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) and len(url) > len("https://") else None


def duration_label(minutes: int | None) -> str:
    """ "15 Min."; empty when the duration is not known."""
    return gettext("%(minutes)d Min.", minutes=minutes) if minutes else ""


def session_day(moment) -> str:
    """ "Dienstag, 24.11.2026" in Berlin time."""
    return format_date(moment, "EEEE, dd.MM.yyyy")


def session_times(session_date) -> str:
    """ "14:30–16:00 Uhr" in Berlin time."""
    return gettext(
        "%(start)s–%(end)s Uhr",
        start=format_time(session_date.starts_at, "HH:mm"),
        end=format_time(session_date.ends_at, "HH:mm"),
    )
