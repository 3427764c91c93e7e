"""Explanations: filing one (the API and the unit page's form), its file, and the reviewer's
decision from the queue."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from wardapp.core.access import allow
from wardapp.core.roles import DECIDERS, OFFICERS, READERS, SIGNED_IN
from wardapp.core.urls import safe_path
from wardapp.extensions import db, htmx
from wardapp.followup import services
from wardapp.followup.blueprint import bp
from wardapp.followup.models import Explanation
from wardapp.media.app_store import storage
from wardapp.media.names import download_name
from wardapp.plans.models import Task

STATUS_WORDS = {
    "submitted": _l("Chờ duyệt"),
    "accepted": _l("Đã chấp nhận"),
    "refused": _l("Không chấp nhận"),
}


@bp.app_context_processor
def followup_context() -> dict:
    """What the queue and the unit page's partials read, only when they are shown."""

    def waiting_explanations() -> list[Explanation]:
        if not current_user.is_authenticated or current_user.role not in READERS:
            return []
        return services.waiting(current_user.seen_unit_ids)

    def unit_explanations(unit_id: int, start: date, end: date) -> list[Explanation]:
        if not current_user.is_authenticated or not current_user.sees_unit(unit_id):
            return []
        return services.of_unit(unit_id, start, end)

    return {
        "waiting_explanations": waiting_explanations,
        "unit_explanations": unit_explanations,
        "explanation_status": lambda s: str(STATUS_WORDS.get(s, s)),
    }


def _filed_from_request() -> Explanation:
    body: Any = request.form if not request.is_json else request.get_json(silent=True)
    if not isinstance(body, dict) and body is not request.form:
        raise services.ExplanationError(422, _("Yêu cầu không hợp lệ."))
    raw_task: Any = body.get("task_id")
    try:
        task_id = int(raw_task)
    except (TypeError, ValueError):
        raise services.ExplanationError(422, _("Hãy chọn nhiệm vụ."), "task_id") from None
    task = db.session.get(Task, task_id) if 0 < task_id < 2**62 else None
    if task is None:
        raise services.ExplanationError(422, _("Không có nhiệm vụ này."), "task_id")
    upload = request.files.get("attachment")
    attachment = None
    if upload is not None and (upload.filename or upload.content_length):
        attachment = (upload.filename or "", upload.read())
        if not attachment[1] and not attachment[0]:
            attachment = None
    return services.file(
        current_user, task, str(body.get("period") or ""), str(body.get("reason") or ""), attachment
    )


@bp.post("/api/v1/explanations")
@allow(*OFFICERS)
def api_file():
    """``task_id``, ``period`` (2024-Q1, 2024-03, 2024-W11), ``reason``, optional
    ``attachment`` (a form with a file, or JSON without one)."""
    try:
        explanation = _filed_from_request()
    except services.ExplanationError as refused:
        db.session.rollback()
        fields = {refused.field: refused.message} if refused.field else {}
        return jsonify(error=refused.message, fields=fields), refused.status
    return jsonify(services.as_json(explanation)), 201


@bp.post("/explanations")
@allow(*OFFICERS)
def file_form():
    """The unit page's form; back to the page it came from."""
    back = safe_path(request.form.get("next"), "compliance.unit_page")
    try:
        explanation = _filed_from_request()
    except services.ExplanationError as refused:
        db.session.rollback()
        return render_template("followup/refused.html", message=refused.message, back=back), (
            refused.status
        )
    flash(_("Đã gửi giải trình #%(id)s; Phòng VHTT sẽ xem xét.", id=explanation.id), "success")
    return redirect(back, code=303)


@bp.get("/explanations/<int:explanation_id>/attachment")
@allow(*SIGNED_IN)
def attachment(explanation_id: int):
    explanation = db.get_or_404(Explanation, explanation_id)
    if not current_user.sees_unit(explanation.unit_id) or not explanation.attachment_key:
        abort(404)
    try:
        handle = storage().open(explanation.attachment_key)
    except (FileNotFoundError, ValueError):
        current_app.logger.error("explanation %s has no file", explanation.id)
        abort(404)
    response = send_file(
        handle,
        mimetype=explanation.attachment_type or "application/octet-stream",
        as_attachment=True,
        download_name=download_name(
            explanation.attachment_name or f"giai-trinh-{explanation.id}",
            explanation.attachment_type or "application/octet-stream",
        ),
    )
    response.cache_control.private = True
    return response


def _decide(explanation_id: int, decision: str):
    explanation = db.get_or_404(Explanation, explanation_id)
    if not current_user.sees_unit(explanation.unit_id):
        abort(404)
    try:
        services.decide(current_user, explanation, decision, request.form.get("note", ""))
    except services.ExplanationError as refused:
        db.session.rollback()
        if htmx:
            return render_template(
                "followup/_review_row.html", x=explanation, error=refused.message
            ), refused.status
        back = url_for("review.queue_page")
        return render_template("followup/refused.html", message=refused.message, back=back), (
            refused.status
        )
    db.session.refresh(explanation)
    if htmx:
        return render_template("followup/_review_row.html", x=explanation, error=None)
    flash(_("Đã lưu quyết định cho giải trình #%(id)s.", id=explanation.id), "success")
    return redirect(url_for("review.queue_page"), code=303)


@bp.post("/review/explanations/<int:explanation_id>/accept")
@allow(*DECIDERS)
def accept(explanation_id: int):
    return _decide(explanation_id, "accepted")


@bp.post("/review/explanations/<int:explanation_id>/refuse")
@allow(*DECIDERS)
def refuse(explanation_id: int):
    return _decide(explanation_id, "refused")
