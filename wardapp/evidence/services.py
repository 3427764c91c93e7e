"""Submitting evidence: checked, stored once per ``client_uuid``, with warnings for the reviewer.

The same key with the same payload is a replay: the evidence already stored is returned and
nothing is created. The same key with a different payload is a conflict. Two identical
requests racing each other meet at the UNIQUE constraint; the loser becomes a replay.
"""
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wardapp.audit.services import record
from wardapp.core.i18n import city_tz
from wardapp.evidence import schema
from wardapp.evidence.errors import SubmissionError
from wardapp.evidence.intake import store_files
from wardapp.evidence.models import Evidence
from wardapp.evidence.permissions import may_submit
from wardapp.evidence.submission import RawSubmission
from wardapp.evidence.warnings import warnings_for
from wardapp.extensions import db
from wardapp.plans.models import Task

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass
class Outcome:
    evidence: Evidence
    created: bool


def submit(user, raw: RawSubmission) -> Outcome:
    key = raw.client_uuid
    if not UUID_RE.match(key):
        raise SubmissionError(400, _("Thiếu mã định danh (client_uuid) hợp lệ của lần gửi."),
                              {"client_uuid": _("Mã phải là một UUID.")})
    if raw.idempotency_key and raw.form.get("client_uuid") and \
            raw.idempotency_key.lower() != raw.form["client_uuid"].strip().lower():
        raise SubmissionError(400, _("Idempotency-Key khác với client_uuid."))
    fingerprint = raw.fingerprint()
    existing = db.session.scalar(select(Evidence).where(Evidence.client_uuid == key))
    if existing is not None:
        return Outcome(_replay(user, existing, fingerprint), created=False)

    task, checked, occurred_at = _check(user, raw)
    stored = store_files(raw, max_files=current_app.config["MAX_FILES"])
    try:
        evidence = Evidence(
            client_uuid=key, task=task, unit_id=user.unit_id, submitted_by_id=user.id,
            kind=raw.form["kind"], occurred_at=occurred_at, fields=checked.values["fields"],
            lat=checked.values["lat"], lon=checked.values["lon"],
            accuracy=checked.values["accuracy"], located_at=checked.values["located_at"],
            note=checked.values["note"], status="submitted",
            supersedes_id=checked.values["supersedes_id"], fingerprint=fingerprint,
            media=stored.media)
        # Worked out before the first INSERT: on SQLite the write lock is held from there
        # to the commit, and every other writer waits that long.
        with db.session.no_autoflush:
            evidence.warnings = warnings_for(evidence)
            evidence.has_warnings = bool(evidence.warnings)
        db.session.add(evidence)
        db.session.flush()
    except IntegrityError:
        # Another request with the same key got there first. The submission is this
        # request's only write, so the whole transaction goes; the winner's row decides.
        db.session.rollback()
        existing = db.session.scalar(select(Evidence).where(Evidence.client_uuid == key))
        if existing is None:
            stored.discard_new_files()
            raise
        if existing.fingerprint != fingerprint:
            stored.discard_new_files()  # the same bytes would be the winner's too
        return Outcome(_replay(user, existing, fingerprint), created=False)
    except BaseException:
        stored.discard_new_files()
        raise
    record(user, "evidence.submit", evidence, task_id=task.id, kind=evidence.kind,
           files=len(stored.media))
    return Outcome(evidence, created=True)


def _replay(user, existing: Evidence, fingerprint: str) -> Evidence:
    if existing.submitted_by_id != user.id or existing.fingerprint != fingerprint:
        raise SubmissionError(409, _("Mã lần gửi này đã được dùng cho một minh chứng khác. "
                                     "Hãy tạo lần gửi mới."), {"client_uuid": _("Đã được dùng.")})
    return existing


def _check(user, raw: RawSubmission) -> tuple[Task, schema.Checked, datetime]:
    """Everything about the submission that needs no file processing; raises on the first kind
    of problem, with every field's message."""
    form = raw.form
    task = db.session.get(Task, _int(form.get("task_id")) or 0)
    if task is None:
        raise SubmissionError(422, _("Không tìm thấy nhiệm vụ."), {"task_id": _("Nhiệm vụ không tồn tại.")})
    if not may_submit(user, task):
        raise SubmissionError(403, _("Đơn vị của bạn không báo cáo nhiệm vụ này."))
    kind = schema.KINDS.get(form.get("kind", ""))
    if kind is None or kind.code not in task.kinds:
        raise SubmissionError(422, _("Nhiệm vụ này không nhận loại minh chứng đã chọn."),
                              {"kind": _("Loại minh chứng không hợp lệ.")})
    checked = schema.check_kind_fields(kind, form)
    errors = dict(checked.errors)
    occurred_at = schema.parse_occurred_at(form.get("occurred_at"), city_tz())
    now = datetime.now(timezone.utc)
    if occurred_at is None:
        errors["occurred_at"] = _("Hãy nhập ngày giờ theo dạng dd/mm/yyyy hh:mm.")
    elif occurred_at > now + timedelta(hours=12):
        errors["occurred_at"] = _("Thời điểm này còn ở tương lai.")
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
    supersedes_id = _supersedes(user, task, form.get("supersedes"), errors)
    note = schema.check_note(form.get("note"), errors)
    if errors:
        raise SubmissionError(422, _("Thông tin chưa hợp lệ, hãy sửa các mục được đánh dấu."), errors)
    checked.values = {
        "fields": checked.values, "note": note,
        "supersedes_id": supersedes_id, **location}
    return task, checked, occurred_at


def _location(form, errors: dict) -> dict:
    lat_raw, lon_raw = form.get("lat", "").strip(), form.get("lon", "").strip()
    values = {"lat": None, "lon": None, "accuracy": None, "located_at": None}
    if not lat_raw and not lon_raw:
        return values
    lat, lon = schema.parse_float(lat_raw, -90, 90), schema.parse_float(lon_raw, -180, 180)
    if lat is None or lon is None:
        errors["lat"] = _("Vị trí không hợp lệ.")
        return values
    values.update(lat=lat, lon=lon,
                  accuracy=schema.parse_float(form.get("accuracy", ""), 0, 1_000_000),
                  located_at=schema.parse_occurred_at(form.get("located_at"), city_tz()))
    return values


def _supersedes(user, task: Task, raw: str | None, errors: dict) -> int | None:
    """The returned evidence this one corrects: the same unit's, the same task's, not yet redone."""
    if not raw:
        return None
    old = db.session.get(Evidence, _int(raw) or 0)
    if old is None or old.unit_id != user.unit_id or old.task_id != task.id:
        errors["supersedes"] = _("Không tìm thấy minh chứng cần gửi lại.")
    elif old.status != "returned":
        errors["supersedes"] = _("Chỉ gửi lại được minh chứng đã bị trả lại.")
    elif db.session.scalar(select(Evidence.id).where(Evidence.supersedes_id == old.id)):
        errors["supersedes"] = _("Minh chứng này đã được gửi lại rồi.")
    else:
        return old.id
    return None


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
