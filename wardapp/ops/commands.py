"""``flask wardapp backup DEST``, ``restore SRC``, ``fsck``, ``migrate-media --to s3`` and
``hash-photos``."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from wardapp.extensions import db


@click.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
@with_appcontext
def backup_command(dest: Path):
    """Copy the database and its files to DEST (a new folder, or a file ending in .tar.gz).

    Safe while the app is serving: the copy is one consistent moment of the database and
    exactly the files it names.
    """
    from wardapp.ops.backup import BackupError, take_backup

    steps = {"database": "database copied", "media": "files copied", "archive": "archive written"}
    try:
        manifest = take_backup(dest, progress=lambda step: click.echo(steps[step]))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    rows = ", ".join(f"{n} {table}" for table, n in manifest.rows.items())
    click.echo(
        f"Backup written to {dest}: {manifest.database}, {rows}; "
        f"{manifest.files} files, {manifest.bytes / 1_048_576:.1f} MB."
    )
    for key in manifest.missing:
        click.echo(f"warning: a row names a file that was already missing: {key}")


@click.command("restore")
@click.argument("src", type=click.Path(exists=True, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite a SQLite database that already has tables.")
@with_appcontext
def restore_command(src: Path, force: bool):
    """Rebuild the database and the media folder from a backup made by ``backup``.

    Point the app at a new, empty database and media folder (or bucket prefix) first
    (WARDAPP_DATABASE_URL, WARDAPP_MEDIA_DIR or WARDAPP_S3_PREFIX). Files are checked against
    their names as they are put back, and the result is checked as ``flask wardapp fsck``
    would.
    """
    from wardapp.ops.backup import BackupError
    from wardapp.ops.restore import restore_backup

    try:
        result = restore_backup(src, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    rows = ", ".join(f"{n} {table}" for table, n in result.manifest.rows.items())
    click.echo(
        f"Restored from {src} (taken {result.manifest.created_at}): {rows}; {result.files} files."
    )
    for key in result.damaged:
        click.echo(f"damaged file in the backup, not restored: {key}")
    report = result.fsck
    for media_id, variant, key in report.missing:
        click.echo(f"media {media_id}: {variant} file missing: {key}")
    if result.damaged or not report.clean:
        click.echo("Run `flask wardapp fsck --repair` to remake lost copies.")
        raise SystemExit(1)
    click.echo("Files and rows agree.")


@click.command("fsck")
@click.option("--repair", is_flag=True, help="Delete orphan files, remake lost copies.")
@with_appcontext
def fsck_command(repair):
    """Check that every stored file has a row and every row its files."""
    from wardapp.media.app_store import storage
    from wardapp.ops.fsck import check

    report = check(
        storage(),
        repair=repair,
        max_pixels=current_app.config["MAX_IMAGE_PIXELS"],
        grace=current_app.config["FSCK_GRACE_SECONDS"],
    )
    db.session.commit()
    for key in report.orphans:
        outcome = (
            ""
            if not repair
            else " — removed"
            if key in report.removed
            else " — named again meanwhile, kept"
        )
        click.echo(f"orphan file (no row points at it){outcome}: {key}")
    for media_id, variant, key in report.missing:
        click.echo(f"media {media_id}: {variant} file missing: {key}")
    for media_id in report.regenerated:
        click.echo(f"media {media_id}: display copy and thumbnail made again from the original")
    for media_id in report.unrecoverable:
        click.echo(f"media {media_id}: the original is lost; restore it from a backup")
    if report.temporaries_removed:
        click.echo(f"{report.temporaries_removed} half-written temporary file(s) removed")
    if report.clean:
        click.echo("Files and rows agree.")
    elif not repair or report.unrecoverable:
        raise SystemExit(1)


@click.command("migrate-media")
@click.option(
    "--to",
    "to",
    type=click.Choice(["s3"]),
    required=True,
    help="Where to: the bucket of WARDAPP_S3_BUCKET (with WARDAPP_S3_ENDPOINT_URL, …).",
)
@with_appcontext
def migrate_media_command(to: str):
    """Copy every file of the local media folder into the S3 bucket, checking each SHA-256.

    Safe to stop and run again: what is in the bucket already is checked and kept. Run it while
    the app serves, switch the app to WARDAPP_STORAGE=s3, then run it once more for the files
    that arrived in between.
    """
    from wardapp.media.app_store import make_storage
    from wardapp.media.s3 import S3Storage
    from wardapp.media.storage import LocalStorage
    from wardapp.ops.migrate_media import migrate

    config = current_app.config
    try:
        target = make_storage({**config, "STORAGE": to})
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    assert isinstance(target, S3Storage)
    source = LocalStorage(config["MEDIA_DIR"])
    click.echo(f"Copying {source.root} into s3://{target.bucket}/{target.prefix}")
    result = migrate(
        source,
        target,
        progress=lambda r: click.echo(f"… {r.copied} copied, {r.already_there} already there"),
    )
    click.echo(
        f"{result.copied} files copied ({result.bytes_copied / 1_048_576:.1f} MB), "
        f"{result.already_there} already in the bucket."
    )
    for key in result.damaged:
        click.echo(f"damaged on disk (its bytes no longer match its name), not copied: {key}")
    for key in result.unverified:
        click.echo(f"the bucket's copy does not match, copy again: {key}")
    if not result.clean:
        raise SystemExit(1)
    click.echo("Every file is in the bucket, checked.")


@click.command("hash-photos")
@with_appcontext
def hash_photos_command():
    """Make the near-copy hashes of photos stored before they were kept (migration 0019).

    Without them a cropped, turned or mirrored copy of an old photo is not found. Safe to stop
    and run again, and to run while the app serves: each batch is committed as it is made.
    """
    from wardapp.media.app_store import storage
    from wardapp.ops.hash_photos import hash_stored_photos

    report = hash_stored_photos(
        storage(),
        max_pixels=current_app.config["MAX_IMAGE_PIXELS"],
        progress=lambda n: click.echo(f"… {n} photos hashed"),
    )
    click.echo(f"{report.hashed} photos hashed; every other photo had its hashes already.")
    for media_id in report.missing:
        click.echo(f"media {media_id}: display copy missing; run `flask wardapp fsck --repair`")
    for media_id in report.unreadable:
        click.echo(f"media {media_id}: the display copy is not a readable picture")
    if report.missing or report.unreadable:
        raise SystemExit(1)
