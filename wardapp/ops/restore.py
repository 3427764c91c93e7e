"""Rebuilding an installation from a backup: the database, then every file, checked.

Restore into a fresh instance: an empty SQLite file (or none), or an empty PostgreSQL
database, and an empty media folder. Each file is stored again through the app's storage,
which names it by its contents, so a file damaged since the backup is found and reported
instead of being put back under a name it no longer matches.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import inspect, text

from wardapp.extensions import db
from wardapp.media.app_store import storage
from wardapp.media.storage import check_key, key_for
from wardapp.ops.backup import (
    MEDIA,
    PG_FILE,
    SQLITE_FILE,
    BackupError,
    Manifest,
    _run,
    is_archive,
    libpq,
    sqlite_file,
)
from wardapp.ops.fsck import Report, check


@dataclass
class Restored:
    manifest: Manifest
    files: int = 0
    damaged: list[str] = field(default_factory=list)
    fsck: Report = field(default_factory=Report)  # the check of what was put back


def restore_backup(source: Path, *, force: bool = False) -> Restored:
    source = Path(source)
    if is_archive(source):
        with tempfile.TemporaryDirectory(prefix=".wardapp-restore-") as folder:
            with tarfile.open(source, "r:gz") as archive:
                archive.extractall(folder, filter="data")  # no absolute paths, no links out
            return _restore_folder(Path(folder), force)
    return _restore_folder(source, force)


def _restore_folder(folder: Path, force: bool) -> Restored:
    manifest = Manifest.read(folder)
    dialect = db.engine.dialect.name
    if manifest.database != dialect:
        raise BackupError(
            f"this backup holds a {manifest.database} database; the app is configured for {dialect}"
        )
    db.session.remove()
    db.engine.dispose()
    if dialect == "sqlite":
        _restore_sqlite(folder / SQLITE_FILE, force)
    else:
        _restore_postgres(folder / PG_FILE, manifest.schema or "public")
    db.engine.dispose()
    result = Restored(manifest)
    _restore_files(folder / MEDIA, result)
    result.fsck = check(
        storage(),
        repair=False,
        max_pixels=current_app.config["MAX_IMAGE_PIXELS"],
        grace=current_app.config["FSCK_GRACE_SECONDS"],
    )
    return result


def _restore_sqlite(copy: Path, force: bool) -> None:
    database = sqlite_file()
    if inspect(db.engine).get_table_names() and not force:
        raise BackupError(
            f"{database} already has tables; restore into a new "
            "database, or add --force to overwrite it"
        )
    source = sqlite3.connect(copy)
    target = sqlite3.connect(database)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
        source.close()


# pg_restore's list lines for the schema itself: "5; 2615 2200 SCHEMA - public postgres".
_SCHEMA_ENTRY = r"^\d+; \d+ \d+ (SCHEMA - |COMMENT - SCHEMA ){} "


def _restore_postgres(dump: Path, schema: str) -> None:
    if shutil.which("pg_restore") is None:
        raise BackupError("pg_restore not found: install the PostgreSQL client (postgresql-client)")
    with db.engine.connect() as conn:
        exists = conn.execute(
            text("SELECT count(*) FROM pg_namespace WHERE nspname = :s"), {"s": schema}
        ).scalar_one()
        tables = conn.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = :s"), {"s": schema}
        ).scalar_one()
    if tables:
        raise BackupError(f"schema {schema!r} already has tables; restore into an empty database")
    url, env = libpq(db.engine.url)
    listed = subprocess.run(
        ["pg_restore", "--list", str(dump)], env=env, capture_output=True, text=True
    )
    if listed.returncode != 0:
        raise BackupError(f"{dump} is not a readable pg_dump file: {listed.stderr.strip()}")
    listing = listed.stdout
    if exists:  # an empty database already has "public": keep it, restore what is in it
        entry = re.compile(_SCHEMA_ENTRY.format(re.escape(schema)))
        listing = "\n".join(line for line in listing.splitlines() if not entry.match(line))
    with tempfile.NamedTemporaryFile("w", suffix=".list") as chosen:
        chosen.write(listing)
        chosen.flush()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--use-list={chosen.name}",
                f"--dbname={url}",
                str(dump),
            ],
            env,
        )


def _restore_files(folder: Path, result: Restored) -> None:
    store = storage()
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if not path.is_file():
            continue
        key = path.relative_to(folder).as_posix()
        try:
            check_key(key)
        except ValueError:
            result.damaged.append(key)
            continue
        data = path.read_bytes()
        suffix = Path(key).suffix
        if key_for(data, suffix) != key:
            result.damaged.append(key)
            continue
        store.put(data, suffix)
        result.files += 1
