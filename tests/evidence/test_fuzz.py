"""Property-based tests of the submission API: whatever the fields and whatever happened to the
photo's bytes on the way, never a 500, and never half an item stored.

Bounded (60 examples a property, no deadline, no example database on disk) so the suite stays
fast; SQLite only, like the other tests that do not depend on the database.
"""

import os
import unicodedata
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from support.evidence import task_id
from support.fuzz import BOUNDED, EDGES, tiny_jpeg, tiny_png
from wardapp.evidence.models import Evidence
from wardapp.evidence.schema import SCHEMAS
from wardapp.extensions import db

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])
FIELDS = sorted(
    {f.name for kind in SCHEMAS.values() for f in kind.fields}
    | {
        "client_uuid",
        "task_id",
        "kind",
        "occurred_at",
        "note",
        "lat",
        "lon",
        "accuracy",
        "located_at",
        "supersedes",
        "photo_meta",
    }
)
VALUES = st.one_of(
    st.text(max_size=400),
    st.sampled_from(EDGES),
    st.uuids().map(str),
    st.integers(-(10**12), 10**12).map(str),
    st.floats().map(repr),
    st.datetimes().map(lambda d: d.isoformat()),
    st.floats(-200, 200).map(lambda x: f"{x:.6f}"),
)


def stored(app) -> tuple[int, frozenset[str]]:
    """How many evidence rows, and which files (temporaries too), there are now."""
    with app.app_context():
        rows = db.session.scalar(select(func.count(Evidence.id)))
    root = app.config["MEDIA_DIR"]
    files = frozenset(os.path.join(d, f) for d, _, names in os.walk(root) for f in names)
    return rows, files


def sent_whole_or_not_at_all(app, response, before) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    rows, files = stored(app)
    if response.status_code == 201:
        assert rows == before[0] + 1
        with app.app_context():
            evidence = db.session.get(Evidence, response.json["id"])
            for value in list(evidence.fields.values()) + [evidence.note]:
                assert not isinstance(value, str) or unicodedata.is_normalized("NFC", value)
            assert all(
                os.path.exists(os.path.join(app.config["MEDIA_DIR"], key))
                for m in evidence.media
                for key in (m.original_key, m.display_key, m.thumb_key)
                if key
            )
    else:
        assert (rows, files) == before  # refused or a replay: nothing new


@BOUNDED
@given(
    kind=st.sampled_from(sorted(SCHEMAS)),
    task=st.sampled_from([1, 2, 3, 5, 6, 7, None]),
    changes=st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=5),
    photos=st.integers(0, 2),
)
def test_any_field_values_are_answered_without_a_500_and_never_half_stored(
    seeded, officer, kind, task, changes, photos
):
    form = {
        "client_uuid": str(uuid.uuid4()),
        "kind": kind,
        "task_id": str(task_id(seeded, task)) if task else "abc",
        "occurred_at": "2024-03-20T09:00",
        "place": "Đường Hùng Vương",
        "installed": "Pano",
        "quantity": "2",
        "station": "Đài phường",
        "start_time": "06:30",
        "minutes": "15",
        "topic": "CCHC",
        "meeting_type": "Hội nghị",
        "organiser": "UBND",
        "attendees": "30",
        "channel": "Zalo",
        "url": "https://bacgiang.gov.vn",
        "title": "Tin",
        "procedures": "2",
        "lat": "21.27",
        "lon": "106.19",
        **changes,
    }
    before = stored(seeded)
    response = officer.post(form, photos=[tiny_jpeg()] * photos)
    sent_whole_or_not_at_all(seeded, response, before)


MUTATION = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(0, 7)),
    st.tuples(st.just("truncate"), st.floats(0, 1), st.just(0)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.integers(1, 256)),
    st.tuples(st.just("overwrite"), st.floats(0, 1), st.binary(min_size=1, max_size=16)),
)


def mutate(data: bytes, mutations) -> bytes:
    out = bytearray(data)
    for name, where, what in mutations:
        at = min(int(where * len(out)), max(len(out) - 1, 0))
        if name == "flip" and out:
            out[at] ^= 1 << what
        elif name == "truncate":
            del out[at:]
        elif name == "insert":
            out[at:at] = what
        elif name == "delete":
            del out[at : at + what]
        elif name == "overwrite":
            out[at : at + len(what)] = what
    return bytes(out)


@BOUNDED
@given(image=st.sampled_from(["jpeg", "png"]), mutations=st.lists(MUTATION, min_size=1, max_size=4))
def test_a_damaged_photo_is_refused_cleanly_or_stored_whole(seeded, officer, image, mutations):
    data = mutate(tiny_jpeg() if image == "jpeg" else tiny_png(), mutations)
    before = stored(seeded)
    response = officer.site_photo(photos=[("anh.jpg", data)])
    sent_whole_or_not_at_all(seeded, response, before)
    if response.status_code != 201:
        assert response.is_json and response.json["error"]
