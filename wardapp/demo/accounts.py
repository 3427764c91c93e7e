"""The demo's accounts: one for each staff role and one officer per unit, all with the
password ``wardapp-demo``. Running it again adds nothing twice."""

from sqlalchemy import select

from wardapp.auth import services as accounts
from wardapp.extensions import db
from wardapp.units.models import Unit

DEMO_PASSWORD = "wardapp-demo"

STAFF = [
    # username, display name, role, unit code
    ("admin", "Quản trị hệ thống", "admin", None),
    ("vhtt", "Nguyễn Thị Hồng (Phòng VHTT)", "reviewer", "van-hoa-va-thong-tin"),
    ("noivu", "Trần Văn Minh (Phòng Nội vụ)", "overseer", "noi-vu"),
]


def demo_accounts() -> list[tuple[str, str, str, str | None]]:
    """Every demo account: the staff above and one officer per unit, named by its code."""
    units = db.session.scalars(select(Unit).order_by(Unit.kind.desc(), Unit.name)).all()
    officers = [(u.code, f"Cán bộ {u.short_name}", "officer", u.code) for u in units]
    return STAFF + officers


def seed_accounts() -> int:
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    created = 0
    for username, name, role, unit_code in demo_accounts():
        if accounts.find_user(username):
            continue
        accounts.create_user(
            None,
            username=username,
            password=DEMO_PASSWORD,
            display_name=name,
            role=role,
            unit=units.get(unit_code) if unit_code else None,
        )
        created += 1
    db.session.flush()
    return created
