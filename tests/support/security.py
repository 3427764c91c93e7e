"""A ward's attendance list and the people who may or may not read it, for security tests."""

import io
import zipfile

from sqlalchemy import select

from support import images
from support.access import url_args
from support.evidence import Officer, photo, task_id
from support.review import Reviewer
from wardapp.auth import services as accounts
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.units.models import Unit

MARK = "DSKYTEN7Q"  # only in the meetings' own fields and files
SHEET = images.pdf(comment=b"Danh sach ky ten " + MARK.encode())
OWNER, OTHER_UNIT, SCOPED = "tho-xuong", "song-mai", "duyet-song-mai"
INSIDERS = {"the recording unit": OWNER, "a reviewer": "vhtt", "an overseer": "giamsat"}
OUTSIDERS = {"another unit's officer": OTHER_UNIT, "a reviewer scoped elsewhere": SCOPED}


def meeting(app, officer: Officer, seed: int) -> dict:
    """A training class with its sign-in sheet: the attendance list the issue protects."""
    response = officer.post(
        {
            "client_uuid": f"00000000-0000-4000-8000-{seed:012d}",
            "task_id": str(task_id(app, 5)),
            "kind": "meeting",
            "occurred_at": "2024-03-21T14:00",
            "meeting_type": "Lớp tập huấn",
            "place": f"Hội trường {MARK}",
            "organiser": f"Ban {MARK}",
            "attendees": "42",
            "note": f"Danh sách {MARK}",
        },
        photos=[photo(seed, size=(320, 240))],
        attachments=[(f"ky-ten-{MARK}.pdf", SHEET)],
    )
    assert response.status_code == 201, response.json
    return response.json


def two_meetings_world(seeded) -> dict:
    """URL arguments for every route, two meetings of Thọ Xương (one approved, so exports
    carry it), and a reviewer who reviews Song Mai only (the ``world`` fixture)."""
    args = url_args(seeded)
    with seeded.app_context():
        song_mai = db.session.scalar(select(Unit).where(Unit.code == OTHER_UNIT))
        accounts.create_user(
            None,
            username=SCOPED,
            password="wardapp-demo",
            role="reviewer",
            display_name="Người duyệt Song Mai",
            scoped_units=[song_mai],
        )
        db.session.commit()
    owner = Officer(seeded, OWNER)
    approved, waiting = meeting(seeded, owner, 1), meeting(seeded, owner, 2)
    assert Reviewer(seeded).approve(approved["id"], htmx=False).status_code == 303
    with seeded.app_context():
        unit_id = db.session.get(Evidence, approved["id"]).unit_id
    photo_media, sheet_media = approved["media"]
    return {
        "args": {**args, "evidence_id": approved["id"]},
        "approved": approved,
        "waiting": waiting,
        "photo": photo_media["id"],
        "sheet": sheet_media["id"],
        "unit_id": unit_id,
    }


def readable(response) -> bytes:
    """The body, and for ZIP-based answers (XLSX, DOCX, ZIP) every member's name and bytes."""
    data = response.get_data()
    parts = [data]
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts += [name.encode() for name in archive.namelist()]
            parts += [archive.read(name) for name in archive.namelist()]
    return b"\n".join(parts)
