"""Every model in one import, for Alembic and the shell."""

from wardapp.audit.models import AuditEvent
from wardapp.auth.models import LoginCounter, User, reviewer_unit
from wardapp.evidence.models import Evidence, Media, PhotoHash
from wardapp.followup.models import Explanation
from wardapp.notifications.models import Notification
from wardapp.places.models import Place
from wardapp.plans.models import Plan, Task, TaskUnit
from wardapp.units.models import Unit

__all__ = [
    "AuditEvent",
    "Evidence",
    "Explanation",
    "LoginCounter",
    "Media",
    "Notification",
    "PhotoHash",
    "Place",
    "Plan",
    "Task",
    "TaskUnit",
    "Unit",
    "User",
    "reviewer_unit",
]
