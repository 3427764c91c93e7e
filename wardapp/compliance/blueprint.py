"""The compliance blueprint; its routes live in views, scoring_views and the exports' views."""

from wardapp.core.blueprints import DomainBlueprint

bp = DomainBlueprint(
    "compliance",
    __package__,
    "views",
    "api",
    "urge_views",
    "scoring_views",
    "exports.views",
    "exports.job_views",
)
