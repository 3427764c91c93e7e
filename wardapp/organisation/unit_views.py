"""The admin's pages for units: the list, add, rename or deactivate, merge."""

import tempfile
from pathlib import Path

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wardapp.audit.services import record
from wardapp.auth.models import User
from wardapp.core.access import allow
from wardapp.core.roles import ADMINS
from wardapp.extensions import db
from wardapp.organisation import services
from wardapp.organisation.blueprint import bp
from wardapp.organisation.forms import KIND_CHOICES, MergeForm, UnitForm, UnitImportForm
from wardapp.organisation.unit_import import UnitImportError, check_units_file, make_units
from wardapp.units.models import Unit

KIND_ORDER = {"ward": 0, "commune": 1, "agency": 2}


def _all_units() -> list[Unit]:
    units = db.session.scalars(
        select(Unit).options(selectinload(Unit.merged_from), selectinload(Unit.merged_into))
    )
    return sorted(units, key=lambda u: (not u.active, KIND_ORDER.get(u.kind, 9), u.name))


@bp.get("/admin/units")
@allow(*ADMINS)
def units():
    return render_template("organisation/units.html", units=_all_units(), kinds=dict(KIND_CHOICES))


@bp.route("/admin/units/new", methods=["GET", "POST"])
@allow(*ADMINS)
def unit_new():
    form = UnitForm()
    if form.validate_on_submit():
        try:
            unit = services.create_unit(
                current_user,
                name=form.name.data,
                kind=form.kind.data,
                code=form.code.data,
                short_name=form.short_name.data,
            )
        except services.UnitError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("Đã thêm đơn vị %(n)s.", n=unit.name), "success")
            return redirect(url_for("organisation.units"), code=303)
    status = 422 if form.errors else 200
    return render_template("organisation/unit_form.html", form=form, unit=None), status


@bp.route("/admin/units/<int:unit_id>", methods=["GET", "POST"])
@allow(*ADMINS)
def unit_edit(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    form = UnitForm(obj=unit)
    del form.code
    if form.validate_on_submit():
        try:
            services.update_unit(
                current_user,
                unit,
                name=form.name.data,
                short_name=form.short_name.data or "",
                kind=form.kind.data,
                active=form.active.data,
            )
        except services.UnitError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("Đã lưu đơn vị %(n)s.", n=unit.name), "success")
            return redirect(url_for("organisation.units"), code=303)
    accounts = db.session.scalar(select(db.func.count()).where(User.unit_id == unit.id))
    status = 422 if form.errors else 200
    return render_template(
        "organisation/unit_form.html", form=form, unit=unit, accounts=accounts
    ), status


@bp.route("/admin/units/merge", methods=["GET", "POST"])
@allow(*ADMINS)
def unit_merge():
    live = [u for u in _all_units() if u.active]
    form = MergeForm()
    form.source_ids.choices = [(u.id, u.name) for u in live]
    form.into_id.choices = [(0, "—")] + [(u.id, u.name) for u in live]
    if form.validate_on_submit():
        by_id = {u.id: u for u in live}
        sources = [by_id[i] for i in form.source_ids.data if i in by_id]
        try:
            if form.new_name.data and form.into_id.data:
                raise services.UnitError(
                    _("Chọn một đơn vị có sẵn hoặc nhập tên đơn vị mới, không cả hai.")
                )
            if form.new_name.data:
                kinds = {u.kind for u in sources}
                into = services.create_unit(
                    current_user,
                    name=form.new_name.data,
                    code=form.new_code.data,
                    kind=services.kind_from_name(
                        form.new_name.data, kinds.pop() if len(kinds) == 1 else "agency"
                    ),
                    started_on=form.on.data,
                )
            elif form.into_id.data in by_id:
                into = by_id[form.into_id.data]
            else:
                raise services.UnitError(_("Chọn đơn vị sáp nhập vào, hoặc nhập tên đơn vị mới."))
            moved = services.merge_units(current_user, sources, into, form.on.data)
        except services.UnitError as exc:
            db.session.rollback()
            form.source_ids.errors.append(str(exc))
        else:
            flash(
                _(
                    "Đã sáp nhập %(s)s vào %(u)s từ %(d)s: %(n)s tài khoản chuyển sang.",
                    s=", ".join(u.name for u in sources),
                    u=into.name,
                    d=form.on.data.strftime("%d/%m/%Y"),
                    n=len(moved["accounts"]),
                ),
                "success",
            )
            return redirect(url_for("organisation.unit_edit", unit_id=into.id), code=303)
    status = 422 if form.errors else 200
    return render_template("organisation/unit_merge.html", form=form), status


@bp.route("/admin/units/import", methods=["GET", "POST"])
@allow(*ADMINS)
def unit_import():
    """Units from a spreadsheet; a bad file is refused whole, with each bad row's number."""
    form = UnitImportForm()
    errors: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        suffix = ".csv" if (upload.filename or "").lower().endswith(".csv") else ".xlsx"
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"units{suffix}"
            upload.save(path)
            try:
                rows = check_units_file(path)
            except UnitImportError as exc:
                errors = exc.messages
            else:
                made = make_units(current_user, rows)
                record(
                    current_user,
                    "unit.import",
                    object_type="unit",
                    filename=(upload.filename or "")[:200],
                    made=len(made),
                    existing=len(rows) - len(made),
                )
                flash(
                    _(
                        "Đã thêm %(n)s đơn vị; %(m)s đơn vị đã có được giữ nguyên.",
                        n=len(made),
                        m=len(rows) - len(made),
                    ),
                    "success",
                )
                return redirect(url_for("organisation.units"), code=303)
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors] + errors
    return render_template(
        "organisation/unit_import.html", form=form, errors=errors
    ), 422 if errors else 200
