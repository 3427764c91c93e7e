"""wardapp: evidence of a city's administrative-reform communication plan."""

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from wardapp.config import load_config

    load_config(app, test_config)

    from wardapp.core.i18n import install_template_gettext, select_locale, select_timezone
    from wardapp.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from sqlalchemy import event

        from wardapp.db import sqlite_pragmas

        busy_ms = app.config["LOCK_TIMEOUT_MS"]
        with app.app_context():
            event.listen(
                db.engine, "connect", lambda conn, record: sqlite_pragmas(conn, record, busy_ms)
            )
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    login_manager.init_app(app)
    from wardapp.core.hooks import init_app as init_hooks

    init_hooks(app)  # before CSRF: an anonymous API call is told 401, not "bad token"
    from wardapp.core.security import init_app as init_security

    init_security(app)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(ROOT / "wardapp" / "translations"),
    )
    install_template_gettext(app)
    htmx.init_app(app)
    limiter.init_app(app)

    from wardapp import cli
    from wardapp.auth import admin_views  # noqa: F401  (routes)
    from wardapp.auth import views as auth_views
    from wardapp.auth.blueprint import bp as auth_bp
    from wardapp.compliance import export_views, job_views, settings_views  # noqa: F401
    from wardapp.compliance import views as compliance_views  # noqa: F401
    from wardapp.compliance.blueprint import bp as compliance_bp
    from wardapp.core import views as core_views  # noqa: F401
    from wardapp.core.blueprint import bp as core_bp
    from wardapp.evidence import api  # noqa: F401
    from wardapp.evidence import views as evidence_views
    from wardapp.evidence.blueprint import bp as evidence_bp
    from wardapp.offline import views as offline_views  # noqa: F401
    from wardapp.offline.blueprint import bp as offline_bp
    from wardapp.plans import views as plan_views  # noqa: F401
    from wardapp.plans.blueprint import bp as plans_bp
    from wardapp.review import views as review_views  # noqa: F401
    from wardapp.review.blueprint import bp as review_bp

    for bp in (core_bp, auth_bp, plans_bp, evidence_bp, review_bp, offline_bp, compliance_bp):
        app.register_blueprint(bp)
    cli.init_app(app)
    return app
