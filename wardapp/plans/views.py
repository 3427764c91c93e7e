"""The plan as people read it: its tasks, who leads them and what counts as evidence;
and the admin's door for next year's plan, imported from its appendix table."""

import tempfile
from pathlib import Path

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wardapp.audit.services import record
from wardapp.core.access import allow
from wardapp.core.labels import KIND_LABELS, RULE_LABELS
from wardapp.core.roles import ADMINS, READERS, SIGNED_IN, Role
from wardapp.extensions import db
from wardapp.plans import lookup
from wardapp.plans.appendix import PlanCopyError, blank_xlsx, copy_plan, plan_xlsx
from wardapp.plans.blueprint import bp
from wardapp.plans.forms import PlanCopyForm, PlanImportForm
from wardapp.plans.importer import PlanImportError, import_plan
from wardapp.plans.models import Plan
from wardapp.plans.periods import view_for


@bp.home_section
def plan_on_home(user, today) -> dict:
    """The current plan, the period the home page shows, and an officer's tasks in it."""
    plan = lookup.current_plan()
    context: dict[str, object] = {
        "plan": plan,
        "period": view_for(plan.year, today) if plan else None,
        "kind_labels": KIND_LABELS,
        "rule_labels": RULE_LABELS,
    }
    if user.role == Role.OFFICER and plan:
        context["assignments"] = lookup.assignments_for_unit(plan, user.unit_id)
    return context


@bp.get("/plans")
@allow(*READERS)
def plan_list():
    return render_template("plans/list.html", plans=lookup.all_plans())


@bp.get("/plans/<int:plan_id>")
@allow(*SIGNED_IN)
def plan_detail(plan_id: int):
    plan = db.get_or_404(Plan, plan_id)
    return render_template(
        "plans/detail.html",
        plan=plan,
        tasks=lookup.tasks_of_plan(plan),
        kind_labels=KIND_LABELS,
        rule_labels=RULE_LABELS,
    )


@bp.route("/plans/import", methods=["GET", "POST"])
@allow(*ADMINS)
def plan_import():
    """Load a new year's plan; a bad file is refused whole, with each bad row's number."""
    form = PlanImportForm()
    errors: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        suffix = Path(upload.filename).suffix.lower()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"plan{suffix}"
            upload.save(path)
            try:
                plan = import_plan(
                    db.session,
                    path,
                    year=form.year.data,
                    title=form.title.data or None,
                    city=form.city.data.strip() or "Bắc Giang",
                )
            except PlanImportError as exc:
                errors.extend(exc.messages)
            else:
                record(
                    current_user,
                    "plan.import",
                    plan,
                    year=plan.year,
                    tasks=len(plan.tasks),
                    filename=upload.filename,
                )
                flash(
                    _(
                        "Đã nhập kế hoạch năm %(y)s: %(n)s nhiệm vụ.",
                        y=plan.year,
                        n=len(plan.tasks),
                    ),
                    "success",
                )
                return redirect(url_for("plans.plan_detail", plan_id=plan.id), code=303)
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors] + errors
    status = 422 if errors else 200
    return render_template("plans/import.html", errors=errors, form=form), status


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, filename: str) -> Response:
    return Response(
        data,
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/plans/<int:plan_id>/export.xlsx")
@allow(*READERS)
def plan_export(plan_id: int):
    """The plan as its appendix table; the import reads it back as it is."""
    plan = db.get_or_404(Plan, plan_id)
    record(current_user, "plan.export", plan, year=plan.year)
    return _xlsx(plan_xlsx(db.session, plan), f"ke-hoach-{plan.year}.xlsx")


@bp.get("/plans/import/template.xlsx")
@allow(*ADMINS)
def plan_template():
    return _xlsx(blank_xlsx(), "mau-phu-luc-ke-hoach.xlsx")


@bp.route("/plans/<int:plan_id>/copy", methods=["GET", "POST"])
@allow(*ADMINS)
def plan_copy(plan_id: int):
    """The plan again for a new year, its units carried through their merges."""
    plan = db.get_or_404(Plan, plan_id)
    form = PlanCopyForm(data={"year": plan.year + 1} if not PlanCopyForm().is_submitted() else None)
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            copy = copy_plan(
                db.session,
                current_user,
                plan,
                year=form.year.data,
                number=form.number.data,
                decision_date=form.decision_date.data,
                title=form.title.data,
            )
        except PlanCopyError as exc:
            errors.append(str(exc))
        else:
            flash(
                _("Đã tạo kế hoạch năm %(y)s: %(n)s nhiệm vụ.", y=copy.year, n=len(copy.tasks)),
                "success",
            )
            return redirect(url_for("plans.plan_detail", plan_id=copy.id), code=303)
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors] + errors
    return render_template(
        "plans/copy.html", plan=plan, form=form, errors=errors
    ), 422 if errors else 200
