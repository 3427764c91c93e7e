"""The home page for each role, the language switch and the health check."""

from flask import current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user
from sqlalchemy import text

from wardapp.core import i18n
from wardapp.core.access import allow, public
from wardapp.core.blueprint import bp
from wardapp.core.blueprints import home_sections
from wardapp.core.roles import SIGNED_IN
from wardapp.core.urls import safe_path
from wardapp.extensions import db


@bp.get("/")
@allow(*SIGNED_IN)
def home():
    """Each role's home, with what each domain has for it (see ``core.blueprints``)."""
    context: dict = {}
    for provide in home_sections():
        context.update(provide(current_user, i18n.today_local()))
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
