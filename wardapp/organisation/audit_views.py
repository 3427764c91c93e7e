"""``/admin/audit``: the audit record on screen, for admins and (read-only) overseers."""

from flask import Response, render_template, request
from flask_login import current_user

from wardapp.audit.services import record
from wardapp.core.access import allow
from wardapp.core.roles import AUDIT_READERS, Role
from wardapp.organisation import audit_record
from wardapp.organisation.audit_record import AuditFilters, BadFilter
from wardapp.organisation.blueprint import bp

# Where an object of the record can be opened, by its type.
OBJECT_LINKS = {
    "user": ("auth.user_edit", "user_id", {Role.ADMIN}),
    "plan": ("plans.plan_detail", "plan_id", {Role.ADMIN, Role.OVERSEER}),
    "evidence": ("evidence.detail", "evidence_id", {Role.ADMIN, Role.OVERSEER}),
}


def _links_for(role: str) -> dict:
    return {kind: (ep, arg) for kind, (ep, arg, roles) in OBJECT_LINKS.items() if role in roles}


@bp.get("/admin/audit")
@allow(*AUDIT_READERS)
def audit_page():
    actions, kinds = audit_record.choices()
    try:
        filters = AuditFilters.from_args(request.args)
    except BadFilter as exc:
        return render_template(
            "organisation/audit.html",
            filters=AuditFilters(),
            error=str(exc),
            events=[],
            more=False,
            actions=actions,
            kinds=kinds,
            links=_links_for(current_user.role),
            details_text=audit_record.details_text,
        ), 400
    events, more = audit_record.page_of(filters)
    return render_template(
        "organisation/audit.html",
        filters=filters,
        error=None,
        events=events,
        more=more,
        actions=actions,
        kinds=kinds,
        links=_links_for(current_user.role),
        details_text=audit_record.details_text,
    )


@bp.get("/admin/audit.csv")
@allow(*AUDIT_READERS)
def audit_csv():
    try:
        filters = AuditFilters.from_args(request.args)
    except BadFilter as exc:
        return Response(str(exc), status=400, mimetype="text/plain")
    record(current_user, "audit.export", filters=filters.query_string(page=""))
    body = b"".join(audit_record.csv_chunks(filters))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )
