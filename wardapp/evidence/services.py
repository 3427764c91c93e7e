"""Submitting evidence: checked, stored once per ``client_uuid``, with warnings for the reviewer.

The same key with the same payload is a replay: the evidence already stored is returned and
nothing is created. The same key with a different payload is a conflict. Two identical
requests racing each other meet at the UNIQUE constraint; the loser becomes a replay.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError

from wardapp.audit.services import record
from wardapp.auth.models import User
from wardapp.core.i18n import city_tz
from wardapp.db import rows_matched
from wardapp.evidence import chains, schema
from wardapp.evidence.errors import SubmissionError
from wardapp.evidence.intake import store_copy_hashes, store_files
from wardapp.evidence.models import Evidence
from wardapp.evidence.permissions import may_submit
from wardapp.evidence.submission import RawSubmission
from wardapp.evidence.warnings import warnings_for
from wardapp.extensions import db
from wardapp.places.models import Place
from wardapp.plans.models import Task

EARLIEST_YEAR = 2000  # before it, a date is a slip of the thumb, never a report
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass
class Outcome:
    evidence: Evidence
    created: bool


def submit(user: User, raw: RawSubmission, *, now: datetime | None = None) -> Outcome:
    """``now`` is when the server received it (the demo replays a year of reports)."""
    now = now or datetime.now(UTC)
    key = raw.client_uuid
    if not UUID_RE.match(key):
        raise SubmissionError(
            400,
            _("Thiếu mã định danh (client_uuid) hợp lệ của lần gửi."),
            {"client_uuid": _("Mã phải là một UUID.")},
        )
    if (
        raw.idempotency_key
        and raw.form.get("client_uuid")
        and raw.idempotency_key.lower() != raw.form["client_uuid"].strip().lower()
    ):
        raise SubmissionError(400, _("Idempotency-Key khác với client_uuid."))
    fingerprint = raw.fingerprint()
    existing = db.session.scalar(select(Evidence).where(Evidence.client_uuid == key))
    if existing is not None:
        return Outcome(_replay(user, existing, fingerprint), created=False)

    task, checked, occurred_at = _check(user, raw, now)
    media = store_files(raw, max_files=current_app.config["MAX_FILES"])
    try:
        evidence = Evidence(
            client_uuid=key,
            task=task,
            unit_id=user.unit_id,
            submitted_by_id=user.id,
            kind=raw.form["kind"],
            occurred_at=occurred_at,
            fields=checked.values["fields"],
            lat=checked.values["lat"],
            lon=checked.values["lon"],
            accuracy=checked.values["accuracy"],
            located_at=checked.values["located_at"],
            note=checked.values["note"],
            status="submitted",
            supersedes_id=checked.values["supersedes_id"],
            place_id=checked.values["place_id"],
            fingerprint=fingerprint,
            media=media,
            created_at=now,
        )
        # Worked out before the first INSERT: on SQLite the write lock is held from there
        # to the commit, and every other writer waits that long.
        with db.session.no_autoflush:
            evidence.warnings = warnings_for(evidence)
            evidence.has_warnings = bool(evidence.warnings)
        db.session.add(evidence)
        db.session.flush()
        store_copy_hashes(media)
    except IntegrityError:
        # Another request got there first: with the same key (the winner's row decides), or
        # with another correction of the same returned item (one live correction at most).
        # The submission is this request's only write, so the whole transaction goes; its
        # files stay (see intake): the winner's row may name the very same ones.
        db.session.rollback()
        existing = db.session.scalar(select(Evidence).where(Evidence.client_uuid == key))
        if existing is not None:
            return Outcome(_replay(user, existing, fingerprint), created=False)
        old_id = checked.values["supersedes_id"]
        if old_id and chains.has_live_correction(old_id):
            raise SubmissionError(
                409,
                _("Minh chứng này vừa được gửi lại từ máy khác."),
                {"supersedes": _("Minh chứng này đã được gửi lại rồi.")},
            ) from None
        raise
    if checked.values["supersedes_id"] and not chains.claim_for_correction(
        checked.values["supersedes_id"], checked.values["supersedes_version"]
    ):
        db.session.rollback()
        raise SubmissionError(
            409,
            _(
                "Phòng VHTT vừa thay đổi quyết định về minh chứng cần "
                "sửa; hãy tải lại trang Đã gửi."
            ),
            {"supersedes": _("Minh chứng này không còn ở trạng thái trả lại.")},
        )
    record(user, "evidence.submit", evidence, task_id=task.id, kind=evidence.kind, files=len(media))
    return Outcome(evidence, created=True)


def _replay(user: User, existing: Evidence, fingerprint: str) -> Evidence:
    if existing.submitted_by_id != user.id or existing.fingerprint != fingerprint:
        raise SubmissionError(
            409,
            _("Mã lần gửi này đã được dùng cho một minh chứng khác. Hãy tạo lần gửi mới."),
            {"client_uuid": _("Đã được dùng.")},
        )
    return existing


def _check(user: User, raw: RawSubmission, now: datetime) -> tuple[Task, schema.Checked, datetime]:
    """Everything about the submission that needs no file processing; raises on the first kind
    of problem, with every field's message."""
    form = raw.form
    task = db.session.get(Task, _int(form.get("task_id")) or 0)
    if task is None:
        raise SubmissionError(
            422, _("Không tìm thấy nhiệm vụ."), {"task_id": _("Nhiệm vụ không tồn tại.")}
        )
    if not may_submit(user, task):
        raise SubmissionError(403, _("Đơn vị của bạn không báo cáo nhiệm vụ này."))
    kind = schema.SCHEMAS.get(form.get("kind", ""))
    if kind is None or kind.code not in task.kinds:
        raise SubmissionError(
            422,
            _("Nhiệm vụ này không nhận loại minh chứng đã chọn."),
            {"kind": _("Loại minh chứng không hợp lệ.")},
        )
    occurred_at = schema.parse_occurred_at(form.get("occurred_at"), city_tz())
    checked = schema.check_kind_fields(
        kind, schema.with_derived(kind, form, occurred_at, city_tz())
    )
    errors = dict(checked.errors)
    skew = timedelta(minutes=current_app.config["FUTURE_TOLERANCE_MINUTES"])
    if occurred_at is None:
        errors["occurred_at"] = _("Hãy nhập ngày giờ theo dạng dd/mm/yyyy hh:mm.")
    elif occurred_at > now + skew:
        errors["occurred_at"] = _("Thời điểm này còn ở tương lai.")
    elif occurred_at.year < EARLIEST_YEAR:
        errors["occurred_at"] = _("Ngày này quá xa trong quá khứ; hãy kiểm tra lại năm.")
    location = _location(form, errors)
    if kind.code == "publication" and not checked.values.get("url") and not raw.photos:
        errors["url"] = _("Hãy nhập đường dẫn hoặc gửi kèm ảnh chụp màn hình.")
    if kind.photos == "required" and not raw.photos:
        errors["photo"] = _("Hãy chụp hoặc chọn ít nhất một ảnh.")
    if kind.photos == "none" and raw.photos:
        errors["photo"] = _("Loại minh chứng này không nhận ảnh; hãy gửi tệp đính kèm.")
    if not kind.attachments and raw.attachments:
        errors["attachment"] = _("Loại minh chứng này không nhận tệp đính kèm.")
    if kind.files_required and not (raw.photos or raw.attachments):
        errors["photo"] = _("Hãy gửi ảnh hoặc danh sách ký tên.")
    supersedes_id, supersedes_version = _supersedes(user, task, form.get("supersedes"), errors)
    note = schema.check_note(form.get("note"), errors)
    place_id = _place(user, form.get("place_id"), errors)
    if errors or occurred_at is None:  # (a missing time has its message in errors)
        raise SubmissionError(
            422, _("Thông tin chưa hợp lệ, hãy sửa các mục được đánh dấu."), errors
        )
    checked.values = {
        "fields": checked.values,
        "note": note,
        "supersedes_id": supersedes_id,
        "supersedes_version": supersedes_version,
        "place_id": place_id,
        **location,
    }
    return task, checked, occurred_at


def _place(user: User, raw: str | None, errors: dict) -> int | None:
    """The place the item was recorded at: one of the officer's unit's active places."""
    raw = (raw or "").strip()
    if not raw:
        return None
    place = (
        db.session.get(Place, int(raw))
        if raw.isascii() and raw.isdigit() and len(raw) < 10
        else None
    )
    if place is None or place.unit_id != user.unit_id or not place.active:
        errors["place_id"] = _("Địa điểm đã chọn không thuộc đơn vị của bạn.")
        return None
    return place.id


def _location(form: dict[str, str], errors: dict) -> dict[str, float | datetime | None]:
    lat_raw, lon_raw = form.get("lat", "").strip(), form.get("lon", "").strip()
    values: dict[str, float | datetime | None] = {
        "lat": None,
        "lon": None,
        "accuracy": None,
        "located_at": None,
    }
    if not lat_raw and not lon_raw:
        return values
    lat, lon = schema.parse_float(lat_raw, -90, 90), schema.parse_float(lon_raw, -180, 180)
    if lat is None or lon is None:
        errors["lat"] = _("Vị trí không hợp lệ.")
        return values
    values.update(
        lat=lat,
        lon=lon,
        accuracy=schema.parse_float(form.get("accuracy", ""), 0, 1_000_000),
        located_at=schema.parse_occurred_at(form.get("located_at"), city_tz()),
    )
    return values


def _supersedes(
    user: User, task: Task, raw: str | None, errors: dict
) -> tuple[int | None, int | None]:
    """The returned evidence this one corrects (the same unit's, the same task's, not yet
    redone) and the version it was checked at; (None, None) when there is none."""
    if not raw:
        return None, None
    old = db.session.get(Evidence, _int(raw) or 0)
    if old is None or old.unit_id != user.unit_id or old.task_id != task.id:
        errors["supersedes"] = _("Không tìm thấy minh chứng cần gửi lại.")
    elif old.status != "returned":
        errors["supersedes"] = _("Chỉ gửi lại được minh chứng đã bị trả lại.")
    elif chains.has_live_correction(old.id):
        errors["supersedes"] = _("Minh chứng này đã được gửi lại rồi.")
    else:
        return old.id, old.version
    return None, None


def _int(value: object) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


# ---- the officer's own: what was returned, and withdrawing what still waits ----
def to_correct_query(user: User) -> Select:
    """The unit's returned items no correction replaces yet: the officer's first job."""
    return select(Evidence).where(
        Evidence.unit_id == user.unit_id,
        Evidence.status == "returned",
        ~chains.superseded(),
    )


def to_correct(user: User, limit: int = 5) -> list[Evidence]:
    if user.unit_id is None:
        return []
    return list(
        db.session.scalars(
            to_correct_query(user).order_by(Evidence.reviewed_at.desc()).limit(limit)
        )
    )


def count_to_correct(user: User) -> int:
    if user.unit_id is None:
        return 0
    return (
        db.session.scalar(select(func.count()).select_from(to_correct_query(user).subquery())) or 0
    )


class WithdrawError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def withdraw(user: User, evidence: Evidence, *, seen_version: int | None = None) -> Evidence:
    """Take back an item still waiting for review: it stays, marked withdrawn, audited; a
    reviewer deciding it at the same moment wins or loses as a whole (the version)."""
    if evidence.unit_id != user.unit_id:
        raise WithdrawError(404, _("Không tìm thấy minh chứng này."))
    if evidence.status != "submitted":
        raise WithdrawError(409, _("Chỉ rút được minh chứng đang chờ duyệt."))
    version = evidence.version if seen_version is None else seen_version
    result = db.session.execute(
        update(Evidence)
        .where(
            Evidence.id == evidence.id,
            Evidence.status == "submitted",
            Evidence.version == version,
        )
        .values(status="withdrawn", version=version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(evidence)
    if rows_matched(result) != 1:
        raise WithdrawError(
            409, _("Minh chứng này vừa được Phòng VHTT duyệt nên không rút được nữa.")
        )
    record(
        user, "evidence.withdraw", evidence, previous={"status": "submitted", "version": version}
    )
    return evidence


def last_of_kind(user: User, kind: schema.Kind) -> dict:
    """What "Ghi như lần trước" copies: the kind's repeated fields of the unit's last item of
    that kind (not withdrawn), with when it was sent; {} when there is none."""
    if not kind.repeat_fields or user.unit_id is None:
        return {}
    last = db.session.scalars(
        select(Evidence)
        .where(
            Evidence.unit_id == user.unit_id,
            Evidence.kind == kind.code,
            Evidence.status != "withdrawn",
        )
        .order_by(Evidence.id.desc())
        .limit(1)
    ).first()
    if last is None:
        return {}
    fields = {k: str(last.fields[k]) for k in kind.repeat_fields if k in last.fields}
    return {"fields": fields, "savedAt": last.created_at.astimezone(UTC).isoformat()}
