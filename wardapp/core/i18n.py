"""Language and time zone: Vietnamese and the city's zone unless the user chose otherwise."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, session


def select_locale() -> str:
    lang = session.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def city_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


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

