"""Deciding on evidence. One decision wins: each is a conditional update on the version the
reviewer saw, so two reviewers deciding at once cannot overwrite each other silently.
Every decision, and every change of one, is an AuditEvent with the state it replaced.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from wardapp.audit.models import AuditEvent
from wardapp.audit.services import record
from wardapp.auth.models import User
from wardapp.db import now_utc, rows_matched
from wardapp.evidence.chains import has_live_correction, superseded
from wardapp.evidence.models import Evidence
from wardapp.evidence.schema import clean_text
from wardapp.extensions import db
from wardapp.notifications import services as notices

CORRECTED = _l("Đơn vị đã gửi lại bản sửa; hãy duyệt bản mới.")
QUICK_REASONS = (
    "Ảnh không rõ",
    "Sai địa điểm",
    "Trùng ảnh đã nộp",
    "Không đúng nhiệm vụ",
    "Thiếu thông tin",
    "Sai thời gian",
)


class DecisionError(Exception):
    def __init__(self, status: int, message: str, evidence: Evidence | None = None):
        super().__init__(message)
        self.status = status
        self.message = str(message)
        self.evidence = evidence


@dataclass
class BulkResult:
    approved: list[int]
    skipped_with_warnings: list[int]
    skipped_other: list[int]


def decide(
    reviewer: User, evidence: Evidence, decision: str, *, seen_version: int | None, reason: str = ""
) -> Evidence:
    """Approve or return ``evidence``; ``seen_version`` is the version the reviewer looked at."""
    if decision not in ("approved", "returned"):
        raise ValueError(decision)
    reason = " ".join(clean_text(reason).split())[:500]
    if decision == "returned" and not reason:
        raise DecisionError(422, _("Hãy nêu lý do trả lại."), evidence)
    if evidence.status == "withdrawn":
        raise DecisionError(409, _("Minh chứng này đã được rút."), evidence)
    if evidence.status == decision:
        raise DecisionError(409, _("Minh chứng này đã ở trạng thái đó."), evidence)
    if has_live_correction(evidence.id):
        raise DecisionError(409, CORRECTED, evidence)
    version = evidence.version if seen_version is None else seen_version
    previous = {
        "status": evidence.status,
        "review_note": evidence.review_note,
        "reviewer_id": evidence.reviewer_id,
        "reviewed_at": evidence.reviewed_at.isoformat() if evidence.reviewed_at else None,
        "version": version,
    }
    # Conditional on the version seen and on no live correction: a correction claims the
    # item by bumping its version (evidence.chains), so the two cannot both win.
    result = db.session.execute(
        update(Evidence)
        .where(Evidence.id == evidence.id, Evidence.version == version, ~superseded())
        .values(
            status=decision,
            review_note=reason if decision == "returned" else None,
            reviewer_id=reviewer.id,
            reviewed_at=now_utc(),
            version=version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(evidence)
    if rows_matched(result) != 1:
        if has_live_correction(evidence.id):
            raise DecisionError(409, CORRECTED, evidence)
        raise DecisionError(
            409,
            _(
                "Minh chứng này vừa được người khác quyết định. "
                "Trang đã cập nhật trạng thái mới nhất."
            ),
            evidence,
        )
    record(
        reviewer,
        "evidence.approve" if decision == "approved" else "evidence.return",
        evidence,
        previous=previous,
        reason=reason or None,
        change=previous["status"] != "submitted",
    )
    if decision == "returned":
        notices.returned(evidence, reason)
    else:
        notices.approved(evidence)
    return evidence


def undo(reviewer: User, evidence: Evidence, *, seen_version: int | None) -> Evidence:
    """Take back one's own decision a few seconds after making it (``REVIEW_UNDO_SECONDS``):
    the item returns to the state the decision replaced, as its audit event recorded it, and
    the undoing is audited too. Refused once anyone (or any correction) has changed it since."""
    gone = DecisionError(409, _("Không còn hoàn tác được quyết định này."), evidence)
    if seen_version is None or evidence.version != seen_version:
        raise gone
    if evidence.reviewer_id != reviewer.id or evidence.status not in ("approved", "returned"):
        raise gone
    window = timedelta(seconds=current_app.config["REVIEW_UNDO_SECONDS"])
    if evidence.reviewed_at is None or now_utc() - evidence.reviewed_at > window:
        raise gone
    decision = db.session.scalar(
        select(AuditEvent)
        .where(
            AuditEvent.object_type == "evidence",
            AuditEvent.object_id == evidence.id,
            AuditEvent.action.in_(("evidence.approve", "evidence.return")),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    previous = (decision.details or {}).get("previous") if decision else None
    if (
        not previous
        or decision is None
        or decision.actor_id != reviewer.id
        or previous.get("version") != seen_version - 1
    ):
        raise gone
    reviewed_at = previous.get("reviewed_at")
    result = db.session.execute(
        update(Evidence)
        .where(Evidence.id == evidence.id, Evidence.version == seen_version, ~superseded())
        .values(
            status=previous["status"],
            review_note=previous.get("review_note"),
            reviewer_id=previous.get("reviewer_id"),
            reviewed_at=datetime.fromisoformat(reviewed_at) if reviewed_at else None,
            version=seen_version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(evidence)
    if rows_matched(result) != 1:
        raise gone
    record(reviewer, "evidence.undo", evidence, undone=decision.id, restored=previous)
    return evidence


def bulk_return(reviewer: User, candidates: list[Evidence], reason: str) -> list[int]:
    """Send the selected items back with one reason; returns the ids actually returned."""
    returned = []
    for evidence in candidates:
        if evidence.status != "submitted":
            continue
        try:
            decide(reviewer, evidence, "returned", seen_version=evidence.version, reason=reason)
        except DecisionError:
            continue
        returned.append(evidence.id)
    if returned:
        record(
            reviewer,
            "evidence.bulk_return",
            object_type="evidence",
            count=len(returned),
            ids=returned,
            reason=reason,
        )
    return returned


def bulk_approve(reviewer: User, candidates: list[Evidence]) -> BulkResult:
    """Approve what is plainly fine; anything with a warning waits for a person to look."""
    result = BulkResult([], [], [])
    for evidence in candidates:
        if evidence.has_warnings:
            result.skipped_with_warnings.append(evidence.id)
        elif evidence.status != "submitted":
            result.skipped_other.append(evidence.id)
        else:
            try:
                decide(reviewer, evidence, "approved", seen_version=evidence.version)
                result.approved.append(evidence.id)
            except DecisionError:
                result.skipped_other.append(evidence.id)
    if result.approved:
        record(
            reviewer,
            "evidence.bulk_approve",
            object_type="evidence",
            count=len(result.approved),
            ids=result.approved,
            skipped_with_warnings=result.skipped_with_warnings,
        )
    return result
