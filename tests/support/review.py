"""Review for tests: a signed-in reviewer posting decisions with the page's token, and
decisions written straight to a row."""

from datetime import UTC, datetime

from support.client import SignedIn
from wardapp.evidence.models import Evidence
from wardapp.extensions import db


class Reviewer(SignedIn):
    def __init__(self, app, username: str = "vhtt"):
        super().__init__(app, username)

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


def decide(app, evidence_id: int, status: str) -> None:
    """A decision written to the row, on 9 April 2024, as if a reviewer had made it."""
    with app.app_context():
        evidence = db.session.get(Evidence, evidence_id)
        evidence.status, evidence.reviewed_at = status, datetime(2024, 4, 9, tzinfo=UTC)
        db.session.commit()
