"""The home page for each role, the language switch and the health check."""

from datetime import date, datetime

from flask import current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy import text

from wardapp.compliance.progress import due_now
from wardapp.core.access import ALL_SIGNED_IN, allow, public
from wardapp.core.blueprint import bp
from wardapp.core.i18n import city_tz
from wardapp.core.labels import KIND_LABELS, RULE_LABELS
from wardapp.core.urls import safe_path
from wardapp.extensions import db
from wardapp.plans import lookup
from wardapp.plans.periods import view_for


def today_local() -> date:
    return datetime.now(city_tz()).date()


@bp.get("/")
@allow(*ALL_SIGNED_IN)
def home():
    plan = lookup.current_plan()
    period = view_for(plan.year, today_local()) if plan else None
    context = {
        "plan": plan,
        "period": period,
        "kind_labels": KIND_LABELS,
        "rule_labels": RULE_LABELS,
    }
    if current_user.role == "officer" and plan:
        context["assignments"] = lookup.assignments_for_unit(plan, current_user.unit_id)
        context["due"] = due_now(plan, current_user.unit_id, today_local())
    page = {"officer": "core/home_officer.html", "admin": "core/home_admin.html"}.get(
        current_user.role, "core/home_staff.html"
    )
    return render_template(page, **context)


@bp.post("/lang/<code>")
@public
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_path(request.form.get("next")))


@bp.get("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means unhealthy
        current_app.logger.exception("health check failed")
        db.session.rollback()
        return jsonify(status="unavailable", database=False), 503
    return jsonify(status="ok", database=True)
