"""The compliance blueprint; its routes live in views, export_views, job_views, settings_views."""

from wardapp.core.blueprints import DomainBlueprint

bp = DomainBlueprint(
    "compliance", __package__, "views", "export_views", "job_views", "settings_views"
)
