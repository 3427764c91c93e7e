"""The auth blueprint; its routes live in views, admin_views, account_views,
two_factor_views."""

from wardapp.core.blueprints import DomainBlueprint

bp = DomainBlueprint(
    "auth", __package__, "views", "admin_views", "account_views", "two_factor_views"
)
