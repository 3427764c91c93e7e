"""``flask wardapp import-places FILE``: a unit's places from a spreadsheet, all or nothing."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from wardapp.extensions import db
from wardapp.places.services import PlaceImportError, import_places


@click.command("import-places")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_places_command(file: Path) -> None:
    """Nhập địa điểm (cột unit, name, kind, lat, lon, street) từ tệp CSV hoặc XLSX."""
    try:
        made, updated = import_places(db.session, file)
        db.session.commit()
    except PlaceImportError as exc:
        db.session.rollback()
        click.echo(exc.refusal(file.name), err=True)
        raise click.exceptions.Exit(1) from None
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"Đã nhập {made} địa điểm mới, cập nhật {updated} địa điểm.")
