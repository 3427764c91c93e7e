"""Every model in one import, for Alembic and the shell."""

from wardapp.audit.models import AuditEvent
from wardapp.auth.models import LoginCounter, RecoveryCode, SignInLink, User, reviewer_unit
from wardapp.evidence.models import Evidence, Media
from wardapp.followup.models import Explanation
from wardapp.jobs.models import Job
from wardapp.notifications.models import Notification
from wardapp.plans.models import Plan, Task, TaskUnit
from wardapp.units.models import Unit

__all__ = [
    "AuditEvent",
    "Evidence",
    "Explanation",
    "Job",
    "LoginCounter",
    "Media",
    "Notification",
    "Plan",
    "RecoveryCode",
    "SignInLink",
    "Task",
    "TaskUnit",
    "Unit",
    "User",
    "reviewer_unit",
]
