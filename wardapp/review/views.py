"""The review screen: the queue, inline decisions, bulk approval, the gallery."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from jinja2_fragments.flask import render_block

from wardapp.core.access import allow
from wardapp.core.labels import KIND_LABELS, STATUS_LABELS
from wardapp.core.roles import DECIDERS, READERS
from wardapp.core.urls import safe_path
from wardapp.evidence.models import Evidence
from wardapp.evidence.permissions import visible
from wardapp.evidence.schema import SCHEMAS
from wardapp.evidence.warnings import describe
from wardapp.extensions import db, htmx
from wardapp.plans import lookup
from wardapp.review import gallery as gallery_query
from wardapp.review import queue
from wardapp.review.blueprint import bp
from wardapp.review.services import (
    QUICK_REASONS,
    DecisionError,
    bulk_approve,
    bulk_return,
    decide,
    undo,
)
from wardapp.review.unit_choice import picker, unit_name

# The kinds in a word or two, for a queue row's one line (the full name is its title).
KIND_SHORT = {
    "site_photo": _l("Ảnh hiện trường"),
    "broadcast": _l("Phát thanh"),
    "meeting": _l("Hội nghị, tập huấn"),
    "publication": _l("Tin bài, clip"),
    "procedure_update": _l("Danh mục TTHC"),
}


def _context(**extra) -> dict:
    plan = lookup.current_plan()
    return {
        "kind_labels": KIND_LABELS,
        "kind_short": KIND_SHORT,
        "status_labels": STATUS_LABELS,
        "kinds": SCHEMAS,
        "describe": describe,
        "reasons": QUICK_REASONS,
        "plan": plan,
        "tasks": plan.tasks if plan else [],
        "units": picker(current_user),  # None: too many to list, typed instead
        "unit_name": unit_name,
        "may_decide": current_user.role in DECIDERS,
        "undo_seconds": 10,
        **extra,
    }


@bp.get("/review")
@allow(*READERS)
def queue_page():
    filters = queue.Filters.from_args(request.args)
    size = min(max(request.args.get("size", queue.PAGE_SIZE, type=int), 1), queue.MAX_PAGE_SIZE)
    result = queue.page(current_user, filters, request.args.get("after"), size)
    context = _context(
        filters=filters,
        page=result,
        history=queue.history(result.items),
        pairs=queue.photo_pairs(current_user, result.items),
    )
    if htmx and not htmx.boosted and request.args.get("after"):
        return render_block("review/queue.html", "more_rows", **context)
    context["counts"] = queue.status_counts(current_user, filters)
    if htmx and not htmx.boosted:
        return render_block("review/queue.html", "results", **context)
    return render_template("review/queue.html", **context)


def _evidence_for_decision(evidence_id: int) -> Evidence:
    return db.first_or_404(visible(current_user).where(Evidence.id == evidence_id))


def _decided(evidence: Evidence, status: int = 200, error: str | None = None, undo=False):
    """The row again, in its new state, with the queue's counts out of band (htmx), or back
    to the queue (a plain form post). ``undo``: the decision just made may be taken back."""
    db.session.refresh(evidence)
    back = request.form.get("next")
    if htmx:
        filters = queue.filters_of(back)
        return render_template(
            "review/_decided.html",
            e=evidence,
            history=queue.history([evidence]),
            pairs=queue.photo_pairs(current_user, [evidence]),
            error=error,
            undo=undo and error is None,
            filters=filters,
            counts=queue.status_counts(current_user, filters),
            **_context(),
        ), status
    flash(
        error or _("Đã lưu quyết định cho minh chứng #%(id)s.", id=evidence.id),
        "error" if error else "success",
    )
    return redirect(safe_path(back, "review.queue_page"), code=303)


def _reason() -> str:
    return " — ".join(
        x
        for x in (
            request.form.get("reason_pick", "").strip(),
            request.form.get("reason", "").strip(),
        )
        if x
    )


def _decide(evidence_id: int, decision: str):
    evidence = _evidence_for_decision(evidence_id)
    try:
        decide(
            current_user,
            evidence,
            decision,
            seen_version=request.form.get("version", type=int),
            reason=_reason(),
        )
    except DecisionError as exc:
        return _decided(evidence, exc.status, exc.message)
    return _decided(evidence, undo=True)


@bp.get("/review/<int:evidence_id>/return")
@allow(*DECIDERS)
def return_page(evidence_id: int):
    """The return form of one item on a page of its own: the queue sends it once, not once
    per row, and opens it in the row; without JavaScript its link leads here."""
    evidence = _evidence_for_decision(evidence_id)
    back = safe_path(request.args.get("next"), "review.queue_page")
    return render_template("review/return.html", e=evidence, back=back, **_context())


@bp.post("/review/<int:evidence_id>/undo")
@allow(*DECIDERS)
def undo_decision(evidence_id: int):
    evidence = _evidence_for_decision(evidence_id)
    try:
        undo(current_user, evidence, seen_version=request.form.get("version", type=int))
    except DecisionError as exc:
        return _decided(evidence, exc.status, exc.message)
    return _decided(evidence)


@bp.post("/review/bulk-return")
@allow(*DECIDERS)
def bulk_return_selected():
    """Send the selected items back, all with one reason."""
    filters = queue.Filters.from_args(request.values)
    back = url_for("review.queue_page", **filters.as_args())
    ids = request.form.getlist("ids", type=int)
    reason = _reason()
    if not ids:
        flash(_("Chưa chọn minh chứng nào."), "error")
        return redirect(back, code=303)
    if not reason.strip():
        flash(_("Hãy nêu lý do trả lại."), "error")
        return redirect(back, code=303)
    candidates = db.session.scalars(
        queue.filtered(current_user, filters, with_status=False)
        .where(Evidence.id.in_(ids), Evidence.status == "submitted")
        .order_by(Evidence.created_at, Evidence.id)
    ).all()
    returned = bulk_return(current_user, list(candidates), reason)
    message = ngettext(
        "Đã trả lại %(num)s minh chứng.", "Đã trả lại %(num)s minh chứng.", len(returned)
    )
    if len(returned) < len(ids):
        message += " " + _(
            "%(n)s mục không còn chờ duyệt nên không bị trả lại.", n=len(ids) - len(returned)
        )
    flash(message, "success")
    return redirect(back, code=303)


@bp.post("/review/<int:evidence_id>/approve")
@allow(*DECIDERS)
def approve(evidence_id: int):
    return _decide(evidence_id, "approved")


@bp.post("/review/<int:evidence_id>/return")
@allow(*DECIDERS)
def return_evidence(evidence_id: int):
    return _decide(evidence_id, "returned")


@bp.route("/review/bulk", methods=["GET", "POST"])
@allow(*DECIDERS)
def bulk():
    """Approve the selected items, or everything the filter shows that has no warning.

    The first step counts and asks, listing what it counted (``shown``); the second approves
    only those, and only if they still qualify: an item that arrived or changed between the
    two steps is never approved on a confirmation that did not show it.
    """
    filters = queue.Filters.from_args(request.values)
    ids = request.form.getlist("ids", type=int)
    query = queue.filtered(current_user, filters).where(Evidence.status == "submitted")
    if ids:
        query = query.where(Evidence.id.in_(ids))
    candidates = db.session.scalars(query.order_by(Evidence.created_at, Evidence.id)).all()
    shown = set(request.form.getlist("shown", type=int))
    if request.method == "GET" or request.form.get("confirm") != "yes" or not shown:
        clean = [e.id for e in candidates if not e.has_warnings]
        return render_template(
            "review/bulk_confirm.html",
            filters=filters,
            ids=ids,
            shown=clean,
            clean=len(clean),
            flagged=len(candidates) - len(clean),
            **_context(),
        )
    result = bulk_approve(current_user, [e for e in candidates if e.id in shown])
    changed = len(shown) - len(result.approved) - len(result.skipped_with_warnings)
    flash(
        " ".join(
            filter(
                None,
                (
                    ngettext(
                        "Đã duyệt %(num)s minh chứng.",
                        "Đã duyệt %(num)s minh chứng.",
                        len(result.approved),
                    ),
                    _(
                        "Bỏ qua %(n)s mục có cảnh báo, cần xem từng mục.",
                        n=len(result.skipped_with_warnings),
                    )
                    if result.skipped_with_warnings
                    else "",
                    _("%(n)s mục đã thay đổi từ lúc xác nhận nên không được duyệt.", n=changed)
                    if changed
                    else "",
                ),
            )
        ),
        "success",
    )
    return redirect(url_for("review.queue_page", **filters.as_args()), code=303)


@bp.get("/review/gallery")
@allow(*READERS)
def gallery():
    """All the photos of one task across units: a whole campaign at a glance."""
    filters = queue.Filters.from_args(request.args)
    if filters.status == "submitted" and "status" not in request.args:
        filters.status = "all"
    result = gallery_query.photos(current_user, filters, request.args.get("after", type=int))
    context = _context(filters=filters, gallery=result)
    if htmx and not htmx.boosted and request.args.get("after"):
        return render_block("review/gallery.html", "tiles", **context)
    return render_template("review/gallery.html", **context)
