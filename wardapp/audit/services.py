"""Writing to the audit record. Only ever adds; nothing here updates or deletes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import has_request_context, request

from wardapp.audit.models import AuditEvent
from wardapp.db import Base
from wardapp.extensions import db

if TYPE_CHECKING:  # the record knows who acted by id; it imports no domain
    from wardapp.auth.models import User


def record(
    actor: User | None,
    action: str,
    obj: Base | None = None,
    *,
    object_type: str | None = None,
    object_id: int | None = None,
    **details: object,
) -> AuditEvent:
    """``actor`` is None when no account acted (a command, the demo, a sign-in under a name
    nobody has); ``details`` are kept as JSON."""
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
