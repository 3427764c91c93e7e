"""Fixtures for the review tests."""

from datetime import UTC, datetime

import pytest

from support.evidence import make_evidence, task_numbered, unit_coded
from wardapp.extensions import db

WARN = [{"code": "no_location"}]


@pytest.fixture
def mix(seeded):
    """A small, known spread of evidence across units, tasks, kinds, statuses and dates."""

    def day(d):
        return datetime(2024, 5, d, 3, tzinfo=UTC)

    with seeded.app_context():
        task6, task3 = task_numbered(6), task_numbered(3)
        tho_xuong, song_mai, da_mai = map(unit_coded, ("tho-xuong", "song-mai", "da-mai"))
        made = {
            "a": make_evidence(task6, tho_xuong, day(2)),
            "b": make_evidence(task3, tho_xuong, day(9), kind="broadcast"),
            "c": make_evidence(task6, song_mai, day(16), warnings=WARN),
            "d": make_evidence(task6, song_mai, day(2), "approved"),
            "e": make_evidence(task6, da_mai, day(20), "returned"),
            "f": make_evidence(task3, da_mai, day(25), kind="broadcast", warnings=WARN),
        }
        rows = {key: evidence.id for key, evidence in made.items()}
        db.session.commit()
    return seeded, rows
