"""The outbox page, the service worker, the web manifest and the outbox's session check."""

from flask import current_app, jsonify, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from wardapp.core.access import allow, public
from wardapp.core.hooks import CSP
from wardapp.core.labels import KIND_LABELS, STATUS_LABELS
from wardapp.core.roles import OFFICERS, SIGNED_IN
from wardapp.evidence.schema import SCHEMAS
from wardapp.offline import shell
from wardapp.offline.blueprint import bp


@bp.get("/outbox")
@allow(*OFFICERS)
def outbox():
    """A shell the browser fills from IndexedDB: the server never sees what waits there."""
    return render_template(
        "offline/outbox.html",
        kind_labels={code: str(label) for code, label in KIND_LABELS.items()},
        status_labels={code: str(label) for code, label in STATUS_LABELS.items()},
        field_labels=_field_labels(),
    )


def _field_labels() -> dict[str, dict[str, str]]:
    """Each kind's field labels by input name, so a refusal in the outbox names its field."""
    common = {"photo": _("Ảnh"), "attachment": _("Tệp đính kèm"), "note": _("Ghi chú")}
    return {
        code: {
            **common,
            "occurred_at": str(kind.occurred_label),
            **{f.name: str(f.label) for f in kind.fields},
        }
        for code, kind in SCHEMAS.items()
    }


@bp.get("/sw.js")
@public
def service_worker():
    """Served from the root so its scope is the whole site; never cached by HTTP, so a new
    release is seen on the next visit."""
    body = render_template(
        shell.WORKER_TEMPLATE,
        version=shell.shell_version(),
        shell_urls=shell.shell_urls(),
        page_urls=shell.page_urls(),
        capture_pattern=shell.capture_pattern(),
        tasks_url=url_for("evidence.api_tasks"),
        csp=CSP,
        offline_page=render_template("offline/_offline_page.html"),
    )
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
@public
def manifest():
    icons = [
        {
            "src": url_for("static", filename=f"icons/icon-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any maskable",
        }
        for size in (192, 512)
    ]
    response = jsonify(
        {
            "name": _("Minh chứng CCHC"),
            "short_name": _("Minh chứng"),
            "description": _("Ghi và gửi minh chứng tuyên truyền cải cách hành chính."),
            "lang": "vi",
            "dir": "ltr",
            "start_url": url_for("core.home"),
            "scope": "/",
            "display": "standalone",
            "orientation": "portrait",
            "background_color": "#f5f6f8",
            "theme_color": "#0b5394",
            "icons": icons,
        }
    )
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/api/v1/session")
@allow(*SIGNED_IN)
def api_session():
    """Who is signed in, with a CSRF token valid for this session: the outbox asks before it
    sends, so a page cached days ago never sends a stale token or someone else's evidence."""
    user = current_user
    response = jsonify(
        csrf_token=generate_csrf(),
        user={
            "id": user.id,
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role,
            "unit_id": user.unit_id,
        },
    )
    response.headers["Cache-Control"] = "no-store"
    return response
