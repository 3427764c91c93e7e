"""``flask wardapp merge-units`` and ``flask wardapp import-users``: the shell's way to the
same services the admin pages call; each commits once, at the end."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from wardapp.audit.services import record
from wardapp.extensions import db
from wardapp.organisation import services


@click.command("merge-units")
@click.argument("codes", nargs=-1, required=True)
@click.option("--into", "into_code", required=True, help="Mã đơn vị sau sáp nhập.")
@click.option("--on", "on_text", required=True, help="Ngày sáp nhập, yyyy-mm-dd.")
@click.option("--name", default=None, help='Tên đơn vị mới, vd "Phường Bắc Giang".')
@with_appcontext
def merge_units_command(codes, into_code, on_text, name):
    """Sáp nhập các đơn vị CODES vào --into từ ngày --on (đơn vị mới nếu có --name)."""
    try:
        on = date.fromisoformat(on_text)
    except ValueError:
        raise click.ClickException(f"Ngày không hợp lệ: {on_text!r} (cần yyyy-mm-dd).") from None
    sources = []
    for code in codes:
        unit = services.find_unit(code)
        if unit is None:
            raise click.ClickException(f"Không có đơn vị mã {code!r}.")
        sources.append(unit)
    try:
        into = services.find_unit(into_code)
        if name:
            if into is not None:
                raise services.UnitError(f'Đã có đơn vị mã "{into_code}"; bỏ --name để dùng nó.')
            kinds = {u.kind for u in sources}
            into = services.create_unit(
                None,
                name=name,
                code=into_code,
                kind=services.kind_from_name(name, kinds.pop() if len(kinds) == 1 else "agency"),
                started_on=on,
            )
        elif into is None:
            raise services.UnitError(f'Không có đơn vị mã "{into_code}"; thêm --name để tạo.')
        moved = services.merge_units(None, sources, into, on)
    except services.UnitError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(
        f"{', '.join(moved['sources'])} → {moved['into']} từ {on:%d/%m/%Y}: "
        f"{len(moved['accounts'])} tài khoản chuyển sang, {moved['tasks']} nhiệm vụ giao thêm."
    )


@click.command("import-users")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_users_command(file: Path) -> None:
    """Tạo tài khoản từ tệp XLSX hoặc CSV; in tên đăng nhập và liên kết của từng tài khoản mới."""
    from wardapp.organisation.accounts import AccountImportError, check_file, make_accounts

    try:
        checked = check_file(file)
    except AccountImportError as exc:
        db.session.rollback()
        raise click.ClickException(
            "Tệp bị từ chối, chưa tạo tài khoản nào:\n" + "\n".join(exc.messages)
        ) from None
    # Links are made with url_for, which outside a request needs one to stand in.
    with current_app.test_request_context("/", base_url=current_app.config["BASE_URL"]):
        made = make_accounts(None, checked)
    record(
        None,
        "user.import",
        object_type="user",
        filename=file.name,
        made=[m.user.username for m in made],
        existing=len(checked.existing),
    )
    db.session.commit()
    for item in made:
        click.echo(f"{item.user.username} {item.link}")
    if checked.existing:
        click.echo(f"{len(checked.existing)} tài khoản đã có, giữ nguyên.", err=True)
