"""The demo: the shipped plan, an account for every role and unit, and a year of evidence.

Every demo account has the password ``wardapp-demo``. Running it again adds nothing twice.
"""

from sqlalchemy import func, select

from wardapp.auth.models import User
from wardapp.demo.accounts import DEMO_PASSWORD, seed_accounts
from wardapp.extensions import db
from wardapp.plans.seed import load_shipped_plan, seed_plan


def seed(*, with_evidence: bool) -> str:
    seed_plan(db.session, load_shipped_plan())
    created = seed_accounts()
    lines = [
        f"Plan loaded; {created} demo account(s) created "
        f"({db.session.scalar(select(func.count(User.id)))} in all), "
        f"password {DEMO_PASSWORD!r}."
    ]
    if with_evidence:
        from wardapp.demo.evidence import seed_evidence

        lines.append(seed_evidence())
    return "\n".join(lines)
