"""The notifications as JSON, for the app's own scripts and any other client."""

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wardapp.core.access import allow
from wardapp.core.roles import SIGNED_IN
from wardapp.notifications import push, services
from wardapp.notifications.blueprint import bp


@bp.get("/api/v1/notifications")
@allow(*SIGNED_IN)
def api_list():
    """Newest first, a page at a time (``before``: the last id of the previous page)."""
    size = min(max(request.args.get("limit", services.PAGE_SIZE, type=int), 1), 100)
    before = request.args.get("before", type=int)
    rows, more = services.page(current_user, before, size)
    response = jsonify(
        items=[services.as_json(n) for n in rows],
        unread=services.unread_count(current_user),
        next=url_for("notifications.api_list", before=rows[-1].id, limit=size) if more else None,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def read_ids(body: object) -> list[int] | None | str:
    """The ids to mark read from a request's body: a list, None for all, or a refusal."""
    if not isinstance(body, dict):
        return _("Hãy gửi ids (danh sách mã thông báo) hoặc all.")
    if body.get("all") in (True, "1", "true", "yes", 1):
        return None
    ids = body.get("ids")
    if isinstance(ids, int | str):
        ids = [ids]
    if not isinstance(ids, list) or not ids:
        return _("Hãy gửi ids (danh sách mã thông báo) hoặc all.")
    try:
        values = [int(i) for i in ids if not isinstance(i, bool)]
    except (TypeError, ValueError):
        return _("Mã thông báo phải là số.")
    if len(values) != len(ids) or len(values) > 1000 or any(v < 1 or v > 2**62 for v in values):
        return _("Mã thông báo phải là số.")
    return values


@bp.get("/api/v1/push/key")
@allow(*SIGNED_IN)
def api_push_key():
    """The key a browser subscribes with (``applicationServerKey``)."""
    return jsonify(public_key=push.public_key())


@bp.route("/api/v1/push/subscriptions", methods=["POST", "DELETE"])
@allow(*SIGNED_IN)
def api_push_subscriptions():
    """POST the browser's subscription JSON (``PushSubscription.toJSON()``) to receive
    pushes there; DELETE it (``{"endpoint": ...}``) to stop."""
    body = request.get_json(silent=True)
    try:
        if request.method == "DELETE":
            return jsonify(removed=push.unsubscribe(current_user, body))
        _row, created = push.subscribe(current_user, body)
    except push.SubscriptionError as refused:
        return jsonify(error=refused.message, fields={refused.field: refused.message}), 422
    return jsonify(subscribed=True), 201 if created else 200


@bp.post("/api/v1/notifications/read")
@allow(*SIGNED_IN)
def api_read():
    """``{"ids": [..]}`` or ``{"all": true}`` (JSON or a form); the unread count after it."""
    if request.is_json:
        body = request.get_json(silent=True)
    else:
        body = {"ids": request.form.getlist("ids"), "all": request.form.get("all")}
        if not body["ids"]:
            body.pop("ids")
    ids = read_ids(body)
    if isinstance(ids, str):
        return jsonify(error=ids, fields={"ids": ids}), 422
    changed = services.mark_read(current_user, ids)
    return jsonify(marked=changed, unread=services.unread_count(current_user))
