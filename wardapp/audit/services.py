"""Writing to the audit record. Only ever adds; nothing here updates or deletes."""

from flask import has_request_context, request

from wardapp.audit.models import AuditEvent
from wardapp.extensions import db


def record(
    actor,
    action: str,
    obj=None,
    *,
    object_type: str | None = None,
    object_id: int | None = None,
    **details,
) -> AuditEvent:
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=object_type or (obj.__tablename__ if obj is not None else "system"),
        object_id=object_id if object_id is not None else getattr(obj, "id", None),
        details=details,
        address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event
