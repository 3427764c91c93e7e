"""The submission API the offline outbox (and any other client) speaks. JSON in Vietnamese."""

from typing import Any

from flask import jsonify, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from wardapp.core.access import allow
from wardapp.core.roles import OFFICERS, SIGNED_IN
from wardapp.evidence import services
from wardapp.evidence.blueprint import bp
from wardapp.evidence.errors import SubmissionError
from wardapp.evidence.models import STATUSES, Evidence
from wardapp.evidence.permissions import reportable_tasks, visible
from wardapp.evidence.schema import SCHEMAS
from wardapp.evidence.serialize import evidence_json
from wardapp.evidence.submission import from_request
from wardapp.extensions import db


@bp.errorhandler(SubmissionError)
def submission_refused(exc: SubmissionError):
    db.session.rollback()
    return jsonify(error=exc.message, fields=exc.fields), exc.status


@bp.get("/api/v1/tasks")
@allow(*SIGNED_IN)
def api_tasks():
    tasks = reportable_tasks(current_user)
    return jsonify(
        tasks=[
            {
                "id": t.id,
                "plan_id": t.plan_id,
                "number": t.number,
                "title": t.short_title,
                "text": t.text,
                "kinds": t.kinds,
                "rule": t.rule,
                "deadline": t.deadline.isoformat() if t.deadline else None,
                "min_count": t.min_count,
                "period": t.period,
                "places": t.places,
                "form_urls": {
                    k: url_for("evidence.capture", task_id=t.id, kind=k) for k in t.kinds
                },
                "fields": {k: [f.name for f in SCHEMAS[k].fields] for k in t.kinds},
            }
            for t in tasks
        ]
    )


@bp.post("/api/v1/evidence")
@allow(*OFFICERS)
def api_submit():
    outcome = services.submit(current_user, from_request(request))
    body = evidence_json(outcome.evidence, current_user)
    status = 201 if outcome.created else 200
    response = jsonify(body)
    response.status_code = status
    response.headers["Location"] = url_for("evidence.api_evidence", evidence_id=outcome.evidence.id)
    return response


@bp.get("/api/v1/evidence/<int:evidence_id>")
@allow(*SIGNED_IN)
def api_evidence(evidence_id: int):
    evidence = db.first_or_404(
        visible(current_user)
        .where(Evidence.id == evidence_id)
        .options(selectinload(Evidence.media))
    )
    return jsonify(evidence_json(evidence, current_user))


@bp.get("/api/v1/evidence")
@allow(*SIGNED_IN)
def api_evidence_list():
    """Newest first, a page at a time: ``before`` is the last id of the previous page."""
    limit = min(max(request.args.get("limit", 50, type=int), 1), 200)
    query = visible(current_user).options(selectinload(Evidence.media), selectinload(Evidence.task))
    for name in ("task_id", "unit_id"):
        value = request.args.get(name, type=int)
        if value is not None:
            query = query.where(getattr(Evidence, name) == value)
    status = request.args.get("status")
    if status in STATUSES:
        query = query.where(Evidence.status == status)
    if request.args.get("client_uuid"):
        query = query.where(Evidence.client_uuid == request.args["client_uuid"].strip().lower())
    before = request.args.get("before", type=int)
    if before:
        query = query.where(Evidence.id < before)
    rows = db.session.scalars(query.order_by(Evidence.id.desc()).limit(limit + 1)).all()
    items = [evidence_json(e, current_user) for e in rows[:limit]]
    more = len(rows) > limit
    # The next page keeps the query, but not a "_method" or "_external": url_for's own options
    # start with "_", and one given by the client made a wrong link or a 500.
    args: dict[str, Any] = {
        k: v for k, v in request.args.items() if k != "before" and not k.startswith("_")
    }
    return jsonify(
        items=items,
        next=url_for("evidence.api_evidence_list", before=rows[limit - 1].id, **args)
        if more
        else None,
    )
