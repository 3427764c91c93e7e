"""What every template gets: the menu for the user's role, labels, the language and the
scripts' words in it."""

from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from wardapp.core.access import allowed_roles
from wardapp.core.blueprints import menu_counts
from wardapp.core.roles import ADMINS, AUDIT_READERS, OFFICERS, READERS, ROLE_LABELS, SIGNED_IN
from wardapp.core.script_words import script_words

# (endpoint, label, who it is for): the menu, in order. An entry is offered to the roles its
# view lets in (core.roles) that it is meant for: the unit's progress page opens for every
# role, but is a menu entry for officers, who have no dashboard.
MENU = [
    ("core.home", _l("Trang chính"), SIGNED_IN),
    ("evidence.mine", _l("Đã gửi"), OFFICERS),
    ("offline.outbox", _l("Hộp thư đi"), OFFICERS),
    ("review.queue_page", _l("Duyệt minh chứng"), READERS),
    ("review.gallery", _l("Lưới ảnh"), READERS),
    ("review.map_page", _l("Bản đồ"), READERS),
    ("compliance.dashboard", _l("Tổng hợp"), READERS),
    ("compliance.unit_page", _l("Tiến độ"), OFFICERS),
    ("plans.plan_list", _l("Kế hoạch"), READERS),
    ("places.place_list", _l("Địa điểm"), READERS),
    ("auth.users", _l("Tài khoản"), ADMINS),
    ("organisation.units", _l("Đơn vị"), ADMINS),
    ("organisation.audit_page", _l("Nhật ký"), AUDIT_READERS),
]


# A short word and a symbol for each entry, for the officer's bottom bar on a phone.
ICONS = {
    "core.home": "\u2302",
    "evidence.mine": "\u2713",
    "offline.outbox": "\u2709",
    "compliance.unit_page": "\u25d4",
}


@dataclass
class NavItem:
    url: str
    label: str
    active: bool
    endpoint: str = ""
    count: int = 0  # what waits for the user there (returned items to correct, …)
    icon: str = ""


def nav_items() -> list[NavItem]:
    if not current_user.is_authenticated:
        return []
    views = current_app.view_functions
    counts = menu_counts()
    return [
        NavItem(
            url_for(endpoint),
            label,
            request.endpoint == endpoint,
            endpoint=endpoint,
            count=counts[endpoint](current_user) if endpoint in counts else 0,
            icon=ICONS.get(endpoint, ""),
        )
        for endpoint, label, meant_for in MENU
        if current_user.role in meant_for and _lets_in(views[endpoint], current_user.role)
    ]


def _lets_in(view: object, role: str) -> bool:
    roles = allowed_roles(view)
    return roles is None or role in roles


def template_context() -> dict:
    return {
        "nav_items": nav_items(),
        "role_labels": ROLE_LABELS,
        "current_locale": lambda: str(get_locale() or "vi"),
        "script_words": script_words,
    }
