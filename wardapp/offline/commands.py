"""``flask wardapp import-outbox FILE``: load an outbox saved from a phone."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from wardapp.extensions import db


@click.command("import-outbox")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--user",
    "username",
    required=True,
    help="The officer whose phone saved the file; items it says another account "
    "recorded are refused.",
)
@with_appcontext
def import_outbox_command(path: Path, username: str):
    """Load an outbox file saved from the outbox page. Safe to run again: items already on
    the server are reported and not stored twice."""
    from wardapp.offline.services import OutboxFileError, import_item, read_outbox_file

    try:
        items = read_outbox_file(path.read_text(encoding="utf-8"))
    except (OutboxFileError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path}: {exc}") from None
    counts = {"created": 0, "exists": 0, "refused": 0}
    for item in items:
        # No request here to choose a language from: the server's messages in the default one.
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            result = import_item(item, username)
        if result.outcome == "refused":
            db.session.rollback()
            click.echo(f"{result.client_uuid}: refused: {result.message}")
        else:
            db.session.commit()
            what = "created" if result.outcome == "created" else "already there"
            click.echo(f"{result.client_uuid}: {what} as evidence #{result.evidence_id}")
        counts[result.outcome] += 1
    click.echo(
        f"{len(items)} item(s): {counts['created']} created, {counts['exists']} already "
        f"there, {counts['refused']} refused."
    )
    if counts["refused"]:
        raise SystemExit(1)
