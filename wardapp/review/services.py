"""Deciding on evidence. One decision wins: each is a conditional update on the version the
reviewer saw, so two reviewers deciding at once cannot overwrite each other silently.
Every decision, and every change of one, is an AuditEvent with the state it replaced.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

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
