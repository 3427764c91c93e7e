"""The demo: the shipped plan, an account for every role and unit, and a year of evidence.

Every demo account has the password ``wardapp-demo``. Running it again adds nothing twice.
"""

from sqlalchemy import select

from wardapp.auth import services as accounts
from wardapp.auth.models import User
from wardapp.extensions import db
from wardapp.plans.seed import load_shipped_plan, seed_plan
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


def seed(*, with_evidence: bool, media_dir: str) -> str:
    seed_plan(db.session, load_shipped_plan())
    created = seed_accounts()
    lines = [
        f"Plan loaded; {created} demo account(s) created "
        f"({db.session.scalar(select(db.func.count(User.id)))} in all), "
        f"password {DEMO_PASSWORD!r}."
    ]
    if with_evidence:
        from wardapp.demo_evidence import seed_evidence

        lines.append(seed_evidence(media_dir))
    return "\n".join(lines)
