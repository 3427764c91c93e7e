"""The bell in the header and the list of notices."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from wardapp.core.access import allow
from wardapp.core.roles import SIGNED_IN
from wardapp.notifications import services
from wardapp.notifications.blueprint import bp

KIND_ICONS = {
    "returned": "\u21a9",
    "approved": "\u2713",
    "urge": "!",
    "reminder": "\u25f7",
    "explanation": "\u270e",
}


@bp.app_context_processor
def bell() -> dict:
    """The unread count for the header's bell, read only when a page shows it."""

    def unread() -> int:
        if not current_user.is_authenticated:
            return 0
        return services.unread_count(current_user)

    return {"unread_notifications": unread}


@bp.get("/notifications")
@allow(*SIGNED_IN)
def page():
    before = request.args.get("before", type=int)
    rows, more = services.page(current_user, before)
    return render_template(
        "notifications/list.html",
        notifications=rows,
        more=more,
        icons=KIND_ICONS,
        unread=services.unread_count(current_user),
    )


@bp.post("/notifications/read")
@allow(*SIGNED_IN)
def read_all():
    """The list's "mark all read" button, without JavaScript too."""
    services.mark_read(current_user, None)
    return redirect(url_for("notifications.page"), code=303)
