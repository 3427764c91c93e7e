"""Every model in one import, for Alembic and the shell."""

from wardapp.audit.models import AuditEvent
from wardapp.auth.models import LoginCounter, User, reviewer_unit
from wardapp.evidence.models import Evidence, Media, PhotoHash
from wardapp.places.models import Place
from wardapp.plans.models import Plan, Task, TaskUnit
from wardapp.units.models import Unit

__all__ = [
    "AuditEvent",
    "Evidence",
    "LoginCounter",
    "Media",
    "PhotoHash",
    "Place",
    "Plan",
    "Task",
    "TaskUnit",
    "Unit",
    "User",
    "reviewer_unit",
]
