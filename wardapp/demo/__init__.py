"""The demo: the shipped plan, an account for every role and unit, and a year of evidence.

Every demo account has the password ``wardapp-demo``. Running it again adds nothing twice.

The shipped plan is for 2024, and a newcomer opening the demo later would find every page
saying the plan is over. So the demo also loads the same plan for the current year (its title
says it is the demo's copy), with evidence up to today, beside the real 2024 plan.
"""

import json
from datetime import datetime

from sqlalchemy import func, select

from wardapp.auth.models import User
from wardapp.core.i18n import city_tz
from wardapp.demo.accounts import DEMO_PASSWORD, seed_accounts
from wardapp.extensions import db
from wardapp.plans.seed import load_shipped_plan, seed_plan

SHIPPED_YEAR = 2024
COPY_NOTE = " (bản trình diễn)"


def plan_for_year(year: int) -> dict:
    """The shipped plan's data with its year (title, deadlines, "Quý I/2024") moved to ``year``."""
    data = load_shipped_plan()
    if year == SHIPPED_YEAR:
        return data
    moved = json.loads(json.dumps(data, ensure_ascii=False).replace(str(SHIPPED_YEAR), str(year)))
    moved["plan"]["title"] += COPY_NOTE
    return moved


def seed(*, with_evidence: bool, current_year: bool = False, now: datetime | None = None) -> str:
    """``current_year`` also loads the plan's copy for this year (with evidence up to ``now``)."""
    now = now or datetime.now(city_tz())
    seed_plan(db.session, load_shipped_plan())
    years = [SHIPPED_YEAR]
    if current_year and now.year != SHIPPED_YEAR:
        seed_plan(db.session, plan_for_year(now.year))
        years.append(now.year)
    created = seed_accounts()
    lines = [
        f"Plan(s) loaded for {', '.join(map(str, years))}; {created} demo account(s) created "
        f"({db.session.scalar(select(func.count(User.id)))} in all), "
        f"password {DEMO_PASSWORD!r}."
    ]
    if with_evidence:
        from wardapp.demo.evidence import seed_evidence

        lines.append(seed_evidence(SHIPPED_YEAR))
        if len(years) > 1:
            lines.append(seed_evidence(now.year, until=now))
    return "\n".join(lines)


def sign_in_accounts() -> list[tuple[str, str, str]]:
    """(username, role, unit or task) for the sign-in page of a demo."""
    from wardapp.demo.accounts import SIGN_IN_OFFICERS, demo_accounts

    wanted = [a for a in demo_accounts() if a[2] != "officer" or a[0] in SIGN_IN_OFFICERS]
    return [(username, role, name) for username, name, role, _unit in wanted]


def init_app(app) -> None:
    """Demo mode (``WARDAPP_DEMO``): the pages say so, the sign-in page lists the accounts."""
    app.jinja_env.globals["demo_accounts"] = sign_in_accounts
    app.jinja_env.globals["demo_password"] = DEMO_PASSWORD
