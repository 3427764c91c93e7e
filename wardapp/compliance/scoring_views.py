"""The plan settings page: each task's scoring parameters, for a reviewer or an admin."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wardapp.compliance.blueprint import bp
from wardapp.compliance.scoring import parts_of_tasks, update_task_rule
from wardapp.compliance.scoring_forms import TaskRuleForm
from wardapp.core.access import allow
from wardapp.core.labels import RULE_LABELS
from wardapp.core.roles import RULE_EDITORS, Role
from wardapp.extensions import db
from wardapp.plans import lookup
from wardapp.plans.models import Plan, Task


def _plan(plan_id: int) -> Plan:
    plan = db.get_or_404(Plan, plan_id)
    if current_user.role == Role.REVIEWER and current_user.scoped_units:
        abort(403)  # a reviewer of some units does not change how the whole plan is scored
    return plan


def _page(plan: Plan, submitted: TaskRuleForm | None = None, status: int = 200):
    tasks = lookup.tasks_of_plan(plan)
    parts = parts_of_tasks(t.id for t in tasks)
    forms = [
        submitted
        if submitted and submitted.task.id == t.id
        else TaskRuleForm(t, parts.get(t.id, []), fresh=True)
        for t in tasks
    ]
    return render_template(
        "compliance/settings.html", plan=plan, forms=forms, rule_labels=RULE_LABELS
    ), status


@bp.get("/compliance/plans/<int:plan_id>/rules")
@allow(*RULE_EDITORS)
def rule_settings(plan_id: int):
    return _page(_plan(plan_id))


@bp.post("/compliance/plans/<int:plan_id>/tasks/<int:task_id>/rules")
@allow(*RULE_EDITORS)
def save_task_rule(plan_id: int, task_id: int):
    plan = _plan(plan_id)
    task = db.get_or_404(Task, task_id)
    if task.plan_id != plan.id:
        abort(404)
    form = TaskRuleForm(task, parts_of_tasks([task.id]).get(task.id, []))
    if not form.validate_on_submit():
        return _page(plan, form, 422)
    changed = update_task_rule(current_user, task, **form.sent())
    flash(
        _("Đã lưu cách chấm nhiệm vụ %(n)s.", n=task.number)
        if changed
        else _("Nhiệm vụ %(n)s không có gì thay đổi.", n=task.number),
        "success",
    )
    return redirect(
        url_for("compliance.rule_settings", plan_id=plan.id, _anchor=f"task-{task.number}"),
        code=303,
    )
