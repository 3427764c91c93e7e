"""The plan as people read it: its tasks, who leads them and what counts as evidence."""
from flask import abort, render_template

from wardapp.core.access import allow
from wardapp.core.labels import KIND_LABELS, RULE_LABELS
from wardapp.plans import lookup
from wardapp.plans.blueprint import bp


@bp.get("/plans")
@allow("reviewer", "overseer", "admin")
def plan_list():
    return render_template("plans/list.html", plans=lookup.all_plans())


@bp.get("/plans/<int:plan_id>")
@allow("officer", "reviewer", "overseer", "admin")
def plan_detail(plan_id: int):
    plan = lookup.current_plan(plan_id)
    if plan is None:
        abort(404)
    return render_template("plans/detail.html", plan=plan, tasks=lookup.tasks_of_plan(plan),
                           kind_labels=KIND_LABELS, rule_labels=RULE_LABELS)
