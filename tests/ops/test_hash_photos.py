"""``flask wardapp hash-photos``: photos stored before the near-copy hashes were kept get them,
so a turned copy of an old photo is found like a copy of a new one."""

from PIL import Image
from sqlalchemy import delete, func, select

from support import images
from support.evidence import Officer, photo
from wardapp.evidence.models import Media, PhotoHash
from wardapp.extensions import db
from wardapp.media.app_store import storage

HASH_PHOTOS = ["wardapp", "hash-photos"]


def sent(app, data: bytes):
    response = Officer(app, "tho-xuong").site_photo(photos=[data])
    assert response.status_code == 201, response.json
    return response.json


def forget_hashes(app, *evidence_ids: int) -> None:
    """As a photo stored before migration 0019 is: no ``photo_hash`` rows."""
    with app.app_context():
        ids = select(Media.id).where(Media.evidence_id.in_(evidence_ids))
        db.session.execute(delete(PhotoHash).where(PhotoHash.media_id.in_(ids)))
        db.session.commit()


def hash_rows(app, evidence_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(PhotoHash.id))
            .join(Media, Media.id == PhotoHash.media_id)
            .where(Media.evidence_id == evidence_id)
        )


def test_old_photos_get_their_hashes_and_a_turned_copy_of_one_is_then_found(seeded):
    old, other = photo(seed=31, size=(1200, 900)), photo(seed=32, size=(1200, 900))
    first, second = sent(seeded, old), sent(seeded, other)
    made_at_submission = hash_rows(seeded, second["id"])
    assert made_at_submission > 1
    forget_hashes(seeded, first["id"], second["id"])

    # Without them a turned copy goes unnoticed: the older dHash knows one orientation.
    unnoticed = sent(seeded, images.transposed(old, Image.Transpose.ROTATE_90))
    assert [w["code"] for w in unnoticed["warnings"]] == []

    runner = seeded.test_cli_runner()
    result = runner.invoke(args=HASH_PHOTOS)
    assert result.exit_code == 0, result.output
    assert "2 photos hashed" in result.output  # the turned copy had its own already
    assert hash_rows(seeded, second["id"]) == made_at_submission

    found = sent(seeded, images.transposed(other, Image.Transpose.ROTATE_270))
    assert [(w["code"], w.get("evidence_id")) for w in found["warnings"]] == [
        ("similar_photo", second["id"])
    ]
    again = runner.invoke(args=HASH_PHOTOS)
    assert again.exit_code == 0 and "0 photos hashed" in again.output


def test_a_photo_whose_display_copy_is_lost_is_named_and_the_rest_are_hashed(seeded):
    lost, kept = sent(seeded, photo(seed=33)), sent(seeded, photo(seed=34))
    forget_hashes(seeded, lost["id"], kept["id"])
    with seeded.app_context():
        media = db.session.scalar(select(Media).where(Media.evidence_id == lost["id"]))
        path = storage().path(media.display_key)
        path.unlink()
        media_id = media.id
    result = seeded.test_cli_runner().invoke(args=HASH_PHOTOS)
    assert result.exit_code == 1
    assert "1 photos hashed" in result.output
    assert f"media {media_id}: display copy missing" in result.output
    assert hash_rows(seeded, kept["id"]) > 1 and hash_rows(seeded, lost["id"]) == 0
