"""What every template gets: the menu for the user's role, labels, the language."""

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from wardapp.core.labels import ROLE_LABELS

# (endpoint, label, roles): the menu, in order. Pages that don't exist yet aren't listed.
MENU = [
    ("core.home", _l("Trang chính"), ("officer", "reviewer", "overseer", "admin")),
    ("evidence.mine", _l("Đã gửi"), ("officer",)),
    ("offline.outbox", _l("Hộp thư đi"), ("officer",)),
    ("review.queue_page", _l("Duyệt minh chứng"), ("reviewer", "overseer")),
    ("review.gallery", _l("Lưới ảnh"), ("reviewer", "overseer")),
    ("compliance.dashboard", _l("Tổng hợp"), ("reviewer", "overseer", "admin")),
    ("compliance.unit_page", _l("Tiến độ"), ("officer",)),
    ("plans.plan_list", _l("Kế hoạch"), ("reviewer", "overseer", "admin")),
    ("auth.users", _l("Tài khoản"), ("admin",)),
]


@dataclass
class NavItem:
    url: str
    label: str
    active: bool


def nav_items() -> list[NavItem]:
    if not current_user.is_authenticated:
        return []
    return [
        NavItem(url_for(endpoint), label, request.endpoint == endpoint)
        for endpoint, label, roles in MENU
        if current_user.role in roles
    ]


def template_context() -> dict:
    return {
        "nav_items": nav_items(),
        "role_labels": ROLE_LABELS,
        "current_locale": lambda: str(get_locale() or "vi"),
    }
