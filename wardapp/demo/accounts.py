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
    # "giamsat", not "noivu": beside Phòng Nội vụ's officer "noi-vu" the two were mistaken.
    ("giamsat", "Trần Văn Minh (giám sát, Phòng Nội vụ)", "overseer", "noi-vu"),
]


# The officers the sign-in page and `make serve` name, beside every staff account (the README
# lists them all): a ward's, a commune's and an agency's.
SIGN_IN_OFFICERS = ("tho-xuong", "song-mai", "noi-vu")


def ready_message(url: str) -> str:
    """What `make serve` prints once the server answers: where, and as whom to sign in."""
    lines = [f"wardapp demo is ready at {url}", f"Sign in with (password {DEMO_PASSWORD}):"]
    lines += [f"  {name:<10} {role}: {display}" for name, display, role, _unit in STAFF]
    lines.append(f"  {', '.join(SIGN_IN_OFFICERS)}, … officer of that unit (one per unit)")
    lines.append("The access log is off: `make serve ACCESS_LOG=-` shows it.")
    return "\n".join(lines)


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
