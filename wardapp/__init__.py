"""wardapp: evidence of a city's administrative-reform communication plan."""

from importlib import import_module
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
DOMAINS = (
    "core",
    "auth",
    "plans",
    "places",
    "evidence",
    "notifications",
    "followup",
    "review",
    "offline",
    "compliance",
    "organisation",
)
# Modules that declare background jobs (``wardapp.jobs``), imported by every app so that a
# worker knows each task it may be handed.
JOB_MODULES: tuple[str, ...] = (
    "wardapp.compliance.exports.jobs",
    "wardapp.evidence.copies",
    "wardapp.notifications.channels",
    "wardapp.reminders.jobs",
)


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
    from wardapp.media.app_store import init_app as init_storage

    init_storage(app)
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

    for domain in DOMAINS:
        app.register_blueprint(import_module(f"wardapp.{domain}.blueprint").bp)
    cli.init_app(app)
    from wardapp.core.hooks import CSP

    policy = app.config.get("CONTENT_SECURITY_POLICY") or CSP
    tiles = _origin(app.config.get("MAP_TILE_URL") or "")
    if tiles:  # the map's tiles are images from their server
        policy = policy.replace("img-src 'self'", f"img-src 'self' {tiles}")
    if app.config["S3_PRESIGN"] and str(app.config["STORAGE"]).lower() == "s3":
        from wardapp.media.app_store import make_storage

        # Photos come from the bucket's links: pages may show images from there too.
        store = app.extensions["wardapp.storage"] = make_storage(app.config)
        policy = policy.replace("img-src 'self'", f"img-src 'self' {store.origin()}")
    app.config["CONTENT_SECURITY_POLICY"] = policy
    from wardapp import jobs

    for module in JOB_MODULES:
        import_module(module)
    jobs.init_app(app)
    return app


def _origin(template: str) -> str:
    """A tile URL template's origin for the content security policy ("{s}" for any
    subdomain), or "" when it is on this site or not a web address."""
    from urllib.parse import urlsplit

    parts = urlsplit(template.replace("{s}", "x-subdomain"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}".replace("x-subdomain", "*")
