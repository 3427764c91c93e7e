"""The evidence blueprint; its routes live in views, api."""

from wardapp.core.blueprints import DomainBlueprint

bp = DomainBlueprint("evidence", __package__, "views", "api")
