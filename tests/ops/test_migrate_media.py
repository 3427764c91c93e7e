"""`flask wardapp migrate-media --to s3`: the local folder copied into a bucket, resumable,
every file checked by its SHA-256; then the app switched to the bucket finds every file."""

import pytest
from sqlalchemy import select

from support.evidence import Officer, photo
from support.stores import lose
from wardapp.evidence.models import Media
from wardapp.extensions import db
from wardapp.media.app_store import make_storage, storage


def keys_of(app) -> set[str]:
    with app.app_context():
        return {
            k
            for m in db.session.scalars(select(Media))
            for k in (m.original_key, m.display_key, m.thumb_key)
            if k
        }


@pytest.mark.parametrize("backend", ["sqlite"])
def test_local_media_copied_into_a_bucket_again_and_again_then_served_from_it(seeded, s3_server):
    officer = Officer(seeded, "tho-xuong")
    images = [photo(seed=71), photo(seed=72)]
    sent = [officer.site_photo(photos=[image]).json for image in images]
    keys = keys_of(seeded)
    assert len(keys) == 6
    seeded.config.update({**s3_server.settings(), "STORAGE": "local"})
    bucket = make_storage({**seeded.config, "STORAGE": "s3"})
    runner = seeded.test_cli_runner()

    first = runner.invoke(args=["wardapp", "migrate-media", "--to", "s3"])
    assert first.exit_code == 0, first.output
    assert "6 files copied" in first.output and "Every file is in the bucket" in first.output
    assert set(bucket.iter_keys()) == keys

    # Stopped half-way, and one object overwritten by something else since: run again.
    gone, spoilt = sorted(keys)[:2]
    lose(bucket, gone)
    bucket.client.put_object(Bucket=bucket.bucket, Key=bucket.prefix + spoilt, Body=b"not it")
    again = runner.invoke(args=["wardapp", "migrate-media", "--to", "s3"])
    assert again.exit_code == 0, again.output
    assert "2 files copied" in again.output and "4 already in the bucket" in again.output
    assert all(bucket.verified(key) for key in keys)

    # The app switched to the bucket: the same rows, every file found there.
    seeded.config["STORAGE"] = "s3"
    seeded.extensions.pop("wardapp.storage", None)
    with seeded.app_context():
        assert storage().path(sorted(keys)[0]) is None  # really the bucket
    for body, image in zip(sent, images, strict=True):
        original = officer.client.get(body["media"][0]["urls"]["original"])
        assert original.status_code == 200 and original.data == image
    checked = runner.invoke(args=["wardapp", "fsck"])
    assert checked.exit_code == 0 and "Files and rows agree." in checked.output


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_file_damaged_on_disk_is_reported_and_not_copied(seeded, s3_server):
    Officer(seeded, "tho-xuong").site_photo(photos=[photo(seed=73)])
    seeded.config.update({**s3_server.settings(), "STORAGE": "local"})
    with seeded.app_context():
        local = storage()
        key = sorted(keys_of(seeded))[0]
        path = local.path(key)
    path.write_bytes(path.read_bytes()[:-10])
    result = seeded.test_cli_runner().invoke(args=["wardapp", "migrate-media", "--to", "s3"])
    assert result.exit_code == 1
    assert f"damaged on disk (its bytes no longer match its name), not copied: {key}" in (
        result.output
    )
    assert "2 files copied" in result.output
    bucket = make_storage({**seeded.config, "STORAGE": "s3"})
    assert not bucket.exists(key)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_without_a_bucket_the_command_says_what_is_missing(app):
    result = app.test_cli_runner().invoke(args=["wardapp", "migrate-media", "--to", "s3"])
    assert result.exit_code != 0 and "WARDAPP_S3_BUCKET" in result.output
