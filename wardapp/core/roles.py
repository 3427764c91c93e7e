"""The roles, and which of them read which part of the app.

The groups below are the one table: the views' ``@allow`` guards name them, the menu offers
an entry to exactly the roles its view lets in, and the access test checks every route
against them. A page the menu shows is a page that opens, and the reverse.
"""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    OFFICER = "officer"  # a ward's, commune's or agency's officer: records their unit's evidence
    REVIEWER = "reviewer"  # Phòng VHTT: decides on evidence, sets how tasks are scored
    OVERSEER = "overseer"  # Phòng Nội vụ, the city's leaders: read everything, decide nothing
    ADMIN = "admin"  # accounts, units, plans


ROLE_LABELS = {
    Role.OFFICER: _l("Cán bộ đơn vị"),
    Role.REVIEWER: _l("Người duyệt (Phòng VHTT)"),
    Role.OVERSEER: _l("Theo dõi (Phòng Nội vụ)"),
    Role.ADMIN: _l("Quản trị"),
}

SIGNED_IN = frozenset(Role)
OFFICERS = frozenset({Role.OFFICER})  # recording: capture, outbox, the unit's own list
READERS = frozenset({Role.REVIEWER, Role.OVERSEER, Role.ADMIN})  # the queue, matrix, exports
DECIDERS = frozenset({Role.REVIEWER})  # approving and returning evidence
URGERS = frozenset({Role.REVIEWER, Role.OVERSEER})  # urging units behind (đôn đốc)
RULE_EDITORS = frozenset({Role.REVIEWER, Role.ADMIN})  # how a plan's tasks are scored
ADMINS = frozenset({Role.ADMIN})  # accounts and plan imports
AUDIT_READERS = frozenset({Role.ADMIN, Role.OVERSEER})  # the audit record, read-only
