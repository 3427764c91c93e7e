"""``flask wardapp merge-units`` (and the account import's command): the shell's way to the
same services the admin pages call; each commits once, at the end."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

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
