"""Who may reach what: the table of every route's decision, for anonymous and every role, and
real objects for every URL argument. ``core/test_access.py`` holds the URL map to it."""

from sqlalchemy import select

from support.evidence import Officer
from wardapp.auth.models import User
from wardapp.core.roles import (
    ADMINS,
    AUDIT_READERS,
    DECIDERS,
    OFFICERS,
    READERS,
    RULE_EDITORS,
    SIGNED_IN,
    URGERS,
    Role,
)
from wardapp.evidence.models import Evidence
from wardapp.extensions import db
from wardapp.places.models import Place
from wardapp.plans.models import Plan, Task
from wardapp.units.models import Unit

ANON = "anonymous"
OFFICER, REVIEWER, OVERSEER, ADMIN = Role.OFFICER, Role.REVIEWER, Role.OVERSEER, Role.ADMIN
EVERYONE = SIGNED_IN | {ANON}

# endpoint: (method, who may reach it)
EXPECTED = {
    "auth.login": ("GET", EVERYONE),
    "auth.welcome": ("GET", EVERYONE),
    "auth.login_code": ("GET", EVERYONE),
    "auth.login_enrol": ("GET", EVERYONE),
    "auth.account_two_factor": ("GET", SIGNED_IN),
    "auth.account_recovery_codes": ("POST", SIGNED_IN),
    "auth.account_two_factor_off": ("POST", SIGNED_IN),
    "auth.user_two_factor_reset": ("POST", ADMINS),
    "auth.user_sign_in_link": ("POST", ADMINS),
    "core.healthz": ("GET", EVERYONE),
    "core.set_language": ("POST", EVERYONE),
    "core.home": ("GET", SIGNED_IN),
    "plans.plan_detail": ("GET", SIGNED_IN),
    "plans.plan_list": ("GET", READERS),
    "plans.plan_import": ("GET", ADMINS),
    "plans.plan_export": ("GET", READERS),
    "plans.plan_template": ("GET", ADMINS),
    "plans.plan_copy": ("GET", ADMINS),
    "auth.users": ("GET", ADMINS),
    "auth.user_new": ("GET", ADMINS),
    "auth.user_edit": ("GET", ADMINS),
    "auth.user_password": ("POST", ADMINS),
    "organisation.audit_page": ("GET", AUDIT_READERS),
    "organisation.units": ("GET", ADMINS),
    "organisation.account_import": ("GET", ADMINS),
    "organisation.account_import_confirm": ("POST", ADMINS),
    "organisation.account_sheet": ("GET", ADMINS),
    "organisation.account_batch": ("GET", ADMINS),
    "organisation.unit_new": ("GET", ADMINS),
    "organisation.unit_import": ("GET", ADMINS),
    "organisation.task_edit": ("GET", ADMINS),
    "organisation.task_new": ("GET", ADMINS),
    "organisation.task_retire": ("POST", ADMINS),
    "organisation.task_delete": ("POST", ADMINS),
    "organisation.unit_edit": ("GET", ADMINS),
    "organisation.unit_merge": ("GET", ADMINS),
    "organisation.audit_csv": ("GET", AUDIT_READERS),
    "auth.account": ("GET", SIGNED_IN),
    "auth.account_password": ("POST", SIGNED_IN),
    "auth.account_preferences": ("POST", SIGNED_IN),
    "auth.account_sessions": ("POST", SIGNED_IN),
    "evidence.api_tasks": ("GET", SIGNED_IN),
    "evidence.api_evidence_list": ("GET", SIGNED_IN),
    "evidence.api_evidence": ("GET", SIGNED_IN),
    "evidence.api_submit": ("POST", OFFICERS),
    "places.api_places": ("GET", SIGNED_IN),
    "places.place_list": ("GET", READERS),
    "places.place_new": ("GET", RULE_EDITORS),
    "places.place_edit": ("GET", RULE_EDITORS),
    "evidence.place_page": ("GET", SIGNED_IN),
    "review.map_page": ("GET", READERS),
    "review.evidence_geojson": ("GET", SIGNED_IN),
    "places.places_geojson": ("GET", SIGNED_IN),
    "evidence.quiet_places": ("GET", READERS),
    "evidence.capture": ("GET", OFFICERS),
    "evidence.mine": ("GET", OFFICERS),
    "evidence.withdraw": ("POST", OFFICERS),
    "evidence.detail": ("GET", SIGNED_IN),
    "evidence.media_file": ("GET", SIGNED_IN),
    "notifications.page": ("GET", SIGNED_IN),
    "notifications.read_all": ("POST", SIGNED_IN),
    "notifications.api_list": ("GET", SIGNED_IN),
    "notifications.api_read": ("POST", SIGNED_IN),
    "followup.api_file": ("POST", OFFICERS),
    "followup.file_form": ("POST", OFFICERS),
    "followup.attachment": ("GET", SIGNED_IN),
    "followup.accept": ("POST", DECIDERS),
    "followup.refuse": ("POST", DECIDERS),
    "notifications.api_push_key": ("GET", SIGNED_IN),
    "notifications.api_push_subscriptions": ("POST", SIGNED_IN),
    "offline.outbox": ("GET", OFFICERS),
    "offline.service_worker": ("GET", EVERYONE),
    "offline.manifest": ("GET", EVERYONE),
    "offline.api_session": ("GET", SIGNED_IN),
    "review.queue_page": ("GET", READERS),
    "review.gallery": ("GET", READERS),
    "review.bulk": ("GET", DECIDERS),
    "review.approve": ("POST", DECIDERS),
    "review.return_evidence": ("POST", DECIDERS),
    "review.return_page": ("GET", DECIDERS),
    "review.undo_decision": ("POST", DECIDERS),
    "review.bulk_return_selected": ("POST", DECIDERS),
    "compliance.dashboard": ("GET", READERS),
    "compliance.api_compliance": ("GET", READERS),
    "compliance.urge": ("GET", URGERS),
    "compliance.cell": ("GET", SIGNED_IN),
    "compliance.unit_page": ("GET", SIGNED_IN),
    "compliance.rule_settings": ("GET", RULE_EDITORS),
    "compliance.save_task_rule": ("POST", RULE_EDITORS),
    "compliance.export_xlsx": ("GET", READERS),
    "compliance.export_csv": ("GET", READERS),
    "compliance.export_docx": ("GET", READERS),
    "compliance.unit_report": ("GET", SIGNED_IN),
    "compliance.export_zip": ("GET", READERS),
    "compliance.start_export": ("POST", READERS),
    "compliance.export_job": ("GET", READERS),
    "compliance.export_job_file": ("GET", READERS),
    "auth.logout": ("POST", SIGNED_IN),  # last: it ends the session
}

ACCOUNTS = {OFFICER: "tho-xuong", REVIEWER: "vhtt", OVERSEER: "giamsat", ADMIN: "admin"}


def url_args(app) -> dict:
    """Real objects for every URL argument: a ward's evidence with a photo, task 6, …"""
    Officer(app, "tho-xuong").site_photo()
    with app.app_context():
        evidence = db.session.scalars(select(Evidence)).one()
        place = Place(unit_id=evidence.unit_id, name="Pano Hùng Vương", kind="panel")
        db.session.add(place)
        db.session.commit()
        return {
            "unit_id": db.session.scalar(select(Unit.id).where(Unit.code == "tho-xuong")),
            "user_id": db.session.scalar(select(User.id).where(User.username == "tho-xuong")),
            "plan_id": db.session.scalar(select(Plan.id)),
            "code": "vi",
            "task_id": db.session.scalar(select(Task.id).where(Task.number == 6)),
            "evidence_id": evidence.id,
            "media_id": evidence.media[0].id,
            "variant": "thumb",
            "job_id": "no-such-export-job",
            "token": "no-such-token",
            "name": "0" * 32,
            "explanation_id": 987654,  # none: a 404 is reached, a refusal is not
            "place_id": place.id,
        }


def reached(response) -> bool:
    """Whether the answer is the page itself, not a refusal or the way to the login page."""
    if response.status_code in (401, 403):
        return False
    return not (
        response.status_code in (301, 302, 303)
        and "/login?next=" in response.headers.get("Location", "")
    )
