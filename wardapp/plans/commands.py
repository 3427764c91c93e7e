"""``flask wardapp seed-plan`` and ``flask wardapp import-plan``: the admin's way to load plans.

The functions they call only flush; committing here, once, keeps a failed run from leaving
half a plan behind.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from wardapp.extensions import db
from wardapp.plans.importer import PlanImportError, import_plan
from wardapp.plans.seed import load_shipped_plan, seed_plan


@click.command("seed-plan")
@with_appcontext
def seed_plan_command() -> None:
    """Nạp kế hoạch năm 2024 kèm theo ứng dụng (chạy lại nhiều lần vẫn an toàn)."""
    data = load_shipped_plan()
    try:
        result = seed_plan(db.session, data)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    plan = data["plan"]
    click.echo(f"Kế hoạch năm {plan['year']} – {plan['city']}:")
    click.echo(result.summary())
    if not result.changed:
        click.echo("Không có gì thay đổi: dữ liệu đã đầy đủ.")


@click.command("import-plan")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, required=True, help="Năm của kế hoạch.")
@click.option("--title", default=None, help="Tên kế hoạch (mặc định theo năm).")
@click.option("--city", default="Bắc Giang", show_default=True, help="Thành phố.")
@with_appcontext
def import_plan_command(file: Path, year: int, title: str | None, city: str) -> None:
    """Nhập kế hoạch một năm mới từ tệp XLSX hoặc CSV theo mẫu phụ lục."""
    try:
        plan = import_plan(db.session, file, year=year, title=title, city=city)
        count = len(plan.tasks)
        db.session.commit()
    except PlanImportError as exc:
        db.session.rollback()
        click.echo(exc.refusal(file.name), err=True)
        raise click.exceptions.Exit(1) from None
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"Đã nhập kế hoạch năm {year} – {plan.city}: {count} nhiệm vụ.")


@click.command("export-plan")
@click.argument("plan_id", type=int)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_plan_command(plan_id: int, file: Path) -> None:
    """Ghi kế hoạch ra tệp XLSX theo mẫu phụ lục (nhập lại được bằng import-plan)."""
    from wardapp.plans.appendix import plan_xlsx
    from wardapp.plans.models import Plan

    plan = db.session.get(Plan, plan_id)
    if plan is None:
        raise click.ClickException(f"Không có kế hoạch số {plan_id}.")
    file.write_bytes(plan_xlsx(db.session, plan))
    click.echo(f"Đã ghi kế hoạch năm {plan.year} vào {file}.")
