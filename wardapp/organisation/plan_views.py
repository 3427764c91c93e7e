"""The admin's pages for a plan's tasks: edit, add, retire, delete (only without evidence)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from wardapp.core.access import allow
from wardapp.core.labels import KIND_LABELS, RULE_LABELS
from wardapp.core.roles import ADMINS
from wardapp.extensions import db
from wardapp.organisation import plan_editing
from wardapp.organisation.blueprint import bp
from wardapp.organisation.forms import RetireForm, TaskForm
from wardapp.plans.models import RULES, Plan, Task
from wardapp.units.models import Unit

KIND_ORDER = {"ward": 0, "commune": 1, "agency": 2}


def _task(plan_id: int, task_id: int) -> Task:
    task = db.get_or_404(Task, task_id)
    if task.plan_id != plan_id:
        abort(404)
    return task


def _form(task: Task | None) -> TaskForm:
    form = TaskForm()
    units = sorted(
        db.session.scalars(select(Unit).where(Unit.active.is_(True))),
        key=lambda u: (KIND_ORDER.get(u.kind, 9), u.name),
    )
    if task is not None:  # a unit that has since ended stays choosable where it is assigned
        assigned = {a.unit_id for a in task.assignments}
        units += [a.unit for a in task.assignments if not a.unit.active and a.unit_id in assigned]
    form.kinds.choices = [(k, str(label)) for k, label in KIND_LABELS.items()]
    form.lead_ids.choices = [(u.id, u.name) for u in units]
    form.coordinating_ids.choices = [(u.id, u.name) for u in units]
    form.rule.choices = [(r, str(RULE_LABELS[r])) for r in RULES]
    if task is not None and not form.is_submitted():
        form.text.data, form.short_title.data = task.text, task.short_title
        form.kinds.data = list(task.kinds)
        form.places.data = "\n".join(task.places)
        form.lead_ids.data = [a.unit_id for a in task.assignments if a.role == "lead"]
        form.coordinating_ids.data = [a.unit_id for a in task.assignments if a.role != "lead"]
        form.rule.data, form.deadline.data = task.rule, task.deadline
        form.when_text.data = task.when_text
    return form


def _values(form: TaskForm) -> plan_editing.TaskValues:
    return plan_editing.TaskValues(
        text=form.text.data or "",
        short_title=form.short_title.data or "",
        kinds=list(form.kinds.data or []),
        places=(form.places.data or "").splitlines(),
        lead_ids=list(form.lead_ids.data or []),
        coordinating_ids=list(form.coordinating_ids.data or []),
        rule=form.rule.data,
        deadline=form.deadline.data,
        when_text=form.when_text.data or "",
    )


@bp.route("/plans/<int:plan_id>/tasks/<int:task_id>/edit", methods=["GET", "POST"])
@allow(*ADMINS)
def task_edit(plan_id: int, task_id: int):
    task = _task(plan_id, task_id)
    form = _form(task)
    if form.validate_on_submit():
        try:
            changed = plan_editing.update_task(current_user, task, _values(form))
        except plan_editing.TaskError as exc:
            db.session.rollback()
            form.text.errors.append(str(exc))
        else:
            if changed:
                flash(_("Đã lưu nhiệm vụ %(n)s.", n=task.number), "success")
            return redirect(
                url_for("plans.plan_detail", plan_id=plan_id, _anchor=f"task-{task.number}"),
                code=303,
            )
    status = 422 if form.errors else 200
    return render_template(
        "organisation/task_form.html",
        form=form,
        plan=task.plan,
        task=task,
        evidence=plan_editing.evidence_count(task),
        retire_form=RetireForm(),
    ), status


@bp.route("/plans/<int:plan_id>/tasks/new", methods=["GET", "POST"])
@allow(*ADMINS)
def task_new(plan_id: int):
    plan = db.get_or_404(Plan, plan_id)
    form = _form(None)
    if form.validate_on_submit():
        try:
            task = plan_editing.add_task(current_user, plan, _values(form))
        except plan_editing.TaskError as exc:
            db.session.rollback()
            form.text.errors.append(str(exc))
        else:
            flash(_("Đã thêm nhiệm vụ %(n)s.", n=task.number), "success")
            return redirect(
                url_for("plans.plan_detail", plan_id=plan_id, _anchor=f"task-{task.number}"),
                code=303,
            )
    status = 422 if form.errors else 200
    return render_template(
        "organisation/task_form.html", form=form, plan=plan, task=None, evidence=0
    ), status


@bp.post("/plans/<int:plan_id>/tasks/<int:task_id>/retire")
@allow(*ADMINS)
def task_retire(plan_id: int, task_id: int):
    task = _task(plan_id, task_id)
    form = RetireForm()
    if form.validate_on_submit():
        retired = form.retired.data != "0"
        plan_editing.set_retired(current_user, task, retired)
        flash(
            _("Nhiệm vụ %(n)s ngừng áp dụng.", n=task.number)
            if retired
            else _("Nhiệm vụ %(n)s áp dụng lại.", n=task.number),
            "success",
        )
    return redirect(url_for("plans.plan_detail", plan_id=plan_id), code=303)


@bp.post("/plans/<int:plan_id>/tasks/<int:task_id>/delete")
@allow(*ADMINS)
def task_delete(plan_id: int, task_id: int):
    task = _task(plan_id, task_id)
    if not RetireForm().validate_on_submit():
        return redirect(url_for("organisation.task_edit", plan_id=plan_id, task_id=task_id))
    try:
        plan_editing.delete_task(current_user, task)
    except plan_editing.TaskInUse as exc:
        return render_template(
            "organisation/task_form.html",
            form=_form(task),
            plan=task.plan,
            task=task,
            evidence=plan_editing.evidence_count(task),
            retire_form=RetireForm(),
            refused=str(exc),
        ), 409
    flash(_("Đã xóa nhiệm vụ."), "success")
    return redirect(url_for("plans.plan_detail", plan_id=plan_id), code=303)
