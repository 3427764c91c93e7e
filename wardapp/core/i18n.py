"""Language, time zone and dates: Vietnamese and the city's zone unless the user chose
otherwise; every date people read is formatted here (dd/mm/yyyy)."""

from datetime import date, datetime
from typing import overload
from zoneinfo import ZoneInfo

from flask import current_app, g, session
from flask_babel import get_locale, get_translations


def select_locale() -> str:
    lang = session.get("lang")
    if isinstance(lang, str) and lang in current_app.config["LANGUAGES"]:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def city_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def today_local() -> date:
    """Today in the city (tests set the clock by replacing this function)."""
    return datetime.now(city_tz()).date()


@overload
def local(dt: datetime) -> datetime: ...


@overload
def local(dt: None) -> None: ...


def local(dt: datetime | None) -> datetime | None:
    return dt.astimezone(city_tz()) if dt else None


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value)
    return value.strftime("%d/%m/%Y")


def fmt_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return local(value).strftime("%d/%m/%Y %H:%M")


def fmt_day_month(value: date) -> str:
    """The start of a range whose end carries the year: "30/09" in "30/09–06/10/2024"."""
    return value.strftime("%d/%m")


def fmt_input(value: datetime) -> str:
    """A moment as a ``datetime-local`` input holds it: local time, to the minute."""
    return local(value).strftime("%Y-%m-%dT%H:%M")


def now_local() -> datetime:
    return datetime.now(city_tz())


def _catalog():
    """The request's catalog, looked up once per locale instead of once per string.

    Flask-Babel finds it again for every ``_()`` in a template (locale, domain, cache key),
    which was a fifth of the time to draw a long review page. Keyed by the locale object, so
    ``force_locale`` (the DOCX report is always Vietnamese) still gets its own catalog.
    """
    locale = get_locale()
    memo = g.get("_wardapp_catalog")
    if memo is None or memo[0] is not locale:
        memo = g._wardapp_catalog = (locale, get_translations())
    return memo[1]


def install_template_gettext(app) -> None:
    """Templates' ``_()`` and ``ngettext()`` through :func:`_catalog` (call after Babel)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _catalog().ugettext(s),
        ngettext=lambda s, p, n: _catalog().ungettext(s, p, n),
        pgettext=lambda c, s: _catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: _catalog().unpgettext(c, s, p, n),
        newstyle=True,
    )
