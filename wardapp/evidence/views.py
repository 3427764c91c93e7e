"""The officer's pages: the capture form for each kind, the unit's submissions, the files."""

import io
import os
import re
import uuid
from datetime import date, datetime

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wardapp import jobs
from wardapp.core.access import allow
from wardapp.core.i18n import fmt_date, fmt_input, now_local
from wardapp.core.labels import KIND_LABELS, STATUS_LABELS
from wardapp.core.roles import OFFICERS, SIGNED_IN, Role
from wardapp.evidence import services
from wardapp.evidence.blueprint import bp
from wardapp.evidence.chains import superseded
from wardapp.evidence.copies import remake_copies
from wardapp.evidence.errors import SubmissionError
from wardapp.evidence.models import Evidence, Media
from wardapp.evidence.permissions import may_see, may_submit, visible
from wardapp.evidence.schema import SCHEMAS
from wardapp.evidence.submission import from_request
from wardapp.evidence.warnings import describe, shown_to
from wardapp.extensions import db
from wardapp.media import download_name
from wardapp.media.app_store import storage
from wardapp.places.services import nearest
from wardapp.plans.models import Task

PAGE = 30
# /mine's status filter: "returned" means returned and not corrected yet, the officer's work.
MINE_FILTERS = ("submitted", "returned", "approved", "withdrawn")


@bp.home_section
def returned_section(user, today) -> dict:
    """The officer's home starts with what was returned and waits for a correction."""
    if user.role != Role.OFFICER:
        return {}
    return {
        "to_correct": services.to_correct(user, limit=3),
        "to_correct_count": services.count_to_correct(user),
        "kind_labels": KIND_LABELS,
    }


@bp.menu_count("evidence.mine")
def returned_count(user) -> int:
    return services.count_to_correct(user) if user.role == Role.OFFICER else 0


def _returned(task: Task, values: dict) -> Evidence | None:
    """The returned item a correction replaces, for its reason at the top of the form."""
    old_id = str(values.get("supersedes") or "")
    old = db.session.get(Evidence, int(old_id)) if re.fullmatch(r"[0-9]{1,18}", old_id) else None
    if old and old.unit_id == current_user.unit_id and old.task_id == task.id:
        return old
    return None


def _task_for(task_id: int) -> Task:
    task = db.get_or_404(Task, task_id)
    if not may_submit(current_user, task):
        abort(403)
    return task


def inside_plan(task: Task, now: datetime) -> datetime | None:
    """When today lies outside the plan's year, the moment a fresh form starts with instead:
    the plan's nearest day, at this time of day. None when today is inside the plan."""
    year = task.plan.year
    if now.year == year:
        return None
    day = date(year, 12, 31) if now.year > year else date(year, 1, 1)
    return now.replace(year=day.year, month=day.month, day=day.day)


def _moved_into_plan(task: Task, values: dict) -> dict | None:
    """What the banner says when a fresh form's date was moved into the plan's year."""
    now = now_local()
    moved = inside_plan(task, now)
    if moved is None or values.get("supersedes") or request.method == "POST":
        return None
    return {"today": fmt_date(now), "day": fmt_date(moved), "year": task.plan.year}


def _prefill(task: Task, kind: str) -> dict:
    """Values a fresh form starts with; a correction starts from the returned evidence."""
    now = now_local()
    values = {"occurred_at": fmt_input(inside_plan(task, now) or now)}
    old_id = request.args.get("supersedes", type=int)
    if old_id:
        old = db.session.get(Evidence, old_id)
        if old and old.unit_id == current_user.unit_id and old.task_id == task.id:
            values.update({k: str(v) for k, v in old.fields.items()})
            values.update(
                note=old.note,
                supersedes=str(old.id),
                occurred_at=fmt_input(old.occurred_at),
            )
    return values


@bp.route("/tasks/<int:task_id>/new", methods=["GET", "POST"])
@allow(*OFFICERS)
def capture(task_id: int):
    task = _task_for(task_id)
    kind_code = request.values.get("kind") or (task.kinds[0] if len(task.kinds) == 1 else None)
    if kind_code is None:
        return render_template("evidence/choose_kind.html", task=task, kind_labels=KIND_LABELS)
    if kind_code not in task.kinds:
        abort(404)
    errors, status = {}, 200
    values = _prefill(task, kind_code)
    if request.method == "POST":
        raw = from_request(request)
        try:
            outcome = services.submit(current_user, raw)
        except SubmissionError as exc:
            errors, status = exc.fields, exc.status
            values = dict(raw.form)
            flash(exc.message, "error")
        else:
            flash(
                _("Đã gửi minh chứng #%(id)s. Phòng VHTT sẽ duyệt.", id=outcome.evidence.id)
                if outcome.created
                else _("Minh chứng này đã được gửi trước đó."),
                "success",
            )
            return redirect(url_for("evidence.mine"), code=303)
    return render_template(
        "evidence/capture.html",
        task=task,
        kind=SCHEMAS[kind_code],
        kind_labels=KIND_LABELS,
        values=values,
        errors=errors,
        returned=_returned(task, values),
        moved_into_plan=_moved_into_plan(task, values),
        last=services.last_of_kind(current_user, SCHEMAS[kind_code])
        if not values.get("supersedes")
        else {},
        client_uuid=values.get("client_uuid") or str(uuid.uuid4()),
        places=[n.place for n in nearest(db.session, current_user.unit_id, None, None)],
    ), status


@bp.get("/mine")
@allow(*OFFICERS)
def mine():
    before = request.args.get("before", type=int)
    status = request.args.get("status", "")
    status = status if status in MINE_FILTERS else ""
    query = (
        visible(current_user)
        .options(selectinload(Evidence.media), selectinload(Evidence.task))
        .order_by(Evidence.id.desc())
        .limit(PAGE + 1)
    )
    if status == "returned":
        query = query.where(Evidence.status == "returned", ~superseded())
    elif status:
        query = query.where(Evidence.status == status)
    if before:
        query = query.where(Evidence.id < before)
    rows = db.session.scalars(query).all()
    redone = set(
        db.session.scalars(
            select(Evidence.supersedes_id).where(
                Evidence.supersedes_id.in_([e.id for e in rows if e.status == "returned"]),
                Evidence.status != "withdrawn",
            )
        )
    )
    return render_template(
        "evidence/mine.html",
        items=rows[:PAGE],
        redone=redone,
        status=status,
        filters=MINE_FILTERS,
        to_correct_count=services.count_to_correct(current_user),
        next_before=rows[PAGE - 1].id if len(rows) > PAGE else None,
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
    )


@bp.post("/evidence/<int:evidence_id>/withdraw")
@allow(*OFFICERS)
def withdraw(evidence_id: int):
    """An item still waiting for review taken back by its unit: kept, marked, audited."""
    evidence = db.get_or_404(Evidence, evidence_id)
    try:
        services.withdraw(
            current_user, evidence, seen_version=request.form.get("version", type=int)
        )
    except services.WithdrawError as exc:
        if exc.status == 404:
            abort(404)
        flash(exc.message, "error")
        return redirect(url_for("evidence.mine"), code=303)
    flash(
        _("Đã rút minh chứng #%(id)s. Phòng VHTT sẽ không duyệt mục này.", id=evidence.id),
        "success",
    )
    return redirect(url_for("evidence.mine"), code=303)


@bp.get("/evidence/<int:evidence_id>")
@allow(*SIGNED_IN)
def detail(evidence_id: int):
    evidence = db.get_or_404(Evidence, evidence_id)
    if not may_see(current_user, evidence):
        abort(404)
    return render_template(
        "evidence/detail.html",
        evidence=evidence,
        kind=SCHEMAS[evidence.kind],
        kind_labels=KIND_LABELS,
        status_labels=STATUS_LABELS,
        warnings=[describe(w) for w in shown_to(current_user, evidence.warnings or [])],
    )


@bp.get("/media/<int:media_id>/<any(original, display, thumb):variant>")
@allow(*SIGNED_IN)
def media_file(media_id: int, variant: str):
    """Files only through here: authorised, typed from what was checked, never sniffed."""
    media = db.get_or_404(Media, media_id)
    if not may_see(current_user, media.evidence):
        abort(404)
    key = {"original": media.original_key, "display": media.display_key, "thumb": media.thumb_key}[
        variant
    ]
    if key is None:
        abort(404)
    content_type = media.content_type if variant == "original" else "image/jpeg"
    inline = content_type.startswith("image/")
    # Named by the checked type, never by the extension it was sent with.
    name = download_name(media.original_name or f"media-{media.id}", media.content_type)
    filename = name if variant == "original" else f"{variant}-{media.id}.jpg"
    store, config = storage(), current_app.config
    try:
        if config["S3_PRESIGN"]:
            link = store.url(
                key,
                content_type=content_type,
                filename=filename,
                attachment=not inline,
                expires=int(config["S3_PRESIGN_SECONDS"]),
            )
            if link:  # the bucket sends the bytes, for a minute, to whoever was let in here
                response = redirect(link, 302)
                response.cache_control.private = True
                response.cache_control.no_store = True
                return response
        path = store.path(key) if config["ACCEL_REDIRECT"] else None
        if path is not None and path.is_file():
            return _accelerated(config["ACCEL_REDIRECT"], key, content_type, filename, inline)
        handle = store.open(key)
    except FileNotFoundError:
        if variant != "original":  # a worker makes it again from the original, for next time
            jobs.send(remake_copies, media.id)
        abort(404)
    except ValueError:  # a key not of the shape storage makes: never near the file system
        current_app.logger.error("media %s has an invalid %s key %r", media.id, variant, key)
        abort(404)
    response = send_file(
        handle,
        mimetype=content_type,
        as_attachment=not inline,
        download_name=filename,
        etag=key.rsplit("/", 1)[-1],
        conditional=True,
        max_age=31536000,
    )
    size = getattr(handle, "size", None)
    if size is None:
        try:
            size = os.fstat(handle.fileno()).st_size
        except (AttributeError, OSError, ValueError):  # a stream with no file behind it
            size = None
    if response.status_code == 200 and response.content_length is None and size is not None:
        response.content_length = size
    response.cache_control.private = True
    response.cache_control.public = False
    response.cache_control.immutable = True
    return response


def _accelerated(location: str, key: str, content_type: str, filename: str, inline: bool):
    """An empty answer that tells nginx which file to send from its internal location
    (``X-Accel-Redirect``); the headers set here are the ones nginx keeps."""
    response = send_file(
        io.BytesIO(b""),
        mimetype=content_type,
        as_attachment=not inline,
        download_name=filename,
        max_age=31536000,
    )
    response.headers["X-Accel-Redirect"] = location.rstrip("/") + "/" + key
    response.cache_control.private = True
    response.cache_control.public = False
    response.cache_control.immutable = True
    return response
