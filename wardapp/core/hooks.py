"""The request's life: access check, one transaction, security headers, error pages."""

from flask import Response, current_app, jsonify, make_response, render_template, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from wardapp.core import i18n
from wardapp.core.access import check_access, is_api_request
from wardapp.core.navigation import template_context
from wardapp.core.security import strict_transport_security
from wardapp.extensions import db

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'"
)

ERROR_MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    401: "Bạn cần đăng nhập.",
    403: "Bạn không có quyền truy cập trang này.",
    404: "Không tìm thấy trang hoặc dữ liệu được yêu cầu.",
    405: "Phương thức không được hỗ trợ.",
    409: "Dữ liệu đã thay đổi, vui lòng tải lại.",
    413: "Tệp gửi lên quá lớn.",
    415: "Định dạng tệp không được hỗ trợ.",
    422: "Dữ liệu không hợp lệ.",
    429: "Bạn thao tác quá nhanh, vui lòng thử lại sau.",
    500: "Đã có lỗi ở máy chủ. Dữ liệu của bạn chưa bị thay đổi; vui lòng thử lại.",
    503: "Hệ thống tạm thời không phục vụ được, vui lòng thử lại sau ít phút.",
}


def init_app(app):
    app.json.ensure_ascii = False  # Vietnamese stays readable in API answers
    app.before_request(check_access)
    app.after_request(finish_transaction)
    app.after_request(security_headers)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(DataError, database_refused_value)
    app.register_error_handler(OverflowError, database_refused_value)  # SQLite's driver
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected_error)
    app.context_processor(template_context)
    app.jinja_env.filters["date"] = i18n.fmt_date
    app.jinja_env.filters["datetime"] = i18n.fmt_datetime
    app.jinja_env.filters["num"] = format_decimal  # 3.321 in Vietnamese, 3,321 in English


def finish_transaction(response):
    """Commit what the view did if it succeeded; otherwise keep nothing of it."""
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def security_headers(response):
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy", current_app.config.get("CONTENT_SECURITY_POLICY") or CSP
    )
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    hsts = strict_transport_security(current_app)
    if hsts:
        headers.setdefault("Strict-Transport-Security", hsts)
    if request.headers.get("HX-Request") or response.mimetype == "text/html":
        response.vary.add("HX-Request")
    return response


def error_response(status: int, message: str, fields: dict | None = None, **extra) -> Response:
    """JSON for the API and for clients asking for it, the error page for everyone else."""
    db.session.rollback()
    if is_api_request() or request.accept_mimetypes.best == "application/json":
        return make_response(jsonify(error=message, fields=fields or {}, **extra), status)
    return make_response(render_template("core/error.html", status=status, message=message), status)


def http_error(exc: HTTPException):
    status = exc.code or 500
    return error_response(status, _(ERROR_MESSAGES.get(status, exc.name)))


def csrf_error(exc: CSRFError):
    return error_response(
        400,
        _("Phiên làm việc đã hết hạn hoặc mã bảo mật không hợp lệ. Vui lòng tải lại trang."),
        code="csrf",
    )


def database_unavailable(exc: OperationalError):
    current_app.logger.exception("database unavailable")
    message = _(ERROR_MESSAGES[503])
    try:
        response = error_response(503, message)
    except SQLAlchemyError:
        # The error page shows who is signed in, which needs the database that just failed
        # (a server gone away, not a lock): the message alone, then.
        response = make_response(message, 503, {"Content-Type": "text/plain; charset=utf-8"})
    response.headers["Retry-After"] = "5"
    return response


def database_refused_value(exc: DataError | OverflowError):
    """A value the database cannot hold (PostgreSQL refuses a NUL character in any text): the
    sender's data is at fault, so they are told, and nothing of the request is kept."""
    current_app.logger.warning(
        "database refused a value on %s %s: %s",
        request.method,
        request.path,
        getattr(exc, "orig", exc),
    )
    return error_response(422, _("Dữ liệu gửi lên có ký tự hoặc giá trị không hợp lệ."))


def unexpected_error(exc: Exception):
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, _(ERROR_MESSAGES[500]))
