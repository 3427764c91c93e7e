"""Helpers for tests that submit evidence: sign in an officer, post a submission."""

import io
import uuid
from datetime import datetime

import imagefactory
from conftest import AuthActions
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from wardapp.extensions import db
from wardapp.plans.models import Task

CITY = (21.2731, 106.1946)  # Bắc Giang city centre
TAKEN = datetime(2024, 3, 20, 8, 30)


def task_id(app, number: int) -> int:
    with app.app_context():
        return db.session.scalar(select(Task.id).where(Task.number == number))


def photo(seed: int = 0, *, gps=CITY, taken_at=TAKEN, size=(800, 600)) -> bytes:
    return imagefactory.jpeg(*size, gps=gps, taken_at=taken_at, offset="+07:00", seed=seed)


class Officer:
    """A signed-in client that sends evidence the way the outbox does."""

    def __init__(self, app, username: str):
        self.app = app
        self.client = app.test_client()
        self.auth = AuthActions(self.client)
        assert self.auth.login(username).status_code == 302
        self.token = self.auth.token()

    def site_photo(self, *, number: int = 6, photos=None, client_uuid=None, headers=None, **fields):
        data = {
            "client_uuid": str(uuid.uuid4()) if client_uuid is None else client_uuid,
            "task_id": str(task_id(self.app, number)),
            "kind": "site_photo",
            "occurred_at": "2024-03-20T09:00",
            "place": "Dải phân cách đường Hùng Vương",
            "installed": "Pano tuyên truyền CCHC",
            "quantity": "2",
            "lat": str(CITY[0]),
            "lon": str(CITY[1]),
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
