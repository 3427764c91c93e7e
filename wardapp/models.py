"""Every model in one import, for Alembic and the shell."""

from wardapp.audit.models import AuditEvent
from wardapp.auth.models import LoginCounter, RecoveryCode, SignInLink, User, reviewer_unit
from wardapp.evidence.models import Evidence, Media, PhotoHash
from wardapp.followup.models import Explanation, Urge, urge_unit
from wardapp.jobs.models import Job
from wardapp.notifications.models import MailDigest, Notification, PushSubscription
from wardapp.places.models import Place
from wardapp.plans.models import Plan, Task, TaskUnit
from wardapp.reminders.models import ReminderSent
from wardapp.units.models import Unit

__all__ = [
    "AuditEvent",
    "Evidence",
    "Explanation",
    "Job",
    "LoginCounter",
    "MailDigest",
    "Media",
    "Notification",
    "PhotoHash",
    "Place",
    "Plan",
    "PushSubscription",
    "RecoveryCode",
    "ReminderSent",
    "SignInLink",
    "Task",
    "TaskUnit",
    "Unit",
    "Urge",
    "User",
    "reviewer_unit",
    "urge_unit",
]
