"""`flask wardapp backup` and `restore`: a consistent copy taken while officers keep sending."""

import secrets
import threading
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, select, text

from support.app import POSTGRES_URL, make_app, pg_url
from support.evidence import Officer, photo
from wardapp.evidence.models import Evidence, Media
from wardapp.extensions import db
from wardapp.media.app_store import storage
from wardapp.ops.backup import take_backup
from wardapp.ops.fsck import GRACE_SECONDS, check


class Sender(threading.Thread):
    """An officer who keeps submitting, each time with a new photo, until told to stop."""

    def __init__(self, app):
        super().__init__(daemon=True)
        self.officer = Officer(app, "song-mai")
        self.stop = threading.Event()
        self.answered = threading.Condition()
        self.statuses: list[int] = []

    def run(self):
        seed = 1000
        while not self.stop.is_set():
            seed += 1
            status = self.officer.site_photo(photos=[photo(seed, size=(320, 240))]).status_code
            with self.answered:
                self.statuses.append(status)
                self.answered.notify_all()

    def wait_for_one_more(self):
        """Until a submission started after this call has been answered."""
        with self.answered:
            target = len(self.statuses) + 2  # the one in flight now may predate the call
            assert self.answered.wait_for(lambda: len(self.statuses) >= target, timeout=60), (
                "the sender stopped sending"
            )


def rows(app) -> dict[int, tuple]:
    with app.app_context():
        return {
            e.id: (e.client_uuid, e.fingerprint, e.status, e.fields)
            for e in db.session.scalars(select(Evidence))
        }


def files(app) -> dict[str, bytes]:
    with app.app_context():
        store = storage()
        keys = {
            k
            for m in db.session.scalars(select(Media))
            for k in (m.original_key, m.display_key, m.thumb_key)
            if k
        }
        return {k: store.open(k).read() for k in keys}


@contextmanager
def fresh_instance(backend, tmp_path, schema, **settings):
    """An app on a database that does not exist yet and an empty media folder (or the empty
    store ``settings`` name)."""
    folder = tmp_path / f"fresh-{secrets.token_hex(3)}"
    folder.mkdir()
    if backend == "sqlite":
        app = make_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'restored.sqlite3'}"},
            folder,
            **settings,
        )
        yield app
        with app.app_context():
            db.engine.dispose()
        return
    name = f"restore_{secrets.token_hex(5)}"
    admin = create_engine(pg_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = pg_url(POSTGRES_URL).rsplit("/", 1)[0] + f"/{name}"
    app = make_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
        },
        folder,
    )
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_backup_taken_while_an_officer_submits_restores_the_same_rows_and_files(
    seeded, backend, tmp_path
):
    Officer(seeded, "tho-xuong").site_photo(photos=[photo(1)])
    sender = Sender(seeded)
    sender.start()
    sender.wait_for_one_more()

    def progress(step):
        if step == "database":  # a submission lands between the snapshot and the file copy
            sender.wait_for_one_more()

    try:
        with seeded.app_context():
            manifest = take_backup(tmp_path / "backup", progress=progress)
    finally:
        sender.stop.set()
        sender.join(60)
    assert set(sender.statuses) == {201}
    source_rows, source_files = rows(seeded), files(seeded)
    assert len(source_rows) > manifest.rows["evidence"] >= 2  # it went on after the snapshot

    with fresh_instance(backend, tmp_path, manifest.schema) as fresh:
        result = fresh.test_cli_runner().invoke(
            args=["wardapp", "restore", str(tmp_path / "backup")]
        )
        assert result.exit_code == 0, result.output
        assert "Files and rows agree." in result.output
        restored = rows(fresh)
        assert len(restored) == manifest.rows["evidence"]
        assert restored == {i: source_rows[i] for i in restored}
        restored_files = files(fresh)
        assert restored_files == {k: source_files[k] for k in restored_files}
        with fresh.app_context():
            later = check(
                storage(), repair=False, max_pixels=10**8, now=time.time() + 10 * GRACE_SECONDS
            )
        assert later.clean, (later.orphans, later.missing)  # no file of an unsnapshotted row
        officer = Officer(fresh, "tho-xuong")
        shown = officer.client.get("/api/v1/evidence?limit=200").json["items"]
        first = min(shown, key=lambda item: item["id"])
        original = officer.client.get(first["media"][0]["urls"]["original"])
        assert original.status_code == 200 and original.data == photo(1)


@pytest.mark.parametrize(("backend", "store_kind"), [("sqlite", "local"), ("sqlite", "s3")])
def test_a_tar_gz_backup_from_the_command_line_restores_into_a_new_instance(
    seeded, store_kind, tmp_path, request
):
    """From the local folder, or from a bucket into another place in the bucket."""
    Officer(seeded, "tho-xuong").site_photo(photos=[photo(2)])
    store = request.getfixturevalue("s3_server").settings() if store_kind == "s3" else {}
    archive = tmp_path / "wardapp-2024-06-30.tar.gz"
    made = seeded.test_cli_runner().invoke(args=["wardapp", "backup", str(archive)])
    assert made.exit_code == 0, made.output
    assert "1 evidence" in made.output and archive.is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    with fresh_instance("sqlite", tmp_path, None, **store) as fresh:
        restored = fresh.test_cli_runner().invoke(args=["wardapp", "restore", str(archive)])
        assert restored.exit_code == 0, restored.output
        assert rows(fresh) == rows(seeded)
        assert files(fresh) == files(seeded)
        with fresh.app_context():
            assert (storage().path(next(iter(files(fresh)))) is None) == (store_kind == "s3")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_backup_never_writes_over_an_earlier_one(seeded, tmp_path):
    earlier = tmp_path / "backup"
    earlier.mkdir()
    (earlier / "manifest.json").write_text("{}")
    result = seeded.test_cli_runner().invoke(args=["wardapp", "backup", str(earlier)])
    assert result.exit_code != 0 and "already exists" in result.output
    assert [p.name for p in earlier.iterdir()] == ["manifest.json"]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_restore_refuses_an_instance_that_already_has_data(seeded, tmp_path):
    Officer(seeded, "tho-xuong").site_photo(photos=[photo(3)])
    runner = seeded.test_cli_runner()
    assert runner.invoke(args=["wardapp", "backup", str(tmp_path / "b")]).exit_code == 0
    Officer(seeded, "tho-xuong").site_photo(photos=[photo(4)])
    before = rows(seeded)
    refused = runner.invoke(args=["wardapp", "restore", str(tmp_path / "b")])
    assert refused.exit_code != 0 and "--force" in refused.output
    assert rows(seeded) == before


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_file_damaged_in_the_backup_is_reported_not_restored(seeded, tmp_path):
    Officer(seeded, "tho-xuong").site_photo(photos=[photo(5)])
    assert (
        seeded.test_cli_runner().invoke(args=["wardapp", "backup", str(tmp_path / "b")]).exit_code
        == 0
    )
    damaged = sorted((tmp_path / "b" / "media").rglob("*.jpg"))[0]
    damaged.write_bytes(damaged.read_bytes()[:-10])
    key = damaged.relative_to(tmp_path / "b" / "media").as_posix()
    with fresh_instance("sqlite", tmp_path, None) as fresh:
        result = fresh.test_cli_runner().invoke(args=["wardapp", "restore", str(tmp_path / "b")])
        assert result.exit_code == 1
        assert f"damaged file in the backup, not restored: {key}" in result.output
        with fresh.app_context():
            assert not storage().exists(key)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_restore_from_a_folder_that_is_no_backup_is_refused(app, tmp_path):
    (tmp_path / "photos").mkdir()
    result = app.test_cli_runner().invoke(args=["wardapp", "restore", str(tmp_path / "photos")])
    assert result.exit_code != 0 and "not a wardapp backup" in result.output


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_in_memory_database_is_refused_with_a_reason_by_backup_and_restore(seeded, tmp_path):
    """``sqlite://`` names no file to copy from or into: said plainly, not a traceback."""
    assert (
        seeded.test_cli_runner().invoke(args=["wardapp", "backup", str(tmp_path / "b")]).exit_code
        == 0
    )
    (tmp_path / "memory").mkdir()
    memory = make_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}, tmp_path / "memory")
    for command in (["backup", str(tmp_path / "c")], ["restore", str(tmp_path / "b")]):
        result = memory.test_cli_runner().invoke(args=["wardapp", *command])
        assert result.exit_code == 1 and "in memory" in result.output, (command, result.output)
