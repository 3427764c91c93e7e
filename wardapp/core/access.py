"""Who may reach which view, declared on the view and enforced before it runs.

Every view says who it is for with ``@allow(...)`` or ``@public``. A view without a
decision is refused to everyone (and the route table test fails), so a new route cannot be
left open by accident.
"""

from flask import abort, current_app, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user


def allow(*roles: str):
    def mark(view):
        view.allowed_roles = frozenset(roles)
        return view

    return mark


def public(view):
    view.allowed_roles = None
    return view


def allowed_roles(view: object) -> frozenset[str] | None:
    """The roles ``@allow`` let in, None for a ``@public`` view; AttributeError for a view
    marked neither way (``check_access`` refuses it before asking)."""
    if not hasattr(view, "allowed_roles"):
        raise AttributeError(f"view {view!r} has no access decision")
    return view.allowed_roles


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def check_access():
    """``before_request``: refuse the request unless the view allows the user's role."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if not hasattr(view, "allowed_roles"):
        current_app.logger.error("view %s has no access decision", request.endpoint)
        return _refuse(403)
    roles = allowed_roles(view)
    if roles is None:
        return None
    if not current_user.is_authenticated:
        return _refuse(401)
    if current_user.role not in roles:
        return _refuse(403)
    return None


def _refuse(status: int):
    if is_api_request() or request.accept_mimetypes.best == "application/json":
        message = (
            _("Bạn cần đăng nhập.")
            if status == 401
            else _("Bạn không có quyền thực hiện thao tác này.")
        )
        return jsonify(error=message, fields={}), status
    if status == 401:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    abort(403)
