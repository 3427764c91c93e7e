"""Evidence for tests: an officer who submits it through the API the way the outbox does, and
``make_evidence`` for rows put straight into the database.

Rule and queue tests need exact statuses and times, or many rows fast, not the submission
pipeline: ``make_evidence`` inserts a row as the pipeline would leave it (and as a
reviewer's decision would change it)."""

import io
import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from support import images
from support.client import SignedIn
from wardapp.auth.models import User
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.plans.models import Task
from wardapp.units.models import Unit

CITY_CENTRE = (21.2731, 106.1946)  # Bắc Giang city centre, (latitude, longitude)
TAKEN = datetime(2024, 3, 20, 8, 30)  # when the test photos say they were taken, local time
HAPPENED = datetime(2024, 5, 6, 3, tzinfo=UTC)  # a Monday morning in the city
SITE_PHOTO_FIELDS = {"place": "Dải phân cách đường Hùng Vương", "installed": "Pano", "quantity": 1}


def task_id(app, number: int) -> int:
    with app.app_context():
        return db.session.scalar(select(Task.id).where(Task.number == number))


def task_numbered(number: int) -> Task:
    """The task with this number in the plan (inside an app context)."""
    return db.session.scalars(select(Task).where(Task.number == number)).one()


def unit_coded(code: str) -> Unit:
    """The unit with this code (inside an app context)."""
    return db.session.scalars(select(Unit).where(Unit.code == code)).one()


def photo(seed: int = 0, *, gps=CITY_CENTRE, taken_at=TAKEN, size=(800, 600)) -> bytes:
    return images.jpeg(*size, gps=gps, taken_at=taken_at, offset="+07:00", seed=seed)


def officer_of(unit: Unit) -> User:
    """A new officer account of ``unit``."""
    user = User(
        username=f"{unit.code}-officer",
        password_hash="x",
        display_name="Cán bộ",
        role="officer",
        unit_id=unit.id,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_evidence(
    task: Task,
    unit: Unit,
    occurred_at: datetime = HAPPENED,
    status: str = "submitted",
    *,
    kind: str = "site_photo",
    fields: dict | None = None,
    warnings=(),
    created_at: datetime | None = None,
    reviewed_at: datetime | None = None,
    supersedes: Evidence | None = None,
    user: User | None = None,
) -> Evidence:
    """A row of ``unit``'s for ``task``, sent by ``user`` (the unit's first officer, made if
    it has none). An approved or returned row was reviewed when it happened unless
    ``reviewed_at`` says otherwise. Inside an app context; flushed, not committed."""
    if user is None:
        user = db.session.scalars(select(User).filter_by(unit_id=unit.id)).first()
        user = user or officer_of(unit)
    evidence = Evidence(
        client_uuid=str(uuid.uuid4()),
        task_id=task.id,
        unit_id=unit.id,
        submitted_by_id=user.id,
        kind=kind,
        occurred_at=occurred_at.astimezone(UTC),
        fields=fields or dict(SITE_PHOTO_FIELDS),
        status=status,
        fingerprint="f" * 64,
        warnings=list(warnings),
        has_warnings=bool(warnings),
        reviewed_at=reviewed_at or (occurred_at if status in ("approved", "returned") else None),
        supersedes_id=supersedes.id if supersedes else None,
    )
    if created_at:
        evidence.created_at = created_at
    db.session.add(evidence)
    db.session.flush()
    return evidence


class Officer(SignedIn):
    """A signed-in officer's client that sends evidence the way the outbox does."""

    def site_photo(self, *, number: int = 6, photos=None, client_uuid=None, headers=None, **fields):
        data = {
            "client_uuid": str(uuid.uuid4()) if client_uuid is None else client_uuid,
            "task_id": str(task_id(self.app, number)),
            "kind": "site_photo",
            "occurred_at": "2024-03-20T09:00",
            "place": "Dải phân cách đường Hùng Vương",
            "installed": "Pano tuyên truyền CCHC",
            "quantity": "2",
            "lat": str(CITY_CENTRE[0]),
            "lon": str(CITY_CENTRE[1]),
            "accuracy": "12",
        }
        data.update(fields)
        return self.post(data, photos=[photo()] if photos is None else photos, headers=headers)

    def post(self, data: dict, *, photos=(), attachments=(), headers=None):
        form = {k: v for k, v in data.items() if v is not None}
        files = []
        for i, item in enumerate(photos):
            name, content = item if isinstance(item, tuple) else (f"anh-{i}.jpg", item)
            files.append(("photo", (io.BytesIO(content), name)))
        for name, content in attachments:
            files.append(("attachment", (io.BytesIO(content), name)))
        multipart = list(form.items()) + files
        return self.client.post(
            "/api/v1/evidence",
            data=MultiDict(multipart),
            headers={"X-CSRFToken": self.token, **(headers or {})},
            content_type="multipart/form-data",
        )
