"""Language and time zone: German first, English second, dates in Europe/Berlin."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from babel.numbers import format_percent, get_group_symbol
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, get_locale, get_translations
from flask_login import current_user
from markupsafe import Markup

from quali_kompass.extensions import babel


def select_locale() -> str:
    """The person's saved choice, else the choice of this browser session, else the browser's preference."""
    languages = current_app.config["QK_LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]  # command line: no person, no browser
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(list(languages)) or current_app.config["BABEL_DEFAULT_LOCALE"]


def install(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["ngettext"] = counted
    app.jinja_env.filters["grouped"] = format_count
    app.jinja_env.filters["date"] = format_day
    app.jinja_env.filters["datetime"] = _format_datetime


def counted(singular: str, plural: str, num: int, **variables: object) -> Markup:
    """The templates' ngettext: Jinja's, but ``%(num)s`` is grouped as the language writes it ("65.605 Personen")."""
    variables.setdefault("num", format_count(num))
    text = Markup(get_translations().ungettext(singular, plural, num))  # nosec B704  # the catalogue's own text
    return text % variables  # as in Jinja's ngettext, Markup's % escapes the variables


def format_count(value: int) -> str:
    """A whole number with the language's thousands separator: 65.605, 65,605 (tables show thousands of them)."""
    return f"{value:,}".replace(",", _group_symbol(str(get_locale())))


@lru_cache(maxsize=8)
def _group_symbol(locale: str) -> str:
    return get_group_symbol(locale)


def format_day(value: date | datetime | None) -> str:
    """A calendar day as 31.03.2027, the same in both languages; a moment as its day in Europe/Berlin.

    Written out directly for days: a matrix page shows thousands of them, and Babel's pattern formatting costs
    several microseconds each.
    """
    if not value:
        return ""
    if isinstance(value, datetime):
        return format_date(value, "dd.MM.yyyy")
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def _format_datetime(value) -> str:
    if not value:
        return ""
    if str(get_locale()) == "de":
        return format_datetime(value, "dd.MM.yyyy, HH:mm 'Uhr'")
    return format_datetime(value, "dd.MM.yyyy, HH:mm")


def format_share(share: float | None) -> str:
    """A share as a whole percentage in the page's language ("57 %", "57%"), "–" for none.

    Rounded as Babel rounds (half to even), then formatted once per language and percentage: the statistics page
    and the team charts show hundreds of them, and Babel's formatting costs 15 to 100 microseconds each.
    """
    if share is None:
        return "–"
    whole = int(Decimal(str(share)).scaleb(2).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    return _percent(str(get_locale()), whole)


@lru_cache(maxsize=512)
def _percent(locale: str, whole: int) -> str:
    return format_percent(Decimal(whole).scaleb(-2), locale=locale)
