"""A consistent backup taken while the app keeps writing: the database, then its files.

The database is copied first, as one snapshot: SQLite's online backup API, or ``pg_dump``
of an exported snapshot on PostgreSQL. Then exactly the files that snapshot's Media rows
name are copied. Files are stored before their rows are committed and are never changed
once stored (their names are their contents' hashes), so every file a snapshot row names is
already complete on disk, whatever is being submitted meanwhile.

A backup is a folder (or the same folder packed as ``.tar.gz``)::

    manifest.json         what was copied, from which database, how many rows and files
    database.sqlite3      SQLite: a self-contained copy (no -wal file needed)
    database.pgdump       PostgreSQL: pg_dump's custom format, for pg_restore
    media/ab/cd/<sha256>.<ext>
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import URL

from wardapp.extensions import db
from wardapp.media.app_store import storage

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA = "media"
KEYS_SQL = "SELECT original_key, display_key, thumb_key FROM media"
COUNTED_TABLES = ("evidence", "media", "user", "audit_event")

Progress = Callable[[str], None]


class BackupError(Exception):
    """Something an operator must fix (a path in the way, a tool missing); said plainly."""


@dataclass
class Manifest:
    format: int
    created_at: str
    database: str  # sqlite | postgresql
    schema: str | None
    revision: str | None
    rows: dict[str, int]
    files: int
    bytes: int
    missing: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        try:
            values = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BackupError(f"{folder}: not a wardapp backup ({exc})") from None
        if values.get("format") != FORMAT:
            raise BackupError(f"{folder}: backup format {values.get('format')!r} is not {FORMAT}")
        return cls(**values)


def is_archive(path: Path) -> bool:
    return path.name.endswith((".tar.gz", ".tgz"))


def take_backup(dest: Path, *, progress: Progress = lambda step: None) -> Manifest:
    """Write a backup to ``dest`` (a new folder, or a ``.tar.gz`` file); returns its manifest."""
    dest = Path(dest)
    if dest.exists() and (is_archive(dest) or not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest} already exists; choose a new name")
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = (
        Path(tempfile.mkdtemp(prefix=".wardapp-backup-", dir=dest.parent))
        if is_archive(dest)
        else dest
    )
    work.mkdir(exist_ok=True)
    try:
        if db.engine.dialect.name == "sqlite":
            manifest, keys = _snapshot_sqlite(work)
        else:
            manifest, keys = _snapshot_postgres(work)
        progress("database")
        _copy_files(keys, work / MEDIA, manifest)
        progress("media")
        (work / MANIFEST).write_text(
            json.dumps(asdict(manifest), indent=2, ensure_ascii=False), encoding="utf-8"
        )
        if is_archive(dest):
            _pack(work, dest)
            progress("archive")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        if is_archive(dest):
            shutil.rmtree(work, ignore_errors=True)
    return manifest


def _new_manifest(
    database: str, schema: str | None, revision: str | None, rows: dict[str, int]
) -> Manifest:
    return Manifest(
        format=FORMAT,
        created_at=datetime.now(UTC).isoformat(),
        database=database,
        schema=schema,
        revision=revision,
        rows=rows,
        files=0,
        bytes=0,
    )


def sqlite_file() -> str:
    """The app's SQLite database file; a database in memory has none to copy from or into."""
    name = db.engine.url.database
    if not name or name == ":memory:":
        raise BackupError("the SQLite database is in memory, not in a file: point the app at one")
    return name


def _snapshot_sqlite(work: Path) -> tuple[Manifest, set[str]]:
    copy = work / SQLITE_FILE
    timeout = current_app.config["LOCK_TIMEOUT_MS"] / 1000
    source = sqlite3.connect(sqlite_file(), timeout=timeout)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)  # one step: a single consistent read of the whole database
        target.execute("PRAGMA journal_mode=DELETE")  # one file, readable without its -wal
        rows = {t: _count(target, t) for t in COUNTED_TABLES}
        revision = _revision(target)
        keys = _keys(target.execute(KEYS_SQL))
    finally:
        target.close()
        source.close()
    return _new_manifest("sqlite", None, revision, rows), keys


def _count(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:  # made by create_all, not by migrations
        return None
    return row[0] if row else None


def _keys(rows) -> set[str]:
    return {key for row in rows for key in row if key}


def _snapshot_postgres(work: Path) -> tuple[Manifest, set[str]]:
    """``pg_dump`` reads the snapshot this transaction exported, and the file list comes from
    the same snapshot, so the dump and the files agree to the row."""
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump not found: install the PostgreSQL client (postgresql-client)")
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        url, env = libpq(db.engine.url)
        _run(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--schema={schema}",
                f"--file={work / PG_FILE}",
                f"--dbname={url}",
            ],
            env,
        )
        rows = {
            t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()
            for t in COUNTED_TABLES
        }
        revision = None
        if conn.execute(text("SELECT to_regclass('alembic_version') IS NOT NULL")).scalar_one():
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        keys = _keys(conn.execute(text(KEYS_SQL)))
    return _new_manifest("postgresql", schema, revision, rows), keys


def libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A connection string for the PostgreSQL tools, the password kept out of the process list."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _copy_files(keys: set[str], folder: Path, manifest: Manifest) -> None:
    store = storage()
    for key in sorted(keys):
        target = folder / key
        try:
            with store.open(key) as source:
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "wb") as out:
                    shutil.copyfileobj(source, out)
        except FileNotFoundError:
            manifest.missing.append(key)
            continue
        stamp = store.modified_at(key)
        os.utime(target, (stamp, stamp))  # fsck spares young files: keep their true age
        manifest.files += 1
        manifest.bytes += target.stat().st_size


def _pack(work: Path, dest: Path) -> None:
    partial = dest.with_name(f".{dest.name}.partial")
    with tarfile.open(partial, "w:gz") as archive:
        for child in sorted(work.iterdir()):
            archive.add(child, arcname=child.name)
    os.replace(partial, dest)
