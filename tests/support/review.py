"""Helpers for review tests: a signed-in reviewer posting decisions with the page's token."""

from datetime import UTC

from conftest import AuthActions

from wardapp.evidence.models import Evidence
from wardapp.extensions import db


class Reviewer:
    def __init__(self, app, username: str = "vhtt"):
        self.app = app
        self.client = app.test_client()
        self.auth = AuthActions(self.client)
        assert self.auth.login(username).status_code == 302
        self.token = self.auth.token()

    def approve(self, evidence_id: int, version: int | None = None, htmx: bool = True):
        return self._post(f"/review/{evidence_id}/approve", {"version": version}, htmx)

    def return_(self, evidence_id: int, reason: str = "", pick: str = "", version=None, htmx=True):
        return self._post(
            f"/review/{evidence_id}/return",
            {"reason": reason, "reason_pick": pick, "version": version},
            htmx,
        )

    def _post(self, url, data, htmx):
        data = {k: v for k, v in data.items() if v is not None}
        headers = {"HX-Request": "true"} if htmx else {}
        return self.client.post(url, data={"csrf_token": self.token, **data}, headers=headers)

    def queue(self, query: str = "", htmx: bool = False):
        headers = {"HX-Request": "true"} if htmx else {}
        return self.client.get(f"/review?{query}", headers=headers)


def status(app, evidence_id: int) -> tuple[str, str | None]:
    with app.app_context():
        e = db.session.get(Evidence, evidence_id)
        return e.status, e.review_note


def make_evidence(
    app,
    *,
    unit: str = "tho-xuong",
    task: int = 6,
    kind: str = "site_photo",
    status: str = "submitted",
    occurred_at=None,
    warnings=(),
    created_at=None,
) -> int:
    """A row straight into the database: for queue and filter tests that need many, fast."""
    import uuid
    from datetime import datetime

    from sqlalchemy import select

    from wardapp.auth.models import User
    from wardapp.plans.models import Task
    from wardapp.units.models import Unit

    with app.app_context():
        unit_row = db.session.scalar(select(Unit).where(Unit.code == unit))
        officer = db.session.scalar(select(User).where(User.unit_id == unit_row.id))
        evidence = Evidence(
            client_uuid=str(uuid.uuid4()),
            task_id=db.session.scalar(select(Task.id).where(Task.number == task)),
            unit_id=unit_row.id,
            submitted_by_id=officer.id,
            kind=kind,
            occurred_at=occurred_at or datetime(2024, 5, 6, 3, tzinfo=UTC),
            fields={"place": "Đường Hùng Vương"},
            status=status,
            fingerprint="x" * 64,
            warnings=list(warnings),
            has_warnings=bool(warnings),
        )
        if created_at:
            evidence.created_at = created_at
        db.session.add(evidence)
        db.session.commit()
        return evidence.id
