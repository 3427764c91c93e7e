"""The organisation blueprint; its routes live in audit_views, unit_views, account_views,
plan_views."""

from wardapp.core.blueprints import DomainBlueprint

bp = DomainBlueprint(
    "organisation", __package__, "audit_views", "unit_views", "account_views", "plan_views"
)
